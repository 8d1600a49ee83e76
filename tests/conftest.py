"""Shared fixtures: users in each role, and a real sandbox Revox over HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests
from django.contrib.auth.models import Group
from django.test import Client

from sandbox.server import RunningSandbox, start_in_thread

PASSWORD = "correct horse battery staple"


class Sandbox:
    """The test's handle on the sandbox: its controls and a direct reader of its state."""

    def __init__(self, running: RunningSandbox) -> None:
        self.running = running
        self.url = running.url
        self.api_url = running.api_url
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"Bearer {running.api_key}"

    def reset(self, seed: Any = "empty") -> None:
        self.http.post(
            f"{self.url}/__sandbox__/reset", json={"seed": seed}, timeout=30
        ).raise_for_status()

    def faults(self, *rules: dict[str, Any], latency_ms: int = 0) -> None:
        response = self.http.post(
            f"{self.url}/__sandbox__/faults",
            json={"latency_ms": latency_ms, "rules": list(rules)},
            timeout=5,
        )
        response.raise_for_status()

    def clear_faults(self) -> None:
        self.http.delete(f"{self.url}/__sandbox__/faults", timeout=5).raise_for_status()

    def requests(self, method: str | None = None) -> list[dict[str, Any]]:
        log = self.http.get(f"{self.url}/__sandbox__/requests", timeout=5).json()["requests"]
        return [r for r in log if method is None or r["method"] == method]

    def clear_requests(self) -> None:
        self.http.delete(f"{self.url}/__sandbox__/requests", timeout=5).raise_for_status()

    def suggest_faq(self, assistant_id: str, question: str, answer: str = "") -> dict[str, Any]:
        response = self.http.post(
            f"{self.url}/__sandbox__/assistants/{assistant_id}/suggest-faq",
            json={"question": question, "answer": answer},
            timeout=5,
        )
        response.raise_for_status()
        return response.json()["assistant"]

    def plant(self, assistant_id: str, **fields: Any) -> dict[str, Any]:
        """Store fields as an older Revox did, unchecked (a key or a null today's API refuses)."""
        response = self.http.post(
            f"{self.url}/__sandbox__/assistants/{assistant_id}/legacy-fields",
            json=fields,
            timeout=5,
        )
        assert response.status_code == 200, response.text
        return response.json()["assistant"]

    def schedule_calls(self, assistant_id: str, count: int, variables: list[str]) -> None:
        """Calls already scheduled that the next PATCHes won't reach (unpatchedCallsNotice)."""
        response = self.http.post(
            f"{self.url}/__sandbox__/assistants/{assistant_id}/scheduled-calls",
            json={"count": count, "variables": variables},
            timeout=5,
        )
        assert response.status_code == 200, response.text

    def script_call(
        self,
        phone_number: str = "*",
        *,
        attempts: list[str] | None = None,
        duration_ms: int | None = None,
        outcome: str | None = None,
        missing_fields: list[str] | None = None,
        times: int = 1,
    ) -> None:
        """What the next call(s) to that number ("*": any) do: each attempt "answered", "busy",
        "no_answer", "voicemail" or "error", how long one attempt lasts, the outcome, and which
        structured-output fields go uncaptured (sandbox/README.md)."""
        spec: dict[str, Any] = {"phone_number": phone_number, "times": times}
        for key, value in (
            ("attempts", attempts),
            ("duration_ms", duration_ms),
            ("outcome", outcome),
            ("missing_fields", missing_fields),
        ):
            if value is not None:
                spec[key] = value
        response = self.http.post(f"{self.url}/__sandbox__/call-scripts", json=spec, timeout=5)
        assert response.status_code == 200, response.text

    def advance_clock(self, ms: int) -> None:
        """Move the sandbox's clock (calls live on it) forward: a retry hours later, at once."""
        response = self.http.post(
            f"{self.url}/__sandbox__/clock", json={"advance_ms": ms}, timeout=5
        )
        assert response.status_code == 200, response.text

    def place_call(self, assistant_id: str, phone_number: str) -> dict[str, Any]:
        """POST /call as another tool would, outside the calling window too. Returns the call."""
        body = {"assistant_id": assistant_id, "phone_number": phone_number,
                "skip_calling_window": True}  # fmt: skip
        response = self.http.post(f"{self.api_url}/call", json=body, timeout=10)
        assert response.status_code == 200, response.text
        return response.json()["call"]

    def get_call(self, call_id: str) -> dict[str, Any]:
        response = self.http.get(f"{self.api_url}/call/{call_id}", timeout=5)
        response.raise_for_status()
        return response.json()["call"]

    def retrieve_shape(self, shape: str) -> None:
        """'flat' (Revox's real answer) or 'wrapped' ({"assistant": …}, as some docs show)."""
        response = self.http.post(
            f"{self.url}/__sandbox__/retrieve-shape", json={"shape": shape}, timeout=5
        )
        assert response.status_code == 200, response.text

    # Reading and writing Revox directly, as a teammate with another tool would.
    def get(self, assistant_id: str) -> dict[str, Any]:
        response = self.http.get(f"{self.api_url}/assistants/{assistant_id}", timeout=5)
        response.raise_for_status()
        body = response.json()
        return body["assistant"] if "id" not in body and "assistant" in body else body

    def get_status(self, assistant_id: str) -> int:
        return self.http.get(f"{self.api_url}/assistants/{assistant_id}", timeout=5).status_code

    def list(self) -> list[dict[str, Any]]:
        return self.http.get(f"{self.api_url}/assistants", timeout=10).json()["assistants"]

    def create(self, **params: Any) -> dict[str, Any]:
        params = {"name": "Test assistant", "prompt": "You are a test.", **params}
        response = self.http.post(f"{self.api_url}/assistants", json=params, timeout=5)
        assert response.status_code == 200, response.text
        return response.json()["assistant"]

    def patch(self, assistant_id: str, **params: Any) -> dict[str, Any]:
        response = self.http.patch(
            f"{self.api_url}/assistants/{assistant_id}", json=params, timeout=5
        )
        assert response.status_code == 200, response.text
        return response.json()["assistant"]

    def delete(self, assistant_id: str) -> None:
        self.http.delete(f"{self.api_url}/assistants/{assistant_id}", timeout=5).raise_for_status()


@pytest.fixture(autouse=True)
def no_secret_leaves_the_server() -> Iterator[None]:
    """Every test: no response and no log line carried the Revox key or a custom LLM key."""
    from tests import canary

    canary.violations.clear()
    yield
    leaks, canary.violations[:] = list(canary.violations), []
    assert not leaks, "Secrets leaked:\n" + "\n".join(leaks)


@pytest.fixture(autouse=True)
def empty_django_cache() -> Iterator[None]:
    """Each test starts with an empty cache framework (voice previews live there)."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(scope="session")
def sandbox_server() -> Iterator[RunningSandbox]:
    from django.conf import settings

    running = start_in_thread(seed="empty", api_key=settings.REVOX_API_KEY)
    yield running
    running.stop()


@pytest.fixture
def revox(sandbox_server: RunningSandbox, settings) -> Iterator[Sandbox]:
    """An empty sandbox, no faults, an empty request log, and the dashboard pointed at it."""
    sandbox = Sandbox(sandbox_server)
    sandbox.reset("empty")
    settings.REVOX_API_URL = sandbox.api_url
    settings.REVOX_API_KEY = sandbox_server.api_key
    yield sandbox
    sandbox.clear_faults()


@pytest.fixture
def demo_revox(revox: Sandbox) -> Sandbox:
    revox.reset("demo")
    return revox


def make_user(username: str, role: str | None, **extra: Any):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(
        username=username, email=f"{username}@example.com", password=PASSWORD,
        first_name=username.title(), **extra,
    )  # fmt: skip
    if role:
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


@pytest.fixture
def viewer(db):
    return make_user("vera", "Viewer")


@pytest.fixture
def editor(db):
    return make_user("ed", "Editor")


@pytest.fixture
def admin_user(db):
    return make_user("ada", "Admin")


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def viewer_client(viewer) -> Client:
    return _client_for(viewer)


@pytest.fixture
def editor_client(editor) -> Client:
    return _client_for(editor)


@pytest.fixture
def admin_client_(admin_user) -> Client:
    return _client_for(admin_user)


@pytest.fixture
def synced(demo_revox, db):
    """The demo assistants, in the sandbox and in the cache."""
    from assistants.cache.services import assistants_sync

    assistants_sync()
    return demo_revox


@pytest.fixture
def quick_give_up(monkeypatch):
    """A save that finds a teammate's save of the same assistant under way gives up after 0.2 s
    instead of 30 (a real one ends in well under a second)."""
    from assistants.editors import services

    monkeypatch.setattr(services, "SAVE_WAIT_SECONDS", 0.2)
