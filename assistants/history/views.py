"""History pages: an assistant's history, the team's activity feed, restore, recreate, export
and import. Thin: parse, call one selector or service, render.

Nothing here edits or deletes an entry: history is append-only.
"""

from __future__ import annotations

import json
import re
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assistants import selectors, services
from assistants.cache.selectors import voice_names
from assistants.dates import request_date_format
from assistants.editors.groups import GROUPS
from assistants.editors.services import GroupConflict, SaveLockTimeout
from assistants.editors.words import unpatched_calls
from assistants.history import selectors as history_selectors
from assistants.history import services as history_services
from assistants.history.diff import diff_entry, plain_changes
from assistants.history.forms import (
    ActivityFilterForm,
    ApiKeyForm,
    AssistantImportForm,
    RestoreForm,
)
from assistants.history_entries import faq_change_summary
from assistants.models import Change
from assistants.revox import RevoxError, RevoxNotFound, RevoxValidationError
from assistants.snapshot import mask_secrets, voice_name_of
from assistants.team.roles import admin_required, can_edit, editor_required, viewer_required

PAGE_SIZE = 50
KIND_ICONS = {
    Change.Kind.CREATE: "plus-circle",
    Change.Kind.UPDATE: "pencil",
    Change.Kind.FAQ_REVIEW: "inboxes",
    Change.Kind.CLONE: "copy",
    Change.Kind.DELETE: "trash3",
    Change.Kind.RESTORE: "arrow-counterclockwise",
    Change.Kind.IMPORT: "box-arrow-in-down",
    Change.Kind.EXTERNAL: "cloud-arrow-down",
    Change.Kind.TEST_CALL: "telephone-outbound",
}
OUTSIDE_ACTOR = "Outside the dashboard"
NOTHING_TO_RESTORE = "Nothing to restore: {group} is already like that."
RESTORED = "{group} restored."
REVOX_REFUSED = "Revox refused the restore: {errors}"


# -- presenting entries ----------------------------------------------------------------------


def _faq_summary(change: Change) -> str:
    """Entries of FAQ saves written before saves summed themselves up in words."""
    if change.group != "faq" or not isinstance(change.before, dict):
        return ""
    after = change.after if isinstance(change.after, dict) else {}
    return faq_change_summary(change.before.get("faq_items"), after.get("faq_items"))


def _present(changes: list[Change], *, current: dict[str, Any] | None = None,
             restorable: bool = False) -> list[dict[str, Any]]:  # fmt: skip
    """Entries as the templates show them. `current`: the assistant as the cache holds it (the
    state restore buttons compare with, and whose fingerprint they carry)."""
    names = voice_names() if any(c.group == "voice" for c in changes) else {}
    entries = []
    for change in changes:
        group = GROUPS.get(change.group)
        entry = {
            "change": change,
            "who": change.actor_name
            or (OUTSIDE_ACTOR if change.kind == Change.Kind.EXTERNAL else "Someone"),
            "icon": KIND_ICONS.get(change.kind, "dot"),
            "group": group,
            "summary": change.summary or _faq_summary(change),
            "plain": plain_changes(change.group, change.before, change.after, voice_names=names),
            "diffs": diff_entry(change.before, change.after),
            "restore": [],
        }
        # A test call changed nothing: its values are the changes it tried, not a version.
        if (
            restorable
            and group is not None
            and current is not None
            and change.kind != Change.Kind.TEST_CALL
        ):
            now = mask_secrets(group.values(current))
            fingerprint = group.fingerprint(current)
            for side in ("before", "after"):
                values = getattr(change, side)
                if isinstance(values, dict):
                    entry["restore"].append({
                        "side": side,
                        "fingerprint": fingerprint,
                        "is_current": {k: now.get(k) for k in values} == values,
                    })  # fmt: skip
        entries.append(entry)
    return entries


def _page(request: HttpRequest, queryset) -> Any:
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


# -- an assistant's history ------------------------------------------------------------------


@require_GET
@viewer_required
def assistant_history(request: HttpRequest, revox_id: str) -> HttpResponse:
    cached = selectors.assistant_get(revox_id=revox_id)
    changes = history_selectors.change_list(revox_id=revox_id)
    page = _page(request, changes)
    if cached is None and not page.paginator.count:
        raise Http404("No such assistant")
    context: dict[str, Any] = {
        "revox_id": revox_id,
        "assistant": cached,
        "name": cached.name if cached else page[0].assistant_name,
        "page": page,
        "entries": _present(
            list(page), current=cached.data if cached else None, restorable=can_edit(request.user)
        ),
    }
    if cached is None:
        last = history_selectors.last_configuration(revox_id=revox_id)
        context["last"] = last
        context["last_cards"] = _cards(last.before) if last else []
        context["recreations"] = history_selectors.recreations(revox_id=revox_id)
        context["needs_api_key"] = history_services.needs_api_key(last.before if last else None)
    return render(request, "history/assistant_history.html", context)


def _cards(config: dict[str, Any]) -> list[dict[str, Any]]:
    """The last configuration of a deleted assistant, as the overview's cards describe it."""
    voice_name = voice_name_of(config, voice_names())
    return [
        {"group": group, "rows": group.describe(config, voice_name=voice_name)}
        for group in GROUPS.values()
    ]


@require_POST
@editor_required
def change_restore(request: HttpRequest, revox_id: str, change_id: int) -> HttpResponse:
    change = get_object_or_404(Change, pk=change_id, assistant_revox_id=revox_id)
    form = RestoreForm(request.POST)
    if not form.is_valid():
        return HttpResponse("Choose before or after.", status=400)
    side, group = form.cleaned_data["side"], GROUPS.get(change.group)
    history_url = reverse("assistants:history", args=[revox_id])
    try:
        result = history_services.change_restore(
            user=request.user, change=change, side=side,
            fingerprint=form.cleaned_data["fingerprint"],
        )  # fmt: skip
    except history_services.RestoreRefused as err:
        messages.error(request, str(err))
    except GroupConflict as conflict:
        # Nothing was written. Show what the group holds now against what the restore would put
        # back; "Restore anyway" carries the fingerprint of what the user has now seen.
        target = getattr(change, side)
        now = mask_secrets(group.values(conflict.current))
        context = {
            "revox_id": revox_id,
            "change": change,
            "group": group,
            "side": side,
            "name": conflict.current.get("name") or change.assistant_name,
            "fingerprint": group.fingerprint(conflict.current),
            "diffs": diff_entry(now, {k: target.get(k) for k in now if k in target}),
        }
        return render(request, "history/restore_conflict.html", context, status=409)
    except RevoxNotFound as err:
        messages.error(request, str(err))
    except RevoxValidationError as err:
        errors = "; ".join(f"{path}: {', '.join(msgs)}" for path, msgs in err.field_errors.items())
        messages.error(request, REVOX_REFUSED.format(errors=errors or str(err)))
    except (RevoxError, SaveLockTimeout) as err:
        messages.error(request, str(err))
    else:
        title = group.title if group else "The group"
        for message in result.refused:
            messages.warning(request, message)
        notice = unpatched_calls(result.unpatched_calls)
        if notice:
            messages.warning(
                request, f"{RESTORED.format(group=title)} {notice}", extra_tags="sticky"
            )
        elif result.changed:
            messages.success(request, RESTORED.format(group=title))
        elif not result.refused:
            messages.info(request, NOTHING_TO_RESTORE.format(group=title))
    return redirect(history_url)


# -- deleted assistants ----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@admin_required
def assistant_recreate(request: HttpRequest, revox_id: str) -> HttpResponse:
    if selectors.assistant_get(revox_id=revox_id) is not None:
        messages.info(request, "This assistant still exists: there is nothing to recreate.")
        return redirect("assistants:detail", revox_id=revox_id)
    last = history_selectors.last_configuration(revox_id=revox_id)
    if last is None:
        raise Http404("History holds no configuration of this assistant")
    form = ApiKeyForm(request.POST if request.method == "POST" else None)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            assistant, notices = history_services.assistant_recreate(
                user=request.user, revox_id=revox_id, api_key=form.cleaned_data["api_key"]
            )
        except RevoxValidationError as err:
            error = _revox_errors(err)
        except RevoxError as err:
            error = str(err)
        else:
            for notice in notices:
                messages.warning(request, notice)
            messages.success(request, f"“{assistant.name}” was recreated as a new assistant.")
            return redirect("assistants:detail", revox_id=assistant.revox_id)
    return render(request, "history/recreate.html", {
        "revox_id": revox_id, "last": last, "form": form, "error": error,
        "needs_api_key": history_services.needs_api_key(last.before),
        "faq_count": len(last.before.get("faq_items") or []),
    })  # fmt: skip


def _revox_errors(err: RevoxValidationError) -> str:
    parts = [f"{path}: {', '.join(msgs)}" for path, msgs in err.field_errors.items()]
    return "Revox refused it: " + ("; ".join(parts + err.non_field_errors) or str(err))


# -- the team's activity feed ---------------------------------------------------------------


@require_GET
@viewer_required
def activity(request: HttpRequest) -> HttpResponse:
    form = ActivityFilterForm(request.GET or None, date_format=request_date_format(request))
    if form.is_bound:
        form.is_valid()
    filters = form.filters()
    page = _page(request, history_selectors.change_feed(**filters))
    kept = {k: v for k, v in request.GET.items() if k != "page" and v}
    return render(request, "history/activity.html", {
        "form": form,
        "page": page,
        "entries": _present(list(page)),
        "filtered": bool(kept),
        "query_without_page": urlencode(kept),
    })  # fmt: skip


# -- export and import ----------------------------------------------------------------------


def _filename(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60] or "assistant"
    return f"{slug}-{timezone.localdate().isoformat()}.json"


@require_GET
@viewer_required
def assistant_export(request: HttpRequest, revox_id: str) -> HttpResponse:
    """The configuration as a JSON file: fresh from Revox when it answers, else the cached copy,
    else (a deleted assistant) the last configuration history holds."""
    data = None
    try:
        data = services.assistant_fetch(revox_id=revox_id)
    except RevoxNotFound:
        last = history_selectors.last_configuration(revox_id=revox_id)
        if last is not None:
            data = {"id": revox_id, **last.before}
    except RevoxError:
        cached = selectors.assistant_get(revox_id=revox_id)
        data = cached.data if cached else None
    if data is None:
        raise Http404("No such assistant")
    document = history_services.export_document(data)
    response = HttpResponse(
        json.dumps(document, indent=2, ensure_ascii=False) + "\n",
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{_filename(str(data.get("name") or ""))}"'
    )
    return response


@require_http_methods(["GET", "POST"])
@admin_required
def assistant_import(request: HttpRequest) -> HttpResponse:
    form = AssistantImportForm(
        request.POST if request.method == "POST" else None, request.FILES or None
    )
    if request.method == "POST" and form.is_valid():
        source = form.source
        origin = (
            f"“{source.get('name')}” ({source.get('assistant_id')})" if source.get("name") else ""
        )
        try:
            assistant, notices = history_services.assistant_import(
                user=request.user, config=form.cleaned_data["file"],
                api_key=form.cleaned_data["api_key"], source=origin or request.FILES["file"].name,
            )  # fmt: skip
        except RevoxValidationError as err:
            form.add_error(None, _revox_errors(err))
        except RevoxError as err:
            form.add_error(None, str(err))
        else:
            for notice in notices:
                messages.warning(request, notice)
            if form.dropped:
                messages.info(
                    request,
                    "Fields Revox sets itself were left out: " + ", ".join(form.dropped) + ".",
                )
            messages.success(request, f"“{assistant.name}” was imported.")
            return redirect("assistants:detail", revox_id=assistant.revox_id)
    return render(request, "history/import.html", {"form": form})
