"""python -m tests.localservers.watchdog --parent PID --deadline SECONDS [--remove DIR]... GROUP...

Ends the given process groups when the process that started them (`--parent`: the benchmark,
or the pytest controller) is gone, or when the deadline passes, whichever comes first; then
deletes the `--remove` folders (a throwaway database cluster) and exits. It also exits by itself
once the groups are all gone. The parent stops its servers itself; this is for when it cannot
(killed with SIGKILL, a hung run), so that no gunicorn, PostgreSQL or Redis outlives it.

A GROUP is a process group id, optionally with the signal that asks it to stop, e.g. `1234:INT`
for PostgreSQL's fast shutdown (SIGTERM, the default, would wait for its clients to leave).
Whatever is left 10 s later gets SIGKILL.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
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


def _end(groups: dict[int, signal.Signals]) -> None:
    for pgid, stop_signal in groups.items():
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pgid, stop_signal)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_group_alive(g) for g in groups):
        time.sleep(0.2)
    for pgid in groups:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pgid, signal.SIGKILL)


def parse_group(value: str) -> tuple[int, signal.Signals]:
    pgid, _, name = value.partition(":")
    try:
        return int(pgid), signal.Signals[f"SIG{name or 'TERM'}"]
    except (ValueError, KeyError) as err:
        raise argparse.ArgumentTypeError(f"not a process group: {value!r}") from err


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.localservers.watchdog")
    parser.add_argument("--parent", type=int, required=True)
    parser.add_argument("--deadline", type=float, required=True)
    parser.add_argument("--remove", action="append", default=[], help="a folder to delete")
    parser.add_argument("groups", type=parse_group, nargs="+")
    args = parser.parse_args()
    groups = dict(args.groups)
    # The parent's own Ctrl-C must not take the watchdog down before it has done its job.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    give_up_at = time.monotonic() + args.deadline
    while any(_group_alive(g) for g in groups):
        # Reparented (or the pid gone): the parent died without stopping its processes.
        orphaned = os.getppid() != args.parent or not _alive(args.parent)
        if orphaned or time.monotonic() > give_up_at:
            _end(groups)
            break
        time.sleep(0.5)
    for folder in args.remove:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
