"""The dashboard as the bench runs it: its environment (production settings, this run's sandbox
and database) and its management commands. Shared by bench/run.py and bench/changes.py."""

from __future__ import annotations

import os
import secrets
import subprocess
from pathlib import Path

from tests.localservers.processes import PYTHON, REPO

LATENCY_MS = 150  # Revox's latency, as the sandbox plays it
RUN_DEADLINE_S = 3600  # the sandbox's --ttl and the watchdog's limit: far beyond a normal run


def dashboard_env(workdir: Path, sandbox_url: str, api_key: str,
                  database_url: str) -> dict[str, str]:  # fmt: skip
    """The dashboard's environment: production settings, pointed at this run's sandbox and DB.
    Set explicitly so that a developer's .env (read by the settings) changes nothing here."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REVOX_"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "revox_admin.settings",
        "PYTHONUNBUFFERED": "1",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url,
        "CACHE_URL": "locmemcache://",
        "WHITENOISE_USE_FINDERS": "true",
        "SECURE_SSL_REDIRECT": "false",
        "BEHIND_HTTPS_PROXY": "false",
        "REVOX_API_URL": sandbox_url + "/api",
        "REVOX_API_KEY": api_key,
        # The sandbox builds a listing of 50,000 (300 MB) before its first byte; the wait for
        # that first byte counts against the read timeout.
        "REVOX_READ_TIMEOUT": "120",
        # The cache must stay fresh for the whole run: "Revox calls while the cache is fresh".
        "REVOX_CACHE_MAX_AGE": str(RUN_DEADLINE_S),
        "LOG_LEVEL": "WARNING",
    })  # fmt: skip
    return env


def manage(env: dict[str, str], *args: str, extra_env: dict[str, str] | None = None,
           timeout: float = 300) -> str:  # fmt: skip
    completed = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=REPO, env={**env, **(extra_env or {})},
        capture_output=True, text=True, timeout=timeout, check=False,
    )  # fmt: skip
    if completed.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{completed.stderr[-3000:]}")
    return completed.stdout
