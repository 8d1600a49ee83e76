"""Issue 8's journeys in Chromium, with screenshots to look at."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from assistants.editors.groups import GROUPS
from assistants.models import Assistant
from tests.conftest import make_user
from tests.e2e.conftest import login, shot

pytestmark = pytest.mark.django_db(transaction=True)


def first_assistant() -> Assistant:
    return Assistant.objects.order_by("name").first()


def test_an_admin_adds_a_teammate_who_sets_a_password_and_signs_in_as_an_editor(
    page, new_page, live, demo
):
    make_user("ada", "Admin", last_name="Lovelace")
    login(page, live, "ada")
    page.get_by_role("link", name="Team").click()
    page.get_by_label("Full name").fill("Grace Hopper")
    page.get_by_label("E-mail").fill("grace@example.com")
    page.get_by_label("Editor").check()
    shot(page, "team-1-add")
    page.get_by_role("button", name="Add and send invitation").click()
    expect(page.locator("#members")).to_contain_text("Grace Hopper")
    expect(page.locator("#members")).to_contain_text("Invited")
    shot(page, "team-2-added")

    (invitation,) = mail.outbox
    link = re.search(r"https?://\S+/accounts/reset/\S+", invitation.body).group(0)
    grace = new_page()
    grace.goto(link)
    shot(grace, "team-3-link-opened")
    grace.locator("#id_new_password1").fill("a long and lovely passphrase")
    grace.locator("#id_new_password2").fill("a long and lovely passphrase")
    shot(grace, "team-3-set-password")
    grace.get_by_role("button", name="Set password").click()
    expect(grace.get_by_text("Your password is set")).to_be_visible()
    login(grace, live, "grace@example.com", "a long and lovely passphrase")
    expect(grace.locator("#user-menu")).to_contain_text("Editor")
    expect(grace.get_by_role("link", name="Team")).to_have_count(0)
    shot(grace, "team-4-grace-signed-in")


def test_two_editors_save_the_same_group_and_the_second_sees_the_conflict(new_page, live, demo):
    make_user("ed", "Editor")
    make_user("eve", "Editor")
    target = first_assistant()
    url = f"{live}/assistants/{target.revox_id}/edit/general/"
    ed, eve = new_page(), new_page()
    login(ed, live, "ed")
    login(eve, live, "eve")
    ed.goto(url)
    eve.goto(url)

    ed.get_by_label("Name").fill("Ed's name")
    ed.get_by_role("button", name="Save general").click()
    expect(ed.locator("#saved-note")).to_be_visible()

    eve.get_by_label("Name").fill("Eve's name")
    eve.get_by_role("button", name="Save general").click()
    conflict = eve.locator("#conflict")
    expect(conflict).to_contain_text("Someone changed general since you opened it")
    expect(conflict).to_contain_text("Ed's name")
    expect(eve.get_by_label("Name")).to_have_value("Eve's name")  # nothing she typed is lost
    shot(eve, "conflict-1-seen")
    assert demo.get(target.revox_id)["name"] == "Ed's name"

    eve.get_by_role("button", name=re.compile("Keep mine")).click()
    expect(eve.locator("#saved-note")).to_be_visible()
    assert demo.get(target.revox_id)["name"] == "Eve's name"
    shot(eve, "conflict-2-kept-mine")


def test_a_viewer_finds_every_editor_read_only(page, live, demo):
    make_user("vera", "Viewer")
    target = first_assistant()
    login(page, live, "vera")
    for slug in GROUPS:
        page.goto(f"{live}/assistants/{target.revox_id}/edit/{slug}/")
        expect(page.locator("#editor-read-only")).to_be_visible()
        controls = page.locator("fieldset.group-fields").locator(
            "input:visible, textarea:visible, select:visible, button:visible"
        )
        for index in range(controls.count()):
            expect(controls.nth(index)).to_be_disabled()
        expect(page.locator("#save-button")).to_have_count(0)
    shot(page, "viewer-read-only")


def test_revox_goes_down_in_the_middle_of_an_edit_and_nothing_is_lost(page, live, demo):
    make_user("ed", "Editor")
    target = first_assistant()
    login(page, live, "ed")
    page.goto(f"{live}/assistants/{target.revox_id}/edit/general/")
    new_prompt = "Greet the caller warmly.\nAsk how you can help."
    page.get_by_label("Prompt").fill(new_prompt)
    page.get_by_label("Closing sentence").fill("Goodbye and thank you.")

    demo.faults({"path": "/**", "drop": True})
    page.get_by_role("button", name="Save general").click()
    expect(page.locator("#form-errors")).to_contain_text("can't be reached")
    expect(page.get_by_label("Prompt")).to_have_value(new_prompt)
    expect(page.get_by_label("Closing sentence")).to_have_value("Goodbye and thank you.")
    shot(page, "outage-1-save-failed")

    demo.clear_faults()
    page.get_by_role("button", name="Save general").click()
    expect(page.locator("#saved-note")).to_be_visible()
    saved = demo.get(target.revox_id)
    assert (
        saved["prompt"] == new_prompt and saved["end_of_call_sentence"] == "Goodbye and thank you."
    )
    shot(page, "outage-2-saved")
