"""The background job runner: long work (bulk FAQ actions, the periodic refresh of the local
copy, later change sets) runs on a worker process, never inside a web request.

A job is a row people can see (`models.Job`: kind, who started it, when, status, counts) with one
row per item of work (`models.JobItem`: pending, went through, failed and why, conflict). The
queue underneath is Django's tasks framework (`django-tasks`, with `django-tasks-db` keeping the
queue in this database: SQLite by default, PostgreSQL in a deploy); `runner.py` is the API the
parts use:

    @job_kind("faq_review.bulk", label="FAQ review")
    def run(job, items):            # the items still pending; yields one ItemResult per item
        ...
    job_enqueue(kind="faq_review.bulk", user=request.user, title="Approve 12 answers",
                items=[JobItemSpec(key=..., label=..., payload={...}), ...])

Each item's result is written as soon as it is known, so a job whose worker died is resumed
by another worker with only the items still pending; the step must be safe to repeat for an
item whose work landed but whose result was not written yet. `schedule.py` is what runs on a
timer; `management/commands/jobs_worker.py` the worker; the pages are `views.py`.

May import: Django, django-tasks, the team's roles, the cache (the periodic refresh, and what
follows it through the cache's hook). The parts that define kinds import this package (`<part>/jobs.py`, found at
start-up), never the reverse.
"""

# Its floor (assistants/__init__.py): on the cache (the periodic refresh), under the parts that
# define kinds of job (faq_review/, changes/).
LAYER = 4
