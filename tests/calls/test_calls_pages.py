"""The calls pages (/calls/, an assistant's calls tab) and outcomes per change, on calls taken
from the sandbox's demo history (or written as Revox would describe them)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from assistants.calls.models import Call
from assistants.calls.outcomes import p_value, two_proportion_z
from assistants.calls.refresh import calls_store
from assistants.history_entries import change_record
from assistants.models import Assistant, Change
from assistants.revox import get_client


def search_all(**filters) -> list[dict]:
    """Every call of the sandbox matching `filters`, through the dashboard's client."""
    calls, page = [], 1
    while True:
        params = {
            "assignee_ids": [], "assistant_ids": [], "campaign_ids": [], "directions": [],
            "from_phone_numbers": [], "outcomes": [], "results": [], "statuses": [],
            "page": page, "page_size": 100, **filters,
        }  # fmt: skip
        found = get_client().search_calls(params).calls
        calls += found
        if len(found) < 100:
            return calls
        page += 1


def linden() -> Assistant:
    return Assistant.objects.get(name__startswith="The Linden Hotel")


@pytest.fixture
def linden_calls(synced):
    """The Linden Hotel's demo history (400 calls: one change better, one worse, one neutral)
    in the call record, and two calls of another assistant."""
    assistant = linden()
    calls_store(search_all(assistant_ids=[assistant.revox_id]))
    other = Assistant.objects.get(name__startswith="Brightsmile Dental")
    calls_store(search_all(assistant_ids=[other.revox_id])[:2])
    return assistant


def rows(page: str) -> list[str]:
    return re.findall(r'<tr class="call-row" data-outcome="([^"]*)"', page)


def test_all_calls_are_listed_newest_first_and_paged(linden_calls, viewer_client):
    page = viewer_client.get("/calls/").content.decode()
    assert len(rows(page)) == 50
    times = re.findall(r'<time datetime="([^"]+)"', page[page.index("call-table") :])
    assert times == sorted(times, reverse=True)
    older = viewer_client.get("/calls/?page=2").content.decode()
    assert 'rel="prev"' in older and 'rel="next"' in older
    last = viewer_client.get("/calls/?page=9").content.decode()
    assert len(rows(last)) == 402 - 8 * 50 and 'rel="next"' not in last
    pages = [viewer_client.get(f"/calls/?page={n}").content.decode() for n in range(1, 10)]
    assert sum(p.count("Brightsmile Dental") for p in pages) == 2


def test_an_assistants_calls_are_filtered_by_outcome_result_and_summary(
    linden_calls, viewer_client
):
    url = f"/assistants/{linden_calls.revox_id}/calls/"
    page = viewer_client.get(url).content.decode()
    assert 'id="tab-calls"' in page and "Brightsmile" not in page
    interested = viewer_client.get(url, {"outcome": "interested"}).content.decode()
    assert set(rows(interested)) == {"interested"}
    expected = Call.objects.filter(assistant_revox_id=linden_calls.revox_id,
                                   outcome="interested").count()  # fmt: skip
    assert len(rows(interested)) == min(50, expected)
    nobody = viewer_client.get(url, {"outcome": "none"}).content.decode()
    assert set(rows(nobody)) == {"none"}
    voicemail = viewer_client.get(url, {"result": "voicemail"}).content.decode()
    assert "Voicemail" in voicemail and "A person answered" not in voicemail.split("call-table")[1]
    some = Call.objects.filter(assistant_revox_id=linden_calls.revox_id).exclude(summary="")[0]
    word = some.summary.split()[-2]
    found = viewer_client.get(url, {"q": word}).content.decode()
    assert rows(found) and all(
        word.lower() in s.lower()
        for s in Call.objects.filter(summary__icontains=word).values_list("summary", flat=True)
    )
    none = viewer_client.get(url, {"q": "zebra crossing"}).content.decode()
    assert 'id="calls-empty"' in none and "No call matches these filters." in none


def test_a_date_range_keeps_the_calls_of_those_days(linden_calls, viewer_client):
    newest = Call.objects.filter(assistant_revox_id=linden_calls.revox_id).first().created_at
    day = timezone.localtime(newest).date()
    url = f"/assistants/{linden_calls.revox_id}/calls/"
    page = viewer_client.get(url, {"date_from": day.isoformat(), "date_to": day.isoformat()})
    days = re.findall(r'<time datetime="(\d{4}-\d\d-\d\d)', page.content.decode())
    assert days and set(days) == {day.isoformat()}
    earlier = (day - timedelta(days=400)).isoformat()
    none = viewer_client.get(url, {"date_from": earlier, "date_to": earlier}).content.decode()
    assert 'id="calls-empty"' in none


def test_odd_filters_never_break_the_page(linden_calls, viewer_client):
    for query in ({"outcome": "<script>"}, {"date_from": "31/02/2026"}, {"page": "-3"},
                  {"page": "99999"}, {"date_from": "2026-12-05", "date_to": "2026-01-01"}):  # fmt: skip
        response = viewer_client.get("/calls/", query)
        assert response.status_code == 200, query
    reversed_dates = viewer_client.get(
        "/calls/", {"date_from": "2026-12-05", "date_to": "2026-01-01"}
    ).content.decode()
    assert "The first day comes after the last one." in reversed_dates


def test_an_htmx_filter_answers_with_the_results_alone(linden_calls, viewer_client):
    response = viewer_client.get("/calls/", {"outcome": "completed"}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="call-results">') and "<html" not in page
    assert set(rows(page)) == {"completed"}


def test_a_recorded_call_shows_its_conversation_and_plays_its_recording(
    linden_calls, viewer_client
):
    call = Call.objects.filter(assistant_revox_id=linden_calls.revox_id, answered=True,
                               outcome="completed").first()  # fmt: skip
    page = viewer_client.get(f"/calls/{call.revox_id}/").content.decode()
    assert 'id="call-transcript"' in page and 'id="call-attempts"' in page
    assert call.summary in page
    assert 'id="call-recording"' in page
    audio = viewer_client.get(f"/calls/{call.revox_id}/recording/")
    assert audio.status_code == 200 and audio.content[:4] == b"RIFF"


def test_a_call_of_an_older_version_shows_what_changed_since(linden_calls, viewer_client):
    oldest = Call.objects.filter(assistant_revox_id=linden_calls.revox_id).last()
    page = viewer_client.get(f"/calls/{oldest.revox_id}/").content.decode()
    assert 'id="config-differs"' in page
    newest = Call.objects.filter(assistant_revox_id=linden_calls.revox_id).first()
    assert 'id="config-same"' in viewer_client.get(f"/calls/{newest.revox_id}/").content.decode()


def test_an_unknown_call_is_a_404(db, viewer_client):
    assert viewer_client.get("/calls/nope/").status_code == 404
    assert viewer_client.get("/calls/nope/recording/").status_code == 404


def test_the_outcomes_page_says_which_change_was_better_and_which_worse(
    linden_calls, viewer_client
):
    page = viewer_client.get(f"/assistants/{linden_calls.revox_id}/outcomes/").content.decode()
    assert 'id="outcomes-chart"' in page and 'id="outcomes-table"' in page
    better = re.search(r'id="version-2-verdict">(.*?)</p>', page, re.S).group(1)
    worse = re.search(r'id="version-4-verdict">(.*?)</p>', page, re.S).group(1)
    neutral = re.search(r'id="version-3-verdict">(.*?)</p>', page, re.S).group(1)
    assert "Better, beyond chance" in better
    assert "Worse, beyond chance" in worse
    assert "No difference beyond chance" in neutral
    # The changes were made in Revox directly, not from the dashboard.
    assert 'id="version-2-outside"' in page and 'id="version-4-outside"' in page
    assert "First sentence" in page and "Model" in page


def test_a_dashboard_change_links_to_how_it_did(linden_calls, editor, viewer_client):
    newest = Call.objects.filter(assistant_revox_id=linden_calls.revox_id).first()
    entry = change_record(
        user=editor, kind=Change.Kind.UPDATE,
        assistant={"id": linden_calls.revox_id, "name": linden_calls.name}, group="general",
        before={"first_sentence": "Hi"}, after={"first_sentence": "Hello"}, summary="General",
    )  # fmt: skip
    # Written a moment after Revox stamped the newest version: that version's change.
    Change.objects.filter(pk=entry.pk).update(created_at=newest.version_at + timedelta(seconds=3))
    history = viewer_client.get(f"/assistants/{linden_calls.revox_id}/history/").content.decode()
    link = f"/assistants/{linden_calls.revox_id}/outcomes/#change-{entry.pk}"
    assert link in history
    page = viewer_client.get(f"/assistants/{linden_calls.revox_id}/outcomes/").content.decode()
    anchor = page.index(f'id="change-{entry.pk}"')
    assert page.rindex('id="version-', 0, anchor) == page.index('id="version-4"')
    assert 'id="version-4-outside"' not in page and "Changed in the dashboard" in page


def test_a_change_no_call_ran_with_yet_says_so(linden_calls, editor, viewer_client):
    entry = change_record(
        user=editor, kind=Change.Kind.UPDATE,
        assistant={"id": linden_calls.revox_id, "name": linden_calls.name}, group="voice",
        before={"voice": {"speed": 1}}, after={"voice": {"speed": 1.1}}, summary="Voice",
    )  # fmt: skip
    page = viewer_client.get(f"/assistants/{linden_calls.revox_id}/outcomes/").content.decode()
    pending = page[page.index('id="pending-title"') :]
    assert f'id="change-{entry.pk}"' in pending and "Not enough calls yet to tell." in pending


def test_an_assistant_without_calls_has_an_empty_outcomes_page(synced, viewer_client):
    assistant = linden()
    page = viewer_client.get(f"/assistants/{assistant.revox_id}/outcomes/").content.decode()
    assert 'id="outcomes-empty"' in page


def test_the_z_test_matches_a_worked_example():
    # 60 of 100 against 40 of 100: z = 2.83, p = 0.0047.
    z = two_proportion_z(60, 100, 40, 100)
    assert round(z, 2) == 2.83 and round(p_value(z), 4) == 0.0047
    assert two_proportion_z(0, 0, 3, 10) == 0.0
    assert two_proportion_z(5, 5, 7, 7) == 0.0


def test_a_test_call_is_in_the_call_record_at_once(synced, editor_client, fake_calls):
    from tests.calls.test_place import NUMBER, overview_form, place

    assistant = linden()
    data = overview_form(editor_client, assistant.revox_id)
    response = place(editor_client, assistant.revox_id, data, **{"call-phone_number": NUMBER})
    assert response.status_code == 302
    record = Call.objects.get()
    assert record.revox_id == "call_1" and record.status == "queued_for_calling"
    listing = editor_client.get(f"/assistants/{assistant.revox_id}/calls/").content.decode()
    assert "/calls/call_1/" in listing
    fake_calls.set("call_1", status="completed", outcome="interested")
    editor_client.get("/calls/call_1/")  # the test call's page reads it again
    record.refresh_from_db()
    assert record.final and record.outcome == "interested"
