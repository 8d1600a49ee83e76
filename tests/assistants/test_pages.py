"""The list and overview pages: search, filters, sorting, freshness, and Revox trouble."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from assistants.cache.services import assistants_sync
from assistants.models import Assistant, SyncState

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    return [a.name for a in response.context["page"]]


def test_the_list_shows_every_assistant(synced, viewer_client):
    response = viewer_client.get("/assistants/")
    assert response.status_code == 200
    assert sorted(names(response)) == sorted(a["name"] for a in synced.list())
    assert (
        "13 assistants" in response.content.decode() or "assistants." in response.content.decode()
    )


def test_search_covers_names_prompts_and_faq_text(synced, viewer_client):
    target = synced.create(name="Zebra Zoo", prompt="You sell tickets for the aquarium.",
                           faq_items=[{"question": "Is parking free?", "answer": "Yes, in lot Bravo-Quebec."}])  # fmt: skip
    assistants_sync()
    for query in ("zebra", "AQUARIUM", "lot bravo-quebec"):
        assert names(viewer_client.get("/assistants/", {"q": query})) == [target["name"]], query
    assert names(viewer_client.get("/assistants/", {"q": "no-such-thing-anywhere"})) == []


def test_filters_combine(synced, viewer_client):
    rows = Assistant.objects.all()
    expected = sorted(
        a.name for a in rows if a.voice_provider == "cartesia" and a.pending_faq_count > 0
    )
    response = viewer_client.get("/assistants/", {"provider": "cartesia", "pending": "1"})
    assert sorted(names(response)) == expected
    response = viewer_client.get("/assistants/", {"llm": "realtime"})
    assert {a.llm_kind for a in response.context["page"]} == {"realtime"}


@pytest.mark.parametrize("sort", ["name", "-name", "pending", "-faq", "updated", "-voice", "llm"])
def test_every_column_sorts(synced, viewer_client, sort):
    response = viewer_client.get("/assistants/", {"sort": sort})
    assert response.status_code == 200 and response.context["sort"] == sort
    if sort in ("name", "-name"):
        assert names(response) == sorted(names(response), reverse=sort.startswith("-"))


def test_fifty_a_page(revox, viewer_client):
    revox.reset(
        {"assistants": 120, "faqs_per_assistant": 1, "pending_ratio": 0, "prompt_bytes": 100}
    )
    assistants_sync()
    page1 = viewer_client.get("/assistants/")
    page3 = viewer_client.get("/assistants/", {"page": 3})
    assert len(page1.context["page"]) == 50 and len(page3.context["page"]) == 20
    assert "Page 1 of 3" in page1.content.decode()


def test_htmx_search_gets_only_the_results(synced, viewer_client):
    response = viewer_client.get(
        "/assistants/", {"q": "dental"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="assistant-results"
    )
    assert b"<html" not in response.content and b"<table" in response.content
    assert response["Vary"].count("HX-Request") == 1


def test_a_fresh_cache_makes_no_revox_call(synced, viewer_client):
    synced.clear_requests()
    viewer_client.get("/assistants/")
    viewer_client.get("/assistants/", {"q": "a"})
    assert synced.requests() == []


def test_a_stale_cache_renders_at_once_and_refreshes_in_the_background(synced, viewer_client):
    SyncState.objects.filter(pk=1).update(last_success_at=timezone.now() - timedelta(minutes=10))
    synced.clear_requests()
    response = viewer_client.get("/assistants/")
    assert synced.requests() == []  # nobody waited on Revox
    page = response.content.decode()
    assert 'hx-post="/assistants/refresh/" hx-trigger="load"' in page
    assert "it may have changed in Revox since" in page
    refreshed = viewer_client.post("/assistants/refresh/", HTTP_HX_REQUEST="true")
    assert (
        refreshed.status_code == 200
        and b'id="revox-banner" hx-swap-oob="true"' in refreshed.content
    )
    assert [r["path"] for r in synced.requests("GET")] == ["/assistants"]


def test_the_refresh_button_works_without_javascript(synced, viewer_client):
    synced.patch(synced.list()[0]["id"], name="Quokka Quarters")
    response = viewer_client.post(
        "/assistants/refresh/", {"next": "/assistants/?q=quokka"}, follow=True
    )
    assert names(response) == ["Quokka Quarters"]
    assert "Up to date with Revox" in response.content.decode()


def test_with_revox_down_the_list_renders_from_the_cache_with_a_banner(synced, viewer_client):
    synced.faults({"path": "/assistants", "drop": True})
    refreshed = viewer_client.post("/assistants/refresh/", follow=True)
    page = refreshed.content.decode()
    assert "Revox unreachable" in page and "showing data from" in page
    assert len(refreshed.context["page"]) == Assistant.objects.count() > 0
    assert "Could not refresh from Revox" in page


def test_the_overview_shows_a_card_per_group(synced, viewer_client):
    from assistants.editors.groups import GROUPS

    target = Assistant.objects.order_by("name").first()
    response = viewer_client.get(f"/assistants/{target.revox_id}/")
    page = response.content.decode()
    for group in GROUPS.values():
        assert f'id="card-{group.slug}"' in page
        assert f"/assistants/{target.revox_id}/edit/{group.slug}/" in page
    assert target.revox_id in page


def test_the_overview_draws_the_calling_plan_as_a_week(revox, viewer_client):
    revox.create(name="Weekend desk", call_retry_config={
        "calling_windows": [{"calling_window_start_time": "9am", "calling_window_end_time": "1pm",
                             "retry_delay_seconds": 3600}],
        "max_retry_attempts": 2, "allowed_days": ["saturday", "sunday"],
        "call_twice_in_a_row": False, "timezone": "Europe/Paris",
    })  # fmt: skip
    assistants_sync()
    target = Assistant.objects.get(name="Weekend desk")
    page = viewer_client.get(f"/assistants/{target.revox_id}/").content.decode()
    card = page[page.index('id="card-retry"') : page.index('id="card-faq"')]
    assert "Up to 2 attempts, Sat and Sun, 09:00–13:00 Paris time, 1 h apart" in card
    assert 'class="week-grid week-grid-compact mb-0"' in card
    assert card.count('class="week-grid-span"') == 2  # Saturday and Sunday, 09:00–13:00
    assert (
        '<rect x="540" y="0" width="240" height="10" class="week-grid-span"><title>Sat 09:00–13:00</title>'
        in card
    )
    assert card.count("week-grid-off") == 5
    assert "Paris time (Europe/Paris)" in card


def test_the_overview_of_an_unknown_assistant_is_a_404(synced, viewer_client):
    assert viewer_client.get("/assistants/nope/").status_code == 404


def test_a_rejected_key_shows_a_clear_page_and_admins_see_the_setting(
    synced, admin_client_, viewer_client, settings
):
    settings.REVOX_API_KEY = "revoked"
    target = Assistant.objects.first()
    response = admin_client_.get(f"/assistants/{target.revox_id}/edit/general/")
    assert response.status_code == 503
    assert (
        "rejected our API key" in response.content.decode()
        and "REVOX_API_KEY" in response.content.decode()
    )
    response = viewer_client.get(f"/assistants/{target.revox_id}/edit/general/")
    assert "REVOX_API_KEY" not in response.content.decode()
    assert "revoked" not in response.content.decode()


def test_health_reports_revox_and_the_cache(synced, client, settings):
    body = client.get("/health/").json()
    assert body["status"] == "ok" and body["revox"] == body["revox"] | {
        "reachable": True,
        "key_valid": True,
    }
    assert body["cache"]["age_seconds"] is not None
    settings.REVOX_API_KEY = "revoked"
    response = client.get("/health/")
    assert response.status_code == 503 and response.json()["revox"]["key_valid"] is False
    assert "revoked" not in response.content.decode()


def test_health_asks_revox_about_the_key_through_auth_status(synced, client, settings):
    synced.clear_requests()
    body = client.get("/health/").json()
    assert set(body) == {"status", "revox", "cache"}
    assert set(body["revox"]) == {"reachable", "key_valid", "latency_ms", "error"}
    assert [r["path"] for r in synced.requests()] == ["/auth-status"]
    # A Revox that says "no" with a 401 rather than {"authenticated": false}: the same verdict.
    synced.faults({"path": "/auth-status", "status": 401})
    assert client.get("/health/").json()["revox"] | {"latency_ms": 0} == {
        "reachable": True, "key_valid": False, "latency_ms": 0, "error": ""
    }  # fmt: skip
    synced.faults({"path": "/auth-status", "status": 503})
    down = client.get("/health/")
    assert down.status_code == 503 and down.json()["revox"]["reachable"] is False
    assert down.json()["revox"]["key_valid"] is None and "503" in down.json()["revox"]["error"]


def test_the_rejected_key_page_says_what_revox_says_of_the_key(synced, admin_client_):
    target = Assistant.objects.first()
    # A 401 for one request while Revox says the key is fine: say so, and offer to retry.
    synced.faults({"method": "GET", "path": "/assistants/*", "status": 401, "times": 1})
    page = admin_client_.get(f"/assistants/{target.revox_id}/edit/general/").content.decode()
    assert "Revox says the key <strong>is valid</strong>" in page and "Try again" in page
    synced.faults(
        {"method": "GET", "path": "/assistants/*", "status": 401},
        {"path": "/auth-status", "json": {"authenticated": False}},
    )
    page = admin_client_.get(f"/assistants/{target.revox_id}/edit/general/").content.decode()
    assert "Revox confirms the key <strong>is not valid</strong>" in page
    synced.faults(
        {"method": "GET", "path": "/assistants/*", "status": 401},
        {"path": "/auth-status", "status": 502},
    )
    page = admin_client_.get(f"/assistants/{target.revox_id}/edit/general/").content.decode()
    assert "couldn't be asked whether the key is valid" in page


def test_the_navigation_shows_the_pending_total(synced, viewer_client):
    total = sum(a["pending_faq_count"] for a in synced.list())
    page = viewer_client.get("/assistants/").content.decode()
    assert f'id="nav-pending-count" title="Answers waiting for review">{total}<' in page


def test_search_follows_changes_and_ignores_accents(synced, viewer_client):
    target = synced.create(
        name="Quiet Quail", prompt="You handle zébrafïsh bookings for parakeets."
    )
    assistants_sync()
    assert names(viewer_client.get("/assistants/", {"q": "zebrafish"})) == ["Quiet Quail"]
    assert names(viewer_client.get("/assistants/", {"q": "parake"})) == [
        "Quiet Quail"
    ]  # word prefix
    assert names(viewer_client.get("/assistants/", {"q": "iet qua"})) == [
        "Quiet Quail"
    ]  # inside a name

    synced.patch(target["id"], prompt="You now handle hamsters.")
    assistants_sync()
    assert names(viewer_client.get("/assistants/", {"q": "parakeets"})) == []
    assert names(viewer_client.get("/assistants/", {"q": "hamsters"})) == ["Quiet Quail"]

    synced.delete(target["id"])
    assistants_sync()
    assert names(viewer_client.get("/assistants/", {"q": "hamsters"})) == []
    assert (
        viewer_client.get("/assistants/", {"q": '"*:()^'}).status_code == 200
    )  # no word: no crash
