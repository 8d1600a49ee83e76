"""Fixtures for the sandbox tests: one sandbox per test session, reset per test.

These tests talk real HTTP to `sandbox.server.start_in_thread` with `requests`
and never touch Django, so they run alone with
`python -m pytest tests/sandbox -p no:django` as well as in `make test`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from sandbox.server import RunningSandbox, start_in_thread

TIMEOUT = 10
# A POST /call/search body that filters nothing: the SDK's CallSearchParams names every key.
SEARCH_ALL = {
    "assignee_ids": [],
    "assistant_ids": [],
    "campaign_ids": [],
    "directions": [],
    "from_phone_numbers": [],
    "outcomes": [],
    "results": [],
    "statuses": [],
    "page": 1,
    "page_size": 100,
}


class Api:
    """A tiny client: the sandbox's URLs, the Bearer key, and a few shortcuts."""

    def __init__(self, sandbox: RunningSandbox) -> None:
        self.sandbox = sandbox
        self.auth = {"Authorization": f"Bearer {sandbox.api_key}"}

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        headers = {**self.auth, **kwargs.pop("headers", {})}
        return requests.request(
            method, self.sandbox.api_url + path, headers=headers, timeout=TIMEOUT, **kwargs
        )

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("POST", path, **kwargs)

    def patch(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("PATCH", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("DELETE", path, **kwargs)

    def create(self, **fields: Any) -> dict:
        body = {"name": "Test assistant", "prompt": "You are a helpful test assistant.", **fields}
        response = self.post("/assistants", json=body)
        assert response.status_code == 200, response.text
        return response.json()["assistant"]

    def control(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        return requests.request(
            method, self.sandbox.url + "/__sandbox__" + path, timeout=TIMEOUT, **kwargs
        )

    def reset(self, seed: Any) -> requests.Response:
        response = self.control("POST", "/reset", json={"seed": seed})
        assert response.status_code == 200, response.text
        return response

    @staticmethod
    def fields(response: requests.Response) -> dict[str, list[str]]:
        return fields_of(response)

    def faults(self, *rules: dict, latency_ms: float = 0) -> None:
        response = self.control(
            "POST", "/faults", json={"latency_ms": latency_ms, "rules": list(rules)}
        )
        assert response.status_code == 200, response.text


def fields_of(response: requests.Response) -> dict[str, list[str]]:
    """The per-field messages of a validation error answer."""
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["type"] == "validation_error"
    assert error["message"] == "Invalid request body"
    return error["fields"]


@pytest.fixture(scope="session")
def sandbox_server() -> Iterator[RunningSandbox]:
    running = start_in_thread()
    yield running
    running.stop()


@pytest.fixture
def api(sandbox_server: RunningSandbox) -> Api:
    client = Api(sandbox_server)
    client.reset("empty")  # also clears faults and the request log
    return client
