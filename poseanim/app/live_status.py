"""How fast the live window runs: rolling timings of the pipeline and the status bar that shows
them. The benchmark reads the same timings, so what it reports is what the user sees."""

from __future__ import annotations

import time
from collections import deque
from pathlib import Path
from typing import Callable

from PySide6.QtWidgets import QLabel, QSizePolicy, QStatusBar


class LiveStats:
    """Rolling timings of the live pipeline, for the status bar and the benchmark.

    clock: what `painted_at` is measured with (tests give their own)."""

    def __init__(self, window: int = 60, clock: Callable[[], float] = time.perf_counter) -> None:
        self.clock = clock
        self.painted_at: deque[float] = deque(maxlen=window)
        self.latency_ms: deque[float] = deque(maxlen=window)
        self.tracking_ms: deque[float] = deque(maxlen=window)
        self.render_ms: deque[float] = deque(maxlen=window)
        self.fomm_ms: deque[float] = deque(maxlen=window)

    def fps(self) -> float:
        """Frames shown per second (end-to-end throughput) over the window; 0 once frames
        stop coming for a second, or for twice their usual interval (FOMM takes seconds)."""
        times = self.painted_at
        if len(times) < 2:
            return 0.0
        interval = max(times[-1] - times[0], 1e-9) / (len(times) - 1)
        if self.clock() - times[-1] > max(1.0, 2 * interval):
            return 0.0
        return 1 / interval

    @staticmethod
    def mean(values: deque[float]) -> float:
        """The mean of a timing series (0 when empty)."""
        return sum(values) / len(values) if values else 0.0


class LiveStatusBar(QStatusBar):
    """The source, its frame rates and timings, and what the tracker (or FOMM) is doing, in
    permanent fields; passing messages (files saved, the end of a video) on the left.

    fields: the labels by name: source, capture, tracking (FOMM mode: fomm), hands (not in
    FOMM mode), render, latency and state.
    """

    def __init__(self, fomm_mode: bool) -> None:
        super().__init__()
        # as QMainWindow makes its own: the fields' text never widens the window
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self._fomm_mode = fomm_mode
        self.fields = {name: QLabel() for name in
                       ("source", "capture", *(("fomm",) if fomm_mode else ("tracking", "hands")),
                        "render", "latency", "state")}
        for label in self.fields.values():
            self.addPermanentWidget(label)

    def show_timings(self, capture_fps: float, stats: LiveStats, state: str) -> None:
        """Refresh the rates and timings, and show `state` (the tracker's or the worker's)."""
        fields = self.fields
        fields["capture"].setText(f"capture {capture_fps:4.1f} fps")
        if self._fomm_mode:
            fields["fomm"].setText(f"FOMM {stats.fps():4.1f} fps, "
                                   f"{stats.mean(stats.fomm_ms):4.0f} ms/frame")
        else:
            fields["tracking"].setText(f"tracking {stats.mean(stats.tracking_ms):4.1f} ms")
        fields["render"].setText(f"render {stats.mean(stats.render_ms):4.1f} ms")
        fields["latency"].setText(f"latency {stats.mean(stats.latency_ms):4.0f} ms "
                                  f"({stats.fps():4.1f} fps shown)")
        fields["state"].setText(state)

    def show_saved(self, written: list[Path]) -> None:
        """Say where files were just written."""
        self.showMessage("saved " + ", ".join(map(str, written)), 10000)
