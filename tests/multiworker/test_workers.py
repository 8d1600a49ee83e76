"""Three gunicorn workers on one PostgreSQL database, Django's cache on Redis, the sandbox as its
own process: what one worker does, the others see; what must happen once happens once.

Requests are made to overlap on purpose (the sandbox holds Revox's answers back), and a sync
worker serves one request at a time, so overlapping requests are served by different workers;
each answer names its worker (X-Served-By), and the tests check that they were different.
"""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
import requests
from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password
from django.utils import timezone

from assistants.cache.services import REFRESH_LEASE, assistants_sync
from assistants.models import Assistant, Change, Lease, SyncState
from assistants.team.views import LOCKED_OUT_MESSAGE
from bench.clients import CSRF_FIELD
from tests.conftest import PASSWORD, make_user
from tests.multiworker.servers import at_once, served_by

pytestmark = [pytest.mark.django_db(transaction=True)]

SEED = {"assistants": 300, "faqs_per_assistant": 4, "pending_ratio": 0.2, "prompt_bytes": 1000}


@pytest.fixture
def editors(servers):
    for name in ("alice", "bob", "carol"):
        make_user(name, "Editor")
    return [servers.signed_in(name) for name in ("alice", "bob", "carol")]


def refresh(dashboard, **data):
    """The list page's Refresh, as htmx posts it (or, with when=stale, its background refresh)."""
    token = dashboard.http.cookies["csrftoken"]

    def post():
        response, _ = dashboard.post(
            "/assistants/refresh/", data={"csrfmiddlewaretoken": token, **data},
            headers={"Referer": dashboard.url + "/assistants/", "HX-Request": "true"},
        )  # fmt: skip
        assert response.status_code == 200, response.text[-2000:]
        return response

    return post


def test_two_syncs_started_at_the_same_moment_write_each_row_once(servers, editors):
    sandbox = servers.sandbox
    sandbox.reset(SEED)
    # Both workers wait on Revox's answer together, then write the cache at the same moment.
    sandbox.faults({"method": "GET", "path": "/assistants", "delay_ms": 800})
    alice, bob, _ = editors
    SyncState.objects.all().delete()  # never filled, and no page fills it first: the POSTs do

    first = at_once([refresh(alice), refresh(bob)])

    assert served_by(first[0]) != served_by(first[1])
    assert Assistant.objects.count() == 300
    assert all("Could not refresh" not in r.text for r in first)

    changed = [a["id"] for a in sandbox.list()[:50]]
    for revox_id in changed:  # a teammate changes 50 assistants outside the dashboard
        sandbox.patch(revox_id, sms_enabled=True)
    Lease.objects.filter(name=REFRESH_LEASE).delete()  # as if the few seconds had passed
    second = at_once([refresh(alice), refresh(bob)])

    assert served_by(second[0]) != served_by(second[1])
    # Each outside change is in the history once, not once per worker.
    external = Change.objects.filter(kind=Change.Kind.EXTERNAL)
    assert sorted(external.values_list("assistant_revox_id", flat=True)) == sorted(changed)
    cached = Assistant.objects.values_list("data", flat=True)
    assert sum(data.get("sms_enabled") is True for data in cached) == 50


def test_refresh_clicks_on_every_worker_at_once_read_revox_once(servers, editors):
    """Anyone signed in may click Refresh, each a full read of Revox: the clicks of three
    people on three workers at the same moment make one (issue 24)."""
    sandbox = servers.sandbox
    sandbox.reset(SEED)
    assistants_sync()
    sandbox.clear_requests()
    sandbox.faults({"method": "GET", "path": "/assistants", "delay_ms": 800})

    answers = at_once([refresh(d) for d in editors])

    assert len({served_by(a) for a in answers}) == 3
    assert [r["path"] for r in sandbox.requests("GET")].count("/assistants") == 1


def test_a_stale_cache_is_refreshed_once_across_workers(servers, editors):
    sandbox = servers.sandbox
    sandbox.reset(SEED)
    assistants_sync()
    SyncState.objects.update(last_success_at=timezone.now() - timedelta(hours=1))
    sandbox.clear_requests()
    sandbox.faults({"method": "GET", "path": "/assistants", "delay_ms": 800})

    # Three people open the stale list at once; each page asks for its background refresh.
    answers = at_once([refresh(editor, when="stale") for editor in editors])

    assert len({served_by(r) for r in answers}) == 3
    assert [r["path"] for r in sandbox.requests("GET") if r["path"] == "/assistants"] == [
        "/assistants"
    ]
    assert SyncState.get().last_success_at > timezone.now() - timedelta(minutes=1)
    assert not Lease.objects.exists()


def test_login_lockout_counts_failures_across_workers(servers):
    user = make_user("dora", "Editor")
    # Production's hashing, so that each failed attempt keeps its worker busy a moment and
    # the attempts are spread over the workers.
    user.password = make_password(PASSWORD, hasher=PBKDF2PasswordHasher())
    user.save()

    failures = at_once([lambda: sign_in(servers.url, "dora", "wrong password")] * 5)

    assert len({served_by(r) for r in failures}) >= 2
    assert all(r.status_code in (200, 429) and "sessionid" not in r.cookies for r in failures)
    locked = sign_in(servers.url, "dora", PASSWORD)  # the right password, but too late
    assert locked.status_code == 429 and LOCKED_OUT_MESSAGE in html.unescape(locked.text)
    assert "sessionid" not in locked.cookies


def sign_in(url: str, username: str, password: str) -> requests.Response:
    http = requests.Session()
    page = http.get(url + "/accounts/login/", timeout=30)
    return http.post(
        url + "/accounts/login/",
        data={"username": username, "password": password,
              "csrfmiddlewaretoken": CSRF_FIELD.search(page.text).group(1)},
        headers={"Referer": url + "/accounts/login/"}, timeout=60, allow_redirects=False,
    )  # fmt: skip
