"""The dashboard as `make run` runs it, every part a process of its own: the sandbox Revox,
gunicorn, and job workers (`manage.py jobs_worker`), sharing one SQLite file (the embedded
default). The tests stop and kill workers as a deploy or a crash would.

Everything listens on 127.0.0.1 on ports picked at run time; a watchdog stops it all if the test
process dies first. The test process never opens that database through Django (its own test
database is elsewhere): it reads what it checks through the pages, the sandbox's request log, and
sqlite3 for the counts no page shows.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

from bench.clients import Dashboard
from tests.canary import CANARY_API_KEY
from tests.conftest import Sandbox
from tests.localservers.processes import (
    PYTHON,
    REPO,
    Process,
    spawn,
    start_gunicorn,
    start_sandbox,
    start_watchdog,
)

RUN_DEADLINE_S = 900
USERNAME, PASSWORD = "ops", "correct horse battery staple"
# Short enough for a test to see a dead worker's job taken over within seconds.
WORKER_ENV = {
    "JOBS_HEARTBEAT_SECONDS": "0.5",
    "JOBS_STALE_AFTER": "3",
    "JOBS_TICK_SECONDS": "0.5",
    "REVOX_BULK_CONCURRENCY": "1",  # one assistant at a time: a kill lands mid-job
}


@dataclass
class Deployment:
    url: str
    sandbox: Sandbox
    database: Path
    env: dict[str, str]
    workdir: Path
    workers: list[Process] = field(default_factory=list)

    def signed_in(self) -> Dashboard:
        dashboard = Dashboard(self.url)
        dashboard.sign_in(USERNAME, PASSWORD)
        return dashboard

    def manage(self, *args: str, env: dict[str, str] | None = None) -> str:
        done = subprocess.run(
            [PYTHON, "manage.py", *args], cwd=REPO, env={**self.env, **(env or {})},
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    def start_worker(self, name: str, **env: str) -> Process:
        worker, watchdog = start_job_worker(name, env={**self.env, **env}, workdir=self.workdir)
        self.workers += [worker, watchdog]
        return worker

    def kill(self, worker: Process) -> None:
        kill(worker)

    def query(self, sql: str, *params) -> list[tuple]:
        with contextlib.closing(sqlite3.connect(self.database, timeout=10)) as db:
            return db.execute(sql, params).fetchall()

    def wait_for(self, condition: Callable[[], object], *, timeout: float, what: str) -> object:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = condition()
            if value:
                return value
            time.sleep(0.1)
        logs = "\n".join(f"--- {w.name}\n{w.log_tail()}" for w in self.workers)
        raise AssertionError(f"{what}: not within {timeout:.0f} s\n{logs}")


def start_job_worker(name: str, *, env: dict[str, str], workdir: Path) -> tuple[Process, Process]:
    """`manage.py jobs_worker` with the test timings (WORKER_ENV, then `env`), ready for jobs,
    and a watchdog of its own that ends it when the test process dies without stopping it."""
    worker = spawn(
        name, [PYTHON, "manage.py", "jobs_worker", "--no-startup-delay", "--worker-id", name],
        env={**WORKER_ENV, **env}, workdir=workdir,
    )  # fmt: skip
    watchdog = start_watchdog(workdir=workdir, env=env, deadline_s=RUN_DEADLINE_S,
                              processes=[worker])  # fmt: skip
    worker.wait_for_line(re.compile(r"Jobs worker ready"), timeout=60, what=name)
    return worker, watchdog


def kill(worker: Process) -> None:
    """SIGKILL: no clean-up of any kind, as when a machine or an OOM killer ends it."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(worker.pid, signal.SIGKILL)
    worker.popen.wait(timeout=10)


@contextlib.contextmanager
def running_deployment() -> Iterator[Deployment]:
    """Start it all; stop it all at the end (workers first)."""
    workdir = Path(tempfile.mkdtemp(prefix="revox-jobs-"))
    started: list[Process] = []
    try:
        sandbox_process, sandbox_url = start_sandbox(
            workdir=workdir, env=dict(os.environ), latency_ms=0, ttl=RUN_DEADLINE_S,
            api_key=CANARY_API_KEY,
        )  # fmt: skip
        started.append(sandbox_process)
        database = workdir / "db.sqlite3"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REVOX_"))}
        env.update({
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "PYTHONUNBUFFERED": "1",
            "DATABASE_URL": f"sqlite:///{database}",
            "TEST_REVOX_API_URL": sandbox_url + "/api",
        })  # fmt: skip
        deployment = Deployment(
            url="", database=database, env=env, workdir=workdir,
            sandbox=Sandbox(SimpleNamespace(url=sandbox_url, api_url=sandbox_url + "/api",
                                            api_key=CANARY_API_KEY)),
        )  # fmt: skip
        deployment.manage("migrate", "--no-input", "-v", "0")
        deployment.manage(
            "ensure_admin",
            env={"DJANGO_SUPERUSER_USERNAME": USERNAME, "DJANGO_SUPERUSER_PASSWORD": PASSWORD},
        )
        gunicorn, deployment.url = start_gunicorn(workdir=workdir, env=env, workers=2)
        started.append(gunicorn)
        started.append(start_watchdog(
            workdir=workdir, env=env, deadline_s=RUN_DEADLINE_S,
            processes=[sandbox_process, gunicorn],
        ))  # fmt: skip
        yield deployment
    finally:
        for worker in locals().get("deployment", SimpleNamespace(workers=[])).workers:
            worker.stop(grace=5)
        for server in reversed(started):
            server.stop()
        shutil.rmtree(workdir, ignore_errors=True)
