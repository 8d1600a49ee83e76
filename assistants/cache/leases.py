"""Claims shared by every worker of the dashboard, kept in the database.

Several gunicorn processes serve the same team. A lock in process memory would only hold back
the threads of one of them, so the claims that matter live in the `Lease` table, which every
worker reaches (SQLite or PostgreSQL alike): taking one is an INSERT that the primary key lets
only one worker win, or the UPDATE of an expired one, which only one worker's WHERE still
matches. A claim is never held inside a transaction (the holder talks to Revox meanwhile); it
carries an expiry instead, so a worker killed mid-way frees it by itself.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from assistants.models import Lease

logger = logging.getLogger(__name__)

POLL_SECONDS = 0.05


def lease_acquire(
    *, name: str, ttl: float, wait: float = 0.0, holder: str | None = None
) -> str | None:
    """Claim `name` for `ttl` seconds; returns the holder's token, or None when another worker
    still holds it after `wait` seconds. `holder`: a token of the caller's own that outlives the
    process (a background job's), so that the job, resumed on another worker after its first
    worker died, takes back the claims it held instead of waiting for them to expire."""
    token = holder or uuid.uuid4().hex
    deadline = time.monotonic() + wait
    while True:
        if _take(name, token, ttl):
            return token
        if time.monotonic() >= deadline:
            return None
        time.sleep(POLL_SECONDS)


def _take(name: str, token: str, ttl: float) -> bool:
    now = timezone.now()
    expires_at = now + timedelta(seconds=ttl)
    if Lease.objects.filter(Q(expires_at__lt=now) | Q(holder=token), name=name).update(
        holder=token, expires_at=expires_at
    ):
        return True  # it had expired (its holder is gone), or it was already ours
    try:
        with transaction.atomic():
            Lease.objects.create(name=name, holder=token, expires_at=expires_at)
    except IntegrityError:
        return False
    return True


def lease_renew(*, name: str, token: str, ttl: float) -> bool:
    """Move the expiry of a claim still held to `ttl` seconds from now, for work that runs
    longer than first budgeted (a sync of 50,000 assistants); also takes it back when it expired
    and nobody took it over. False when another worker holds it now."""
    return _take(name, token, ttl)


class LeaseRenewer:
    """Renews a claim from inside long work, at most once a third of its `ttl`: call it as
    often as convenient (each call between renewals costs a clock read)."""

    def __init__(self, *, name: str, token: str, ttl: float) -> None:
        self.name, self.token, self.ttl = name, token, ttl
        self.renewed = time.monotonic()
        self.lost = False

    def __call__(self) -> None:
        if time.monotonic() - self.renewed < self.ttl / 3:
            return
        self.renewed = time.monotonic()
        if not lease_renew(name=self.name, token=self.token, ttl=self.ttl) and not self.lost:
            self.lost = True
            logger.warning("claim %s expired and was taken over meanwhile", self.name)


def lease_release(*, name: str, token: str) -> None:
    """Give the claim back; a claim that expired and was taken over stays with its new holder."""
    Lease.objects.filter(name=name, holder=token).delete()


def lease_wait_released(*, name: str, wait: float) -> bool:
    """Wait until nobody holds `name` (or their claim expired); False if `wait` ran out first."""
    deadline = time.monotonic() + wait
    while Lease.objects.filter(name=name, expires_at__gte=timezone.now()).exists():
        if time.monotonic() >= deadline:
            return False
        time.sleep(POLL_SECONDS)
    return True


@contextmanager
def lease_held(*, name: str, ttl: float, wait: float, holder: str | None = None) -> Iterator[bool]:
    """Hold `name` for the block; yields False (and holds nothing) when it stayed taken."""
    token = lease_acquire(name=name, ttl=ttl, wait=wait, holder=holder)
    try:
        yield token is not None
    finally:
        if token is not None:
            lease_release(name=name, token=token)
