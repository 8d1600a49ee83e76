"""The dashboard as it is deployed for a team that outgrew one process: gunicorn with 3 workers
on PostgreSQL (this test run's database), Django's cache on Redis, and the sandbox Revox as a
process of its own. Used by tests/multiworker/ and the two-browser test in tests/e2e/.

Everything runs on 127.0.0.1 on ports picked at run time, and a watchdog stops it all if the
test process dies. Tests that use it must commit what the workers should see
(`transactional_db`).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import requests

from bench.clients import Dashboard
from tests.canary import CANARY_API_KEY
from tests.conftest import PASSWORD, Sandbox

WORKERS = 3
RUN_DEADLINE_S = 1800


@dataclass
class AppServers:
    url: str
    sandbox: Sandbox
    gunicorn_pid: int
    env: dict[str, str]  # the workers' environment, for more processes of the same deploy
    workdir: Path

    def signed_in(self, username: str, password: str = PASSWORD) -> Dashboard:
        dashboard = Dashboard(self.url)
        dashboard.sign_in(username, password)
        return dashboard


def served_by(response: requests.Response) -> int:
    return int(response.headers["X-Served-By"])


def at_once(calls: list[Callable[[], Any]]) -> list[Any]:
    """Run the calls in threads released together; their results in order (an exception in
    one is raised here)."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
        barrier.wait()
        try:
            results[index] = call()
        except BaseException as err:
            results[index] = err

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return results


# How the app servers' and job workers' sessions name themselves to PostgreSQL
# (pg_stat_activity), so that the tests can wait for theirs alone.
WORKER_APPLICATION = "revox-test-worker"


def _database_url() -> str:
    from django.conf import settings

    db = settings.DATABASES["default"]
    return (
        f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        f"?application_name={WORKER_APPLICATION}"
    )


@pytest.fixture(scope="module")
def app_servers(django_db_setup, django_db_blocker) -> Iterator[AppServers]:
    from django.db import connection

    from tests.localservers.processes import start_gunicorn, start_sandbox, start_watchdog
    from tests.localservers.redis import start_redis

    if connection.vendor != "postgresql":
        pytest.skip("several app servers run on PostgreSQL: pytest --database postgres")
    workdir = Path(tempfile.mkdtemp(prefix="revox-workers-"))
    started = []
    try:
        redis = start_redis()
        started.append(redis)
        sandbox_process, sandbox_url = start_sandbox(
            workdir=workdir, env=dict(os.environ), latency_ms=0, ttl=RUN_DEADLINE_S,
            api_key=CANARY_API_KEY,
        )  # fmt: skip
        started.append(sandbox_process)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REVOX_"))}
        env.update({
            "DJANGO_SETTINGS_MODULE": "tests.multiworker.settings",
            "PYTHONUNBUFFERED": "1",
            "DATABASE_URL": _database_url(),
            "CACHE_URL": redis.url,
            "TEST_REVOX_API_URL": sandbox_url + "/api",
        })  # fmt: skip
        gunicorn, url = start_gunicorn(workdir=workdir, env=env, workers=WORKERS)
        started.append(gunicorn)
        started.append(start_watchdog(
            workdir=workdir, env=env, deadline_s=RUN_DEADLINE_S,
            processes=[redis.process, sandbox_process, gunicorn], remove=(redis.root,),
        ))  # fmt: skip
        running = SimpleNamespace(
            url=sandbox_url, api_url=sandbox_url + "/api", api_key=CANARY_API_KEY
        )
        yield AppServers(url=url, sandbox=Sandbox(running), gunicorn_pid=gunicorn.pid, env=env,
                         workdir=workdir)  # fmt: skip
    finally:
        for server in reversed(started):
            server.stop()
        shutil.rmtree(workdir, ignore_errors=True)
        with django_db_blocker.unblock():
            _wait_for_workers_to_disconnect()


def _wait_for_workers_to_disconnect(timeout: float = 15) -> None:
    """The killed workers' server sessions end a moment after them; until they have, the test
    database cannot be dropped at the end of the run.

    Only the workers' sessions are waited for, and the connection asked is closed after. This
    process may hold another connection of its own: after a browser test, this teardown runs in
    Playwright's greenlet, where Django's connection is a second one. Counting that one made the
    wait last its whole timeout, and the connection left open here was the session the
    database's drop then found still there."""
    from django.db import connection

    deadline = time.monotonic() + timeout
    try:
        with connection.cursor() as cursor:
            while time.monotonic() < deadline:
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND application_name = %s",
                    [WORKER_APPLICATION],
                )
                if cursor.fetchone()[0] == 0:
                    return
                time.sleep(0.05)
    finally:
        connection.close()


@pytest.fixture
def servers(app_servers: AppServers, transactional_db, settings) -> Iterator[AppServers]:
    """The app servers, with an empty sandbox and no faults, and this test process pointed at
    the same sandbox (for what a test sets up or checks through the services)."""
    app_servers.sandbox.reset("empty")
    settings.REVOX_API_URL = app_servers.sandbox.api_url
    settings.REVOX_API_KEY = CANARY_API_KEY
    yield app_servers
    app_servers.sandbox.clear_faults()
