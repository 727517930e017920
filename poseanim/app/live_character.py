"""The live character without a window: a tracked frame in, the character to show out.

Everything the live window does to a tracked frame before painting it lives here, free of Qt:
smoothing and the tracking-loss rule (`PoseStream`), posing the
illustration, and fading shapes in and out over time (`ShapeVisibility`). The stream's time is
the frames' own (`capture.time`: the position in a file, the time since a camera opened; made
monotonic across a file's loops), so a file holds and eases the same however fast the machine
tracks it; an injectable `clock` times the posing. Tests drive it with made-up frames on a
made-up clock.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Callable

from poseanim.filters import PoseStream, StreamPose
from poseanim.illustration import Illustration, PosedFrame
from poseanim.visibility import ShapeVisibility

if TYPE_CHECKING:
    from poseanim.app.capture import TrackedFrame

DEFAULT_CANVAS = (640, 480)


class LiveCharacter:
    """The illustration posed by a stream of tracked frames.

    smoothing: 0–1 (the slider). clock: seconds, for `pose_ms`, the time spent posing the
    last frame. The frames come mirrored already when the view is a selfie (`LivePipeline`).
    """

    def __init__(self, illustration: Illustration, smoothing: float = 0.5,
                 clock: Callable[[], float] = time.perf_counter) -> None:
        self.illustration = illustration
        self.clock = clock
        self.image_size = DEFAULT_CANVAS
        self.pose_ms = 0.0
        self._time_offset = 0.0
        self._last_time: float | None = None
        self.streamed: StreamPose | None = None
        self.frame: PosedFrame | None = None
        self.restart(smoothing)

    def restart(self, smoothing: float) -> None:
        """Start the stream afresh for a new source (another person, another clock); what is
        shown stays until its first frame."""
        self.stream = PoseStream(self.illustration.rest_joints, smoothing)
        self.visibility = ShapeVisibility()
        self._time_offset, self._last_time = 0.0, None

    @property
    def state(self) -> str:
        """The stream's state: waiting, tracking, holding, easing or rest."""
        return self.streamed.state if self.streamed is not None else "waiting"

    def step(self, tracked: TrackedFrame) -> PosedFrame:
        """The character for one tracked frame."""
        started = self.clock()
        self.image_size = tracked.capture.image_size
        time = self._stream_time(tracked.capture.time)
        self.streamed = self.stream.step(time, tracked.pose)
        self.frame = self._posed(self.streamed, time)
        self.pose_ms = (self.clock() - started) * 1000
        return self.frame

    def _stream_time(self, source_time: float) -> float:
        """`source_time` on a clock that never runs back (a looping file starts again at 0)."""
        time = source_time + self._time_offset
        if self._last_time is not None and time <= self._last_time:
            self._time_offset += self._last_time - time + 1 / 30
            time = source_time + self._time_offset
        self._last_time = time
        return time

    def still(self) -> PosedFrame:
        """The character as the stream last left it (at rest before any frame), for showing
        outside the live timings (after switching characters)."""
        self.frame = self._posed(self.streamed)
        return self.frame

    def set_illustration(self, illustration: Illustration) -> PosedFrame:
        """Animate `illustration` from now on (pose and smoothing carry over); its still."""
        self.illustration = illustration
        self.stream.set_rest(illustration.rest_joints)
        self.visibility.reset()
        return self.still()

    def set_smoothing(self, smoothing: float) -> None:
        """Change the smoothing live (the filter keeps its history)."""
        self.stream.filter.set_smoothing(smoothing)

    def _posed(self, streamed: StreamPose | None, at: float | None = None) -> PosedFrame:
        """The character for the stream's pose; for a live frame captured `at` seconds, shapes
        fade in and out over time (`ShapeVisibility`), for a still they are decided at once."""
        if streamed is None or streamed.pose is None:
            return self.illustration.pose(self.illustration.rest_pose()).fitted(*self.image_size)
        frame = self.illustration.pose(streamed.pose, streamed.ears, streamed.in_front)
        return frame if at is None else self.visibility(at, frame)
