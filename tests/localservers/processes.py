"""The servers the benchmark and the tests start as processes of their own: the sandbox,
gunicorn, and a watchdog over them (PostgreSQL and Redis: postgres.py and redis.py beside this).

Everything listens on 127.0.0.1 on a port picked at run time (port 0 read back from the
process's first lines, or a free port found just before), so a run never collides with
`make run` or another run. Each process gets its own session (process group): a Ctrl-C reaches
only the parent, whose `finally` stops them in order, and the watchdog can end a whole gunicorn
(master and workers) with one signal when the parent itself died without cleaning up.
"""

from __future__ import annotations

import contextlib
import os
import re
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO

import requests

REPO = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


class StartupError(RuntimeError):
    pass


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now (for servers that cannot be
    told "port 0"; their callers retry on the rare port taken meanwhile)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def read_until(stream: IO[bytes], pattern: re.Pattern[str], *, timeout: float, log: IO[str],
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


class Process:
    """One started child: its Popen, its log file, and how to stop it (`stop_signal` first,
    SIGKILL for whatever is left)."""

    def __init__(self, name: str, popen: subprocess.Popen, log: IO[str],
                 stop_signal: signal.Signals = signal.SIGTERM) -> None:  # fmt: skip
        self.name = name
        self.popen = popen
        self.log = log
        self.stop_signal = stop_signal
        self._pump: threading.Thread | None = None
        self._log_lock = threading.Lock()  # the pump's writes and stop's close take turns

    @property
    def pid(self) -> int:
        return self.popen.pid

    def stop(self, grace: float = 10.0) -> None:
        """Signal the process group, wait, then SIGKILL whatever is left."""
        if self.popen.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, self.stop_signal)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.popen.wait(timeout=grace)
        # Workers can outlive a master that was killed: end the whole group either way.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.popen.wait(timeout=5)
        # What the process wrote last is still being copied: let it reach the log (the pipe
        # ends once every process of the group is gone), then close the log. A pump still
        # waiting past that (something outside the group holds the pipe) finds it closed.
        if self._pump is not None:
            self._pump.join(timeout=5)
        with self._log_lock:
            self.log.close()

    def drain(self) -> None:
        """Keep copying the output to the log from now on, so that a full pipe never blocks
        the process."""
        stream, log = self.popen.stdout, self.log

        def pump() -> None:
            for raw in iter(stream.readline, b""):
                with self._log_lock:
                    if log.closed:
                        return
                    log.write(raw.decode(errors="replace"))
                    log.flush()

        self._pump = threading.Thread(target=pump, name=f"{self.name}-output", daemon=True)
        self._pump.start()

    @property
    def watch_spec(self) -> str:
        """How the watchdog names this process group and its stop signal."""
        return f"{self.pid}:{self.stop_signal.name.removeprefix('SIG')}"

    def log_tail(self, lines: int = 15) -> str:
        with self._log_lock:
            if not self.log.closed:
                self.log.flush()
        with open(self.log.name, errors="replace") as log:
            return "".join(log.readlines()[-lines:])

    def wait_for_line(self, pattern: re.Pattern[str], *, timeout: float, what: str,
                      keep_draining: bool = True) -> re.Match[str]:  # fmt: skip
        """The first line of output matching `pattern` (the process is stopped if none comes);
        then the rest of its output keeps flowing to the log unless `keep_draining` is off."""
        try:
            match = read_until(self.popen.stdout, pattern, timeout=timeout, log=self.log,
                               what=what)  # fmt: skip
        except BaseException:
            self.stop()
            raise
        if keep_draining:
            self.drain()
        return match


def spawn(name: str, args: list[str], *, env: dict[str, str], workdir: Path,
          cwd: Path = REPO, user: tuple[int, int] | None = None,
          stop_signal: signal.Signals = signal.SIGTERM) -> Process:  # fmt: skip
    """Start `args` in a session of its own, its output going to workdir/<name>.log (read it
    with read_until, then keep it flowing with Process.drain). `user`: (uid, gid) to run as."""
    log = open(workdir / f"{name}.log", "w")  # noqa: SIM115 (closed by Process.stop)
    as_user = {"user": user[0], "group": user[1], "extra_groups": []} if user else {}
    popen = subprocess.Popen(
        args,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        **as_user,
    )
    return Process(name, popen, log, stop_signal)


def start_sandbox(*, workdir: Path, env: dict[str, str], latency_ms: float, ttl: float,
                  api_key: str) -> tuple[Process, str]:  # fmt: skip
    """The sandbox on a free port; returns the process and its base URL (without /api)."""
    process = spawn(
        "sandbox",
        [PYTHON, "-m", "sandbox", "--host", "127.0.0.1", "--port", "0", "--api-key", api_key,
         "--seed", "empty", "--latency-ms", str(latency_ms), "--ttl", str(ttl)],
        env=env, workdir=workdir,
    )  # fmt: skip
    match = process.wait_for_line(
        re.compile(r"on (http://127\.0\.0\.1:\d+)/api"), timeout=30, what="the sandbox"
    )
    return process, match.group(1)


def start_gunicorn(*, workdir: Path, env: dict[str, str], workers: int) -> tuple[Process, str]:
    """gunicorn serving the dashboard on a free port; returns the process and its base URL."""
    process = spawn(
        "gunicorn",
        [PYTHON, "-m", "gunicorn", "revox_admin.wsgi:application", "--bind", "127.0.0.1:0",
         "--workers", str(workers), "--graceful-timeout", "5", "--timeout", "60",
         "--log-level", "info", "--error-logfile", "-"],
        env=env, workdir=workdir,
    )  # fmt: skip
    match = process.wait_for_line(
        re.compile(r"Listening at: (http://127\.0\.0\.1:\d+)"), timeout=60, what="gunicorn"
    )
    url = match.group(1)
    try:
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


def start_watchdog(*, workdir: Path, env: dict[str, str], processes: list[Process],
                   deadline_s: float, remove: tuple[Path, ...] = ()) -> Process:  # fmt: skip
    """A separate process that ends `processes` (their process groups, each with its own stop
    signal) when this process dies without stopping them, or when the run overruns
    `deadline_s`; then deletes the `remove` folders."""
    removals = [arg for folder in remove for arg in ("--remove", str(folder))]
    return spawn(
        "watchdog",
        [PYTHON, "-m", "tests.localservers.watchdog", "--parent", str(os.getpid()),
         "--deadline", str(deadline_s), *removals, *(p.watch_spec for p in processes)],
        env=env, workdir=workdir,
    )  # fmt: skip
