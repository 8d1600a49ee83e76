"""A change set's apply and rollback as background jobs on the job runner (assistants/jobs/):
one job item per assistant, so the jobs page shows the progress and closing the page does not
stop it.

Safe to resume: an assistant whose outcome is already stored (its worker died after saving it)
is reported from what is stored and not sent again; one not done yet is read fresh, and a save
that landed before the worker died is found already there (the editors' save says so).
"""

from __future__ import annotations

from collections.abc import Iterator

from django.contrib.auth.models import AbstractBaseUser

from assistants.changes import services
from assistants.changes.models import ChangeSet, ChangeSetItem
from assistants.jobs.models import Job, JobItem
from assistants.jobs.runner import ItemResult, JobItemSpec, job_enqueue, job_kind

APPLY = "changes.apply"
ROLLBACK = "changes.rollback"
STATUS = {
    ChangeSetItem.Outcome.CHANGED: "done",
    ChangeSetItem.Outcome.ALREADY: "done",
    ChangeSetItem.Outcome.CANNOT: "failed",
    ChangeSetItem.Outcome.CONFLICT: "conflict",
    ChangeSetItem.Outcome.FAILED: "failed",
}
ROLLBACK_STATUS = {
    ChangeSetItem.Rollback.RESTORED: "done",
    ChangeSetItem.Rollback.UNCHANGED: "done",
    ChangeSetItem.Rollback.CONFLICT: "conflict",
    ChangeSetItem.Rollback.FAILED: "failed",
}


def changeset_enqueue(change_set: ChangeSet, *, action: str, user: AbstractBaseUser) -> Job:
    """Put the set's apply (its items not done yet) or rollback on the runner; at once."""
    if action == "apply":
        items = change_set.items.filter(outcome__in=services.RUNNABLE)
        kind, verb = APPLY, "Apply"
        ChangeSet.objects.filter(pk=change_set.pk).update(status=ChangeSet.Status.APPLYING)
    else:
        items = services.rollback_todo(change_set)
        kind, verb = ROLLBACK, "Roll back"
        ChangeSet.objects.filter(pk=change_set.pk).update(status=ChangeSet.Status.ROLLING_BACK)
    specs = [
        JobItemSpec(key=str(item.pk), label=item.assistant_name or item.assistant_revox_id)
        for item in items
    ]
    n = len(specs)
    title = f"{verb} change set #{change_set.pk} on {n} assistant{'s' if n != 1 else ''}"
    return job_enqueue(
        kind=kind, user=user, title=title, items=specs, params={"change_set": change_set.pk}
    )


def _result(item: ChangeSetItem) -> ItemResult:
    words = item.detail or item.get_outcome_display()
    if item.reasons:
        words = "; ".join(f"{label}: {message}" for label, message in item.reasons)
    return ItemResult(key=str(item.pk), status=STATUS[item.outcome], message=words[:1000])


def _rollback_result(item: ChangeSetItem) -> ItemResult:
    words = item.rollback_detail or item.get_rollback_display()
    return ItemResult(key=str(item.pk), status=ROLLBACK_STATUS[item.rollback], message=words)


@job_kind(APPLY, label="Change set")
def changeset_apply_run(job: Job, items: list[JobItem]) -> Iterator[ItemResult]:
    change_set = ChangeSet.objects.get(pk=job.params["change_set"])
    ids = [int(i.key) for i in items]
    stored = change_set.items.filter(pk__in=ids).exclude(outcome__in=services.RUNNABLE)
    for item in stored:  # done before a worker died: reported, not sent again
        yield _result(item)
    for item in services.changeset_apply(change_set, user=job.started_by, only=ids):
        yield _result(item)
    return _summary(change_set, "applied")


@job_kind(ROLLBACK, label="Change set rollback")
def changeset_rollback_run(job: Job, items: list[JobItem]) -> Iterator[ItemResult]:
    change_set = ChangeSet.objects.get(pk=job.params["change_set"])
    ids = [int(i.key) for i in items]
    stored = change_set.items.filter(pk__in=ids).exclude(
        rollback__in=[ChangeSetItem.Rollback.NONE, ChangeSetItem.Rollback.FAILED]
    )
    for item in stored:
        yield _rollback_result(item)
    for item in services.changeset_rollback(change_set, user=job.started_by, only=ids):
        yield _rollback_result(item)
    return _summary(change_set, "rolled back")


def _summary(change_set: ChangeSet, verb: str) -> str:
    return f"Change set #{change_set.pk} {verb}: see /changes/{change_set.pk}/ for each assistant."
