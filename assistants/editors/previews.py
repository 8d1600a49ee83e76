"""Voices beyond what the catalogue says: the names of voices it lacks, and voice previews.

Both call Revox, and both remember the answer so the same question is not asked again soon:
voice names in the database (VoiceLookup, found or not), previews in Django's cache framework
(Redis when several workers run). Neither may be called inside a transaction: they wait on
the network.
"""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

from django.core.cache import cache

from assistants.revox import VoicePreview, get_client

logger = logging.getLogger(__name__)


PREVIEW_CACHE_SECONDS = 24 * 3600
PREVIEW_CACHE_PREFIX = "revox:voice-preview:"


# -- previews ---------------------------------------------------------------------------------


def _preview_key(params: dict[str, Any]) -> str:
    canonical = json.dumps(params, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return PREVIEW_CACHE_PREFIX + hashlib.sha256(canonical.encode()).hexdigest()


def voice_preview_get(
    *,
    provider: str,
    voice_id: str,
    text: str,
    speed: float | None = None,
    volume: float | None = None,
    model: str = "",
) -> VoicePreview:
    """A short sample of the voice speaking `text`, from the cache or from Revox
    (POST /voices/preview). Volume and model are Cartesia's and are only sent for it.

    Raises the client's errors; a failed preview is not remembered.
    """
    params: dict[str, Any] = {"provider": provider, "voiceId": voice_id, "text": text}
    if speed is not None:
        params["speed"] = speed
    if provider == "cartesia":
        if volume is not None:
            params["volume"] = volume
        if model:
            params["model"] = model
    key = _preview_key(params)
    try:
        cached = cache.get(key)
    except Exception:  # the cache being down must not stop a preview
        logger.warning("voice preview: the cache could not be read", exc_info=True)
        cached = None
    if cached is not None:
        audio, content_type = cached
        return VoicePreview(audio=audio, content_type=content_type)
    preview = get_client().preview_voice(params)
    try:
        cache.set(key, (preview.audio, preview.content_type), PREVIEW_CACHE_SECONDS)
    except Exception:
        logger.warning("voice preview: the cache could not be written", exc_info=True)
    return preview
