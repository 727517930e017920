"""A progress bar on stderr for long work: count, rate per second and time left.

On a terminal it redraws one line in place; into a log or a pipe it prints a line now and
then, so that captured output stays readable. Shared by every command that loops over frames.
"""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import Callable, TextIO

BAR_WIDTH = 24
TERMINAL_INTERVAL = 0.1
LOG_INTERVAL = 5.0


def _clock(seconds: float) -> str:
    """12 → '0:12', 3725 → '1:02:05'."""
    seconds = max(int(round(seconds)), 0)
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


class Progress:
    """Counts work items and shows how far, how fast and how long to go.

    total: expected items (None or 0 when unknown: no bar, no time left). unit: what an item
    is ("frames"). The rate counts from the first item on, so start-up (loading models) does
    not make the estimate pessimistic. Use as a context manager; `close` ends the line.
    clock: seconds on any monotonic clock (injectable, so tests need not sleep).
    """

    def __init__(self, total: int | None, label: str, unit: str = "frames",
                 stream: TextIO | None = None,
                 clock: Callable[[], float] = time.perf_counter) -> None:
        self.total = total or None
        self.label = label
        self.unit = unit
        self.stream = stream or sys.stderr
        self.done = 0
        self._terminal = bool(getattr(self.stream, "isatty", lambda: False)())
        self._clock = clock
        self._started = clock()
        self._first_at: float | None = None
        self._first_count = 0
        self._shown_at = -float("inf")
        self._drawn = False

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close(finished=kind is None)

    def rate(self) -> float | None:
        """Items per second since the first advance, or None before a second one."""
        if self._first_at is None or self.done <= self._first_count:
            return None
        elapsed = self._clock() - self._first_at
        return (self.done - self._first_count) / elapsed if elapsed > 0 else None

    def advance(self, count: int = 1) -> None:
        """Record `count` more items done, redrawing when it is time to."""
        now = self._clock()
        self.done += count
        if self._first_at is None:
            self._first_at, self._first_count = now, self.done
        interval = TERMINAL_INTERVAL if self._terminal else LOG_INTERVAL
        if now - self._shown_at >= interval or self.done == self._first_count:
            self._shown_at = now
            self._show(self.line())

    def line(self, finished: bool = False) -> str:
        """The status text: `label [#####-----] 120/300 frames 45.1 frames/s 0:04 left`."""
        parts = [self.label]
        if self.total:
            filled = min(round(BAR_WIDTH * self.done / self.total), BAR_WIDTH)
            parts.append("[" + "#" * filled + "-" * (BAR_WIDTH - filled) + "]")
            parts.append(f"{self.done}/{self.total} {self.unit}")
        else:
            parts.append(f"{self.done} {self.unit}")
        rate = self.rate()
        if rate:
            parts.append(f"{rate:.1f} {self.unit}/s")
        if finished:
            parts.append(f"in {_clock(self._clock() - self._started)}")
        elif rate and self.total and self.total > self.done:
            parts.append(f"{_clock((self.total - self.done) / rate)} left")
        return " ".join(parts)

    def _show(self, text: str) -> None:
        if self._terminal:
            self.stream.write("\r\033[K" + text)
            self._drawn = True
        else:
            self.stream.write(text + "\n")
        self.stream.flush()

    def close(self, finished: bool = True) -> None:
        """End the progress display: a final summary line when the work finished."""
        if finished:
            self._show(self.line(finished=True))
        if self._terminal and self._drawn:
            self.stream.write("\n")
            self.stream.flush()
        self._drawn = False
