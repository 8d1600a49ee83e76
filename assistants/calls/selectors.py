"""Reading test calls and the local call record (never Revox)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.http import Http404
from django.utils import timezone

from assistants.calls.models import Call, CallConfiguration, CallSyncState, TestCall


def test_call_get(*, call_id: str) -> TestCall:
    """The test call placed as Revox's call `call_id`, or a 404 page."""
    test_call = TestCall.objects.filter(revox_call_id=call_id).exclude(revox_call_id="").first()
    if test_call is None:
        raise Http404("No such test call")
    return test_call


def test_call_by_call_id(*, call_id: str) -> TestCall | None:
    if not call_id:
        return None
    return TestCall.objects.filter(revox_call_id=call_id).first()


def test_call_by_token(*, token: str) -> TestCall | None:
    return TestCall.objects.filter(token=token).first()


def last_number(*, user: AbstractBaseUser) -> str:
    """The number this person last asked a test call to ring (remembered per person), or ""."""
    return (
        TestCall.objects.filter(user=user)
        .order_by("-created_at", "-id")
        .values_list("phone_number", flat=True)
        .first()
        or ""
    )


def recent_test_calls(*, revox_id: str, limit: int = 5) -> list[TestCall]:
    """An assistant's last test calls that reached Revox, newest first."""
    return list(
        TestCall.objects.filter(assistant_revox_id=revox_id)
        .exclude(revox_call_id="")
        .order_by("-created_at", "-id")[:limit]
    )


# -- the call record ------------------------------------------------------------------------


def call_record_get(*, call_id: str) -> Call | None:
    return Call.objects.filter(revox_id=call_id).first()


def call_configuration(*, digest: str) -> dict[str, Any] | None:
    if not digest:
        return None
    return CallConfiguration.objects.filter(digest=digest).values_list("data", flat=True).first()


@dataclass(frozen=True)
class CallFilters:
    assistant: str = ""
    outcome: str = ""  # "none" for a call without one
    result: str = ""
    status: str = ""
    direction: str = ""
    date_from: date | None = None
    date_to: date | None = None
    query: str = ""


@dataclass(frozen=True)
class CallPageOf:
    calls: list[Call]
    number: int
    has_next: bool
    start_index: int

    @property
    def end_index(self) -> int:
        return self.start_index + len(self.calls) - 1


LIST_COLUMNS = (
    "revox_id", "assistant_revox_id", "assistant_name", "status", "outcome", "result",
    "direction", "to_phone_number", "summary", "created_at", "duration_seconds", "answered",
    "tried_changes",
)  # fmt: skip


def call_list(*, filters: CallFilters, page: int = 1, per_page: int = 50) -> CallPageOf:
    """A page of recorded calls, newest first, from the local record only. No count: one row
    more than the page says whether there is a next one."""
    calls = Call.objects.only(*LIST_COLUMNS)
    if filters.assistant:
        calls = calls.filter(assistant_revox_id=filters.assistant)
    for column, value in (("outcome", filters.outcome), ("result", filters.result),
                          ("status", filters.status), ("direction", filters.direction)):  # fmt: skip
        if value:
            calls = calls.filter(**{column: "" if value == "none" else value})
    zone = timezone.get_current_timezone()
    if filters.date_from:
        start = datetime.combine(filters.date_from, time.min, tzinfo=zone)
        calls = calls.filter(created_at__gte=start)
    if filters.date_to:
        end = datetime.combine(filters.date_to + timedelta(days=1), time.min, tzinfo=zone)
        calls = calls.filter(created_at__lt=end)
    if filters.query:
        calls = calls.filter(summary__icontains=filters.query)
    page = max(1, page)
    offset = (page - 1) * per_page
    rows = list(calls.order_by("-created_at", "-id")[offset : offset + per_page + 1])
    return CallPageOf(
        calls=rows[:per_page], number=page, has_next=len(rows) > per_page,
        start_index=offset + 1,
    )  # fmt: skip


def call_record_state() -> CallSyncState | None:
    return CallSyncState.objects.filter(pk=1).first()
