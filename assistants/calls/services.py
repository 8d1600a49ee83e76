"""Placing, following and cancelling test calls.

A call rings a real phone and costs money, so placing one is built to happen at most once per
form: the form's one-time token is taken in the database (a unique row, under a lock on the
person's row, with the hourly limit checked in the same transaction) before POST /call is sent,
and POST /call is sent once, never retried (the client never retries a POST). Whatever Revox
answers is written down on that row, so that a second submission of the same form finds the
first one and places nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from assistants import snapshot
from assistants.calls.inline import InlineConfiguration
from assistants.calls.models import Call, TestCall
from assistants.calls.present import FINAL_STATUSES
from assistants.calls.record import TEST_CALL_SOURCE
from assistants.calls.refresh import call_store
from assistants.editors.groups import GROUPS
from assistants.history.services import create_params, needs_api_key
from assistants.history_entries import change_record
from assistants.models import Change
from assistants.phones import phone_masked
from assistants.revox import (
    Recording,
    RevoxError,
    RevoxTimeout,
    RevoxUnavailable,
    RevoxValidationError,
    get_client,
)

LIMIT_REACHED = (
    "You have placed {limit} test calls in the last hour, the most one person may. "
    "You can place the next one at {time}."
)
ALREADY_SENT = "This form was already sent, so no second call was placed."
CALL_TIMEOUT = (
    "Revox took too long to answer, so we can't tell whether the call was placed. "
    "Wait for your phone to ring, or check the assistant's history, before trying again."
)
CALL_UNAVAILABLE = "Revox can't be reached right now, so no call was placed. Try again in a moment."
CALL_DROPPED = (
    "The connection to Revox dropped, so we can't tell whether the call was placed. Wait for "
    "your phone to ring, or check the assistant's history, before trying again."
)
CALL_REFUSED = "Revox refused the call: {reason}"
CUSTOM_KEY_UNREADABLE = (
    "This assistant's custom language model key can't be read back from Revox, so its changes "
    "can't be tried inline. Save them first, or call with the saved version."
)


class TestCallRefused(Exception):
    """No call was placed (or none could be told apart): `message` says why, for the form."""

    __test__ = False

    def __init__(self, message: str, *, error: RevoxError | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.error = error


class AlreadySent(Exception):
    """The form's token was already used: `test_call` is the call it placed (or tried to)."""

    def __init__(self, test_call: TestCall) -> None:
        super().__init__(ALREADY_SENT)
        self.test_call = test_call


@dataclass(frozen=True)
class CallRequest:
    token: str
    phone_number: str  # E.164
    prompt_variables: dict[str, str]
    skip_calling_window: bool


def _user_name(user: AbstractBaseUser) -> str:
    return (user.get_full_name() if hasattr(user, "get_full_name") else "") or user.get_username()


def _limit_check(user: AbstractBaseUser) -> None:
    """Raise TestCallRefused when the person already placed the hour's allowance. Calls Revox
    refused cost nothing and do not count."""
    limit = settings.TEST_CALLS_PER_HOUR
    since = timezone.now() - timedelta(hours=1)
    recent = list(
        TestCall.objects.filter(user=user, created_at__gte=since)
        .exclude(state=TestCall.State.REFUSED)
        .order_by("created_at")
        .values_list("created_at", flat=True)[:limit]
    )
    if len(recent) >= limit:
        when = timezone.localtime(recent[0] + timedelta(hours=1))
        raise TestCallRefused(LIMIT_REACHED.format(limit=limit, time=when.strftime("%H:%M")))


def _token_take(
    *, user: AbstractBaseUser, assistant: dict[str, Any], request: CallRequest,
    inline: InlineConfiguration | None,
) -> TestCall:  # fmt: skip
    """The form's token, taken: a new TestCall row, or AlreadySent. One transaction, under a
    lock on the person's row, so that two submissions of one form (or two forms at once) are
    seen one after the other."""
    try:
        with transaction.atomic():
            get_user_model().objects.select_for_update().filter(pk=user.pk).first()
            existing = TestCall.objects.filter(token=request.token).first()
            if existing is not None:
                raise AlreadySent(existing)
            _limit_check(user)
            return TestCall.objects.create(
                token=request.token,
                user=user,
                user_name=_user_name(user)[:300],
                assistant_revox_id=assistant["id"],
                assistant_name=snapshot.without_nul(snapshot.text(assistant.get("name")))[:500],
                phone_number=request.phone_number,
                prompt_variables=request.prompt_variables,
                skip_calling_window=request.skip_calling_window,
                group=inline.group if inline else "",
                # NULs as U+2400, as the cache and history keep them (PostgreSQL stores none).
                before=snapshot.without_nul(inline.before) if inline else None,
                after=snapshot.without_nul(inline.after) if inline else None,
                assistant_updated_at=snapshot.text(assistant.get("updated_at"))[:64],
            )
    except IntegrityError:
        # Another worker took the same token between our read and our insert.
        raise AlreadySent(TestCall.objects.get(token=request.token)) from None


def _call_params(
    test_call: TestCall, assistant: dict[str, Any], inline: InlineConfiguration | None
) -> dict[str, Any]:
    params: dict[str, Any] = {"phone_number": test_call.phone_number}
    if inline is None:
        params["assistant_id"] = assistant["id"]
    else:
        llm = snapshot.llm_of(inline.configuration)
        key = snapshot.text(llm.get("api_key"))
        if needs_api_key(inline.configuration) and not key:
            raise TestCallRefused(CUSTOM_KEY_UNREADABLE)
        params["assistant"], _notices = create_params(inline.configuration, api_key=key)
        # A call's inline assistant is a create body without the name (the SDK's
        # CallCreateParams.Assistant has none).
        params["assistant"].pop("name", None)
    if test_call.prompt_variables:
        params["prompt_variables"] = dict(test_call.prompt_variables)
    if test_call.skip_calling_window:
        params["skip_calling_window"] = True
    params["metadata"] = {"source": TEST_CALL_SOURCE, "test_call": str(test_call.pk)}
    if inline is not None:
        # Revox runs an inline configuration as an assistant of its own id: this files the call
        # under the assistant it tried, in the call record (calls/record.py).
        params["metadata"]["assistant_id"] = test_call.assistant_revox_id
        params["metadata"]["assistant_name"] = test_call.assistant_name[:200]
    return params


def _refusal(err: RevoxError) -> str:
    if isinstance(err, RevoxTimeout) and err.read_timeout:
        return CALL_TIMEOUT
    if isinstance(err, RevoxValidationError):
        reasons = [f"{path}: {' '.join(msgs)}" for path, msgs in err.field_errors.items()]
        reasons += err.non_field_errors
        return CALL_REFUSED.format(reason="; ".join(reasons) or "it gave no reason.")
    if isinstance(err, RevoxUnavailable) and err.status is None:
        return CALL_UNAVAILABLE if not err.request_sent else CALL_DROPPED
    return str(err)


def _summary(test_call: TestCall, *, uncertain: bool = False) -> str:
    number = phone_masked(test_call.phone_number)
    group = GROUPS.get(test_call.group)
    tried = f"unsaved {group.title.lower()} changes" if group else "the saved version"
    if uncertain:
        return f"Test call to {number} with {tried}: Revox did not answer in time, it may have been placed"
    return f"Test call to {number} with {tried}"


def test_call_place(
    *, user: AbstractBaseUser, assistant: dict[str, Any], request: CallRequest,
    inline: InlineConfiguration | None = None,
) -> TestCall:  # fmt: skip
    """Place one test call of `assistant` (the saved one by its id, or `inline`: its unsaved
    changes) and record it in the history. Raises AlreadySent when the form's token was used,
    TestCallRefused when no call was placed (the limit, Revox's refusal, Revox unreachable) or
    when it can't be told whether one was (a timeout)."""
    test_call = _token_take(user=user, assistant=assistant, request=request, inline=inline)
    try:
        params = _call_params(test_call, assistant, inline)
    except TestCallRefused as refused:
        _set_state(test_call, TestCall.State.REFUSED, error=refused.message)
        raise
    try:
        call = get_client().create_call(params)
    except RevoxError as err:
        message = _refusal(err)
        # A read that never ended, or a connection dropped after sending, may have placed it.
        uncertain = isinstance(err, RevoxUnavailable) and err.status is None and err.request_sent
        state = TestCall.State.UNCERTAIN if uncertain else TestCall.State.REFUSED
        with transaction.atomic():
            _set_state(test_call, state, error=message)
            if uncertain:
                _record(user, test_call, uncertain=True)
        raise TestCallRefused(message, error=err) from err
    with transaction.atomic():
        test_call.revox_call_id = call["id"]
        test_call.state = TestCall.State.PLACED
        test_call.call = snapshot.without_nul(call)
        test_call.finished = call.get("status") in FINAL_STATUSES
        test_call.refreshed_at = timezone.now()
        test_call.save(update_fields=["revox_call_id", "state", "call", "finished", "refreshed_at"])
        _record(user, test_call)
    # Into the call record at once, so the calls pages list it without waiting for a refresh.
    call_store(call)
    return test_call


def _set_state(test_call: TestCall, state: str, *, error: str = "") -> None:
    test_call.state = state
    test_call.error = error[:500]
    test_call.save(update_fields=["state", "error"])


def _record(user: AbstractBaseUser, test_call: TestCall, *, uncertain: bool = False) -> Change:
    return change_record(
        user=user,
        kind=Change.Kind.TEST_CALL,
        assistant={"id": test_call.assistant_revox_id, "name": test_call.assistant_name},
        group=test_call.group,
        before=test_call.before,
        after=test_call.after,
        related_revox_id=test_call.revox_call_id,
        summary=_summary(test_call, uncertain=uncertain),
    )


def test_call_refresh(*, test_call: TestCall) -> TestCall:
    """The call as Revox tells it now, kept on the row; a call over is not asked about again.
    Revox's errors reach the caller, the row keeping what it last said."""
    if test_call.finished or not test_call.revox_call_id:
        return test_call
    call = get_client().get_call(test_call.revox_call_id)
    test_call.call = snapshot.without_nul(call)
    test_call.finished = call.get("status") in FINAL_STATUSES
    test_call.refreshed_at = timezone.now()
    test_call.save(update_fields=["call", "finished", "refreshed_at"])
    call_store(call)
    return test_call


def test_call_cancel(*, test_call: TestCall) -> bool:
    """Ask Revox to cancel the call (sent once), then read it again. Whether Revox cancelled
    it: false for a call already over."""
    cancelled = get_client().cancel_call(test_call.revox_call_id)
    test_call_refresh(test_call=test_call)
    return cancelled


NO_RECORDING = "This call has no recording (yet)."


def _recording_url(call: Any) -> str:
    call = call if isinstance(call, dict) else {}
    attempts = [call.get("last_call_attempt"), *(call.get("call_attempts") or [])]
    for attempt in attempts:
        url = attempt.get("recording_url") if isinstance(attempt, dict) else None
        if isinstance(url, str) and url:
            return url
    return ""


def test_call_recording(*, test_call: TestCall) -> Recording:
    """The call's recording, fetched from where Revox keeps it. A link that stopped working
    (they may expire) is asked for again once. LookupError when there is none."""
    url = _recording_url(test_call.call)
    if not url and not test_call.finished:
        url = _recording_url(test_call_refresh(test_call=test_call).call)
    if not url:
        raise LookupError(NO_RECORDING)
    try:
        return get_client().get_recording(url)
    except RevoxError:
        if not test_call.revox_call_id:
            raise
        fresh = _recording_url(get_client().get_call(test_call.revox_call_id))
        if not fresh or fresh == url:
            raise
        return get_client().get_recording(fresh)


def recorded_call_recording(*, record: Call) -> Recording:
    """A recorded call's recording (as for a test call: an expired link is asked for again
    once). LookupError when there is none."""
    url = _recording_url(record.data)
    if not url:
        raise LookupError(NO_RECORDING)
    try:
        return get_client().get_recording(url)
    except RevoxError:
        fresh = _recording_url(get_client().get_call(record.revox_id))
        if not fresh or fresh == url:
            raise
        return get_client().get_recording(fresh)


def call_record_refresh(*, record: Call) -> Call:
    """A recorded call still in progress, as Revox tells it now. Revox's errors reach the
    caller, the record keeping what it last said."""
    call_store(get_client().get_call(record.revox_id))
    return Call.objects.get(pk=record.pk)
