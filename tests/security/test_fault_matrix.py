"""Every write and page against every fault Revox can throw at us.

For each: no 500 page, a plain message, what the user typed kept, no duplicate create, the cache
as it was, and no history entry for a change that did not happen.
"""

from __future__ import annotations

import socket

import pytest

from assistants.cache.services import assistants_sync
from assistants.jobs.models import JobItem
from assistants.models import Assistant, Change, FaqItem
from tests.editors.conftest import open_editor, save
from tests.faq_review.conftest import after_job, job_report

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


# -- a write Revox applied but answered with an error (issue 19, point 7; issue 24, point 10) --

# Revox does the work, then the client hears a failure: an error status, no answer in time, or
# a connection that drops.
LANDED_FAULTS = {
    "applied, then 500": {"status": 500, "apply": True, "times": 1},
    "applied, then 502": {"status": 502, "apply": True, "times": 1},
    # Past LANDED_READ_TIMEOUT: the answer never comes in time.
    "applied, then a timeout": {"delay_ms": 4000, "apply": True, "times": 1},
    "applied, then a dropped connection": {"drop": True, "apply": True, "times": 1},
}

# Long enough for the reads around the write not to time out on a busy machine.
LANDED_READ_TIMEOUT = 2.0

# One change per field group, as a person would type it.
GROUP_EDITS = {
    "general": {"name": "Typed by hand"},
    "voice": {"speed": "1.2"},
    "retry": {"custom": "on", "max_retry_attempts": "4"},
    "faq": {"items-0-answer": "Typed answer, by hand."},
    "structured-output": {"fields-0-description": "Typed description"},
    "llm": {"dedicated_model": "ministral-3-8b-instruct"},
    "transfer": {"destinations-0-label": "Typed label"},
    "sounds": {"background_sound_volume": "0.3"},
    "messages": {"email_notification_address": "typed@example.com"},
    "tools": {
        "tools-0-name": "check_slot", "tools-0-method": "GET",
        "tools-0-description": "Typed tool", "tools-0-url": "https://example.com/slots",
    },
    "integrations": {"calendly_connection_id": "conn_cal_typed"},
    "speech": {"terms": "Invisalign\r\nTyped term"},
}  # fmt: skip


def test_every_group_has_an_edit():
    from assistants.editors.groups import GROUPS

    assert set(GROUP_EDITS) == set(GROUPS)


@pytest.mark.parametrize("fault", LANDED_FAULTS.values(), ids=LANDED_FAULTS.keys())
@pytest.mark.parametrize("slug", GROUP_EDITS)
def test_a_group_save_that_landed_reads_as_saved(
    world, editor_client, editor, fault, slug, settings
):
    revox, _ = world
    settings.REVOX_READ_TIMEOUT = LANDED_READ_TIMEOUT
    target = Assistant.objects.order_by("name").first()
    _, data = open_editor(editor_client, target.revox_id, slug)
    revox.faults({"method": "PATCH", "path": "/assistants/*", **fault})

    response = save(editor_client, target.revox_id, slug, data, **GROUP_EDITS[slug])

    # Read back: Revox holds what the user typed, so it was saved, and says so.
    assert response.status_code == 302, response.content.decode()[-3000:]
    page = editor_client.get(response["Location"]).content.decode()
    assert "saved to Revox" in page and "your change was applied" in page
    assert "internal problem" not in page and "took too long" not in page
    entries = list(Change.objects.filter(assistant_revox_id=target.revox_id))
    assert [(e.kind, e.group, e.actor) for e in entries] == [(Change.Kind.UPDATE, slug, editor)], (
        "recorded as the user's save, not as a change made outside the dashboard"
    )

    # Pressing Save again with the same form is no conflict against their own change.
    revox.clear_faults()
    revox.clear_requests()
    again = save(editor_client, target.revox_id, slug, data, **GROUP_EDITS[slug])
    assert again.status_code == 302, again.content.decode()[-3000:]
    assert revox.requests("PATCH") == []
    assert Change.objects.filter(assistant_revox_id=target.revox_id).count() == 1


@pytest.mark.parametrize("fault", LANDED_FAULTS.values(), ids=LANDED_FAULTS.keys())
@pytest.mark.parametrize("action", ["approve", "delete"])
def test_a_bulk_review_that_landed_reads_as_done(
    world, editor_client, editor, fault, action, settings
):
    revox, _ = world
    settings.REVOX_READ_TIMEOUT = LANDED_READ_TIMEOUT
    pending = FaqItem.objects.filter(needs_human_answer=True).exclude(answer="").first()
    target = pending.assistant.revox_id
    key = f"{target}/{pending.upstream_id}"
    revox.faults({"method": "PATCH", "path": f"/assistants/{target}", **fault})

    response = after_job(
        editor_client,
        editor_client.post(
            "/faq-review/bulk/",
            {"action": action, "item": [key], f"question:{key}": pending.question},
        ),
    )

    (item,) = job_report(response)
    assert len(item.detail["applied"]) == 1 and not item.detail["failed"]
    assert item.status == JobItem.Status.DONE
    held = {i["question"]: i for i in revox.get(target)["faq_items"]}
    if action == "approve":
        assert held[pending.question]["needs_human_answer"] is False
    else:
        assert pending.question not in held
    entry = Change.objects.get(assistant_revox_id=target)
    assert (entry.kind, entry.actor) == (Change.Kind.FAQ_REVIEW, editor)

    # The same selection again: already done, nothing sent twice.
    revox.clear_faults()
    revox.clear_requests()
    again = after_job(
        editor_client,
        editor_client.post(
            "/faq-review/bulk/",
            {"action": action, "item": [key], f"question:{key}": pending.question},
        ),
    )
    assert not any(i.detail["failed"] for i in job_report(again))
    assert revox.requests("PATCH") == []


@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())
def test_a_bulk_review_that_failed_changes_nothing(world, editor_client, fault):
    revox, _ = world
    pending = FaqItem.objects.filter(needs_human_answer=True).exclude(answer="").first()
    target = pending.assistant.revox_id
    key = f"{target}/{pending.upstream_id}"
    before = revox.get(target)["faq_items"]
    revox.faults({"method": "PATCH", "path": f"/assistants/{target}", **fault})

    response = after_job(
        editor_client,
        editor_client.post(
            "/faq-review/bulk/",
            {"action": "approve", "item": [key], f"question:{key}": pending.question},
        ),
    )

    assert response.status_code == 200
    assert "Traceback" not in response.content.decode()
    (item,) = job_report(response)
    assert item.detail["failed"] and not item.detail["applied"]
    assert item.status == JobItem.Status.FAILED
    revox.clear_faults()
    assert revox.get(target)["faq_items"] == before
    assert not Change.objects.filter(kind=Change.Kind.FAQ_REVIEW).exists()


def test_a_save_that_landed_unconfirmed_is_the_users_on_the_next_try(world, editor_client, editor):
    """Revox applied the save and answered 500, and could not be read back either: the user
    is told it failed. Saving again finds Revox holding exactly their values: no conflict, and
    history names them, not 'Outside the dashboard'."""
    revox, _ = world
    target = Assistant.objects.order_by("name").first()
    _, data = open_editor(editor_client, target.revox_id, "general")
    revox.faults(
        {"method": "GET", "path": "/assistants/*", "delay_ms": 0, "times": 1},  # the fresh read
        {"method": "PATCH", "path": "/assistants/*", "status": 500, "apply": True, "times": 1},
        {"method": "GET", "path": "/assistants/*", "status": 503},  # the read-back
    )
    failed = save(editor_client, target.revox_id, "general", data, name="Typed by hand")
    assert (
        "internal problem" in failed.content.decode() and "Typed by hand" in failed.content.decode()
    )
    revox.clear_faults()
    assert revox.get(target.revox_id)["name"] == "Typed by hand"  # it did land
    revox.clear_requests()

    again = save(editor_client, target.revox_id, "general", data, name="Typed by hand")

    assert again.status_code == 302
    page = editor_client.get(again["Location"]).content.decode()
    assert "your earlier save went through" in page
    assert revox.requests("PATCH") == []
    entries = list(Change.objects.filter(assistant_revox_id=target.revox_id))
    assert [(e.kind, e.group, e.actor) for e in entries] == [
        (Change.Kind.UPDATE, "general", editor)
    ]
    assert entries[0].after["name"] == "Typed by hand"


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


def _change_set_over_three(revox, editor_client) -> tuple[list[str], str]:
    ids = list(
        Assistant.objects.filter(llm_model="gpt-4.1")
        .order_by("name")[:3]
        .values_list("revox_id", flat=True)
    )
    url = editor_client.post("/changes/new/", {
        "cs-group": "llm", "cs-step": "preview", "cs-ids": ids, "kind": "openrouter",
        "openrouter_model_id": "openai/gpt-4.1-mini", "openrouter_provider": "openai",
    }).url  # fmt: skip
    return ids, url


def _model_held(revox, revox_id: str) -> str:
    return revox.get(revox_id)["llm_model"]["type"]


@pytest.mark.parametrize("method", ["GET", "PATCH"], ids=["on its read", "on its write"])
@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())
def test_change_set(world, editor_client, settings, fault, method):
    """A change set over three assistants, the fault on the second's fresh read or on its
    PATCH: each assistant's recorded outcome is what Revox truly holds, the set's page says
    so, and a resume after the fault finishes the rest."""
    from assistants.changes.models import ChangeSet, ChangeSetItem
    from tests.jobs.inline import run_queued_jobs

    revox, _ = world
    settings.REVOX_BULK_CONCURRENCY = 1
    ids, url = _change_set_over_three(revox, editor_client)
    revox.faults({"method": method, "path": f"/assistants/{ids[1]}", **fault})
    editor_client.post(f"{url}apply/")
    run_queued_jobs()
    revox.clear_faults()

    page = editor_client.get(url)
    assert page.status_code == 200 and "Traceback" not in page.content.decode()
    for item in ChangeSetItem.objects.all():
        held = _model_held(revox, item.assistant_revox_id)
        saved = item.outcome == ChangeSetItem.Outcome.CHANGED
        assert (held == "openrouter") == saved, (item.assistant_name, item.outcome, held)
        entries = Change.objects.filter(
            assistant_revox_id=item.assistant_revox_id, summary__startswith="Change set #"
        )
        assert entries.exists() == saved
    assert _model_held(revox, ids[0]) == _model_held(revox, ids[2]) == "openrouter"
    if ChangeSet.objects.get().items.filter(outcome=ChangeSetItem.Outcome.FAILED).exists():
        assert "Resume: try the 1 not saved again" in page.content.decode()
        editor_client.post(f"{url}apply/")
        run_queued_jobs()
    # After the resume: saved, or refused by Revox (its field errors kept) and left as it was.
    item = ChangeSetItem.objects.get(assistant_revox_id=ids[1])
    if item.outcome == ChangeSetItem.Outcome.CANNOT:
        assert item.reasons and _model_held(revox, ids[1]) == "dedicated-instance"
    else:
        assert item.outcome == ChangeSetItem.Outcome.CHANGED, (item.outcome, item.detail)
        assert _model_held(revox, ids[1]) == "openrouter"


@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())
def test_change_set_rollback(world, editor_client, settings, fault):
    """The rollback of an applied set, the fault on the second's PATCH back: what is recorded as
    put back is what Revox holds, the page offers to roll back the rest, and doing so finishes."""
    from assistants.changes.models import ChangeSetItem
    from tests.jobs.inline import run_queued_jobs

    revox, _ = world
    settings.REVOX_BULK_CONCURRENCY = 1
    ids, url = _change_set_over_three(revox, editor_client)
    editor_client.post(f"{url}apply/")
    run_queued_jobs()
    assert {_model_held(revox, i) for i in ids} == {"openrouter"}

    revox.faults({"method": "PATCH", "path": f"/assistants/{ids[1]}", **fault})
    editor_client.post(f"{url}rollback/")
    run_queued_jobs()
    revox.clear_faults()
    page = editor_client.get(url).content.decode()
    assert "Traceback" not in page
    for item in ChangeSetItem.objects.all():
        held = _model_held(revox, item.assistant_revox_id)
        put_back = item.rollback == ChangeSetItem.Rollback.RESTORED
        assert (held == "dedicated-instance") == put_back, (item.assistant_name, item.rollback)
        restores = Change.objects.filter(
            assistant_revox_id=item.assistant_revox_id, kind=Change.Kind.RESTORE
        )
        assert restores.exists() == put_back
    if ChangeSetItem.objects.filter(rollback=ChangeSetItem.Rollback.FAILED).exists():
        assert "Roll back the 1 not put back" in page
        editor_client.post(f"{url}rollback/")
        run_queued_jobs()
    assert {_model_held(revox, i) for i in ids} == {"dedicated-instance"}
