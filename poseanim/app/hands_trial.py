"""Whether live hand tracking stays on: the rule behind `poseanim live`'s default.

Hand tracking is meant to be on by default where the machine keeps at least 25 frames a second
with it (640×480 being a webcam's usual picture). No constant can tell one machine from
another (the 2-core development machine tracks 6–10 fps with hands, a desktop several times
that), so the live window finds out: it starts with hands on, lets the models settle for
`SETTLE_SECONDS` after the first tracked frame, then counts the frames the tracker finishes
over `TRIAL_SECONDS`. Hands stay on when that is at least `MIN_FPS`, or, for a source slower
than that (a webcam giving 15 fps in dim light cannot show 25), when the tracker finished at
least `KEEP_UP` of the source's own frames; otherwise they are turned off, and the status line
says so with the rates it measured. `--hands` / `--no-hands` and the H key decide instead, with
no trial.

The trial reads no clock: it is given the times at which pictures arrived and tracked frames
were finished (the pipeline's own `perf_counter` readings; tests give their own).
"""

from __future__ import annotations

import dataclasses
import threading
from dataclasses import dataclass

MIN_FPS = 25.0
"""Tracked frames per second with hands that keep hand tracking on."""
SETTLE_SECONDS = 2.0
"""Seconds after the first tracked frame left out of the count (graphs warming up)."""
TRIAL_SECONDS = 3.0
"""Seconds over which tracked frames and pictures are counted."""
KEEP_UP = 0.95
"""Share of a slow source's pictures the tracker must finish to keep hands on."""


@dataclass(frozen=True)
class HandsVerdict:
    """What the trial found: keep hands on or not, and the two rates it judged by."""

    keep: bool
    tracked_fps: float
    source_fps: float
    source_waits: bool = False

    @property
    def needed_fps(self) -> float:
        """The rate hands had to keep: `MIN_FPS`, or `KEEP_UP` of a slower source's (not of
        one that waits for the tracker: its rate is the tracker's)."""
        return MIN_FPS if self.source_waits else min(MIN_FPS, KEEP_UP * self.source_fps)

    def describe(self) -> str:
        """One line for the status bar."""
        measured = (f"{self.tracked_fps:.1f} fps tracked with hands, source "
                    f"{self.source_fps:.1f} fps")
        if self.keep:
            return f"hands on ({measured}; needs {self.needed_fps:.1f})"
        return f"hands off: too slow here ({measured}; needs {self.needed_fps:.1f}); H turns them on"


class HandsTrial:
    """Counts pictures and tracked frames during the trial window, then gives its verdict.

    `captured(at)` and `tracked(at)` may be called from different threads (the capture and the
    tracking thread); `verdict` is None until a tracked frame finishes after the window.
    source_waits: the source hands on every frame and waits for the tracker to take it
    (`SourceSpec.every_frame`), so only `MIN_FPS` counts.
    """

    def __init__(self, source_waits: bool = False) -> None:
        self.source_waits = source_waits
        self._lock = threading.Lock()
        self._window: tuple[float, float] | None = None
        self._pictures = 0
        self._frames = 0
        self.verdict: HandsVerdict | None = None

    def captured(self, at: float) -> None:
        """A picture arrived from the source at `at` (seconds)."""
        with self._lock:
            if self._window is not None and self._window[0] <= at < self._window[1]:
                self._pictures += 1

    def tracked(self, at: float) -> HandsVerdict | None:
        """A frame was tracked (with hands) and finished at `at`; returns the verdict once
        there is one."""
        with self._lock:
            if self.verdict is not None:
                return self.verdict
            if self._window is None:
                start = at + SETTLE_SECONDS
                self._window = (start, start + TRIAL_SECONDS)
                return None
            begin, end = self._window
            if at < end:
                if at >= begin:
                    self._frames += 1
                return None
            measured = HandsVerdict(True, self._frames / TRIAL_SECONDS,
                                    self._pictures / TRIAL_SECONDS, self.source_waits)
            self.verdict = dataclasses.replace(
                measured, keep=measured.tracked_fps >= measured.needed_fps)
            return self.verdict
