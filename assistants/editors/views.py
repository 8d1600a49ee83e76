"""The editors' pages: one generic view for every field group (open fresh, save with a conflict
check, show what Revox refused where it belongs), and the voice preview the voice editor plays.

Thin: parse, call one service or selector, render. htmx requests get the editor's partial."""

from __future__ import annotations

import functools
import json

from django.contrib import messages
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from assistants import selectors, services
from assistants.editors import describe
from assistants.editors.forms.voice.preview import PREVIEW_NEEDS_VOICE, VoicePreviewForm
from assistants.editors.groups import GROUPS, FieldGroup, get_group
from assistants.editors.previews import voice_preview_get
from assistants.editors.services import GroupConflict, assistant_update_group
from assistants.models import Assistant
from assistants.revox import (
    AUTH_NOTHING_SAVED_MESSAGE,
    RevoxAuthError,
    RevoxError,
    RevoxNotFound,
    RevoxTimeout,
    RevoxValidationError,
)
from assistants.selectors import assistant_get_or_404
from assistants.snapshot import group_fingerprint, mask_secrets
from assistants.team.roles import can_edit, viewer_required

PREVIEW_REFUSED = "Revox couldn't make this preview: {reason}."


PREVIEW_TIMEOUT = "Revox took too long to make the preview. Try again in a moment."


PREVIEW_UNKNOWN_VOICE = "Revox doesn't know this voice for this provider. Check the voice id."


PREVIEW_FIELDS = {"voiceId": "the voice", "provider": "the provider", "speed": "the speed",
                  "volume": "the volume", "model": "the model", "text": "the text"}  # fmt: skip


@functools.cache
def _editor_assets() -> tuple[dict[str, str | None], ...]:
    """Every group's own script and stylesheet (static/js/editors/<slug>.js,
    css/editors/<slug>.css), when it has them: each editor page loads them all, so that
    switching editors in place finds them there."""
    assets = []
    for slug in GROUPS:
        script, style = f"js/editors/{slug}.js", f"css/editors/{slug}.css"
        assets.append({"script": script if finders.find(script) else None,
                       "style": style if finders.find(style) else None})  # fmt: skip
    return tuple(assets)


def _editor_context(request: HttpRequest, group: FieldGroup, assistant: Assistant | dict, form,
                    **extra) -> dict:  # fmt: skip
    data = assistant if isinstance(assistant, dict) else assistant.data
    return {
        "group": group,
        "groups": GROUPS.values(),
        "assistant": data,
        "revox_id": data["id"],
        "form": form,
        "fields_template": f"editors/{group.slug}.html",
        "editor_assets": _editor_assets(),
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


def _fresh_form(group: FieldGroup, data: dict):
    initial = group.form_class.initial_from(data)
    initial["fingerprint"] = group_fingerprint(group.values(data))
    return group.form_class(initial=initial, assistant=data)


def _conflict_rows(group: FieldGroup, theirs: dict, mine: dict) -> list[dict]:
    theirs, mine = mask_secrets(theirs), mask_secrets(mine)
    return [
        {"field": name, "theirs": theirs.get(name), "mine": mine[name]}
        for name in group.fields
        if name in mine and mine[name] != theirs.get(name)
    ]


def _preview_failure(err: RevoxError) -> str:
    """Why a voice preview failed, in words that say what to do."""
    if isinstance(err, RevoxValidationError):
        reasons = [
            f"{PREVIEW_FIELDS.get(path, path)} {' '.join(messages)}"
            for path, messages in err.field_errors.items()
        ] + err.non_field_errors  # fmt: skip
        return PREVIEW_REFUSED.format(reason="; ".join(reasons) or "it refused the request")
    if isinstance(err, RevoxTimeout):
        return PREVIEW_TIMEOUT
    if isinstance(err, RevoxNotFound):
        return PREVIEW_UNKNOWN_VOICE
    return str(err)


def _editor_listen(
    request: HttpRequest, group: FieldGroup, cached: Assistant, form
) -> HttpResponse:
    """ "Listen" (the voice editor's, and the general editor's beside the first sentence): the
    voice as the form sets it, played on the page shown again; nothing is saved. The preview is
    fetched here, so a failure is said next to the button, and the player then reads it from
    the cache."""
    params = form.preview_params() if form.is_valid() else None
    if form.is_valid() and params is None:
        form.preview_error = PREVIEW_NEEDS_VOICE
    elif params:
        try:
            voice_preview_get(**params)
        except RevoxError as err:
            form.preview_error = _preview_failure(err)
        else:
            form.preview = params
    return _render_editor(request, _editor_context(request, group, cached, form))


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
        return JsonResponse({"error": _preview_failure(err)}, status=502)
    response = HttpResponse(preview.audio, content_type=preview.content_type)
    # The same query always sounds the same: the browser may keep it (for this user only).
    response["Cache-Control"] = "private, max-age=86400"
    return response


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
@viewer_required
def assistant_edit(request: HttpRequest, revox_id: str, group_slug: str) -> HttpResponse:
    group = get_group(group_slug)
    if group is None or group.form_class is None:
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
        form = _fresh_form(group, cached.data)
        form.disable()
        context = _editor_context(
            request, group, cached, form, offline=True, offline_error=str(err)
        )
        return _render_editor(request, context)
    form = _fresh_form(group, data)
    if not can_edit(request.user):
        form.disable()
    return _render_editor(request, _editor_context(request, group, data, form))


def _editor_save(request: HttpRequest, revox_id: str, group: FieldGroup) -> HttpResponse:
    if not can_edit(request.user):
        raise PermissionDenied
    cached = assistant_get_or_404(revox_id)
    form = group.form_class(request.POST, assistant=cached.data)
    if getattr(form, "preview_requested", False):
        return _editor_listen(request, group, cached, form)
    if not form.is_valid():
        return _render_editor(request, _editor_context(request, group, cached, form), status=200)
    try:
        result = assistant_update_group(
            user=request.user,
            revox_id=revox_id,
            group=group,
            build_patch=form.to_patch,
            fingerprint=form.cleaned_data.get("fingerprint") or "",
            merge=getattr(form, "merge", None),
        )
    except GroupConflict as conflict:
        # Nothing was written. Keep what the user typed, but carry the fingerprint of the
        # version they have now seen: submitting again ("Keep mine") overwrites exactly that.
        theirs = group.values(conflict.current)
        data = request.POST.copy()
        data["fingerprint"] = group_fingerprint(theirs)
        form = group.form_class(data, assistant=conflict.current)
        form.is_valid()
        rows = _conflict_rows(group, theirs, form.to_patch(conflict.current))
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
    except RevoxError as err:
        form.add_error(None, str(err))
    else:
        notice = describe.unpatched_calls(result.unpatched_calls)
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
            _fresh_form(group, result.assistant),
            just_saved=result.changed,
            unpatched_notice=notice,
        )
        response = _render_editor(request, context)
        response["HX-Trigger-After-Settle"] = "revox:saved"
        if group.slug == "faq":  # the navigation's count of answers to review may have moved
            response["HX-Trigger"] = json.dumps(
                {"faq:total": {"pending": selectors.total_pending_faq()}}
            )
        return response
    return _render_editor(request, _editor_context(request, group, cached, form), status=200)
