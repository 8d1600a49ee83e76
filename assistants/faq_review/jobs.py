"""Bulk FAQ decisions as a background job: one item per assistant (its decisions as payload),
run by `faq_review_apply_bulk` on a worker, so closing the page does not stop them and the
result stays readable on /jobs/.

Safe to resume: each assistant is read fresh before its one PATCH, so an assistant whose save
landed just before its worker died finds its answers already approved and sends nothing again.
The job's claims on the assistants carry the job's own token, so the worker that resumes it
takes them back at once instead of waiting for them to expire.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import asdict

from django.contrib.auth.models import AbstractBaseUser

from assistants import faq, selectors
from assistants.editors.services import SAVE_IN_PROGRESS
from assistants.faq_review.services import AssistantOutcome, faq_review_apply_bulk
from assistants.jobs.models import Job, JobItem
from assistants.jobs.runner import ItemResult, JobItemSpec, job_enqueue, job_kind
from assistants.models import Assistant

BULK = "faq_review.bulk"
VERBS = {faq.APPROVE: "Approve", faq.DELETE: "Delete", faq.ANSWER: "Save"}
# Someone else got there first: the item changed or went, or another save held the assistant.
CONFLICTS = {faq.NOT_FOUND, faq.ALREADY_ANSWERED, SAVE_IN_PROGRESS}


def faq_bulk_enqueue(
    *, user: AbstractBaseUser, plan: Mapping[str, list[faq.Action]], action: str,
    file_name: str = "",
) -> Job:  # fmt: skip
    """Put these decisions on the job runner; returns the job at once."""
    names = dict(Assistant.objects.filter(revox_id__in=list(plan)).values_list("revox_id", "name"))
    questions = sum(len(actions) for actions in plan.values())
    what = "answer" if action != faq.DELETE else "question"
    title = (
        f"{VERBS[action]} {questions} FAQ {what}{'' if questions == 1 else 's'} "
        f"in {len(plan)} assistant{'' if len(plan) == 1 else 's'}"
        + (f" (from {file_name})" if file_name else "")
    )
    items = [
        JobItemSpec(key=revox_id, label=names.get(revox_id) or revox_id,
                    payload={"actions": [asdict(a) for a in actions]})
        for revox_id, actions in sorted(plan.items(), key=lambda p: names.get(p[0], p[0]).lower())
    ]  # fmt: skip
    return job_enqueue(
        kind=BULK, user=user, title=title, items=items,
        params={"action": action, "questions": questions, "file": file_name},
    )  # fmt: skip


def _report_context(job: Job, items: list[JobItem]) -> dict:
    """What the pages need beside the report: the items that failed (kept selected in the
    queue), and the pending total for the navigation's badge."""
    failed = [key for item in items for key in item.detail.get("failed_keys", [])]
    return {"failed_keys": failed, "pending": selectors.total_pending_faq()}


@job_kind(BULK, label="FAQ review", report_template="faq_review/_job_report.html",
          report_context=_report_context)  # fmt: skip
def faq_bulk_run(job: Job, items: list[JobItem]) -> Iterator[ItemResult]:
    plan = {item.key: [faq.Action(**a) for a in item.payload["actions"]] for item in items}
    resumed = job.attempts > 1
    outcomes = faq_review_apply_bulk(
        user=job.started_by, plan=plan, claim_holder=f"job:{job.pk}", resumed=resumed
    )
    for outcome in outcomes:
        yield item_result(outcome, resumed=resumed)


RESUMED_DONE = "Already done before the worker restarted; nothing sent again."


def item_result(outcome: AssistantOutcome, *, resumed: bool = False) -> ItemResult:
    """One assistant's outcome as the job keeps it: its status, a line, and each question.
    `resumed`: a run after a worker died, whose first run may have saved this assistant just
    before dying: an answer found already there is then this job's own, not a conflict."""
    words = {faq.APPROVE: "approved", faq.ANSWER: "answered", faq.DELETE: "deleted"}
    detail = {
        "name": outcome.name,
        "applied": [[words[r.action.kind], r.action.question] for r in outcome.applied],
        "unchanged": [[r.action.question, r.message] for r in outcome.unchanged],
        "failed": [[r.action.question, r.message] for r in outcome.failed],
        "failed_keys": outcome.failed_keys,
        "error": outcome.error,
        "unpatched_calls": outcome.unpatched_calls_message,
    }
    messages = {r.message for r in outcome.failed} | ({outcome.error} - {""})
    conflicts = messages & CONFLICTS or {
        r.message for r in outcome.unchanged if r.message == faq.ALREADY_ANSWERED and not resumed
    }
    if messages - CONFLICTS:
        status, message = "failed", outcome.error or sorted(messages - CONFLICTS)[0]
    elif conflicts:
        status, message = "conflict", sorted(conflicts)[0]
    else:
        nothing = RESUMED_DONE if resumed else "Nothing to change: already done."
        counts = Counter(word for word, _ in detail["applied"])
        done = ", ".join(f"{n} {word}" for word, n in counts.items())
        status, message = "done", done or nothing
    return ItemResult(key=outcome.revox_id, status=status, message=message, detail=detail)
