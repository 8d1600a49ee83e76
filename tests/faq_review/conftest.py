"""Helpers for the FAQ review tests: assistants with suggestions waiting, in Revox and the cache."""

from __future__ import annotations

import pytest

from assistants.cache.services import assistants_sync
from assistants.faq_review.services import item_key
from assistants.models import FaqItem
from tests.jobs.inline import run_queued_jobs

HOURS = {"question": "What are your opening hours?", "answer": "9am to 5pm."}


@pytest.fixture
def make_assistant(revox, db):
    """Create an assistant in the sandbox with answered items and AI suggestions
    ((question, draft) pairs), and sync the cache."""

    def make(name: str, *, answered=(HOURS,), suggestions=()):
        created = revox.create(name=name, faq_items=list(answered))
        for question, draft in suggestions:
            revox.suggest_faq(created["id"], question, draft)
        assistants_sync()
        return revox.get(created["id"])

    return make


def key_of(assistant_id: str, question: str) -> str:
    item = FaqItem.objects.get(assistant__revox_id=assistant_id, question=question)
    return item_key(assistant_id, item.upstream_id)


def faq_of(revox, assistant_id: str) -> list[tuple[str, str, bool]]:
    return [
        (i["question"], i["answer"], i["needs_human_answer"])
        for i in revox.get(assistant_id)["faq_items"]
    ]


def patches(revox, assistant_id: str | None = None) -> list[dict]:
    return [
        r for r in revox.requests("PATCH")
        if assistant_id is None or r["path"].endswith(assistant_id)
    ]  # fmt: skip


def after_job(client, response):
    """A bulk form answered (without JavaScript) with the queue and its job: run the job as the
    worker would, then load the page the browser was sent to, as a reload would."""
    assert response.status_code == 302 and "job=" in response["Location"], response
    run_queued_jobs()
    return client.get(response["Location"])


def job_report(page) -> list:
    """The finished job's items on that page, as JobItems (each one assistant: its `detail`
    says what went through, was already so, or failed and why)."""
    (card,) = [c for c in page.context["job_cards"] if c["job"].finished]
    return card["handled_items"]


def questions(item, status: str) -> list:
    """An item's questions that ended `status` ("applied", "unchanged", "failed")."""
    return item.detail[status]
