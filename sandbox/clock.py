"""The sandbox's clock: the wall clock, moved forward (or set) by the clock control.

Calls live on this clock: a test that needs the retry two hours later, or the calling window
that opens tomorrow morning, moves the clock instead of waiting. It never goes backwards
while the sandbox runs, so a call's past stays its past; a reset puts it back on the wall
clock.
"""

from __future__ import annotations

import threading
import time


class Clock:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._offset_ms = 0

    def now_ms(self) -> int:
        return int(time.time() * 1000) + self._offset_ms

    @property
    def offset_ms(self) -> int:
        return self._offset_ms

    def advance(self, ms: int) -> int:
        """Move forward by `ms` (never back); the new time."""
        with self._lock:
            self._offset_ms += max(0, int(ms))
        return self.now_ms()

    def set(self, epoch_ms: int) -> int:
        """Jump to `epoch_ms` if it lies ahead; a time in the past leaves the clock as it is."""
        with self._lock:
            ahead = int(epoch_ms) - (int(time.time() * 1000) + self._offset_ms)
            self._offset_ms += max(0, ahead)
        return self.now_ms()

    def reset(self) -> None:
        with self._lock:
            self._offset_ms = 0
