"""An assistant's name comes from Revox and may hold a right-to-left override: "Refund\u202egnp.exe"
shows as "Refundexe.png" and reverses whatever follows it on the same line (an icon, " · Revox
Admin", the next column's words). Every page that shows a name isolates it: `<bdi>` in the
page, FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE in the window title, where only plain text
goes. Attributes are left as they are: an accessible name is heard (or said, by speech control
users), not drawn, and a tooltip holding only the name has nothing after it to reverse. What
Chromium then draws is in tests/e2e/test_revox_text_in_chromium.py."""

from __future__ import annotations

import re

import pytest

from assistants.cache.services import assistants_sync
from assistants.calls.models import Call
from assistants.calls.refresh import calls_store
from assistants.jobs.models import Job
from assistants.models import Assistant
from assistants.revox import get_client
from tests.html_forms import as_post, form_fields
from tests.jobs.inline import run_queued_jobs

SPOOF = "Refund\u202egnp.exe"
ATTRIBUTE = re.compile(r'\s[\w:-]+="[^"]*"')
# The window titles that name the assistant (the others name the page only).
TITLED = {"the overview", "an editor", "its calls", "outcomes per change", "a call",
          "its history", "a test call"}  # fmt: skip


def unisolated(page: str) -> int:
    """How often the name is drawn as text in `page` (attributes aside) outside `<bdi>` and
    outside the isolates."""
    shown = ATTRIBUTE.sub("", page)
    return (
        shown.count(SPOOF)
        - shown.count(f"<bdi>{SPOOF}</bdi>")
        - shown.count(f"\u2068{SPOOF}\u2069")
    )


@pytest.fixture
def spoofed(synced) -> Assistant:
    """The Linden Hotel renamed in Revox to a name that reverses what follows it, synced, with
    its calls in the call record under that name and one FAQ answer waiting for review."""
    linden = Assistant.objects.get(name__startswith="The Linden Hotel")
    get_client().update_assistant(linden.revox_id, {"name": SPOOF})
    assistants_sync()
    params = {
        "assignee_ids": [], "assistant_ids": [linden.revox_id], "campaign_ids": [],
        "directions": [], "from_phone_numbers": [], "outcomes": [], "results": [],
        "statuses": [], "page": 1, "page_size": 20,
    }  # fmt: skip
    calls_store(get_client().search_calls(params).calls)
    Call.objects.filter(assistant_revox_id=linden.revox_id).update(assistant_name=SPOOF)
    linden.refresh_from_db()
    assert linden.name == SPOOF and linden.pending_faq_count > 0
    return linden


def test_every_page_showing_the_name_isolates_it(spoofed, editor_client):
    rid = spoofed.revox_id
    call = Call.objects.filter(assistant_revox_id=rid).first()
    pages = {
        "the list": "/assistants/?q=refund",
        "the overview": f"/assistants/{rid}/",
        "an editor": f"/assistants/{rid}/edit/general/",
        "its calls": f"/assistants/{rid}/calls/",
        "outcomes per change": f"/assistants/{rid}/outcomes/",
        "a call": f"/calls/{call.revox_id}/",
        "all calls": "/calls/",
        "its history": f"/assistants/{rid}/history/",
        "the team's activity": "/activity/",
        "a test call": f"/assistants/{rid}/test-call/",
        "the FAQ review": "/faq-review/",
        "a change": f"/changes/new/?cs-ids={rid}&cs-group=llm",
    }
    for what, url in pages.items():
        page = editor_client.get(url).content.decode()
        assert SPOOF in page, f"{what} does not show the name"
        assert unisolated(page) == 0, f"{what} shows the name {unisolated(page)} time(s) bare"
        title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
        if what in TITLED:
            assert f"\u2068{SPOOF}\u2069 · Revox Admin" in title, f"{what}'s title: {title!r}"


def test_a_change_set_and_its_job_isolate_the_names_they_list(spoofed, editor_client):
    new = editor_client.get("/changes/new/", {"cs-ids": [spoofed.revox_id], "cs-group": "llm"})
    data = as_post(form_fields(new.content, "change-form"), kind="openrouter",
                   openrouter_model_id="openai/gpt-4.1-mini", openrouter_provider="openai")  # fmt: skip
    made = editor_client.post("/changes/new/", data)
    assert made.status_code == 302
    page = editor_client.get(made.url).content.decode()
    assert SPOOF in page and unisolated(page) == 0

    editor_client.post(made.url + "apply/")
    run_queued_jobs()
    job = Job.objects.get()
    page = editor_client.get(f"/jobs/{job.pk}/").content.decode()
    assert SPOOF in page and unisolated(page) == 0
