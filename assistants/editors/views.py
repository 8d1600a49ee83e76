"""The editors' pages: one generic view for every field group (open fresh, save with a conflict
check, show what Revox refused where it belongs), the live preview of a group's form as it is
typed, and the voice preview the voice editor plays. Groups are met only through their
interface (assistants/editors/group.py).

Thin: parse, call one service or selector, render. htmx requests get the editor's partial."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from assistants import services
from assistants.editors.group import Group
from assistants.editors.groups import GROUPS, get_group
from assistants.editors.groups.voice.preview import VoicePreviewForm
from assistants.editors.listen import preview_failure
from assistants.editors.previews import voice_preview_get
from assistants.editors.services import GroupConflict, SaveLockTimeout, assistant_update_group
from assistants.editors.words import unpatched_calls
from assistants.models import Assistant
from assistants.revox import (
    AUTH_NOTHING_SAVED_MESSAGE,
    RevoxAuthError,
    RevoxError,
    RevoxNotFound,
    RevoxValidationError,
)
from assistants.selectors import assistant_get_or_404
from assistants.snapshot import mask_secrets
from assistants.team.roles import can_edit, viewer_required


def _editor_context(request: HttpRequest, group: Group, assistant: Assistant | dict, form,
                    **extra) -> dict:  # fmt: skip
    data = assistant if isinstance(assistant, dict) else assistant.data
    return {
        "group": group,
        "groups": GROUPS.values(),
        "assistant": data,
        "revox_id": data["id"],
        "form": form,
        "read_only": extra.get("offline") or not can_edit(request.user),
        **extra,
    }


def _render_editor(request: HttpRequest, context: dict, status: int = 200) -> HttpResponse:
    # The editor's tabs swap the page in place (#editor-page), a save only the form (#editor);
    # Back to a page opened in place (an htmx history restore) and plain requests get it all.
    if not request.htmx or request.htmx.history_restore_request:
        template = "editors/editor.html"
    elif request.htmx.target == "editor-page":
        template = "editors/editor.html#page"
    else:
        template = "editors/editor.html#editor"
    return render(request, template, context, status=status)


def _to_list(request: HttpRequest) -> HttpResponse:
    """Back to the assistants list (the assistant is gone): a real navigation for htmx too."""
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = reverse("assistants:list")
        return response
    return redirect("assistants:list")


def _conflict_rows(group: Group, theirs: dict, mine: dict) -> list[dict]:
    theirs, mine = mask_secrets(theirs), mask_secrets(mine)
    return [
        {"field": name, "theirs": theirs.get(name), "mine": mine[name]}
        for name in group.fields
        if name in mine and mine[name] != theirs.get(name)
    ]


@require_GET
@viewer_required
def voice_preview(request: HttpRequest) -> HttpResponse:
    """A voice saying a short text, as audio (Revox's POST /voices/preview, proxied so the key
    stays here, and cached so that replaying costs nothing). Errors answer JSON: {"error"}."""
    form = VoicePreviewForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"error": form.first_error()}, status=400)
    try:
        preview = voice_preview_get(**form.cleaned_data)
    except RevoxError as err:
        return JsonResponse({"error": preview_failure(err)}, status=502)
    response = HttpResponse(preview.audio, content_type=preview.content_type)
    # The same query always sounds the same: the browser may keep it (for this user only).
    response["Cache-Control"] = "private, max-age=86400"
    return response


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
@viewer_required
def assistant_edit(request: HttpRequest, revox_id: str, group_slug: str) -> HttpResponse:
    group = get_group(group_slug)
    if group is None:
        raise Http404("No such settings group")
    if request.method == "POST":
        return _editor_save(request, revox_id, group)

    try:
        data = services.assistant_fetch(revox_id=revox_id)
    except RevoxNotFound as err:
        messages.error(request, str(err))
        return _to_list(request)
    except RevoxAuthError:
        raise
    except RevoxError as err:
        # Revox is down: show the cached copy, read-only, and say why.
        cached = assistant_get_or_404(revox_id)
        form = group.form_for(cached.data)
        form.disable()
        context = _editor_context(
            request, group, cached, form, offline=True, offline_error=str(err)
        )
        return _render_editor(request, context)
    form = group.form_for(data)
    if not can_edit(request.user):
        form.disable()
    return _render_editor(request, _editor_context(request, group, data, form))


def _editor_save(request: HttpRequest, revox_id: str, group: Group) -> HttpResponse:
    if not can_edit(request.user):
        raise PermissionDenied
    cached = assistant_get_or_404(revox_id)
    form = group.bound_form(request.POST, assistant=cached.data)
    if group.wants_preview(form):
        # Shown again with the preview (voice's "Listen"); nothing is saved.
        group.preview(form)
        return _render_editor(request, _editor_context(request, group, cached, form))
    if not form.is_valid():
        return _render_editor(request, _editor_context(request, group, cached, form), status=200)
    try:
        result = assistant_update_group(
            user=request.user,
            revox_id=revox_id,
            group=group,
            build_patch=lambda current: group.patch(form, current),
            fingerprint=form.cleaned_data.get("fingerprint") or "",
            merge=group.merge(form),
            stored=cached,
        )
    except GroupConflict as conflict:
        # Nothing was written. Keep what the user typed, but carry the fingerprint of the
        # version they have now seen: submitting again ("Keep mine") overwrites exactly that.
        data = request.POST.copy()
        data["fingerprint"] = group.fingerprint(conflict.current)
        form = group.bound_form(data, assistant=conflict.current)
        form.is_valid()
        theirs = group.values(conflict.current)
        rows = _conflict_rows(group, theirs, group.patch(form, conflict.current))
        context = _editor_context(request, group, conflict.current, form, conflict_rows=rows)
        return _render_editor(request, context, status=200 if request.htmx else 409)
    except RevoxNotFound as err:
        messages.error(request, str(err))
        return _to_list(request)
    except RevoxAuthError:
        if request.htmx:
            raise  # a toast; the form stays on screen as typed
        form.add_error(None, AUTH_NOTHING_SAVED_MESSAGE)
    except RevoxValidationError as err:
        form.apply_revox_errors(err.field_errors, err.non_field_errors)
        if not err.field_errors and not err.non_field_errors:
            form.add_error(None, str(err))
    except (RevoxError, SaveLockTimeout) as err:
        form.add_error(None, str(err))
    else:
        notice = unpatched_calls(result.unpatched_calls)
        if notice:
            # Stays on screen until dismissed: the team has to act on it (or know).
            messages.warning(
                request, f"{group.title} saved to Revox. {notice}", extra_tags="sticky"
            )
        elif result.changed:
            messages.success(request, f"{group.title} saved to Revox. {result.note}".strip())
        else:
            messages.info(request, "No changes to save.")
        if not request.htmx:
            return redirect("assistants:edit", revox_id=revox_id, group_slug=group.slug)
        context = _editor_context(
            request,
            group,
            result.assistant,
            group.form_for(result.assistant),
            just_saved=result.changed,
            unpatched_notice=notice,
        )
        response = _render_editor(request, context)
        response["HX-Trigger-After-Settle"] = "revox:saved"
        return response
    return _render_editor(request, _editor_context(request, group, cached, form), status=200)


@require_POST
@viewer_required
def assistant_edit_preview(request: HttpRequest, revox_id: str, group_slug: str) -> HttpResponse:
    """What the group's page shows of the form as it is being typed (the calling plan's week
    and sentence), answered as the same partial the page renders: the rule stays in Python.
    Nothing is saved, and Revox is not asked."""
    group = get_group(group_slug)
    if group is None or not group.live_preview:
        raise Http404("No preview for this group")
    cached = assistant_get_or_404(revox_id)
    form = group.bound_form(request.POST, assistant=cached.data)
    form.is_valid()
    context = {"form": form, "group": group, "revox_id": revox_id, "live": True}
    return render(request, group.live_preview, context)
