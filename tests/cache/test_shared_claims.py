"""What several workers of the dashboard share through the database (assistants/cache/leases.py):
one sync when pages find the cache stale or never filled, one save per assistant at a time.

The same claims across real gunicorn processes: tests/multiworker/.
"""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from assistants.cache import services as cache_services
from assistants.cache.leases import lease_acquire, lease_release, lease_renew
from assistants.cache.services import SYNC_LEASE, cache_refresh_if_stale
from assistants.models import Assistant, Change, Lease, SyncState
from tests.editors.conftest import open_editor, save

pytestmark = pytest.mark.django_db


# -- the lease itself ---------------------------------------------------------------------------


def test_a_lease_has_one_holder_until_released():
    first = lease_acquire(name="job", ttl=60)
    assert first and lease_acquire(name="job", ttl=60) is None
    lease_release(name="job", token="someone else's")
    assert lease_acquire(name="job", ttl=60) is None
    lease_release(name="job", token=first)
    assert lease_acquire(name="job", ttl=60)


def test_an_expired_lease_is_taken_over_and_its_old_holder_cannot_release_it():
    old = lease_acquire(name="job", ttl=60)
    Lease.objects.filter(name="job").update(expires_at=timezone.now() - timedelta(seconds=1))
    new = lease_acquire(name="job", ttl=60)
    assert new and new != old
    lease_release(name="job", token=old)
    assert Lease.objects.get(name="job").holder == new


def test_a_lease_renewed_in_time_stays_with_its_holder_and_one_taken_over_does_not():
    token = lease_acquire(name="job", ttl=60)
    Lease.objects.filter(name="job").update(expires_at=timezone.now() + timedelta(seconds=1))
    assert lease_renew(name="job", token=token, ttl=60)
    assert Lease.objects.get(name="job").expires_at > timezone.now() + timedelta(seconds=50)

    Lease.objects.filter(name="job").update(expires_at=timezone.now() - timedelta(seconds=1))
    other = lease_acquire(name="job", ttl=60)
    assert not lease_renew(name="job", token=token, ttl=60)
    assert Lease.objects.get(name="job").holder == other


def test_a_sync_that_outlasts_its_claims_budget_keeps_the_claim_to_the_end(revox, monkeypatch):
    """A sync of a large organisation can take longer than the claim was first taken for: while
    it runs, no other worker may find the claim expired and start a second sync."""
    for n in range(12):
        revox.create(name=f"Desk {n}")
    monkeypatch.setattr(cache_services, "revox_budget", lambda calls: 0.6)
    monkeypatch.setattr(cache_services, "SYNC_BATCH_SIZE", 2)
    write_batch = cache_services._sync_batch
    claim_seen = []

    def slow_batch(batch, **kwargs):
        time.sleep(0.25)  # six batches: 1.5 s, well past the 0.6 s budget
        claim_seen.append(lease_acquire(name=SYNC_LEASE, ttl=60) is None)
        write_batch(batch, **kwargs)

    monkeypatch.setattr(cache_services, "_sync_batch", slow_batch)
    assert cache_services.assistants_sync_once(needed=lambda: True).created == 12
    assert len(claim_seen) >= 6 and all(claim_seen), claim_seen
    assert not Lease.objects.filter(name=SYNC_LEASE).exists()  # let go at the end


# -- a cache never filled -----------------------------------------------------------------------


def test_the_list_of_a_cache_never_filled_is_filled_before_it_is_shown(demo_revox, viewer_client):
    assert not Assistant.objects.exists()
    page = viewer_client.get("/assistants/").content.decode()
    viewer_client.get("/assistants/")
    # The voices and the assistants, once: filled once, not on every page (then the name of
    # each voice outside the catalogue, looked up once too).
    paths = [r["path"] for r in demo_revox.requests("GET")]
    assert paths[:2] == ["/voices", "/assistants"]
    assert paths[2:] and all(p.startswith("/voices/") for p in paths[2:])
    assert len(paths) == len(set(paths))
    names = [a["name"] for a in demo_revox.list()]
    assert all(name in page for name in names[:5])
    assert "No assistants yet" not in page


def test_the_review_queue_of_a_cache_never_filled_shows_what_is_pending(demo_revox,
                                                                       viewer_client):  # fmt: skip
    target = demo_revox.list()[0]
    demo_revox.suggest_faq(target["id"], "Can I bring my dog?")
    page = viewer_client.get("/faq-review/").content.decode()
    assert "Can I bring my dog?" in page
    assert "All clear" not in page


def test_when_revox_cannot_be_reached_the_first_time_the_pages_say_so(demo_revox,
                                                                     viewer_client):  # fmt: skip
    demo_revox.faults({"path": "/**", "status": 503})
    queue = viewer_client.get("/faq-review/").content.decode()
    assert "All clear" not in queue
    assert "Nothing has been loaded from Revox yet" in queue and "Revox unreachable" in queue
    listing = viewer_client.get("/assistants/").content.decode()
    assert "Revox can't be reached, so none could be loaded." in listing
    demo_revox.clear_faults()
    assert "Can I bring" not in viewer_client.get("/faq-review/").content.decode()
    assert SyncState.get().last_success_at is not None  # the next page filled it


# -- the background refresh of a stale cache ----------------------------------------------------


def test_the_background_refresh_reads_revox_only_while_the_cache_is_stale(synced, viewer_client):
    synced.clear_requests()
    viewer_client.post("/assistants/refresh/", {"when": "stale"}, headers={"HX-Request": "true"})
    assert synced.requests("GET") == []  # fresh: nothing to do
    SyncState.objects.update(last_success_at=timezone.now() - timedelta(hours=1))
    viewer_client.post("/faq-review/refresh/", {"when": "stale"}, headers={"HX-Request": "true"})
    assert [r["path"] for r in synced.requests("GET")] == ["/assistants"]


def test_a_page_that_finds_another_worker_syncing_waits_for_it_instead(synced, monkeypatch):
    SyncState.objects.update(last_success_at=timezone.now() - timedelta(hours=1))
    synced.clear_requests()
    token = lease_acquire(name=SYNC_LEASE, ttl=60)

    def other_worker_finishes(*, name, wait):
        # What the other worker does meanwhile: its sync lands, then it lets go.
        SyncState.objects.update(last_success_at=timezone.now())
        lease_release(name=name, token=token)
        return True

    monkeypatch.setattr(cache_services, "lease_wait_released", other_worker_finishes)
    assert cache_refresh_if_stale() is None
    assert synced.requests("GET") == []


# -- one save per assistant at a time -----------------------------------------------------------


def test_a_save_waits_for_a_teammates_save_of_the_same_assistant(synced, editor_client,
                                                                 quick_give_up):  # fmt: skip
    target = Assistant.objects.order_by("pk").first()
    _, data = open_editor(editor_client, target.revox_id, "general")
    synced.clear_requests()
    token = lease_acquire(name=f"assistant-save:{target.revox_id}", ttl=60)  # a teammate saving

    response = save(editor_client, target.revox_id, "general", data, name="Mine")

    page = response.content.decode()
    assert response.status_code == 200
    assert "A teammate is saving this assistant right now" in page
    assert 'value="Mine"' in page  # what the user typed is kept
    assert synced.requests("PATCH") == [] and synced.get(target.revox_id)["name"] != "Mine"
    lease_release(name=f"assistant-save:{target.revox_id}", token=token)
    assert save(editor_client, target.revox_id, "general", data, name="Mine").status_code == 302
    assert synced.get(target.revox_id)["name"] == "Mine"
    assert not Lease.objects.exists()  # every claim was given back


# Committed for real (not inside a test's transaction): the claim is let go in the commit that
# records the save, and only if that commit happens.


@pytest.mark.django_db(transaction=True)
def test_a_save_gives_its_claim_back_with_what_it_recorded(synced, editor_client):
    target = Assistant.objects.order_by("pk").first()
    _, data = open_editor(editor_client, target.revox_id, "general")

    assert save(editor_client, target.revox_id, "general", data, name="Mine").status_code == 302

    assert synced.get(target.revox_id)["name"] == "Mine"
    assert Assistant.objects.get(pk=target.pk).name == "Mine"
    assert Change.objects.filter(assistant_revox_id=target.revox_id, group="general").count() == 1
    assert not Lease.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_save_whose_record_fails_still_gives_its_claim_back(synced, editor_client,
                                                               monkeypatch):  # fmt: skip
    target = Assistant.objects.order_by("pk").first()
    _, data = open_editor(editor_client, target.revox_id, "general")

    def broken_history(self, *args, **kwargs):
        raise RuntimeError("the history table is unwritable")

    # The entry is written after the cache row, in the same transaction.
    monkeypatch.setattr(Change, "save", broken_history)
    with pytest.raises(RuntimeError):
        save(editor_client, target.revox_id, "general", data, name="Mine")

    # Nothing half-written: the cache write and the entry were one transaction, rolled back.
    assert Assistant.objects.get(pk=target.pk).name == target.name
    assert not Change.objects.filter(assistant_revox_id=target.revox_id, group="general").exists()
    assert not Lease.objects.exists()  # a teammate is not kept waiting for it
    monkeypatch.undo()
    _, data = open_editor(editor_client, target.revox_id, "general")
    assert (
        save(editor_client, target.revox_id, "general", data, name="Mine again").status_code == 302
    )
    assert synced.get(target.revox_id)["name"] == "Mine again"
