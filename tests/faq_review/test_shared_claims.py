"""The review queue takes each assistant's save claim like the editors do (assistants/cache/leases.py):
an assistant a teammate is saving is reported, not overwritten; the others go ahead."""

from __future__ import annotations

import pytest

from assistants.cache.leases import lease_acquire, lease_release
from assistants.jobs.models import JobItem
from assistants.models import Lease
from tests.faq_review.conftest import after_job, faq_of, job_report, key_of, patches

pytestmark = pytest.mark.django_db


def test_a_bulk_review_skips_an_assistant_being_saved_and_applies_the_others(
    make_assistant, revox, editor_client, quick_give_up
):
    busy, free = (make_assistant(n, suggestions=[("Parking?", "Yes.")]) for n in ("Busy", "Free"))
    token = lease_acquire(name=f"assistant-save:{busy['id']}", ttl=60)
    items = [key_of(a["id"], "Parking?") for a in (busy, free)]

    response = after_job(
        editor_client, editor_client.post("/faq-review/bulk/", {"action": "approve", "item": items})
    )

    assert "A teammate is saving this assistant right now" in response.content.decode()
    statuses = {i.label: i.status for i in job_report(response)}
    assert statuses == {"Busy": JobItem.Status.CONFLICT, "Free": JobItem.Status.DONE}
    assert patches(revox, busy["id"]) == []
    assert ("Parking?", "Yes.", False) in faq_of(revox, free["id"])
    lease_release(name=f"assistant-save:{busy['id']}", token=token)
    assert not Lease.objects.exists()
