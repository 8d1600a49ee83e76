"""The bench's machine probe (bench/machine.py) answers with figures and leaves no process."""

from __future__ import annotations

import subprocess

import pytest

from bench import machine


@pytest.fixture
def children(monkeypatch) -> list[subprocess.Popen]:
    """Every process the probe starts, kept to be looked at after it."""
    started = []
    popen = subprocess.Popen

    def tracked(*args, **kwargs):
        started.append(popen(*args, **kwargs))
        return started[-1]

    monkeypatch.setattr(machine.subprocess, "Popen", tracked)
    return started


def test_the_probe_reports_both_timings_and_stops_its_child(monkeypatch, children):
    monkeypatch.setattr(machine, "SAMPLES", 3)
    monkeypatch.setattr(machine, "PAUSE_S", 0.01)
    cost = machine.resume_cost()

    assert cost["awake_ms"] > 0 and cost["after_pause_ms"] > 0
    assert cost["per_page_after_pause_us"] == round(
        cost["after_pause_ms"] * 1000 / (machine.PROBE_MB * 256), 2
    )
    assert "MB touched again" in machine.describe(cost)
    assert [child.returncode for child in children] == [0]


def test_a_probe_child_that_will_not_exit_is_killed_and_the_probe_fails(monkeypatch, children):
    # Answers like the probe's child, then ignores the end of its input.
    stubborn = (
        "import sys, time\n"
        "while sys.stdin.buffer.read(1):\n"
        "    sys.stdout.buffer.write(b'!'); sys.stdout.buffer.flush()\n"
        "time.sleep(60)\n"
    )
    monkeypatch.setattr(machine, "CHILD", stubborn)
    monkeypatch.setattr(machine, "SAMPLES", 2)
    monkeypatch.setattr(machine, "PAUSE_S", 0.01)
    monkeypatch.setattr(machine, "CHILD_EXIT_S", 0.5)
    with pytest.raises(subprocess.TimeoutExpired):
        machine.resume_cost()

    # Killed, not left running: run.py reports the probe failed and goes on without it.
    assert [child.returncode for child in children] == [-9]


def test_the_python_speed_is_the_best_of_its_rounds(monkeypatch):
    # Each round's start and end on a scripted clock: rounds of 30, 10 and 20 ms.
    ticks = iter([0.0, 0.030, 1.0, 1.010, 2.0, 2.020])
    monkeypatch.setattr(machine.time, "perf_counter", lambda: next(ticks))
    monkeypatch.setattr(machine, "PYTHON_ROUNDS", 3)
    monkeypatch.setattr(machine, "PYTHON_WORK_ITEMS", 10)

    assert machine.python_speed() == 10.0
