"""Every write and page against every fault Revox can throw at us.

For each: no 500 page, a plain message, what the user typed kept, no duplicate create, the cache
as it was, and no history entry for a change that did not happen.
"""

from __future__ import annotations

import socket

import pytest

from assistants.cache.services import assistants_sync
from assistants.models import Assistant, Change
from tests.editors.conftest import open_editor, save

pytestmark = pytest.mark.django_db

FAULTS = {
    "400 with field errors": {
        "status": 400,
        "errors": {"name": ["is taken"], "prompt": ["too long"]},
    },
    "422 with field errors": {"status": 422, "errors": {"name": ["is taken"]}},
    "401": {"status": 401},
    "404": {"status": 404},
    "409": {"status": 409},
    "429 with Retry-After": {"status": 429, "retry_after": 2},
    "500": {"status": 500},
    "502": {"status": 502},
    "503": {"status": 503},
    "a read that never ends": {"delay_ms": 3000},
    "a dropped connection": {"drop": True},
    "a body that is not JSON": {"body": "<html>Service Unavailable</html>"},
    "JSON with missing fields": {"json": {"assistant": {"name": "half"}}},
    "JSON with unexpected fields": {"json": {"result": "ok", "assistant_v2": {}}},
}


@pytest.fixture
def world(revox, settings):
    settings.REVOX_READ_TIMEOUT = 0.5
    revox.reset("demo")
    assistants_sync()
    snapshot = {a.revox_id: a.content_hash for a in Assistant.objects.all()}
    return revox, snapshot


def assert_unharmed(response, world, *, typed: str | None = None):
    _, snapshot = world
    assert response.status_code not in (500, 502), response.status_code
    page = response.content.decode()
    assert "Traceback" not in page and "Server Error" not in page
    if typed:
        assert typed in page
    assert {a.revox_id: a.content_hash for a in Assistant.objects.all()} == snapshot
    assert not Change.objects.exists()


def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}/api"


@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())
def test_create(world, admin_client_, fault):
    revox, _ = world
    before = len(revox.list())
    revox.faults({"method": "POST", "path": "/assistants", **fault})
    response = admin_client_.post(
        "/assistants/new/", {"name": "Typed name", "prompt": "Typed prompt"}
    )
    assert_unharmed(response, world, typed="Typed prompt" if response.status_code != 503 else None)
    revox.clear_faults()
    # A write that timed out or was answered oddly may have landed; never a second copy.
    assert len(revox.list()) <= before + 1
    assert sum(a["name"] == "Typed name" for a in revox.list()) <= 1


@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())
def test_group_save(world, editor_client, fault):
    revox, _ = world
    target = Assistant.objects.order_by("name").first()
    _, data = open_editor(editor_client, target.revox_id, "general")
    revox.faults({"method": "PATCH", "path": "/assistants/*", **fault})
    response = save(editor_client, target.revox_id, "general", data, name="Typed by hand")
    if fault.get("status") == 404:  # deleted by someone else meanwhile
        assert response.status_code == 302 and response["Location"] == "/assistants/"
        return
    assert_unharmed(response, world, typed="Typed by hand" if response.status_code != 503 else None)


@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())
def test_clone(world, admin_client_, fault):
    revox, _ = world
    target = Assistant.objects.order_by("name").first()
    before = len(revox.list())
    revox.faults({"method": "POST", "path": "/assistants/*/clone", **fault})
    response = admin_client_.post(f"/assistants/{target.revox_id}/clone/")
    if fault.get("status") == 404:
        assert response.status_code == 302
        return
    assert_unharmed(response, world)
    revox.clear_faults()
    assert len(revox.list()) <= before + 1


@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())
def test_delete(world, admin_client_, fault):
    revox, _ = world
    target = Assistant.objects.order_by("name").first()
    revox.faults({"method": "DELETE", "path": "/assistants/*", **fault})
    response = admin_client_.post(
        f"/assistants/{target.revox_id}/delete/", {"confirm_name": target.name}
    )
    if fault.get("status") == 404 or "json" in fault or fault.get("body"):
        # Gone already, or Revox said yes in an odd way: the assistant is deleted for the user.
        assert response.status_code in (200, 302)
        return
    assert_unharmed(response, world)


@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())
@pytest.mark.parametrize(
    "page", ["/assistants/", "/assistants/{id}/", "/assistants/{id}/edit/general/"]
)
def test_pages_still_render(world, editor_client, fault, page):
    revox, _ = world
    target = Assistant.objects.order_by("name").first()
    revox.faults({"path": "/**", **fault})
    response = editor_client.get(page.format(id=target.revox_id))
    if fault.get("status") == 404 and "edit" in page:
        assert (
            response.status_code == 302
        )  # the assistant is gone: back to the list, with a message
        return
    assert response.status_code in (200, 503)
    assert_unharmed(response, world)
    refreshed = editor_client.post("/assistants/refresh/", follow=True)
    assert refreshed.status_code in (200, 503)
    assert_unharmed(refreshed, world)


def test_connection_refused_everywhere(world, admin_client_, settings):
    settings.REVOX_API_URL = closed_port_url()
    target = Assistant.objects.order_by("name").first()
    for response in (
        admin_client_.get("/assistants/"),
        admin_client_.get(f"/assistants/{target.revox_id}/edit/general/"),
        admin_client_.post("/assistants/new/", {"name": "Typed", "prompt": "Still here"}),
        admin_client_.post(f"/assistants/{target.revox_id}/clone/"),
        admin_client_.post("/assistants/refresh/", follow=True),
    ):
        assert_unharmed(response, world)


# -- Revox rejects the key during a save (issue 24) ----------------------------------------


def test_a_rejected_key_on_a_save_without_javascript_keeps_what_was_typed(world, editor_client):
    from assistants.revox import AUTH_NOTHING_SAVED_MESSAGE

    revox, _ = world
    target = Assistant.objects.order_by("name").first()
    _, data = open_editor(editor_client, target.revox_id, "general")
    revox.faults({"method": "PATCH", "path": "/assistants/*", "status": 401})
    response = save(
        editor_client, target.revox_id, "general", data,
        name="Typed by hand", prompt="A prompt typed by hand.",
    )  # fmt: skip
    page = response.content.decode().replace("&#x27;", "'")
    assert AUTH_NOTHING_SAVED_MESSAGE in page
    assert 'value="Typed by hand"' in page and "A prompt typed by hand." in page
    assert_unharmed(response, world)


def test_a_rejected_key_on_a_save_with_htmx_leaves_the_form_as_typed(world, editor_client):
    from tests.html_forms import as_post

    revox, _ = world
    target = Assistant.objects.order_by("name").first()
    _, data = open_editor(editor_client, target.revox_id, "general")
    revox.faults({"method": "PATCH", "path": "/assistants/*", "status": 401})
    response = editor_client.post(
        f"/assistants/{target.revox_id}/edit/general/", as_post(data, name="Typed by hand"),
        HTTP_HX_REQUEST="true",
    )  # fmt: skip
    assert response["HX-Reswap"] == "none"  # nothing on screen is replaced
    assert "rejected" in response["HX-Trigger"]
    assert_unharmed(response, world)


def test_a_rejected_key_on_create_keeps_what_was_typed(world, admin_client_):
    from assistants.revox import AUTH_NOTHING_SAVED_MESSAGE

    revox, _ = world
    revox.faults({"method": "POST", "path": "/assistants", "status": 401})
    response = admin_client_.post(
        "/assistants/new/", {"name": "Typed name", "prompt": "Typed prompt"}
    )
    page = response.content.decode().replace("&#x27;", "'")
    assert AUTH_NOTHING_SAVED_MESSAGE in page and "Typed prompt" in page
    assert_unharmed(response, world)
