"""Keeping the local call record in step with Revox: `calls_refresh` reads POST /call/search
newest first, page by page, and stops at calls it already knows and that are over; then it reads
again the calls still in progress. `call_store` keeps one call Revox just described (a test call
placed or followed).

Each page of calls is written in one short transaction after Revox answered it: a failure in the
middle keeps every page already written and writes nothing of the page it was reading. Where the
last complete refresh stopped (`CallSyncState.synced_through`) moves only when a refresh reads
all the way down, so one cut short is finished by the next.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from assistants import snapshot
from assistants.calls.models import Call, CallConfiguration, CallSyncState
from assistants.calls.record import CallColumns, call_columns, call_without_assistant
from assistants.revox import RevoxClient, RevoxError, get_client

logger = logging.getLogger(__name__)

PAGE_SIZE = 100  # the most Revox gives in one page
# A refresh reads at most this many pages (a first refresh of a large record is finished by the
# following ones: synced_through stays until one reads all the way down).
MAX_PAGES = 200


@dataclass
class CallsRefreshResult:
    new: int = 0
    updated: int = 0
    pages: int = 0
    complete: bool = False

    def __str__(self) -> str:
        return f"{self.new} new calls, {self.updated} updated, {self.pages} pages"


def _search_params(*, page: int, call_ids: list[str] | None = None) -> dict[str, Any]:
    params: dict[str, Any] = {
        "assignee_ids": [], "assistant_ids": [], "campaign_ids": [], "directions": [],
        "from_phone_numbers": [], "outcomes": [], "results": [], "statuses": [],
        "page": page, "page_size": PAGE_SIZE,
        "sort_by": "created_at", "sort_direction": "desc",
    }  # fmt: skip
    if call_ids:
        params["call_ids"] = call_ids
    return params


def calls_store(calls: Iterable[dict[str, Any]], *, now: datetime | None = None) -> tuple[int, int]:
    """Keep these calls (as Revox just described them) in one transaction: new ones added, known
    ones still in progress brought up to date; a known call already over is left as it is.
    Returns (added, updated)."""
    by_id: dict[str, dict[str, Any]] = {}
    for call in calls:
        if isinstance(call, dict) and isinstance(call.get("id"), str) and call["id"]:
            # NULs as U+2400, as the cache keeps them (PostgreSQL stores none: one call of an
            # assistant whose prompt holds one stopped every refresh there). ~50 µs a call.
            by_id[call["id"][:64]] = snapshot.without_nul(call)
    columns = {revox_id: call_columns(call) for revox_id, call in by_id.items()}
    return _store(by_id, columns, now=now or timezone.now())


def _store(by_id: dict[str, dict[str, Any]], columns: dict[str, CallColumns], *,
           now: datetime) -> tuple[int, int]:  # fmt: skip
    if not by_id:
        return 0, 0
    configurations = {}
    for revox_id, call in by_id.items():
        digest = columns[revox_id].config_digest
        if digest and digest not in configurations and isinstance(call.get("assistant"), dict):
            configurations[digest] = CallConfiguration(
                digest=digest,
                assistant_revox_id=columns[revox_id].assistant_revox_id,
                data=call["assistant"],
            )
    with transaction.atomic():
        known = dict(Call.objects.filter(revox_id__in=list(by_id)).values_list("revox_id", "final"))
        if configurations:
            seen = set(
                CallConfiguration.objects.filter(digest__in=list(configurations)).values_list(
                    "digest", flat=True
                )
            )
            _insert_new(
                CallConfiguration,
                [c for d, c in configurations.items() if d not in seen],
                unique="digest",
            )
        new = [
            Call(**vars(columns[i]), data=call_without_assistant(call), refreshed_at=now)
            for i, call in by_id.items()
            if i not in known
        ]
        _insert_new(Call, new, unique="revox_id")
        updated = 0
        for revox_id, final in known.items():
            if final:
                continue
            values = dict(vars(columns[revox_id]))
            values.pop("revox_id")
            Call.objects.filter(revox_id=revox_id).update(
                **values, data=call_without_assistant(by_id[revox_id]), refreshed_at=now
            )
            updated += 1
    return len(new), updated


def _insert_new(model: type[models.Model], rows: list[models.Model], *, unique: str) -> None:
    """INSERT rows, leaving out any whose `unique` column another refresh stored meanwhile.

    One statement with many parameter sets rather than bulk_create: on PostgreSQL, Django
    5.2's bulk_create sends arrays (INSERT … SELECT * FROM UNNEST), whose literals psycopg
    builds in Python, a regex substitution for every character class of every string: for
    pages of calls, each with its transcript and JSON, that was most of a refresh's time
    (bench/calls.py, issue 22)."""
    if not rows:
        return
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    name = connection.ops.quote_name
    sql = (
        f"INSERT INTO {name(meta.db_table)} ({', '.join(name(f.column) for f in fields)}) "  # noqa: S608 (model names)
        f"VALUES ({', '.join(['%s'] * len(fields))}) "
        f"ON CONFLICT ({name(meta.get_field(unique).column)}) DO NOTHING"
    )
    values = [tuple(f.get_db_prep_save(getattr(row, f.attname), connection) for f in fields)
              for row in rows]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)


def call_store(call: dict[str, Any]) -> None:
    """One call Revox just described (a test call placed or read again)."""
    calls_store([call])


class _Pages:
    """Pages of POST /call/search, the next one asked for while this one is being written when
    this one was all new (so the next one likely is too): the walk then costs about what Revox
    takes to answer, not that plus our writing. Only this thread's walk uses the client
    meanwhile, and `close` waits for a request under way before anything else uses it."""

    def __init__(self, client: RevoxClient) -> None:
        self.client = client
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="calls-prefetch")
        self.ahead: dict[int, Future] = {}
        self.digests: dict[tuple, str] = {}  # configuration digests made during this walk

    def get(self, page: int) -> list[dict[str, Any]]:
        future = self.ahead.pop(page, None)
        if future is not None:
            return future.result().calls
        return self.client.search_calls(_search_params(page=page)).calls

    def prefetch(self, page: int) -> None:
        if page not in self.ahead:
            self.ahead[page] = self.pool.submit(self.client.search_calls, _search_params(page=page))

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def _read_page(pages: _Pages, page: int, result: CallsRefreshResult, known_final_before: datetime | None,
               any_known: bool, *, may_prefetch: bool) -> tuple[list, bool, datetime | None]:  # fmt: skip
    """One page read and stored. Returns (its calls, whether it reached a call already known and
    over — created no later than `known_final_before`, or any such call when `any_known` —, the
    newest creation time on it)."""
    calls = pages.get(page)
    result.pages += 1
    if not calls:
        return calls, False, None
    by_id = {c["id"][:64]: c for c in calls}
    known = dict(Call.objects.filter(revox_id__in=list(by_id)).values_list("revox_id", "final"))
    if not known and len(calls) >= PAGE_SIZE and may_prefetch:
        pages.prefetch(page + 1)
    columns = {
        revox_id: call_columns(call, digests=pages.digests) for revox_id, call in by_id.items()
    }
    new, updated = _store(by_id, columns, now=timezone.now())
    result.new += new
    result.updated += updated
    reached, newest = False, None
    for revox_id, column in columns.items():
        created = column.created_at
        if created and (newest is None or created > newest):
            newest = created
        if known.get(revox_id) and (
            any_known
            or (known_final_before is not None and created is not None
                and created <= known_final_before)
        ):  # fmt: skip
            reached = True
    return calls, reached, newest


def _later(a: datetime | None, b: datetime | None) -> datetime | None:
    return max(a, b) if a and b else a or b


def _walk(client: RevoxClient, state: CallSyncState, result: CallsRefreshResult,
          max_pages: int) -> None:  # fmt: skip
    """Read pages newest first down to what is already known; record where it stopped."""
    pages = _Pages(client)
    try:
        _walk_pages(pages, state, result, max_pages)
    finally:
        pages.close()


def _walk_pages(pages: _Pages, state: CallSyncState, result: CallsRefreshResult,
                max_pages: int) -> None:  # fmt: skip
    newest: datetime | None = None
    resuming = state.resume_page > 0
    page, complete = 1, False
    # Down from the top: to a call already known (any, when an earlier walk was cut short
    # below: the top was read then; else one older than where the last complete walk began).
    while result.pages < max_pages:
        calls, reached, top = _read_page(pages, page, result, state.synced_through, resuming,
                                         may_prefetch=result.pages + 1 < max_pages)  # fmt: skip
        newest = _later(newest, top)
        page += 1
        if len(calls) < PAGE_SIZE:
            complete = True
            break
        if reached:
            complete = not resuming
            break
    if resuming and not complete and result.pages < max_pages:
        # Then on from where the cut-short walk stopped, moved down by the calls added since
        # (one page early: reading a known call again is harmless, skipping one is not).
        page = max(page, state.resume_page + result.new // PAGE_SIZE - 1)
        while result.pages < max_pages:
            calls, reached, top = _read_page(pages, page, result, state.synced_through, False,
                                             may_prefetch=result.pages + 1 < max_pages)  # fmt: skip
            newest = _later(newest, top)
            page += 1
            if len(calls) < PAGE_SIZE or reached:
                complete = True
                break
    if complete:
        state.synced_through = _later(_later(newest, state.resume_newest), state.synced_through)
        state.resume_page, state.resume_newest = 0, None
        result.complete = True
    else:
        state.resume_page, state.resume_newest = page, _later(newest, state.resume_newest)


def _reread_in_progress(client: RevoxClient, result: CallsRefreshResult) -> None:
    """Calls still in progress, read again by id (a hundred a request)."""
    waiting = list(Call.objects.filter(final=False).values_list("revox_id", flat=True)[:2000])
    for start in range(0, len(waiting), PAGE_SIZE):
        ids = waiting[start : start + PAGE_SIZE]
        found = client.search_calls(_search_params(page=1, call_ids=ids))
        result.pages += 1
        _new, updated = calls_store(found.calls)
        result.updated += updated


def calls_refresh(*, client: RevoxClient | None = None,
                  max_pages: int = MAX_PAGES) -> CallsRefreshResult:  # fmt: skip
    """Bring the call record up to date. Raises the RevoxError when Revox fails; what was
    written before stays, and the failure is remembered for the calls pages."""
    client = client or get_client()
    state = CallSyncState.get()
    result = CallsRefreshResult()
    now = timezone.now()
    try:
        _walk(client, state, result, max_pages)
        _reread_in_progress(client, result)
    except RevoxError as err:
        # Where the last complete walk stopped stays as it was: the next refresh reads down
        # to it again, past whatever this one missed.
        CallSyncState.objects.filter(pk=1).update(last_attempt_at=now, last_error=str(err)[:500])
        logger.warning("calls refresh failed after %s: %s", result, type(err).__name__)
        raise
    CallSyncState.objects.filter(pk=1).update(
        synced_through=state.synced_through, resume_page=state.resume_page,
        resume_newest=state.resume_newest, last_attempt_at=now, last_success_at=now,
        last_error="",
    )  # fmt: skip
    logger.info("calls refresh: %s", result)
    return result


# Inside a web request (the Refresh button, a stale page's refresh) a refresh reads at most this
# many pages: new calls since the last one fit in a page or two; a first fill of a long history
# goes on from where it stopped at the next refresh (or `sync_assistants`, which reads it all).
REQUEST_MAX_PAGES = 3


def calls_follow(*, background: bool = False) -> str:
    """What follows the assistants' refresh (registered in the cache's SYNC_FOLLOWERS at start-up):
    new calls since the last refresh, a page or two for a page's refresh, up to MAX_PAGES for the
    background job's. A failure of the calls does not fail the assistants: it is remembered and
    shown on the calls pages."""
    try:
        result = calls_refresh(max_pages=MAX_PAGES if background else REQUEST_MAX_PAGES)
    except RevoxError:
        return ""
    return f"Calls: {result}." if result else ""
