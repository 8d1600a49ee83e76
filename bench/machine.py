"""What the machine charges a process for resuming, measured before the run.

A save waits twice for Revox (150 ms each), and what runs right after each wait runs slower
on some virtual machines: a process that slept pays for every page of memory it touches
again, the more the longer it slept. On the bench's machine it varied by day: a PostgreSQL
server process answered its first query after a 150 ms pause in ~0.35 ms on 5 December, and
in 6-10 ms on the morning of 6 December, when this probe found ~4 µs a page (issue 25).
The save's own time carries it twice over (the worker and the database server each resume),
so the report says how much it was, next to the figures it weighs on.

The probe: a child process that touches PROBE_MB of its memory, one byte a page, each time it is
asked; the time of an answer straight after the previous one, and after a 150 ms pause.

The probe does not tell a quiet machine from a slower one: on the afternoon of 6 December
every page, save and sync ran 1.3-1.6 times as long as in the README's table, the probe's
ratio low. So the run also times a fixed piece of pure-Python work (python_speed), a figure to
compare between runs on the same code.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

PROBE_MB = 8
PAUSE_S = 0.15
SAMPLES = 15
# How long the child may take to exit once its input is closed before it is killed.
CHILD_EXIT_S = 10.0
# A pause that multiplies the time to touch memory again by this or more is worth a warning.
WARN_RATIO = 10.0

CHILD = f"""
import sys
memory = bytearray({PROBE_MB} * 1024 * 1024)
while sys.stdin.buffer.read(1):
    for offset in range(0, len(memory), 4096):
        memory[offset] ^= 1
    sys.stdout.buffer.write(b"!")
    sys.stdout.buffer.flush()
"""


def resume_cost() -> dict[str, float]:
    """Milliseconds for the child to touch its memory: awake, and right after a pause."""
    child = subprocess.Popen([sys.executable, "-c", CHILD], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, bufsize=0)  # fmt: skip
    try:

        def answer() -> float:
            started = time.perf_counter()
            child.stdin.write(b"?")
            if child.stdout.read(1) != b"!":
                raise RuntimeError("the machine probe's child stopped answering")
            return (time.perf_counter() - started) * 1000

        answer()  # the child's memory is allocated and touched once before timing
        awake = statistics.median(answer() for _ in range(SAMPLES))
        after_pause = []
        for _ in range(SAMPLES):
            time.sleep(PAUSE_S)
            after_pause.append(answer())
    finally:
        child.stdin.close()
        try:
            child.wait(timeout=CHILD_EXIT_S)
        except subprocess.TimeoutExpired:
            child.kill()  # never left running behind the bench
            child.wait()
            raise
    resumed = statistics.median(after_pause)
    pages = PROBE_MB * 256
    return {
        "awake_ms": round(awake, 3),
        "after_pause_ms": round(resumed, 3),
        "per_page_after_pause_us": round(resumed * 1000 / pages, 2),
        "ratio": round(resumed / awake, 1) if awake else 0.0,
    }


# python_speed: the best of this many rounds, each the same work.
PYTHON_ROUNDS = 5
PYTHON_WORK_ITEMS = 200_000


def python_speed() -> float:
    """Milliseconds, the best of PYTHON_ROUNDS, for a fixed piece of the work the dashboard's
    Python does most (a loop over dict look-ups and small strings), in this process."""
    best = float("inf")
    for _ in range(PYTHON_ROUNDS):
        started = time.perf_counter()
        counts: dict[str, int] = {}
        for i in range(PYTHON_WORK_ITEMS):
            key = f"k{i % 1000}"
            counts[key] = counts.get(key, 0) + i
        best = min(best, (time.perf_counter() - started) * 1000)
    return round(best, 1)


def describe(cost: dict[str, float]) -> str:
    return (
        f"{PROBE_MB} MB touched again: {cost['awake_ms']:.2f} ms awake, "
        f"{cost['after_pause_ms']:.2f} ms after {PAUSE_S * 1000:.0f} ms asleep "
        f"({cost['per_page_after_pause_us']:.2f} µs a page, × {cost['ratio']:.1f})"
    )
