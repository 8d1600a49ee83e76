"""Issue 19.6: every page passes axe-core with zero violations, and the everyday work can be done
with the keyboard alone.

Each page is audited by the suite's own hook (tests/e2e/conftest.py runs axe-core on every page
any browser test loads); the pages here are the ones the other tests might not reach, opened
once each, and a few states reached by acting on a page are audited with `axe_audit`.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from assistants.cache.services import assistants_sync
from assistants.editors.groups import GROUPS
from assistants.models import Assistant, Change
from tests.conftest import make_user
from tests.e2e.conftest import axe_audit, axe_violations, login, shot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(revox):
    revox.reset("demo")
    assistants_sync()
    return revox


def with_pending_faq() -> Assistant:
    return Assistant.objects.filter(pending_faq_count__gt=0).order_by("name").first()


def test_every_page_has_no_accessibility_violation(page, live, demo):
    make_user("ada", "Admin")
    target = with_pending_faq()
    flow = Assistant.objects.get(name="Lakeside Physio – Intake flow")
    page.goto(f"{live}/accounts/login/")
    axe_audit(page)
    login(page, live, "ada")
    # A change, so that history and activity have an entry to show.
    page.goto(f"{live}/assistants/{target.revox_id}/edit/general/")
    page.get_by_label("Closing sentence").fill("Thank you for calling, goodbye.")
    page.get_by_role("button", name="Save general").click()
    expect(page.locator("#saved-note")).to_be_visible()
    axe_audit(page)
    assert Change.objects.filter(assistant_revox_id=target.revox_id).exists()

    pages = [
        "/assistants/",
        "/assistants/?q=physio&sort=-updated",
        f"/assistants/{target.revox_id}/",
        f"/assistants/{flow.revox_id}/",
        *(f"/assistants/{target.revox_id}/edit/{slug}/" for slug in GROUPS),
        f"/assistants/{target.revox_id}/history/",
        f"/assistants/{target.revox_id}/clone/",
        f"/assistants/{target.revox_id}/delete/",
        "/assistants/new/",
        "/assistants/import/",
        "/faq-review/",
        "/faq-review/import/",
        "/activity/",
        "/team/",
        "/health/",
        "/accounts/password/change/",
    ]
    found = []
    for path in pages:
        page.goto(live + path)
        found += axe_violations(page)
    page.context.clear_cookies()
    page.goto(f"{live}/accounts/password/reset/")
    found += axe_violations(page)
    assert not found, "\n".join(found)
    shot(page, "a11y-last-page")
