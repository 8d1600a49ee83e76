"""Assistant pages (the list, the overview, create, clone, delete) and /health/. Thin: parse,
call one selector or service, render.

htmx requests get the named partial of the same template; plain requests get the whole page.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from assistants import selectors, services, snapshot
from assistants.cache.health import health_check
from assistants.cache.selectors import cache_facts
from assistants.cache.services import (
    RefreshTooSoon,
    cache_fill_if_never_filled,
    cache_forget,
    cache_refresh_asked,
    cache_refresh_if_stale,
)
from assistants.editors.groups import GROUPS
from assistants.forms import (
    REVOX_CREATE_FIELD_MAP,
    AssistantCreateForm,
    AssistantDeleteForm,
    apply_revox_errors,
)
from assistants.list_rows import list_rows
from assistants.redirects import safe_next
from assistants.revox import (
    AUTH_NOTHING_SAVED_MESSAGE,
    RevoxAuthError,
    RevoxError,
    RevoxNotFound,
    RevoxValidationError,
)
from assistants.selectors import assistant_get_or_404
from assistants.snapshot import isolated
from assistants.team.roles import admin_required, can_edit, viewer_required

PAGE_SIZE = 50
LIST_FILTERS = ("q", "provider", "llm", "kind", "pending", "sort")


def _list_context(request: HttpRequest) -> dict:
    # A background refresh POSTs the list's filters so it can answer with the same page.
    source = request.POST if request.method == "POST" else request.GET
    params = {key: source.get(key, "").strip() for key in LIST_FILTERS}
    sort = params["sort"] if params["sort"].lstrip("-") in selectors.SORTS else "name"
    queryset = selectors.assistant_list(
        query=params["q"],
        provider=params["provider"],
        llm_kind=params["llm"],
        assistant_type=params["kind"],
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
        "rows": list_rows(page, selectable=can_edit(request.user)),
        "can_change": can_edit(request.user),
        "params": params,
        "sort": sort,
        "filtered": any(params[k] for k in ("q", "provider", "llm", "kind", "pending")),
        "query_without_sort": urlencode(kept),
        "query_without_page": urlencode({**kept, **({"sort": sort} if sort != "name" else {})}),
        # Callables: only the whole page's filter bar runs their queries, never a results swap.
        "voice_choices": selectors.voice_choices,
        "llm_choices": selectors.llm_model_choices,
        "kind_choices": selectors.ASSISTANT_TYPE_CHOICES,
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
    workers; the Refresh button does unless someone refreshed seconds ago.
    """
    try:
        if request.POST.get("when") == "stale":
            result = cache_refresh_if_stale()
        else:
            result = cache_refresh_asked()
    except RefreshTooSoon as err:
        messages.info(request, str(err))
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
    return redirect(
        safe_next(request, request.POST.get("next"), default=reverse("assistants:list"))
    )


@require_GET
@viewer_required
def assistant_detail(request: HttpRequest, revox_id: str) -> HttpResponse:
    assistant = assistant_get_or_404(revox_id)
    data = assistant.data
    cards = [group.card(data, voice_name=assistant.voice_name) for group in GROUPS.values()]
    created_by = data.get("created_by") if isinstance(data.get("created_by"), dict) else {}
    return render(
        request,
        "assistants/detail.html",
        {
            "assistant": assistant,
            "cards": cards,
            "created_by": created_by,
            "flow_steps": snapshot.prompt_flow_steps(data),
            "faq_pending": [i for i in data.get("faq_items") or [] if isinstance(i, dict)
                            and i.get("needs_human_answer") is True][:5],
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
            form.add_error(None, AUTH_NOTHING_SAVED_MESSAGE)
        except RevoxValidationError as err:
            apply_revox_errors(
                form, err.field_errors, err.non_field_errors, field_map=REVOX_CREATE_FIELD_MAP
            )
        except RevoxError as err:
            form.add_error(None, str(err))
        else:
            messages.success(request, f"“{isolated(assistant.name)}” was created.")
            return redirect("assistants:detail", revox_id=assistant.revox_id)
    return render(request, "assistants/create.html", {"form": form})


@require_http_methods(["GET", "POST"])
@admin_required
def assistant_clone(request: HttpRequest, revox_id: str) -> HttpResponse:
    assistant = assistant_get_or_404(revox_id)
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
            messages.success(
                request, f"“{isolated(assistant.name)}” was cloned as “{isolated(copy.name)}”."
            )
            return redirect("assistants:detail", revox_id=copy.revox_id)
    return render(request, "assistants/clone.html", {"assistant": assistant, "error": error})


@require_http_methods(["GET", "POST"])
@admin_required
def assistant_delete(request: HttpRequest, revox_id: str) -> HttpResponse:
    assistant = assistant_get_or_404(revox_id)
    form = AssistantDeleteForm(request.POST or None, expected_name=assistant.name)
    if request.method == "POST" and form.is_valid():
        try:
            services.assistant_delete(user=request.user, revox_id=revox_id)
        except RevoxAuthError:
            raise
        except RevoxError as err:
            form.add_error(None, str(err))
        else:
            messages.success(request, f"“{isolated(assistant.name)}” was deleted.")
            return redirect("assistants:list")
    return render(request, "assistants/delete.html", {"assistant": assistant, "form": form})


# -- field-group editors ------------------------------------------------------------------------


@login_not_required
@never_cache
@vary_on_headers("Accept")
@require_GET
def health(request: HttpRequest) -> HttpResponse:
    """Revox reachability, key validity and cache age. JSON for monitors (anything that does
    not prefer HTML); a page for people whose browser asks for HTML. Same status either way
    (503 when degraded); reveals no secret."""
    report = health_check()
    if request.get_preferred_type(["application/json", "text/html"]) == "text/html":
        return render(
            request, "assistants/health.html", {"health": report}, status=report.status_code
        )
    return JsonResponse(report.as_json(), status=report.status_code)
