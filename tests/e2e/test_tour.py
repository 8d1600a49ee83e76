"""A first look at every main page, as an Admin, with screenshots."""

import pytest

from assistants.models import Assistant
from assistants.services import assistants_sync
from tests.conftest import make_user
from tests.e2e.conftest import login, shot

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_admin_tours_the_dashboard(page, live, revox):
    revox.reset("demo")
    assistants_sync()
    make_user("ada", "Admin", last_name="Lovelace")
    login(page, live, "ada")
    shot(page, "tour-list")
    first = Assistant.objects.order_by("name").first()
    page.goto(f"{live}/assistants/{first.revox_id}/")
    shot(page, "tour-detail")
    page.goto(f"{live}/assistants/{first.revox_id}/edit/general/")
    shot(page, "tour-edit-general")
    page.goto(f"{live}/team/")
    shot(page, "tour-team")
    page.goto(f"{live}/assistants/new/")
    shot(page, "tour-create")
