"""Live sources and the worker threads that read and track them off the GUI thread.

Three threads, joined by single-item slots where the newest item replaces an unread one: the
capture thread reads the source as fast as it delivers (a camera's driver queue never fills
with stale pictures), the body thread always runs MediaPipe Pose on the newest picture, and
the face thread runs Face Mesh on the body thread's last result while Pose looks at the next
picture (both graphs compute without Python's lock, so on two cores the frame rate is set by
the slower graph, not by their sum). A slow machine therefore drops frames instead of falling
behind, and latency stays bounded.
"""

from __future__ import annotations

import dataclasses
import os
import threading
import time
import warnings
from pathlib import Path
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Generic, Protocol, TypeVar

import numpy as np

from poseanim.errors import PoseanimError
from poseanim.pipeline import SourceKind, SourceSpec, open_frame_source, tracked_frame
from poseanim.pose import Pose
from poseanim.sources import SourceFrame
from poseanim.tracking.tracker import Tracked

if TYPE_CHECKING:
    from poseanim.app.hands_trial import HandsTrial
    from poseanim.tracking.mediapipe_tracker import Body, MediaPipeTracker

os.environ.setdefault("OPENCV_LOG_LEVEL", "ERROR")  # OpenCV's own warnings would repeat ours

__all__ = ["Capture", "LivePipeline", "LiveSource", "NewestSlot", "RealTimeSource", "SourceKind",
           "SourceSpec", "TrackedFrame", "open_source"]


@dataclass(frozen=True)
class Capture:
    """One picture (or one recorded pose) as it came from the source.

    rgb: (H, W, 3) uint8, None for a pose track. pose: the recorded pose of a track source.
    time: seconds into the source (the position in a file, the time since a camera opened).
    captured_at: `time.perf_counter()` when it was read, the start of end-to-end latency.
    index: the frame's position in the source.
    """

    rgb: np.ndarray | None
    pose: Pose | None
    image_size: tuple[int, int]
    time: float
    captured_at: float
    index: int = 0


@dataclass(frozen=True)
class TrackedFrame:
    """A capture with what the tracker found in it.

    landmarks: (33, 3) MediaPipe Pose landmarks (x, y px, visibility) or None.
    face_mesh: (468, 2) face-mesh vertices in px, or None. tracking_ms: time spent tracking.
    mirrored: the capture's picture, the pose and the landmarks are all mirrored (a selfie
    view, `pipeline.tracked_frame`).
    """

    capture: Capture
    pose: Pose | None
    landmarks: np.ndarray | None
    face_mesh: np.ndarray | None
    tracking_ms: float
    mirrored: bool = False


class LiveSource(Protocol):
    """A source that delivers captures in real time (a camera, or a file played like one)."""

    def read(self, stop: threading.Event) -> Capture | None:
        """The next capture; None at the end of a file or when `stop` is set."""

    def close(self) -> None:
        """Release the device or file."""


class _Pacer:
    """Hands out items at their timestamps in real time, as a camera would deliver them."""

    def __init__(self) -> None:
        self._start: float | None = None

    def restart(self) -> None:
        """The next item starts a new timeline (a loop back to the start)."""
        self._start = None

    def wait(self, media_time: float, stop: threading.Event) -> float:
        """Sleep until `media_time` seconds after the first item; returns the wall clock then."""
        now = time.perf_counter()
        if self._start is None:
            self._start = now - media_time
        delay = self._start + media_time - now
        if delay > 0:
            stop.wait(delay)
        return time.perf_counter()


class RealTimeSource:
    """Any `FrameSource` (`pipeline.open_frame_source`) read as a live one: a camera as its
    pictures come, a file at its own frame rate in real time, from the start again at its end
    when `spec.loop`."""

    def __init__(self, spec: SourceSpec) -> None:
        self.spec = spec
        self._source = open_frame_source(spec)  # a source that cannot be read says why, here
        self._frames = self._source.frames()
        self._pacer = None if spec.kind == "camera" else _Pacer()

    def read(self, stop: threading.Event) -> Capture | None:
        """The next capture when its time has come; None at the end (unless looping) or when
        `stop` is set."""
        frame = next(self._frames, None)
        if frame is None and self.spec.loop:
            self._source.close()
            self._source = open_frame_source(self.spec)
            self._frames = self._source.frames()
            if self._pacer is not None:
                self._pacer.restart()
            frame = next(self._frames, None)
        if frame is None or stop.is_set():
            return None
        captured_at = (self._pacer.wait(frame.time, stop) if self._pacer is not None
                       else time.perf_counter())
        if stop.is_set():
            return None
        return Capture(frame.rgb, frame.pose, self._source.image_size, frame.time, captured_at,
                       frame.index)

    def close(self) -> None:
        """Release the device or file."""
        self._source.close()


def _deprecated(old: str) -> None:
    warnings.warn(f"poseanim.app.capture.{old} is deprecated: use "
                  "RealTimeSource(SourceSpec(...)) (any source kind, paced and looped alike)",
                  DeprecationWarning, stacklevel=3)


def VideoFileSource(path: Path, loop: bool = False) -> RealTimeSource:  # noqa: N802 - old class
    """Deprecated: `RealTimeSource(SourceSpec("video", path=path, loop=loop))`."""
    _deprecated("VideoFileSource")
    return RealTimeSource(SourceSpec("video", path=Path(path), loop=loop))


def TrackSource(path: Path, loop: bool = False) -> RealTimeSource:  # noqa: N802 - old class
    """Deprecated: `RealTimeSource(SourceSpec("track", path=path, loop=loop))`."""
    _deprecated("TrackSource")
    return RealTimeSource(SourceSpec("track", path=Path(path), loop=loop))


def CameraSource(index: int) -> RealTimeSource:  # noqa: N802 - old class
    """Deprecated: `RealTimeSource(SourceSpec("camera", camera=index))`."""
    _deprecated("CameraSource")
    return RealTimeSource(SourceSpec("camera", camera=index))


def open_source(spec: SourceSpec) -> LiveSource:
    """The live source for `spec`; raises PoseanimError with what to do when it cannot be
    opened."""
    return RealTimeSource(spec)


Item = TypeVar("Item")


class NewestSlot(Generic[Item]):
    """A one-item mailbox: `put` replaces an unread item (which counts as dropped), or, given
    a `stop` event, waits until the reader took it (a file: every frame, none skipped)."""

    def __init__(self) -> None:
        self._item: Item | None = None
        self._ready = threading.Condition()
        self.dropped = 0

    def put(self, item: Item, stop: threading.Event | None = None) -> None:
        """Leave `item` for the reader, replacing one it has not taken yet; with `stop`, wait
        for the reader to take that one first (until `stop` is set)."""
        with self._ready:
            while stop is not None and self._item is not None and not stop.is_set():
                self._ready.wait(0.05)
            if self._item is not None:
                self.dropped += 1
            self._item = item
            self._ready.notify_all()

    @property
    def waiting(self) -> bool:
        """Whether an item waits for the reader (with `every_frame`, the writer waits too)."""
        return self._item is not None

    def take(self, timeout: float) -> Item | None:
        """The newest item, waiting up to `timeout` seconds; None if none came."""
        with self._ready:
            if self._item is None:
                self._ready.wait(timeout)
            item, self._item = self._item, None
            self._ready.notify_all()
            return item


class LivePipeline:
    """Capture and tracking threads for one source; results arrive through callbacks.

    on_frame(): called from the tracking thread when a new `TrackedFrame` waits in `results`
    (the GUI connects a queued signal to it). on_error(message): the source failed to open or
    stopped. on_end(): a file source reached its end. tracking=False passes pictures on
    untracked (FOMM mode needs only the pictures, and the CPU for itself). mirror: hand on
    every frame mirrored (`pipeline.tracked_frame`, the one place that mirrors), read afresh
    for every frame, so that the window can turn it on and off. Stop with `stop()`, which
    returns within about `timeout` seconds whatever the source is doing.
    """

    POLL_SECONDS = 0.05

    def __init__(self, spec: SourceSpec, on_frame: Callable[[], None],
                 on_error: Callable[[str], None], on_end: Callable[[], None],
                 face: bool = True, tracking: bool = True, hands: bool = False,
                 mirror: bool = False, hands_trial: HandsTrial | None = None) -> None:
        self.spec = spec
        self.mirror = mirror
        self.hands = hands
        """Track hands now (read for every frame: turning it off needs no restart; on, only
        where the pipeline was made with hands)."""
        self.hands_trial = hands_trial
        """Hands on trial (`app.hands_trial`): fed every picture and every frame tracked with
        hands; turns `hands` off when its verdict says the machine is too slow for them."""
        self.results: NewestSlot[TrackedFrame] = NewestSlot()
        self._captures: NewestSlot[Capture] = NewestSlot()
        self._bodies: NewestSlot[tuple[Capture, Body, float]] = NewestSlot()
        self._on_frame, self._on_error, self._on_end = on_frame, on_error, on_end
        self._face = face
        self._hands = hands
        self._tracking = tracking
        self._stop = threading.Event()
        # Newest wins, like a camera, unless the spec asks for every frame of its file.
        self._every_frame = self._stop if spec.every_frame and spec.kind != "camera" else None
        self._source_done = threading.Event()
        self._tracker_ready = threading.Event()
        self._bodies_done = threading.Event()
        self._tracker: MediaPipeTracker | None = None
        self.capture_times: list[float] = []
        """perf_counter times of the last captures (for the capture frame rate)."""
        self._waiting_since: float | None = None  # the source is expected to deliver from then
        self._threads = [threading.Thread(target=self._capture_loop, name="poseanim-capture",
                                          daemon=True),
                         threading.Thread(target=self._tracking_loop, name="poseanim-tracking",
                                          daemon=True),
                         threading.Thread(target=self._face_loop, name="poseanim-face",
                                          daemon=True)]
        for thread in self._threads:
            thread.start()

    @property
    def can_track_hands(self) -> bool:
        """Whether `hands` can be turned on without starting again (made with hands)."""
        return self._hands

    @property
    def skipped(self) -> int:
        """Pictures replaced by a newer one before the tracker took them (newest wins)."""
        return self._captures.dropped

    def capture_fps(self) -> float:
        """Pictures per second delivered by the source over the last second or so."""
        times = self.capture_times[-31:]
        if len(times) < 2 or time.perf_counter() - times[-1] > 1.0:
            return 0.0
        return (len(times) - 1) / max(times[-1] - times[0], 1e-9)

    def silent_seconds(self, now: float) -> float:
        """Seconds at `now` (perf_counter) since the source last delivered a picture (or, before
        its first, since the tracker was ready for one); 0 while loading, after the source
        ended or failed, and while a file waits for the tracker to take its frame. A camera
        unplugged or a stream that froze shows as a growing silence."""
        since = self._waiting_since
        if since is None or self._source_done.is_set() or self._captures.waiting:
            return 0.0
        return max(now - since, 0.0)

    def _capture_loop(self) -> None:
        source: LiveSource | None = None
        try:
            source = open_source(self.spec)
            # Loading the models takes a second; a file waits for it instead of skipping ahead.
            while not self._tracker_ready.wait(self.POLL_SECONDS):
                if self._stop.is_set():
                    return
            self._waiting_since = time.perf_counter()
            while not self._stop.is_set():
                capture = source.read(self._stop)
                if capture is None:
                    if not self._stop.is_set():
                        self._on_end()
                    break
                self.capture_times = self.capture_times[-60:] + [capture.captured_at]
                if self.hands_trial is not None:
                    self.hands_trial.captured(capture.captured_at)
                self._captures.put(capture, self._every_frame)
                self._waiting_since = time.perf_counter()
        except PoseanimError as error:
            if not self._stop.is_set():
                self._on_error(str(error))
        finally:
            if source is not None:
                source.close()
            self._source_done.set()

    def _tracking_loop(self) -> None:
        """Take the newest capture, find the body in it, leave it for the face thread (or,
        untracked, pass the capture straight on)."""
        try:
            if self._tracking and self.spec.kind != "track":
                from poseanim.tracking.mediapipe_tracker import MediaPipeTracker

                self._tracker = MediaPipeTracker(video=True, face=self._face,
                                                 hands=self._hands)  # ready to run
            self._tracker_ready.set()
            while not self._stop.is_set():
                capture = self._captures.take(self.POLL_SECONDS)
                if capture is None:
                    if self._source_done.is_set():
                        break
                    continue
                if self._tracker is None:
                    self.results.put(self._finished(capture, Tracked(capture.pose), 0.0),
                                     self._every_frame)
                    self._on_frame()
                    continue
                assert capture.rgb is not None, "only a track has no pictures, and no tracker"
                started = time.perf_counter()
                body = self._tracker.find_body(capture.rgb)
                self._bodies.put((capture, body, (time.perf_counter() - started) * 1000),
                                 self._every_frame)
        finally:
            self._bodies_done.set()

    def _face_loop(self) -> None:
        """Finish the body thread's newest result with the face, and hand it to the GUI."""
        try:
            while not self._stop.is_set():
                item = self._bodies.take(self.POLL_SECONDS)
                if item is None:
                    if self._bodies_done.is_set():
                        break
                    continue
                capture, body, body_ms = item
                assert self._tracker is not None, "bodies come only from a tracker"
                started = time.perf_counter()
                hands = self.hands
                tracked = self._tracker.find_face(body, hands)
                finished = time.perf_counter()
                self.results.put(self._finished(
                    capture, tracked, body_ms + (finished - started) * 1000), self._every_frame)
                if hands and self.hands_trial is not None:
                    verdict = self.hands_trial.tracked(finished)
                    if verdict is not None and not verdict.keep:
                        self.hands = False
                self._on_frame()
        finally:
            self._bodies_done.wait()  # the body thread no longer uses the tracker
            if self._tracker is not None:
                self._tracker.close()

    def _finished(self, capture: Capture, tracked: Tracked, tracking_ms: float) -> TrackedFrame:
        """The pipeline's last step for one capture: mirrored when `mirror` is on now."""
        result = tracked_frame(SourceFrame(capture.index, capture.time, capture.rgb, capture.pose),
                               tracked, self.mirror, capture.image_size[0])
        shown = dataclasses.replace(capture, rgb=result.frame.rgb, pose=result.frame.pose)
        return TrackedFrame(shown, result.tracked.pose, result.tracked.landmarks,
                            result.tracked.face_mesh, tracking_ms, result.mirrored)

    def stop(self, timeout: float = 0.9) -> bool:
        """Stop both threads and release the source; True if they ended within `timeout`."""
        self._stop.set()
        deadline = time.perf_counter() + timeout
        for thread in self._threads:
            thread.join(max(deadline - time.perf_counter(), 0.0))
        return not self.alive()

    def alive(self) -> bool:
        """Whether a worker thread is still running."""
        return any(thread.is_alive() for thread in self._threads)
