"""History in the browser: "who changed the voice of this assistant last Tuesday, and what was
it before?" in two clicks from the overview, put back in one; and an Admin recreating a
deleted assistant from its history."""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assistants import services
from assistants.cache.services import assistants_sync
from assistants.editors.groups import GROUPS
from assistants.editors.services import assistant_update_group
from assistants.models import Change
from assistants.snapshot import group_fingerprint
from sandbox import demo
from tests.conftest import make_user
from tests.e2e.conftest import login, shot

pytestmark = pytest.mark.django_db(transaction=True)

KATIE = "6513270e-269e-4d37-b2a7-4de452e6b438"
MARCUS = "9531985d-5d9d-49f8-9818-e811892f902b"


def last_tuesday() -> datetime:
    today = timezone.localdate()
    days_back = (today.weekday() - 1) % 7 or 7
    return timezone.make_aware(datetime.combine(today - timedelta(days=days_back), time(14, 30)))


def save_group(user, revox_id: str, slug: str, values: dict) -> Change:
    group = GROUPS[slug]
    current = services.assistant_fetch(revox_id=revox_id)
    assistant_update_group(
        user=user, revox_id=revox_id, group=group, build_patch=lambda _: values,
        fingerprint=group_fingerprint(group.values(current)),
    )  # fmt: skip
    return Change.objects.latest("id")


def test_who_changed_the_voice_last_tuesday_and_put_it_back(page, live, revox):
    revox.reset("demo")
    assistants_sync()
    revox.patch(demo.DENTAL, voice={"provider": "cartesia", "id": KATIE, "speed": 1.0})
    assistants_sync()
    Change.objects.all().delete()  # start the story with a clean history
    ed = make_user("ed", "Editor", last_name="Norton")
    make_user("ada", "Admin", last_name="Lovelace")
    tuesday = last_tuesday()
    voice_change = save_group(
        ed, demo.DENTAL, "voice", {"voice": {"provider": "cartesia", "id": MARCUS, "speed": 1.1}}
    )
    Change.objects.filter(pk=voice_change.pk).update(created_at=tuesday)
    prompt = revox.get(demo.DENTAL)["prompt"]
    lines = prompt.split("\n")
    lines[2] = lines[2] + " Always confirm the date twice."
    later = save_group(
        ed,
        demo.DENTAL,
        "general",
        {"first_sentence": "Hello, Brightsmile Dental!", "prompt": "\n".join(lines)},
    )
    # Between that Tuesday and now. "A day later" was in the future on a Wednesday before 14:30
    # and then sorted above the restore made below: the test failed on Wednesday mornings.
    Change.objects.filter(pk=later.pk).update(created_at=tuesday + (timezone.now() - tuesday) / 2)

    login(page, live, "ada")
    page.goto(f"{live}/assistants/{demo.DENTAL}/")

    # Click 1: the overview's History tab.
    page.locator("a.nav-link", has_text="History").click()
    page.wait_for_url(f"{live}/assistants/{demo.DENTAL}/history/")
    entry = page.locator(f"#change-{voice_change.pk}")
    assert "Ed Norton" in entry.locator(".history-meta").inner_text()
    assert tuesday.strftime("%a") == "Tue" and "Tue" in entry.locator("time").inner_text()
    plain = entry.locator(".plain-changes")
    assert plain.locator("tr", has_text="Voice").inner_text().split("\t")[1:] == ["Katie", "Marcus"]
    # Click 2: the field-by-field detail.
    entry.locator("summary").click()
    assert entry.locator(".diff-tree").first.is_visible()
    assert "Speed" in entry.locator(".diff-tree").first.inner_text()
    shot(page, "history-voice-last-tuesday")
    prompt_entry = page.locator(f"#change-{later.pk}")
    prompt_entry.locator("summary").click()
    assert (
        prompt_entry.locator(".td-added mark").inner_text().strip()
        == "Always confirm the date twice."
    )
    prompt_entry.screenshot(path=str(shot(page, "history-prompt-diff")))

    # One click puts it back.
    entry.get_by_role("button", name="Restore voice as before this change").click()
    page.get_by_text("Voice restored.").wait_for()
    shot(page, "history-voice-restored")
    assert revox.get(demo.DENTAL)["voice"] == {"provider": "cartesia", "id": KATIE, "speed": 1.0}
    newest = page.locator(".history-entry").first
    expect(newest).to_contain_text("Restored")
    expect(newest).to_contain_text("Ada Lovelace")


def test_an_admin_finds_a_deleted_assistant_and_recreates_it(page, live, revox):
    revox.reset("demo")
    assistants_sync()
    ada = make_user("ada", "Admin", last_name="Lovelace")
    original = revox.get(demo.RESTAURANT)
    services.assistant_delete(user=ada, revox_id=demo.RESTAURANT)

    login(page, live, "ada")
    page.locator("#nav-activity").click()
    page.wait_for_url(f"{live}/activity/")
    page.get_by_label("Kind of change").select_option("delete")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**/activity/?**")
    shot(page, "history-activity-deleted")
    page.locator(".history-entry").first.get_by_role("link", name=original["name"]).click()

    page.locator("#deleted-badge").wait_for()
    assert "This assistant was deleted" in page.locator(".deleted-banner").inner_text()
    shot(page, "history-deleted-banner")
    page.get_by_role("link", name="Recreate it").click()
    shot(page, "history-recreate")
    page.get_by_role("button", name="Recreate the assistant").click()
    page.get_by_text("was recreated as a new assistant").wait_for()
    shot(page, "history-recreated")

    new_id = page.url.rstrip("/").split("/")[-1]
    assert new_id != demo.RESTAURANT
    recreated = revox.get(new_id)
    assert recreated["prompt"] == original["prompt"]
    assert [(i["question"], i["answer"]) for i in recreated["faq_items"]] == [
        (i["question"], i["answer"]) for i in original["faq_items"]
    ]
    page.goto(f"{live}/assistants/{demo.RESTAURANT}/history/")
    page.locator(".deleted-banner").get_by_role("link", name="a new assistant").click()
    page.wait_for_url(f"{live}/assistants/{new_id}/")


def test_an_admin_imports_an_exported_file(page, live, revox):
    revox.reset("demo")
    assistants_sync()
    make_user("ada", "Admin", last_name="Lovelace")
    login(page, live, "ada")
    page.goto(f"{live}/assistants/{demo.HOTEL}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Export JSON").click()
    exported = download.value.path().read_bytes()
    assert b'"format": "revox-admin/assistant@1"' in exported

    page.goto(f"{live}/assistants/")
    page.get_by_role("link", name="Import").click()
    document = json.loads(exported)
    document["assistant"]["webhook_url"] = "ftp://files.example"
    broken = json.dumps(document).encode()
    page.get_by_label("Exported file (.json)").set_input_files(
        files=[{"name": "hotel.json", "mimeType": "application/json", "buffer": broken}]
    )
    page.get_by_role("button", name="Import").click()
    page.locator("#import-errors").wait_for()
    assert "Webhook URL" in page.locator("#import-errors").inner_text()
    shot(page, "history-import-refused")

    page.get_by_label("Exported file (.json)").set_input_files(
        files=[{"name": "hotel.json", "mimeType": "application/json", "buffer": exported}]
    )
    page.get_by_role("button", name="Import").click()
    page.get_by_text("was imported").wait_for()
    new_id = page.url.rstrip("/").split("/")[-1]
    assert new_id != demo.HOTEL and revox.get(new_id)["prompt"] == revox.get(demo.HOTEL)["prompt"]
