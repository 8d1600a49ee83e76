"""Reading test calls."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.http import Http404

from assistants.calls.models import TestCall


def test_call_get(*, call_id: str) -> TestCall:
    """The test call placed as Revox's call `call_id`, or a 404 page."""
    test_call = TestCall.objects.filter(revox_call_id=call_id).exclude(revox_call_id="").first()
    if test_call is None:
        raise Http404("No such test call")
    return test_call


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
