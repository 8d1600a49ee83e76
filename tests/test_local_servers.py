"""The servers the tests and the bench start (tests/localservers/): what a stopped one printed
last is in its log, whole, and nothing fails behind the test's back while it is copied."""

from __future__ import annotations

import re
import signal
import sys
import threading

from tests.localservers.processes import spawn

# Prints "ready", then, when told to stop, 200,000 short lines into a pipe made big enough to hold
# them all (1 MB, Linux's F_SETPIPE_SZ), and exits at once: the copy to the log, 200,000 writes,
# has barely begun when the process is gone.
LOUD_ON_EXIT = """
import fcntl, signal, sys
fcntl.fcntl(1, 1031, 1 << 20)  # F_SETPIPE_SZ
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})  # taken below, not by a handler
print("ready", flush=True)
signal.sigwait({signal.SIGTERM})
sys.stdout.write("x\\n" * 200_000 + "last line\\n")
sys.stdout.flush()
"""


def test_a_stopped_process_has_everything_it_printed_in_its_log(tmp_path):
    failures = []
    previous_hook = threading.excepthook
    threading.excepthook = lambda args: failures.append(args.exc_value)
    try:
        process = spawn("loud", [sys.executable, "-c", LOUD_ON_EXIT], env={}, workdir=tmp_path,
                        cwd=tmp_path, stop_signal=signal.SIGTERM)  # fmt: skip
        process.wait_for_line(re.compile("ready"), timeout=30, what="the loud process")
        process.stop()
    finally:
        threading.excepthook = previous_hook

    lines = (tmp_path / "loud.log").read_text().splitlines()
    assert lines[0] == "ready"
    assert lines[-1] == "last line"
    assert len(lines) == 200_002
    assert not failures, failures
