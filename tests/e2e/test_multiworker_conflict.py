"""Two people, two browsers, two gunicorn workers, one assistant: the second save sees the
conflict and nothing is silently overwritten (tests/multiworker/servers.py: 3 workers on
PostgreSQL, Redis, the sandbox as its own process).

Alice's save is held up in Revox for a moment; Bob saves meanwhile, so his request is served by
another worker (hers is busy) and reads the assistant before her PATCH has landed. Without the
save claim shared by the workers, both would pass the conflict check and one would overwrite the
other.
"""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from assistants.models import Lease
from tests.conftest import make_user
from tests.e2e.conftest import login, shot
from tests.multiworker.servers import app_servers, servers  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db(transaction=True)


def wait_until(condition, *, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the condition never came true"
        time.sleep(0.02)


def saves_served_by(page, path: str) -> list[int]:
    """The worker of every save the page posts to `path`, as the answers name it."""
    workers: list[int] = []
    page.on("response", lambda r: workers.append(int(r.headers["x-served-by"]))
            if r.request.method == "POST" and r.url.endswith(path) else None)  # fmt: skip
    return workers


def test_two_browsers_on_two_workers_edit_one_assistant_and_the_second_sees_the_conflict(
    servers,  # noqa: F811 (the fixture imported above)
    new_page,
):
    sandbox = servers.sandbox
    created = sandbox.create(name="Front desk", prompt="You greet callers.")
    make_user("alice", "Editor")
    make_user("bob", "Editor")
    path = f"/assistants/{created['id']}/edit/general/"
    alice, bob = new_page(), new_page()
    for page, name in ((alice, "alice"), (bob, "bob")):
        login(page, servers.url, name)
        page.goto(servers.url + path)
    alice.get_by_label("Name").fill("Front desk (Alice)")
    bob.get_by_label("Name").fill("Front desk (Bob)")
    alice_workers, bob_workers = saves_served_by(alice, path), saves_served_by(bob, path)
    sandbox.faults({"method": "PATCH", "path": f"/assistants/{created['id']}", "delay_ms": 1500,
                    "times": 1})  # fmt: skip

    alice.get_by_role("button", name="Save general").click()
    wait_until(lambda: Lease.objects.filter(name=f"assistant-save:{created['id']}").exists())
    bob.get_by_role("button", name="Save general").click()

    expect(alice.locator("#toasts")).to_contain_text("saved to Revox")
    expect(bob.locator("#conflict")).to_contain_text("Someone changed general since you opened it")
    expect(bob.locator("#conflict")).to_contain_text("Front desk (Alice)")
    expect(bob.get_by_label("Name")).to_have_value("Front desk (Bob)")  # his typing is kept
    shot(alice, "multiworker-1-alice-saved")
    shot(bob, "multiworker-2-bob-sees-the-conflict")
    assert sandbox.get(created["id"])["name"] == "Front desk (Alice)"
    assert [r["method"] for r in sandbox.requests("PATCH")] == ["PATCH"]  # Bob's never went
    assert len(alice_workers) == len(bob_workers) == 1 and alice_workers != bob_workers

    bob.get_by_role("button", name="Keep mine (overwrite theirs)").click()
    expect(bob.locator("#toasts")).to_contain_text("saved to Revox")
    assert sandbox.get(created["id"])["name"] == "Front desk (Bob)"  # a decision, not an accident
