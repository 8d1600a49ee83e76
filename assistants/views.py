"""Assistant pages. Thin: parse, call one selector or service, render.

htmx requests get the named partial of the same template; plain requests get the whole page.
"""

from __future__ import annotations

import functools
import json

from django.contrib import messages
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from assistants import describe, selectors, services, voice_services
from assistants.cache.selectors import cache_facts
from assistants.cache.services import (
    assistants_sync,
    cache_fill_if_never_filled,
    cache_forget,
    cache_refresh_if_stale,
)
from assistants.forms.lifecycle import (
    REVOX_CREATE_FIELD_MAP,
    AssistantCreateForm,
    AssistantDeleteForm,
    apply_revox_errors,
)
from assistants.forms.voice import VoicePreviewForm
from assistants.groups import GROUPS, FieldGroup, get_group
from assistants.list_rows import list_rows
from assistants.models import Assistant
from assistants.revox import (
    RevoxAuthError,
    RevoxError,
    RevoxNotFound,
    RevoxTimeout,
    RevoxValidationError,
)
from assistants.roles import admin_required, can_edit, viewer_required
from assistants.snapshot import group_fingerprint, mask_secrets

PAGE_SIZE = 50
LIST_FILTERS = ("q", "provider", "llm", "pending", "sort")

PREVIEW_REFUSED = "Revox couldn't make this preview: {reason}."
PREVIEW_TIMEOUT = "Revox took too long to make the preview. Try again in a moment."
PREVIEW_UNKNOWN_VOICE = "Revox doesn't know this voice for this provider. Check the voice id."
PREVIEW_FIELDS = {"voiceId": "the voice", "provider": "the provider", "speed": "the speed",
                  "volume": "the volume", "model": "the model", "text": "the text"}  # fmt: skip


def _cached_or_404(revox_id: str) -> Assistant:
    assistant = selectors.assistant_get(revox_id=revox_id)
    if assistant is None:
        raise Http404("No such assistant")
    return assistant


def _list_context(request: HttpRequest) -> dict:
    # A background refresh POSTs the list's filters so it can answer with the same page.
    source = request.POST if request.method == "POST" else request.GET
    params = {key: source.get(key, "").strip() for key in LIST_FILTERS}
    sort = params["sort"] if params["sort"].lstrip("-") in selectors.SORTS else "name"
    queryset = selectors.assistant_list(
        query=params["q"],
        provider=params["provider"],
        llm_kind=params["llm"],
        pending=params["pending"] == "1",
        sort=sort,
    )
    if params["q"]:
        page = selectors.assistant_search_page(
            queryset, number=source.get("page"), per_page=PAGE_SIZE
        )
    else:
        page = Paginator(queryset, PAGE_SIZE).get_page(source.get("page"))
    kept = {k: v for k, v in params.items() if v and k != "sort"}
    return {
        "page": page,
        "rows": list_rows(page),
        "params": params,
        "sort": sort,
        "filtered": any(params[k] for k in ("q", "provider", "llm", "pending")),
        "query_without_sort": urlencode(kept),
        "query_without_page": urlencode({**kept, **({"sort": sort} if sort != "name" else {})}),
        "provider_choices": selectors.PROVIDER_CHOICES,
        "llm_choices": selectors.LLM_KIND_CHOICES,
        "llm_kinds": selectors.LLM_KIND_LEGEND,
        **cache_facts(),
    }


@require_GET
@vary_on_headers("HX-Request")
@viewer_required
def assistant_list(request: HttpRequest) -> HttpResponse:
    cache_fill_if_never_filled()  # never an empty list for a cache never loaded
    context = _list_context(request)
    if request.htmx and request.htmx.target == "assistant-results":
        return render(request, "assistants/list.html#results", context)
    return render(request, "assistants/list.html", context)


@require_POST
@viewer_required
def assistants_refresh(request: HttpRequest) -> HttpResponse:
    """Bring the cache up to date with Revox, then show the list again.

    Viewers may ask too: it changes nothing in Revox, only how fresh their copy is. The pages'
    own background refresh (`when=stale`) syncs only if the cache is still stale, once across
    workers; the Refresh button always does.
    """
    try:
        if request.POST.get("when") == "stale":
            result = cache_refresh_if_stale()
        else:
            result = assistants_sync()
    except RevoxAuthError:
        raise
    except RevoxError as err:
        messages.error(request, f"Could not refresh from Revox: {err}")
    else:
        if result and (not request.htmx or request.POST.get("announce")):
            messages.success(request, f"Up to date with Revox: {result}.")
    if request.htmx:
        context = _list_context(request)
        return render(request, "assistants/list.html#refreshed", context)
    return redirect(request.POST.get("next") or reverse("assistants:list"))


@require_GET
@viewer_required
def assistant_detail(request: HttpRequest, revox_id: str) -> HttpResponse:
    assistant = _cached_or_404(revox_id)
    data = assistant.data
    cards = []
    for group in GROUPS.values():
        if group.slug == "voice":
            rows = group.describe(data, assistant.voice_name)
        else:
            rows = group.describe(data)
        week = describe.retry_week(data.get("call_retry_config")) if group.slug == "retry" else None
        cards.append({"group": group, "rows": rows, "week": week})
    created_by = data.get("created_by") if isinstance(data.get("created_by"), dict) else {}
    return render(
        request,
        "assistants/detail.html",
        {
            "assistant": assistant,
            "cards": cards,
            "created_by": created_by,
            "faq_pending": [i for i in data.get("faq_items") or [] if isinstance(i, dict)
                            and i.get("needs_human_answer") is True][:5],
            "retry_summary": describe.retry_summary(data.get("call_retry_config")),
        },
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@admin_required
def assistant_create(request: HttpRequest) -> HttpResponse:
    form = AssistantCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            assistant = services.assistant_create(user=request.user, params=form.to_params())
        except RevoxAuthError:
            raise
        except RevoxValidationError as err:
            apply_revox_errors(
                form, err.field_errors, err.non_field_errors, field_map=REVOX_CREATE_FIELD_MAP
            )
        except RevoxError as err:
            form.add_error(None, str(err))
        else:
            messages.success(request, f"“{assistant.name}” was created.")
            return redirect("assistants:detail", revox_id=assistant.revox_id)
    return render(request, "assistants/create.html", {"form": form})


@require_http_methods(["GET", "POST"])
@admin_required
def assistant_clone(request: HttpRequest, revox_id: str) -> HttpResponse:
    assistant = _cached_or_404(revox_id)
    error = None
    if request.method == "POST":
        try:
            copy = services.assistant_clone(user=request.user, revox_id=revox_id)
        except RevoxNotFound as err:
            cache_forget(revox_id, deleted_elsewhere=True)
            messages.error(request, str(err))
            return redirect("assistants:list")
        except RevoxAuthError:
            raise
        except RevoxError as err:
            error = str(err)
        else:
            messages.success(request, f"“{assistant.name}” was cloned as “{copy.name}”.")
            return redirect("assistants:detail", revox_id=copy.revox_id)
    return render(request, "assistants/clone.html", {"assistant": assistant, "error": error})


@require_http_methods(["GET", "POST"])
@admin_required
def assistant_delete(request: HttpRequest, revox_id: str) -> HttpResponse:
    assistant = _cached_or_404(revox_id)
    form = AssistantDeleteForm(request.POST or None, expected_name=assistant.name)
    if request.method == "POST" and form.is_valid():
        try:
            services.assistant_delete(user=request.user, revox_id=revox_id)
        except RevoxAuthError:
            raise
        except RevoxError as err:
            form.add_error(None, str(err))
        else:
            messages.success(request, f"“{assistant.name}” was deleted.")
            return redirect("assistants:list")
    return render(request, "assistants/delete.html", {"assistant": assistant, "form": form})


# -- field-group editors ------------------------------------------------------------------------


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
        "fields_template": f"assistants/editors/{group.slug}.html",
        "editor_assets": _editor_assets(),
        "read_only": extra.get("offline") or not can_edit(request.user),
        **extra,
    }


def _render_editor(request: HttpRequest, context: dict, status: int = 200) -> HttpResponse:
    # The editor's tabs swap the page in place (#editor-page), a save only the form (#editor);
    # Back to a page opened in place (an htmx history restore) and plain requests get it all.
    if not request.htmx or request.htmx.history_restore_request:
        template = "assistants/editor.html"
    elif request.htmx.target == "editor-page":
        template = "assistants/editor.html#page"
    else:
        template = "assistants/editor.html#editor"
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
    """ "Listen" without JavaScript: the voice as the form sets it, played on the page shown
    again; nothing is saved. The preview is fetched here, so a failure is said next to the
    button, and the player then reads it from the cache."""
    if form.is_valid():
        params = form.preview_params()
        try:
            voice_services.voice_preview(**params)
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
        preview = voice_services.voice_preview(**form.cleaned_data)
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
        cached = _cached_or_404(revox_id)
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
    cached = _cached_or_404(revox_id)
    form = group.form_class(request.POST, assistant=cached.data)
    if getattr(form, "preview_requested", False):
        return _editor_listen(request, group, cached, form)
    if not form.is_valid():
        return _render_editor(request, _editor_context(request, group, cached, form), status=200)
    try:
        result = services.assistant_update_group(
            user=request.user,
            revox_id=revox_id,
            group=group,
            build_patch=form.to_patch,
            fingerprint=form.cleaned_data.get("fingerprint") or "",
            merge=getattr(form, "merge", None),
        )
    except services.GroupConflict as conflict:
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
        raise
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
            messages.success(request, f"{group.title} saved to Revox.")
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
