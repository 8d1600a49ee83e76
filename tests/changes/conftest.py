"""What the change-set tests share: the language models they move assistants between, a fleet
of assistants on given models, saying a change through the page's own form (the group's editor
form as the "new change set" page renders it), applying and rolling back as jobs."""

from __future__ import annotations

from typing import Any

import pytest

from assistants.cache.services import assistants_sync
from assistants.changes.models import ChangeSet
from tests.html_forms import as_post, form_fields
from tests.jobs.inline import run_queued_jobs

GPT41 = {"type": "dedicated-instance", "name": "gpt-4.1"}
MINISTRAL = {"type": "dedicated-instance", "name": "ministral-3-8b-instruct"}
OPENROUTER = {
    "type": "openrouter",
    "openrouter_model_id": "openai/gpt-4.1-mini",
    "openrouter_provider": "openai",
}
# The language-model form's fields that say OPENROUTER.
TO_OPENROUTER = {"kind": "openrouter", "openrouter_model_id": "openai/gpt-4.1-mini",
                 "openrouter_provider": "openai"}  # fmt: skip


def fleet_on_models(revox, **models: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """One assistant in the sandbox for each keyword (`alpha=GPT41`: "Alpha" on gpt-4.1), all
    synced into the local copy; keyed as given."""
    made = {
        key: revox.create(name=key.capitalize(), llm_model=model) for key, model in models.items()
    }
    assistants_sync()
    return made


@pytest.fixture(autouse=True)
def one_at_a_time(settings):
    # The test database is one connection; the threads are covered by test_concurrency.py.
    settings.REVOX_BULK_CONCURRENCY = 1


def say_change(client, ids: list[str], group: str, *, touch: list[str] | None = None,
               **fields: Any) -> ChangeSet:  # fmt: skip
    """Open the change page for `group` over `ids`, change `fields` in its form as a person
    would (the rest as the page shows them), tick `touch`, and ask for the preview."""
    page = client.get("/changes/new/", {"cs-ids": ids, "cs-group": group})
    assert page.status_code == 200
    extra = {"cs-touch": touch} if touch else {}
    data = as_post(form_fields(page.content, "change-form"), **fields, **extra)
    response = client.post("/changes/new/", data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    return ChangeSet.objects.get(pk=response.url.split("/")[2])


def apply(client, change_set: ChangeSet) -> None:
    client.post(f"/changes/{change_set.pk}/apply/")
    run_queued_jobs()
    change_set.refresh_from_db()


def roll_back(client, change_set: ChangeSet) -> None:
    client.post(f"/changes/{change_set.pk}/rollback/")
    run_queued_jobs()
    change_set.refresh_from_db()


def items_by_name(change_set: ChangeSet) -> dict[str, Any]:
    return {i.assistant_name: i for i in change_set.items.all()}
