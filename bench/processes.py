"""The processes a benchmark run starts: the sandbox, gunicorn, and a watchdog over both.

Everything listens on 127.0.0.1 on a port the OS picks (port 0, read back from the process's
first lines), so a run never collides with `make run` or another run. Each process gets its own
session (process group): a Ctrl-C reaches only the benchmark, whose `finally` stops them in order,
and the watchdog can end a whole gunicorn (master and workers) with one signal when the
benchmark itself died without cleaning up.
"""

from __future__ import annotations

import contextlib
import os
import re
import select
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO

import requests

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


class StartupError(RuntimeError):
    pass


def _read_until(stream: IO[bytes], pattern: re.Pattern[str], *, timeout: float, log: IO[str],
                what: str) -> re.Match[str]:  # fmt: skip
    """Read lines from a child's pipe (copying them to `log`) until one matches `pattern`."""
    deadline = time.monotonic() + timeout
    buffered = b""
    fd = stream.fileno()
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if not ready:
            continue
        chunk = os.read(fd, 65536)
        if not chunk:
            break  # the process closed its output: it died
        buffered += chunk
        *lines, buffered = buffered.split(b"\n")
        for raw in lines:
            line = raw.decode(errors="replace")
            log.write(line + "\n")
            log.flush()
            match = pattern.search(line)
            if match:
                return match
    raise StartupError(f"{what} did not start within {timeout:.0f} s (see {log.name})")


def _drain(stream: IO[bytes], log: IO[str]) -> None:
    """Keep copying a child's output to its log so a full pipe never blocks it."""

    def pump() -> None:
        for raw in iter(stream.readline, b""):
            log.write(raw.decode(errors="replace"))
            log.flush()

    threading.Thread(target=pump, daemon=True).start()


class Process:
    """One started child: its Popen, its log file, and how to stop it."""

    def __init__(self, name: str, popen: subprocess.Popen, log: IO[str]) -> None:
        self.name = name
        self.popen = popen
        self.log = log

    @property
    def pid(self) -> int:
        return self.popen.pid

    def stop(self, grace: float = 10.0) -> None:
        """SIGTERM the process group, wait, then SIGKILL whatever is left."""
        if self.popen.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.popen.wait(timeout=grace)
        # Workers can outlive a master that was killed: end the whole group either way.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.popen.wait(timeout=5)
        self.log.close()


def _spawn(name: str, args: list[str], *, env: dict[str, str], workdir: Path) -> Process:
    log = open(workdir / f"{name}.log", "w")  # noqa: SIM115 (closed by Process.stop)
    popen = subprocess.Popen(
        args,
        cwd=REPO,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    return Process(name, popen, log)


def start_sandbox(*, workdir: Path, env: dict[str, str], latency_ms: float, ttl: float,
                  api_key: str) -> tuple[Process, str]:  # fmt: skip
    """The sandbox on a free port; returns the process and its base URL (without /api)."""
    process = _spawn(
        "sandbox",
        [PYTHON, "-m", "sandbox", "--host", "127.0.0.1", "--port", "0", "--api-key", api_key,
         "--seed", "empty", "--latency-ms", str(latency_ms), "--ttl", str(ttl)],
        env=env, workdir=workdir,
    )  # fmt: skip
    try:
        match = _read_until(
            process.popen.stdout, re.compile(r"on (http://127\.0\.0\.1:\d+)/api"),
            timeout=30, log=process.log, what="the sandbox",
        )  # fmt: skip
    except BaseException:
        process.stop()
        raise
    _drain(process.popen.stdout, process.log)
    return process, match.group(1)


def start_gunicorn(*, workdir: Path, env: dict[str, str], workers: int) -> tuple[Process, str]:
    """gunicorn serving the dashboard on a free port; returns the process and its base URL."""
    process = _spawn(
        "gunicorn",
        [PYTHON, "-m", "gunicorn", "revox_admin.wsgi:application", "--bind", "127.0.0.1:0",
         "--workers", str(workers), "--graceful-timeout", "5", "--timeout", "60",
         "--log-level", "info", "--error-logfile", "-"],
        env=env, workdir=workdir,
    )  # fmt: skip
    try:
        match = _read_until(
            process.popen.stdout, re.compile(r"Listening at: (http://127\.0\.0\.1:\d+)"),
            timeout=60, log=process.log, what="gunicorn",
        )  # fmt: skip
        _drain(process.popen.stdout, process.log)
        url = match.group(1)
        _wait_until_serving(url + "/accounts/login/", process)
    except BaseException:
        process.stop()
        raise
    return process, url


def _wait_until_serving(url: str, process: Process, timeout: float = 60) -> None:
    # The master listens before the workers have imported Django; wait for a real answer.
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.popen.poll() is not None:
            break
        try:
            if requests.get(url, timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise StartupError(f"the dashboard did not answer {url} (see {process.log.name})")


def start_watchdog(*, workdir: Path, env: dict[str, str], pids: list[int],
                   deadline_s: float) -> Process:  # fmt: skip
    """A separate process that ends `pids` (their process groups) when this benchmark dies
    without stopping them, or when the run overruns `deadline_s`."""
    return _spawn(
        "watchdog",
        [PYTHON, "-m", "bench.watchdog", "--parent", str(os.getpid()),
         "--deadline", str(deadline_s), *map(str, pids)],
        env=env, workdir=workdir,
    )  # fmt: skip
