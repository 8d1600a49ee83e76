"""The contract suite: the official SDK drives the sandbox, and holds the sandbox's answers
and every body the dashboard sends to its strict models (tests/contract/sdk_contract.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import revox as revox_sdk

from assistants.revox import RevoxClient


@pytest.fixture
def sdk(revox: Any) -> Iterator[revox_sdk.Revox]:
    """The official SDK's own client, pointed at the sandbox (no retries: a test sees each
    answer the sandbox gives)."""
    client = revox_sdk.Revox(api_key=revox.running.api_key, base_url=revox.api_url, max_retries=0)
    yield client
    client.close()


class SentBodies(list):
    """(method, path, body) of every request with a JSON body the dashboard's client sent."""

    def paths(self, method: str) -> list[str]:
        return [path for m, path, _ in self if m == method]


@pytest.fixture
def sent(monkeypatch) -> SentBodies:
    """The one capture point: around RevoxClient's transport, every body as it goes out."""
    captured = SentBodies()
    send_once = RevoxClient._send_once

    def capturing(self, method: str, path: str, **options: Any) -> Any:
        if options.get("json") is not None:
            # As on the wire: what json.dumps makes of it, read back.
            captured.append((method, path, json.loads(json.dumps(options["json"]))))
        return send_once(self, method, path, **options)

    monkeypatch.setattr(RevoxClient, "_send_once", capturing)
    return captured
