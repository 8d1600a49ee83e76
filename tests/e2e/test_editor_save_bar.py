"""One save per editor, visibly covering the whole page, and a warning before unsaved changes
are lost (issue 15, point 3): every one of the twelve editors, in Chromium."""

import re

import pytest
from playwright.sync_api import Page, expect

from assistants.editors.groups import GROUPS
from assistants.models import Assistant
from tests.conftest import make_user
from tests.e2e.conftest import login, shot

pytestmark = pytest.mark.django_db(transaction=True)

# The first control a person would change on each editor, whatever it is.
CHANGEABLE = (
    "#group-form .group-fields :is(textarea[name], input[name][type=text], input[name][type=email], "
    "input[name][type=url], input[name][type=number], input[name][type=range], select[name], "
    "input[name][type=checkbox]):visible"
)
UNSAVED = "Unsaved changes"


@pytest.fixture
def ed(page: Page, live, demo) -> Page:
    make_user("ed", "Editor")
    login(page, live, "ed")
    return page


def dentist() -> Assistant:
    return Assistant.objects.order_by("name").first()


class Dialogs(list):
    """Every dialog the page opened, answered with `answer` (True: accept)."""

    def __init__(self, page: Page) -> None:
        super().__init__()
        self.answer = False
        page.on("dialog", self._on_dialog)

    def _on_dialog(self, dialog) -> None:
        self.append((dialog.type, dialog.message))
        dialog.accept() if self.answer else dialog.dismiss()

    def types(self) -> list[str]:
        return [kind for kind, _ in self]


def change_something(page: Page):
    """Change the first control of the editor; returns how to put it back as it was."""
    if not page.locator(CHANGEABLE).count():  # an empty list (no tools yet): add a row first
        page.locator("#group-form button:visible").filter(
            has_text=re.compile(r"^\s*Add")
        ).first.click()
    control = page.locator(CHANGEABLE).first
    kind = control.evaluate("el => el.tagName === 'SELECT' ? 'select' : el.type")
    if kind == "checkbox":
        control.click()
        return control.click
    before = control.input_value()
    if kind == "select":
        options = control.locator("option").evaluate_all("os => os.map(o => o.value)")
        control.select_option(next(v for v in options if v != before))
        return lambda: control.select_option(before)
    if kind == "range":
        low, high = control.get_attribute("min"), control.get_attribute("max")
        control.fill(high if before != high else low)
    elif kind == "number":
        control.fill(str(int(float(before or 0)) + 1))
    else:
        control.fill(before + " (edited)")
    return lambda: control.fill(before)


def test_every_editor_has_one_solid_save_bar_for_every_card_of_its_page(ed, live):
    target = dentist()
    ed.set_viewport_size({"width": 1360, "height": 700})
    for slug in GROUPS:
        ed.goto(f"{live}/assistants/{target.revox_id}/edit/{slug}/")
        bar = ed.locator("#save-bar")
        expect(bar).to_have_count(1)
        expect(ed.locator("#save-button")).to_have_count(1)
        expect(bar).to_contain_text("Saves every section on this page")
        # The bar closes the form, and every card and field of the editor is in that one form.
        assert ed.locator("#group-form > :last-child").get_attribute("id") == "save-bar", slug
        for part in (".card", ":is(input, select, textarea)[name]"):
            everywhere = ed.locator(f"#editor {part}").count()
            assert ed.locator(f"#group-form {part}").count() == everywhere, (slug, part)
        # Solid: an opaque background, a border and a shadow above it.
        look = bar.evaluate("""el => { const s = getComputedStyle(el);
            return [s.backgroundColor, s.borderTopWidth, s.boxShadow, s.position]; }""")
        assert look[0] == "rgb(255, 255, 255)" and look[1] == "1px", (slug, look)
        assert look[2] != "none" and look[3] == "sticky", (slug, look)
        # Halfway down a long page it stays in view, on top of what scrolls behind it.
        ed.evaluate("window.scrollTo(0, (document.body.scrollHeight - innerHeight) / 2)")
        box = bar.bounding_box()
        assert box and box["y"] + box["height"] <= 700 + 1, (slug, box)
        middle = (box["x"] + box["width"] / 2, box["y"] + box["height"] - 4)
        on_top = ed.evaluate("([x, y]) => document.elementFromPoint(x, y).closest('#save-bar') !== null",
                             middle)  # fmt: skip
        assert on_top, slug
        if slug == "voice":
            shot(ed, "save-bar-voice-halfway", full_page=False)


def test_leaving_an_editor_with_unsaved_changes_asks_first_and_only_then(ed, live):
    target = dentist()
    dialogs = Dialogs(ed)
    for slug in GROUPS:
        url = f"{live}/assistants/{target.revox_id}/edit/{slug}/"
        ed.goto(url)
        status = ed.locator("[data-save-status]")
        # Nothing changed: leaving asks nothing.
        ed.get_by_role("link", name="Back to overview").click()
        ed.wait_for_url(f"{live}/assistants/{target.revox_id}/")
        assert dialogs == [], (slug, dialogs)

        ed.goto(url)
        put_back = change_something(ed)
        expect(status).to_have_text(UNSAVED)
        with ed.expect_event("dialog"):
            ed.get_by_role("link", name="Back to overview").click()
        expect(ed.locator("#save-bar")).to_be_visible()
        assert dialogs.types() == ["beforeunload"], (slug, dialogs)
        assert ed.url == url  # "Stay on page": nothing lost
        dialogs.clear()

        # Changed back to what was loaded: nothing to warn about any more.
        put_back()
        expect(status).not_to_have_text(UNSAVED)
        ed.get_by_role("link", name="Back to overview").click()
        ed.wait_for_url(f"{live}/assistants/{target.revox_id}/")
        assert dialogs == [], (slug, dialogs)


def test_a_reload_warns_a_save_does_not(ed, live, demo):
    target = dentist()
    dialogs = Dialogs(ed)
    url = f"{live}/assistants/{target.revox_id}/edit/general/"
    ed.goto(url)
    ed.get_by_label("Name").fill("Brightsmile Dental – Front desk")
    expect(ed.locator("[data-save-status]")).to_have_text(UNSAVED)
    shot(ed, "save-bar-unsaved-changes", full_page=False)

    with ed.expect_event("dialog"):
        ed.evaluate("location.reload()")
    expect(ed.get_by_label("Name")).to_have_value("Brightsmile Dental – Front desk")
    assert dialogs.types() == ["beforeunload"]
    dialogs.clear()

    ed.get_by_role("button", name="Save general").click()
    expect(ed.locator("#saved-note")).to_be_visible()
    assert demo.get(target.revox_id)["name"] == "Brightsmile Dental – Front desk"
    ed.evaluate("location.reload()")
    ed.wait_for_load_state()
    ed.get_by_role("link", name="Back to overview").click()
    ed.wait_for_url(f"{live}/assistants/{target.revox_id}/")
    assert dialogs == []


def test_a_failed_save_keeps_the_warning(ed, live, demo):
    target = dentist()
    dialogs = Dialogs(ed)
    ed.goto(f"{live}/assistants/{target.revox_id}/edit/general/")
    ed.get_by_label("Name").fill("")
    ed.get_by_role("button", name="Save general").click()
    expect(ed.locator("#form-errors")).to_be_visible()
    expect(ed.locator("[data-save-status]")).to_have_text(UNSAVED)  # what was typed isn't saved
    with ed.expect_event("dialog"):
        ed.get_by_role("link", name="Back to overview").click()
    expect(ed.locator("#form-errors")).to_be_visible()
    assert dialogs.types() == ["beforeunload"]


def test_keep_mine_and_take_theirs_leave_without_a_warning(ed, live, demo):
    target = dentist()
    dialogs = Dialogs(ed)
    url = f"{live}/assistants/{target.revox_id}/edit/general/"

    for choice in ("Take theirs", "Keep mine"):
        ed.goto(url)
        demo.patch(target.revox_id, name=f"A teammate's name before {choice}")
        ed.get_by_label("Name").fill(f"Ed's name for {choice}")
        ed.get_by_role("button", name="Save general").click()
        expect(ed.locator("#conflict")).to_be_visible()
        expect(ed.locator("[data-save-status]")).to_have_text(UNSAVED)
        ed.get_by_role(
            "link" if choice == "Take theirs" else "button", name=re.compile(choice)
        ).click()
        if choice == "Take theirs":
            expect(ed.get_by_label("Name")).to_have_value(f"A teammate's name before {choice}")
        else:
            expect(ed.locator("#saved-note")).to_be_visible()
            assert demo.get(target.revox_id)["name"] == f"Ed's name for {choice}"
        ed.get_by_role("link", name="Back to overview").click()
        ed.wait_for_url(f"{live}/assistants/{target.revox_id}/")
        assert dialogs == [], (choice, dialogs)


def test_the_editor_tabs_switch_in_place_and_ask_before_dropping_changes(ed, live):
    target = dentist()
    dialogs = Dialogs(ed)
    base = f"{live}/assistants/{target.revox_id}/edit"
    ed.goto(f"{base}/voice/")
    ed.evaluate("window.__samePage = true")  # gone if the browser loads a new page
    tabs = ed.get_by_role("navigation", name="Settings groups")

    ed.locator("input[name=speed]").fill("1.2")
    with ed.expect_event("dialog"):
        tabs.get_by_role("link", name="Sounds").click()
    expect(ed.locator("[data-save-status]")).to_have_text(UNSAVED)
    assert dialogs.types() == ["confirm"]
    assert "aren't saved yet" in dialogs[0][1]
    assert ed.url == f"{base}/voice/"
    dialogs.clear()

    dialogs.answer = True  # "Leave"
    with ed.expect_event("dialog"):
        tabs.get_by_role("link", name="Sounds").click()
    expect(ed.get_by_role("heading", level=1)).to_have_text("Sounds")
    assert ed.url == f"{base}/sounds/" and ed.title().startswith("Sounds · ")
    assert ed.evaluate("window.__samePage") is True  # swapped in place by htmx
    assert dialogs.types() == ["confirm"]
    dialogs.clear()
    expect(tabs.get_by_role("link", name="Sounds")).to_have_attribute("aria-current", "page")
    expect(ed.locator("[data-save-status]")).to_have_text("")

    # Untouched, the next tab asks nothing; Back returns to the previous editor.
    tabs.get_by_role("link", name="Calling hours & retries").click()
    expect(ed.get_by_role("heading", level=1)).to_have_text("Calling hours & retries")
    expect(
        ed.locator("#group-form [data-week-grid]")
    ).to_be_visible()  # its script ran: the grid is live
    toggle = ed.get_by_label("Custom calling plan")
    was_on = toggle.is_checked()
    toggle.set_checked(not was_on)
    expect(ed.locator("[data-save-status]")).to_have_text(UNSAVED)
    # Back with a change: asked, and "Stay" keeps the page and its address.
    dialogs.answer = False
    with ed.expect_event("dialog"):
        ed.go_back()
    assert dialogs.types() == ["confirm"]
    expect(ed.get_by_role("heading", level=1)).to_have_text("Calling hours & retries")
    assert toggle.is_checked() is not was_on  # the change is still there
    assert ed.url == f"{base}/retry/"
    dialogs.clear()
    toggle.set_checked(was_on)  # back as loaded
    expect(ed.locator("[data-save-status]")).to_have_text("")
    ed.go_back()
    expect(ed.get_by_role("heading", level=1)).to_have_text("Sounds")
    assert dialogs == []
    shot(ed, "editor-tabs-in-place")


def test_every_editor_opened_from_the_tabs_works_in_place(ed, live, demo):
    target = dentist()
    ed.goto(f"{live}/assistants/{target.revox_id}/edit/general/")
    ed.evaluate("window.__samePage = true")
    tabs = ed.get_by_role("navigation", name="Settings groups")
    demo.clear_requests()
    for slug, group in GROUPS.items():
        tabs.get_by_role("link", name=group.title).click()  # (the icon's glyph is in the name)
        expect(ed.get_by_role("heading", level=1)).to_have_text(group.title)
        assert ed.url == f"{live}/assistants/{target.revox_id}/edit/{slug}/"
        assert ed.evaluate("window.__samePage") is True, slug
        # Its script set it up (row editors enhanced), and saving it untouched sends nothing.
        # (Waited for: the group's script arrives after the swap.)
        expect(ed.locator("#group-form [data-formset]:not(.formset-enhanced)")).to_have_count(0)
        ed.locator("#save-button").click()
        expect(ed.locator("#toasts")).to_contain_text("No changes to save.")
        ed.locator("#toasts .btn-close").last.click()
    assert demo.requests("PATCH") == []
