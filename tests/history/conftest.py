"""Helpers for the history tests."""

from __future__ import annotations

import pytest

from assistants.cache.services import assistants_sync
from tests.canary import CANARY_LLM_PREFIX

# The suite-wide canary middleware also fails any response or log line that carries it.
CANARY = CANARY_LLM_PREFIX + "history-7f3a9c01d2e4"
CUSTOM_LLM = {
    "type": "custom",
    "api_url": "https://llm.example.com/v1",
    "api_key": CANARY,
    "model_name": "house-model",
}


def history_url(revox_id: str) -> str:
    return f"/assistants/{revox_id}/history/"


@pytest.fixture
def cached(revox, db):
    """Create an assistant in the sandbox with the given params and sync it into the cache."""

    def make(**params):
        created = revox.create(**params)
        assistants_sync()
        return created

    return make
