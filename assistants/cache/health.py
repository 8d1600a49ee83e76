"""The health check: is Revox reachable, does it accept the key, how old is the local copy.

One probe, one `Health` value; /health/ renders it as JSON for monitors and as a page for people
(the health view). Nothing here reveals a secret: Revox's errors are this client's own
messages, which never carry the key.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from assistants.cache.selectors import cache_status
from assistants.revox import RevoxClient, RevoxConfig, RevoxError

logger = logging.getLogger(__name__)


# How quickly Revox answered, in words, for people (milliseconds: at most, words).
LATENCY_WORDS = ((300, "quick"), (1500, "a little slow"), (None, "slow"))


@dataclass(frozen=True)
class Health:
    reachable: bool
    key_valid: bool | None  # None: unknown, Revox did not answer
    latency_ms: int
    error: str
    cache_last_success_at: datetime | None
    cache_age_seconds: int | None
    cache_stale: bool
    cache_max_age: int

    @property
    def ok(self) -> bool:
        return self.reachable and bool(self.key_valid)

    @property
    def status_code(self) -> int:
        return 200 if self.ok else 503

    @property
    def latency_words(self) -> str:
        return next(
            words for limit, words in LATENCY_WORDS if limit is None or self.latency_ms <= limit
        )

    def as_json(self) -> dict[str, Any]:
        """The monitors' shape (its keys are a contract)."""
        return {
            "status": "ok" if self.ok else "degraded",
            "revox": {
                "reachable": self.reachable,
                "key_valid": self.key_valid,
                "latency_ms": self.latency_ms,
                "error": self.error,
            },
            "cache": {
                "last_success_at": self.cache_last_success_at.isoformat()
                if self.cache_last_success_at
                else None,
                "age_seconds": self.cache_age_seconds,
                "stale": self.cache_stale,
            },
        }


def health_check() -> Health:
    """Ask Revox once whether it accepts the key (GET /auth-status, no retries, a short
    timeout) and read the cache's state."""
    key = revox_key_check()
    cache = cache_status()
    return Health(
        reachable=key.reachable,
        key_valid=key.key_valid,
        latency_ms=key.latency_ms,
        error=key.error,
        cache_last_success_at=cache.last_success_at,
        cache_age_seconds=cache.age_seconds,
        cache_stale=cache.stale,
        cache_max_age=cache.max_age,
    )


@dataclass(frozen=True)
class KeyStatus:
    reachable: bool
    key_valid: bool | None  # None: Revox could not be asked
    error: str
    latency_ms: int


def revox_key_check() -> KeyStatus:
    """Ask Revox whether it accepts our key (GET /auth-status): once, without retries, with a
    short read timeout, for /health/ and the rejected-key page."""
    config = dataclasses.replace(RevoxConfig.from_settings(), max_retries=0, read_timeout=5.0)
    started = time.monotonic()
    reachable, key_valid, error = True, None, ""
    try:
        key_valid = RevoxClient(config).auth_status()
    except RevoxError as err:
        reachable, error = False, str(err)
    return KeyStatus(reachable, key_valid, error, round((time.monotonic() - started) * 1000))
