"""Names for the voices an assistant uses that the catalogue (GET /voices) does not list, e.g. a
voice cloned outside Revox's list: looked up one by one (GET /voices/{id}), outside any
transaction, remembered (found for a day, missing for an hour) so a sync does not ask again."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from assistants import snapshot
from assistants.models import Voice, VoiceLookup
from assistants.revox import (
    RevoxClient,
    RevoxError,
    RevoxNotFound,
    RevoxValidationError,
    get_client,
)

logger = logging.getLogger(__name__)


# A name found is asked again after a day (a cloned voice may be renamed); a voice Revox did not
# know, after an hour (it may have been added since).
FOUND_MAX_AGE = timedelta(days=1)


MISSING_MAX_AGE = timedelta(hours=1)


# A sync with many voices to look up spreads them over several syncs instead of slowing one.
MAX_LOOKUPS_AT_ONCE = 20


def voice_used(data: dict[str, Any]) -> tuple[str, str] | None:
    """The (provider, voice id) an assistant speaks with, when it names one."""
    voice = snapshot.voice_of(data)
    provider, voice_id = snapshot.text(voice.get("provider")), snapshot.text(voice.get("id"))
    if provider and voice_id and len(voice_id) <= 200:
        return provider, voice_id
    return None


def voice_named(row: Any, data: dict[str, Any]) -> bool:
    """Whether a cached `row` (or None) already names the voice `data` speaks with: then
    there is nothing to look up."""
    return (
        row is not None
        and bool(row.voice_name)
        and (row.voice_provider, row.voice_id) == voice_used(data)
    )


def _voices_used(assistants: Iterable[dict[str, Any]]) -> set[tuple[str, str]]:
    return {pair for data in assistants if (pair := voice_used(data)) is not None}


def _due_for_lookup(pairs: set[tuple[str, str]]) -> list[tuple[str, str]]:
    """The pairs neither in the catalogue nor looked up lately."""
    if not pairs:
        return []
    providers = {p for p, _ in pairs}
    ids = {v for _, v in pairs}
    in_catalogue = set(
        Voice.objects.filter(provider__in=providers, voice_id__in=ids).values_list(
            "provider", "voice_id"
        )
    )
    if pairs <= in_catalogue:
        return []  # most saves: the voice is in the catalogue, no lookup to check
    now = timezone.now()
    recent = set()
    for provider, voice_id, found, checked_at in VoiceLookup.objects.filter(
        provider__in=providers, voice_id__in=ids
    ).values_list("provider", "voice_id", "found", "checked_at"):
        if now - checked_at < (FOUND_MAX_AGE if found else MISSING_MAX_AGE):
            recent.add((provider, voice_id))
    return sorted(pairs - in_catalogue - recent)


def voice_names_resolve(
    assistants: Iterable[dict[str, Any]], *, client: RevoxClient | None = None
) -> dict[tuple[str, str], str]:
    """Ask Revox (GET /voices/{id}?provider=) the name of each voice these assistants use that
    the catalogue lacks and that was not asked about lately; remember every answer, found or not.

    Returns the names found now. Never raises for Revox: a voice Revox does not know is
    remembered as such; when Revox fails otherwise, the remaining voices wait for a later call.
    """
    return voice_pairs_resolve(_voices_used(assistants), client=client)


def voice_pairs_resolve(
    pairs: set[tuple[str, str]], *, client: RevoxClient | None = None
) -> dict[tuple[str, str], str]:
    """voice_names_resolve for (provider, voice id) pairs already collected, e.g. by a sync
    that streamed the assistants rather than holding them."""
    due = _due_for_lookup(pairs)[:MAX_LOOKUPS_AT_ONCE]
    if not due:
        return {}
    client = client or get_client()
    answers: list[VoiceLookup] = []
    for provider, voice_id in due:
        try:
            voice = client.get_voice(voice_id, provider=provider)
        except (RevoxNotFound, RevoxValidationError):
            voice = None  # Revox doesn't know it (or not for this provider)
        except RevoxError as err:
            logger.info("voice lookup stopped: %s", type(err).__name__)
            break
        answers.append(
            VoiceLookup(
                provider=provider,
                voice_id=voice_id,
                found=voice is not None,
                name=snapshot.text((voice or {}).get("name"))[:200],
                description=snapshot.text((voice or {}).get("description")),
                checked_at=timezone.now(),
            )
        )
    if answers:
        with transaction.atomic():
            VoiceLookup.objects.bulk_create(
                answers,
                update_conflicts=True,
                unique_fields=["provider", "voice_id"],
                update_fields=["found", "name", "description", "checked_at"],
            )
    return {(a.provider, a.voice_id): a.name for a in answers if a.found}
