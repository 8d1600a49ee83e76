"""`pytest --database postgres`: the suite against a real PostgreSQL server of its own.

Loaded as a plugin (`-p tests.databases`, in pyproject.toml) because it must act before
pytest-django imports the settings: the settings read DATABASE_URL once, at import.

- `--database sqlite` (the default): DATABASE_URL is an in-memory SQLite database, whatever
  the environment or a developer's .env say.
- `--database postgres`: the controlling pytest process starts one throwaway cluster
  (tests/localservers/postgres.py: initdb in a temporary folder, 127.0.0.1, a free port) and points
  DATABASE_URL at it before Django is set up. pytest-xdist workers inherit that environment and
  start nothing; pytest-django gives each worker its own test database (test_revox_gw0, …).
  The cluster is stopped at the end, on Ctrl-C and on a failure too; a watchdog process stops
  it and deletes its folder if pytest itself is killed.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

WATCHDOG_DEADLINE_S = 6 * 3600  # a safety net far beyond any run, a debugging session included


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--database",
        choices=("sqlite", "postgres"),
        default="sqlite",
        help="run against in-memory SQLite (default) or a throwaway PostgreSQL server",
    )


@pytest.hookimpl(wrapper=True)
def pytest_load_initial_conftests(early_config: pytest.Config, parser, args):
    database = early_config.known_args_namespace.database
    if database == "sqlite":
        os.environ["DATABASE_URL"] = "sqlite://:memory:"
    elif not os.environ.get("PYTEST_XDIST_WORKER"):  # a worker uses its controller's server
        os.environ["DATABASE_URL"] = _start_postgres(early_config)
    return (yield)


def _start_postgres(config: pytest.Config) -> str:
    from tests.localservers.postgres import start_postgres
    from tests.localservers.processes import start_watchdog

    server = start_postgres()
    logs = Path(tempfile.mkdtemp(prefix="revox-pg-watchdog-"))
    watchdog = start_watchdog(
        workdir=logs, env=dict(os.environ), processes=[server.process],
        deadline_s=WATCHDOG_DEADLINE_S, remove=(server.root, logs),
    )  # fmt: skip

    def stop() -> None:
        server.stop()
        # With the server gone, the watchdog deletes the folders and exits by itself.
        try:
            watchdog.popen.wait(timeout=10)
        finally:
            watchdog.stop()

    config.add_cleanup(stop)
    return server.url


def pytest_report_header(config: pytest.Config) -> str:
    return f"database: {config.getoption('database')} ({os.environ.get('DATABASE_URL', '')})"
