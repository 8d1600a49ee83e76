"""python -m bench.watchdog --parent PID --deadline SECONDS PGID...

Ends the given process groups when the benchmark process (`--parent`) is gone, or when the
deadline passes, whichever comes first; exits by itself once they are all gone. The benchmark
stops its processes itself; this is for when it cannot (killed with SIGKILL, a hung run), so a
gunicorn never outlives it. The sandbox also has its own --ttl.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import time


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    return True


def _end(groups: list[int]) -> None:
    for pgid in groups:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pgid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_group_alive(g) for g in groups):
        time.sleep(0.2)
    for pgid in groups:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pgid, signal.SIGKILL)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.watchdog")
    parser.add_argument("--parent", type=int, required=True)
    parser.add_argument("--deadline", type=float, required=True)
    parser.add_argument("groups", type=int, nargs="+")
    args = parser.parse_args()
    # The benchmark's own Ctrl-C must not take the watchdog down before it has done its job.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    give_up_at = time.monotonic() + args.deadline
    while any(_group_alive(g) for g in args.groups):
        # Reparented (or the pid gone): the benchmark died without stopping its processes.
        orphaned = os.getppid() != args.parent or not _alive(args.parent)
        if orphaned or time.monotonic() > give_up_at:
            _end(args.groups)
            return 0
        time.sleep(0.5)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
