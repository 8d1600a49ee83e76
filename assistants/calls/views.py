"""Test call pages: the form (a panel on the overview and every editor, and a page of its own
without JavaScript), placing a call, the call live and after (/calls/<id>/), cancel, and the
recording relayed from Revox. Thin: parse, call one service or selector, render."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from assistants import services as assistant_services
from assistants.cache.selectors import voice_names
from assistants.calls import selectors
from assistants.calls.chart import buckets_table, chart_svg
from assistants.calls.forms import CallFilterForm, TestCallForm, prompt_variables
from assistants.calls.inline import inline_configuration
from assistants.calls.models import TestCall
from assistants.calls.outcomes import assistant_outcomes
from assistants.calls.present import call_row, call_view
from assistants.calls.selectors import CallFilters
from assistants.calls.services import (
    AlreadySent,
    TestCallRefused,
    call_record_refresh,
    recorded_call_recording,
    test_call_cancel,
    test_call_place,
    test_call_recording,
    test_call_refresh,
)
from assistants.editors.groups import GROUPS, get_group
from assistants.history.diff import diff_entry, plain_changes
from assistants.history_entries import external_changes
from assistants.phones import phone_display, phone_masked
from assistants.revox import (
    RevoxAuthError,
    RevoxError,
    RevoxNotFound,
    RevoxUnavailable,
    RevoxValidationError,
)
from assistants.selectors import assistant_get, assistant_get_or_404
from assistants.snapshot import isolated
from assistants.team.roles import can_edit, editor_required, viewer_required

FIX_CHANGES_FIRST = (
    "Nothing was placed: the changes don't pass their own checks yet. Fix these first:"
)
REFUSED = "Revox refused the call, so nothing was placed."
CANCELLED = "The call was cancelled."
NOT_CANCELLED = "Revox didn't cancel the call: it had already ended."
STILL_PLACING = (
    "This form was already sent and its call is still being placed. It will show here in a "
    "moment: reload the page."
)
# How long a second submission of a form waits for the first one's call to be placed.
ALREADY_SENT_WAIT = 0.25


# -- the form -------------------------------------------------------------------------------


def _panel_context(
    request: HttpRequest, data: dict[str, Any], form: TestCallForm, *, group_slug: str = "",
    problems: list[str] | None = None, standalone: bool = False,
) -> dict[str, Any]:  # fmt: skip
    """What the test call form shows. On an editor (`group_slug`), its fields belong to the
    editor's form, so that "Try these changes" sends the changes with them."""
    group = GROUPS.get(group_slug) if group_slug else None
    if group is not None and not standalone:
        form.attach_to("group-form")
    carried = []
    if standalone and group is not None:
        # Without JavaScript the page of its own carries the editor's fields, so that sending it
        # again still tries the same changes.
        carried = [
            (name, value)
            for name, values in request.POST.lists()
            if not name.startswith("call-") and name != "csrfmiddlewaretoken"
            for value in values
        ]
    return {
        "revox_id": data["id"],
        "assistant_name": data.get("name") or data["id"],
        "form": form,
        "group": group,
        "problems": problems or [],
        "standalone": standalone,
        "carried": carried,
        "limit": settings.TEST_CALLS_PER_HOUR,
    }


def _render_form(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    """The form again, as typed, with what went wrong (a 200, as the editors answer a form
    with errors)."""
    if request.htmx and not context["standalone"]:
        response = render(request, "calls/new.html#panel", context)
        # Sent by the editor's form: the answer replaces the panel, not the editor.
        response["HX-Retarget"] = "#test-call"
        response["HX-Reswap"] = "outerHTML"
        return response
    return render(request, "calls/new.html", context)


def _group_form_problems(form: Any) -> list[str]:
    """The editor form's errors as sentences, for the panel (the editor is not re-drawn)."""
    problems = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = str(field.label) if field is not None and field.label else ""
        problems += [f"{label}: {error}" if label else str(error) for error in errors]
    for formset in form.formsets.values():
        if not formset.is_bound:
            continue
        problems += [str(error) for error in formset.non_form_errors()]
        for index, row in enumerate(formset.forms, start=1):
            for name, errors in row.errors.items():
                field = row.fields.get(name)
                label = str(field.label) if field is not None and field.label else name
                problems += [f"Row {index}, {label.lower()}: {error}" for error in errors]
    return problems


def _page_or_part(request: HttpRequest, page: str, part: str, context: dict) -> HttpResponse:
    """The whole page, or only `part` of it when htmx swaps it in (not when it restores history,
    which wants the page)."""
    wants_part = request.htmx and not request.htmx.history_restore_request
    return render(request, part if wants_part else page, context)


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
@editor_required
def test_call_new(request: HttpRequest, revox_id: str) -> HttpResponse:
    cached = assistant_get_or_404(revox_id)
    data = cached.data
    group_slug = (request.POST.get("call-group") or request.GET.get("group") or "").strip()
    group = get_group(group_slug)
    if group is None:
        group_slug, group = "", None
    variables = prompt_variables(data)
    if request.method == "GET":
        form = TestCallForm.fresh(
            variables=variables, number=selectors.last_number(user=request.user)
        )
        standalone = not request.htmx
        return _render_form(request, _panel_context(request, data, form, group_slug=group_slug,
                                                    standalone=standalone))  # fmt: skip

    standalone = request.POST.get("call-standalone") == "1" or not request.htmx
    form = TestCallForm(request.POST, variables=variables)
    try_changes = group is not None and request.POST.get("call-try") == "changes"
    problems: list[str] = []
    group_form = None
    if try_changes:
        group_form = group.bound_form(request.POST, assistant=data)
        if not group_form.is_valid():
            problems = [FIX_CHANGES_FIRST, *_group_form_problems(group_form)]
    if not form.is_valid() or problems:
        context = _panel_context(request, data, form, group_slug=group_slug, problems=problems,
                                 standalone=standalone)  # fmt: skip
        return _render_form(request, context)

    try:
        inline = None
        saved = data
        if try_changes:
            # The changes go on the assistant as Revox holds it now, not on an older copy.
            saved = assistant_services.assistant_fetch(revox_id=revox_id)
            inline = inline_configuration(group=group, form=group_form, saved=saved)
        test_call = test_call_place(
            user=request.user, assistant=saved, request=form.call_request(), inline=inline
        )
    except AlreadySent as sent:
        return _already_sent(request, sent.test_call, form, data, group_slug, standalone)
    except TestCallRefused as refused:
        if _retry_is_safe(refused):
            form = form.with_new_token()
        problems = [refused.message]
        if isinstance(refused.error, RevoxValidationError):
            rest = form.apply_revox_errors(refused.error.field_errors)
            problems = [REFUSED, *rest, *refused.error.non_field_errors]
        context = _panel_context(request, data, form, group_slug=group_slug, problems=problems,
                                 standalone=standalone)  # fmt: skip
        return _render_form(request, context)
    except RevoxNotFound as err:
        messages.error(request, str(err))
        return redirect("assistants:list")
    except RevoxAuthError:
        raise
    except RevoxError as err:  # the fresh read before trying changes
        context = _panel_context(request, data, form, group_slug=group_slug,
                                 problems=[str(err)], standalone=standalone)  # fmt: skip
        return _render_form(request, context)
    return _placed(request, test_call)


def _retry_is_safe(refused: TestCallRefused) -> bool:
    """Whether a new try may get a new token: yes when Revox surely placed nothing. After a
    timeout the same token stays, so sending the form again places nothing more."""
    err = refused.error
    return not (isinstance(err, RevoxUnavailable) and err.status is None and err.request_sent)


def _already_sent(
    request: HttpRequest, test_call: TestCall, form: TestCallForm, data: dict[str, Any],
    group_slug: str, standalone: bool,
) -> HttpResponse:  # fmt: skip
    """A second submission of a form: show the first one's call (once it is placed)."""
    waited = 0.0
    limit = settings.REVOX_CONNECT_TIMEOUT + settings.REVOX_READ_TIMEOUT
    while test_call.state == TestCall.State.PLACING and waited < limit:
        time.sleep(ALREADY_SENT_WAIT)
        waited += ALREADY_SENT_WAIT
        test_call.refresh_from_db()
    if test_call.revox_call_id:
        return _placed(request, test_call)
    message = STILL_PLACING if test_call.state == TestCall.State.PLACING else test_call.error
    if test_call.state == TestCall.State.REFUSED:
        # That form's call was refused, so nothing was placed: a new try is a new call.
        form = form.with_new_token()
    context = _panel_context(request, data, form, group_slug=group_slug,
                             problems=[message], standalone=standalone)  # fmt: skip
    return _render_form(request, context)


def _placed(request: HttpRequest, test_call: TestCall) -> HttpResponse:
    if request.htmx and request.POST.get("call-standalone") != "1":
        context = _call_context(request, test_call, panel=True)
        response = render(request, "calls/call.html#panel", context)
        response["HX-Retarget"] = "#test-call"
        response["HX-Reswap"] = "outerHTML"
        return response
    return redirect("calls:detail", call_id=test_call.revox_call_id)


# -- the call -------------------------------------------------------------------------------


def _number_for(request: HttpRequest, test_call: TestCall) -> str:
    """The full number for the person who placed the call; masked for everyone else."""
    if test_call.user_id is not None and test_call.user_id == request.user.pk:
        return phone_display(test_call.phone_number)
    return phone_masked(test_call.phone_number)


def _call_context(request: HttpRequest, test_call: TestCall, *, panel: bool = False,
                  refresh_error: str = "") -> dict[str, Any]:  # fmt: skip
    cached = assistant_get(revox_id=test_call.assistant_revox_id)
    fallback = (cached.data if cached else {}).get("structured_output_config")
    view = call_view(test_call.call, fallback_config=fallback)
    group = GROUPS.get(test_call.group)
    return {
        "test_call": test_call,
        "call_id": test_call.revox_call_id,
        "dom_id": test_call.pk,
        "call": view,
        "number": _number_for(request, test_call),
        "group": group,
        "plain": plain_changes(
            test_call.group,
            test_call.before,
            test_call.after,
            voice_names=voice_names() if test_call.group == "voice" else None,
        )
        if group
        else [],
        "diffs": diff_entry(test_call.before, test_call.after) if group else [],
        "can_cancel": can_edit(request.user) and view["live"],
        "panel": panel,
        "refresh_error": refresh_error,
        "poll_seconds": 2,
    }


T = TypeVar("T")


def _revox_or_last(ask: Callable[[], T], last: T) -> tuple[T, str]:
    """What `ask` gets from Revox and no error; or, when Revox is down or slow, `last` (what it
    said last, which the page shows) and the error in words for the page to say so. A refused
    key is not that: it goes on up."""
    try:
        return ask(), ""
    except RevoxAuthError:
        raise
    except RevoxError as err:
        return last, str(err)


@require_GET
@vary_on_headers("HX-Request")
@viewer_required
def call_detail(request: HttpRequest, call_id: str) -> HttpResponse:
    test_call = selectors.test_call_by_call_id(call_id=call_id)
    if test_call is None:
        record = selectors.call_record_get(call_id=call_id)
        if record is None:
            raise Http404("No such call")
        refresh_error = ""
        if not record.final:
            # Still going: its page follows it, as a test call's does (one GET /call/{id}).
            record, refresh_error = _revox_or_last(
                lambda: call_record_refresh(record=record), record
            )
        context = {**_record_context(record), "refresh_error": refresh_error}
        return _page_or_part(request, "calls/recorded.html", "calls/call.html#live", context)
    test_call, refresh_error = _revox_or_last(
        lambda: test_call_refresh(test_call=test_call), test_call
    )
    panel = request.GET.get("panel") == "1"
    context = _call_context(request, test_call, panel=panel, refresh_error=refresh_error)
    return _page_or_part(request, "calls/call.html", "calls/call.html#live", context)


@require_POST
@editor_required
def call_cancel(request: HttpRequest, call_id: str) -> HttpResponse:
    test_call = selectors.test_call_get(call_id=call_id)
    cancelled, refresh_error = _revox_or_last(lambda: test_call_cancel(test_call=test_call), None)
    if not refresh_error:
        if cancelled:
            messages.success(request, CANCELLED)
        else:
            messages.info(request, NOT_CANCELLED)
    if request.htmx:
        panel = request.POST.get("panel") == "1"
        context = _call_context(request, test_call, panel=panel, refresh_error=refresh_error)
        return render(request, "calls/call.html#live", context)
    if refresh_error:
        messages.error(request, refresh_error)
    return redirect("calls:detail", call_id=call_id)


@require_GET
@viewer_required
def call_recording(request: HttpRequest, call_id: str) -> HttpResponse:
    """The recording, relayed from Revox: the page never links to Revox (nor shows its key)."""
    test_call = selectors.test_call_by_call_id(call_id=call_id)
    record = selectors.call_record_get(call_id=call_id) if test_call is None else None
    if test_call is None and record is None:
        raise Http404("No such call")
    try:
        if test_call is not None:
            recording = test_call_recording(test_call=test_call)
        else:
            recording = recorded_call_recording(record=record)
    except LookupError as err:
        raise Http404(str(err)) from err
    except RevoxError as err:
        return HttpResponse(str(err), status=502, content_type="text/plain; charset=utf-8")
    response = HttpResponse(recording.audio, content_type=recording.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    return response


CHART_DESCRIPTION = (
    "Bars: calls by outcome. Dashed lines: where a new version began. Step line: the share of "
    "answered calls that ended interested or completed (right axis). The same numbers are in "
    "the tables below."
)


# -- the call record: every call, an assistant's calls, outcomes per change --------------------


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    return max(1, min(int(raw), 100_000)) if raw.isdigit() else 1


def _list_context(request: HttpRequest, *, assistant: str = "") -> dict[str, Any]:
    form = CallFilterForm(request.GET or None)
    filters = (
        form.filters(assistant=assistant) if form.is_bound else CallFilters(assistant=assistant)
    )
    page = selectors.call_list(filters=filters, page=_page_number(request))
    return {
        "form": form,
        "page": page,
        "rows": [call_row(call) for call in page.calls],
        "filtered": filters != CallFilters(assistant=assistant),
        "query_without_page": _query_without_page(request),
        "state": selectors.call_record_state(),
    }


@require_GET
@vary_on_headers("HX-Request")
@viewer_required
def call_list(request: HttpRequest) -> HttpResponse:
    context = _list_context(request)
    return _page_or_part(request, "calls/list.html", "calls/list.html#results", context)


@require_GET
@vary_on_headers("HX-Request")
@viewer_required
def assistant_calls(request: HttpRequest, revox_id: str) -> HttpResponse:
    cached = assistant_get_or_404(revox_id)
    context = {**_list_context(request, assistant=revox_id), "assistant": cached, "tab": "calls"}
    return _page_or_part(request, "calls/list.html", "calls/list.html#results", context)


@require_GET
@viewer_required
def assistant_outcomes_page(request: HttpRequest, revox_id: str) -> HttpResponse:
    cached = assistant_get_or_404(revox_id)
    outcomes = assistant_outcomes(revox_id=revox_id)
    days = outcomes.buckets[0]["days"] if outcomes.buckets else 1
    context = {
        "assistant": cached,
        "tab": "outcomes",
        "outcomes": outcomes,
        "chart_svg": chart_svg(
            outcomes.chart,
            title=f"Calls of {isolated(cached.name)} by outcome, {days} day{'s' if days > 1 else ''} a bar",
            description=CHART_DESCRIPTION,
        ),
        "buckets_table": buckets_table(outcomes.buckets, outcomes.outcome_keys),
        "state": selectors.call_record_state(),
    }
    return render(request, "calls/outcomes.html", context)


def _record_context(record: Any) -> dict[str, Any]:
    """A recorded call (not placed from here): the call, the configuration it ran with, and how
    that differs from the assistant as the dashboard knows it now."""
    ran_with = selectors.call_configuration(digest=record.config_digest) or {}
    cached = assistant_get(revox_id=record.assistant_revox_id)
    current = cached.data if cached else None
    call = {**record.data, "assistant": ran_with} if ran_with else record.data
    view = call_view(call, fallback_config=(current or {}).get("structured_output_config"))
    groups = []
    if ran_with and current:
        groups = [
            {
                "group": GROUPS.get(change.group),
                "summary": change.summary,
                "plain": plain_changes(change.group, change.before, change.after),
                "diffs": diff_entry(change.before, change.after),
            }
            for change in external_changes(ran_with, current)
        ]
    return {
        "record": record,
        "call": view,
        "call_id": record.revox_id,
        "dom_id": record.pk,
        "number": phone_masked(record.to_phone_number) if record.to_phone_number else "",
        "ran_with": ran_with,
        "current": current,
        "since_groups": groups,
        "can_cancel": False,
        "panel": False,
        "refresh_error": "",
        "poll_seconds": 5,
    }
