"""Reads of the cache's own state: how fresh it is, whether it was ever filled, what the banner
says, and the names of voices. Never waits on Revox."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from assistants.models import SyncState, Voice, VoiceLookup

logger = logging.getLogger(__name__)


def cache_is_stale() -> bool:
    state = SyncState.get()
    if state.last_success_at is None:
        return True
    return timezone.now() - state.last_success_at > timedelta(seconds=settings.REVOX_CACHE_MAX_AGE)


def cache_never_filled() -> bool:
    return not SyncState.objects.filter(last_success_at__isnull=False).exists()


def voice_names() -> dict[tuple[str, str], str]:
    """(provider, voice id) → name: the catalogue's voices, and those found by id beyond it."""
    return _voice_names(VoiceLookup.objects.filter(found=True), Voice.objects.all())


def voice_names_of(voice: tuple[str, str] | None) -> dict[tuple[str, str], str]:
    """voice_names for one voice (or none): what storing one assistant needs. A save read the
    whole catalogue twice for one name (bench/, issue 25)."""
    if voice is None:
        return {}
    provider, voice_id = voice
    # The catalogue's name wins: a voice it holds (most) needs no look at the lookups.
    name = (
        Voice.objects.filter(provider=provider, voice_id=voice_id)
        .values_list("name", flat=True)
        .first()
    )
    if name is None:
        name = (
            VoiceLookup.objects.filter(found=True, provider=provider, voice_id=voice_id)
            .values_list("name", flat=True)
            .first()
        )
    return {} if name is None else {voice: name}


def _voice_names(lookups, voices) -> dict[tuple[str, str], str]:
    # The catalogue's name wins over one found by id.
    names = {(p, v): n for p, v, n in lookups.values_list("provider", "voice_id", "name")}
    names.update(((p, v), n) for p, v, n in voices.values_list("provider", "voice_id", "name"))
    return names


def voice_lookup(*, provider: str, voice_id: str) -> VoiceLookup | None:
    """What Revox said of a voice outside the catalogue, when it was found."""
    return VoiceLookup.objects.filter(provider=provider, voice_id=voice_id, found=True).first()


@dataclass(frozen=True)
class CacheStatus:
    last_success_at: datetime | None
    last_error_at: datetime | None
    last_error: str
    max_age: int

    @property
    def unreachable(self) -> bool:
        """The last attempt to reach Revox failed."""
        if self.last_error_at is None:
            return False
        return self.last_success_at is None or self.last_error_at > self.last_success_at

    @property
    def stale(self) -> bool:
        if self.last_success_at is None:
            return True
        return timezone.now() - self.last_success_at > timedelta(seconds=self.max_age)

    @property
    def age_seconds(self) -> int | None:
        if self.last_success_at is None:
            return None
        return int((timezone.now() - self.last_success_at).total_seconds())


def cache_status() -> CacheStatus:
    state = SyncState.objects.filter(pk=1).first() or SyncState()
    return CacheStatus(
        last_success_at=state.last_success_at,
        last_error_at=state.last_error_at,
        last_error=state.last_error,
        max_age=settings.REVOX_CACHE_MAX_AGE,
    )


def cache_facts() -> dict:
    """The cache's state for a page's context, read once: its banner (`cache_status`, which
    also spares the context processor's own read) and whether to refresh in the background."""
    status = cache_status()
    return {"cache_status": status, "refresh_needed": status.stale}
