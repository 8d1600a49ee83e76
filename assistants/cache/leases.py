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

from django.db import connection
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
    # Most claims are free (a released claim leaves no row): one statement takes it, with no
    # transaction around it (each round trip is a commit on PostgreSQL; bench/, issue 25).
    if _insert_unless_held(name, token, expires_at):
        return True
    # Taken by someone: it is ours only if it expired (its holder is gone) or was ours already.
    return bool(
        Lease.objects.filter(Q(expires_at__lt=now) | Q(holder=token), name=name).update(
            holder=token, expires_at=expires_at
        )
    )


def _insert_unless_held(name: str, token: str, expires_at) -> bool:
    """INSERT the claim unless a row for `name` exists; whether it was inserted."""
    table, quote = Lease._meta.db_table, connection.ops.quote_name
    expires = Lease._meta.get_field("expires_at").get_db_prep_value(expires_at, connection)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(table)} ({quote('name')}, {quote('holder')}, "  # noqa: S608
            f"{quote('expires_at')}) VALUES (%s, %s, %s) ON CONFLICT ({quote('name')}) DO NOTHING",
            [name, token, expires],
        )
        return cursor.rowcount == 1


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
    """Give the claim back; a claim that expired and was taken over stays with its new holder.
    One DELETE, in the caller's transaction when there is one (QuerySet.delete would wrap it
    in a transaction of its own: two more round trips for a table nothing refers to)."""
    table, quote = Lease._meta.db_table, connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {quote(table)} WHERE {quote('name')} = %s AND {quote('holder')} = %s",  # noqa: S608
            [name, token],
        )


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
