"""Limits on what anyone signed in, or anyone at all, can make the dashboard do again and again
(issue 24): full syncs from Revox, password-reset e-mails, sign-in attempts from one address."""

from __future__ import annotations

import pytest
from django.test import Client

from assistants.cache.services import REFRESH_LEASE, REFRESH_TOO_SOON
from assistants.models import Lease
from assistants.team.views import ADDRESS_LOCKED_OUT_MESSAGE
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def full_reads(revox) -> int:
    return [r["path"] for r in revox.requests("GET")].count("/assistants")


@pytest.mark.parametrize("page", ["/assistants/refresh/", "/faq-review/refresh/"])
def test_refresh_clicked_again_and_again_reads_revox_once(synced, viewer_client, page):
    synced.clear_requests()
    answers = [viewer_client.post(page, follow=True) for _ in range(30)]
    assert full_reads(synced) == 1
    assert all(a.status_code == 200 for a in answers)
    assert REFRESH_TOO_SOON in answers[-1].content.decode().replace("&#x27;", "'")


def test_the_limit_is_shared_by_the_list_and_the_faq_queue(synced, viewer_client, editor_client):
    synced.clear_requests()
    viewer_client.post("/assistants/refresh/")
    editor_client.post("/faq-review/refresh/", headers={"HX-Request": "true"})
    assert full_reads(synced) == 1


def test_a_refresh_is_possible_again_after_the_interval(synced, viewer_client):
    synced.patch(synced.list()[0]["id"], name="Quokka Quarters")
    synced.clear_requests()
    viewer_client.post("/assistants/refresh/")
    Lease.objects.filter(name=REFRESH_LEASE).update(expires_at="2000-01-01T00:00:00Z")
    page = viewer_client.post("/assistants/refresh/", follow=True).content.decode()
    assert full_reads(synced) == 2
    assert "Quokka Quarters" in page and "Up to date with Revox" in page


def test_the_background_refresh_of_a_stale_page_is_not_held_back(synced, viewer_client):
    """The limit is on clicks: a page finding its copy stale still refreshes it."""
    from django.utils import timezone

    from assistants.models import SyncState

    viewer_client.post("/assistants/refresh/")
    SyncState.objects.update(last_success_at=timezone.now() - timezone.timedelta(hours=1))
    synced.clear_requests()
    viewer_client.post("/assistants/refresh/", {"when": "stale"}, headers={"HX-Request": "true"})
    assert full_reads(synced) == 1


# -- password-reset e-mails --------------------------------------------------------------------


def test_twenty_reset_requests_for_one_address_send_one_e_mail(db, mailoutbox):
    make_user("rita", "Viewer")
    answers = [
        Client(REMOTE_ADDR="203.0.113.20").post(
            "/accounts/password/reset/", {"email": "rita@example.com"}
        )
        for _ in range(20)
    ]
    assert len(mailoutbox) == 1
    # Every answer looks the same: the page tells no one what was sent.
    assert {(a.status_code, a["Location"]) for a in answers} == {
        (302, "/accounts/password/reset/done/")
    }


def test_one_network_address_cannot_send_resets_to_everyone(db, mailoutbox, settings):
    for n in range(12):
        make_user(f"member{n}", "Viewer")
    sender = Client(REMOTE_ADDR="203.0.113.21")
    for n in range(12):
        sender.post("/accounts/password/reset/", {"email": f"member{n}@example.com"})
    assert len(mailoutbox) == settings.PASSWORD_RESETS_PER_NETWORK_ADDRESS == 5
    # Someone else, elsewhere, still gets their link.
    Client(REMOTE_ADDR="198.51.100.8").post(
        "/accounts/password/reset/", {"email": "member11@example.com"}
    )
    assert len(mailoutbox) == 6 and mailoutbox[-1].to == ["member11@example.com"]


# -- sign-in attempts from one address ------------------------------------------------------


def test_failures_spread_over_user_names_pause_signing_in_from_that_address(db):
    for name in ("ann", "ben", "cat", "dan"):
        make_user(name, "Viewer")
    attacker = Client(REMOTE_ADDR="203.0.113.30")
    for name in ("ann", "ben", "cat"):
        for _ in range(4):  # one short of the per-name lockout
            attacker.post("/accounts/login/", {"username": name, "password": "guess"})
    paused = attacker.post("/accounts/login/", {"username": "dan", "password": PASSWORD})
    assert paused.status_code == 429
    assert ADDRESS_LOCKED_OUT_MESSAGE in paused.content.decode().replace("&#x27;", "'")
    # The people themselves, from their own network, still sign in.
    assert (
        Client(REMOTE_ADDR="198.51.100.9")
        .post("/accounts/login/", {"username": "ann", "password": PASSWORD})
        .status_code
        == 302
    )


def test_a_few_typos_from_a_shared_office_address_pause_nobody(db):
    for name in ("ann", "ben"):
        make_user(name, "Viewer")
    office = Client(REMOTE_ADDR="203.0.113.31")
    for name in ("ann", "ben"):
        office.post("/accounts/login/", {"username": name, "password": "typo"})
        office.post("/accounts/login/", {"username": name, "password": "typo again"})
    response = office.post("/accounts/login/", {"username": "ben", "password": PASSWORD})
    assert response.status_code == 302
