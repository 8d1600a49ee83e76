"""The background worker: runs the queued jobs (django-tasks-db's worker loop, one job at a time
per process; start several for more) and, beside it, the clock that takes over jobs whose worker
died and starts the periodic refresh (assistants/jobs/schedule.py)."""

from __future__ import annotations

import logging
import os
import threading

from django.conf import settings
from django.db import connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker

from assistants.jobs.schedule import schedule_tick

logger = logging.getLogger("assistants.jobs")


def _clock(stop: threading.Event) -> None:
    while True:
        try:
            schedule_tick()
        except Exception:
            # The database or Revox having a bad moment must not stop the clock.
            logger.exception("jobs worker: the schedule's tick failed")
        finally:
            connections.close_all()
        if stop.wait(settings.JOBS_TICK_SECONDS):
            return


class Command(db_worker.Command):
    help = (
        "Run background jobs (bulk FAQ actions, the periodic refresh of the local copy). "
        "Start one or more beside the web server; Ctrl-C or SIGTERM stops after the current job."
    )

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        # A job is picked up within a tenth of a second of its click (the default is 1 s): one
        # indexed read of the queue table each time, nothing when there is no job.
        parser.set_defaults(interval=0.1, reload=False)
        parser.add_argument(
            "--no-schedule", action="store_true",
            help="Run jobs only: no periodic refresh, no taking over of dead workers' jobs.",
        )  # fmt: skip

    def handle(self, *args, **options) -> None:
        reloading_parent = options["reload"] and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true"
        if not options.pop("no_schedule") and not reloading_parent:
            stop = threading.Event()
            threading.Thread(target=_clock, args=(stop,), name="jobs-clock", daemon=True).start()
        self.stdout.write(f"Jobs worker ready (pid {os.getpid()}).")
        self.stdout.flush()
        super().handle(*args, **options)
