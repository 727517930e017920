"""Recording what the live character does: an MP4 and a pose track, both written atomically.

Frames arrive at the live rate, which varies; the MP4 has a constant frame rate, so each
frame is repeated (or skipped) to keep the video as long as the performance was. Frames go to
the encoder (the same MP4 writer as `poseanim video`) from a thread of their own, so the
window never waits for it; both files appear under their final names only when recording
stops, and an interrupted recording leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import math
import queue
import threading
from pathlib import Path

import numpy as np

from poseanim.atomic import check_writable
from poseanim.errors import PoseanimError
from poseanim.illustration import PosedFrame
from poseanim.pose import Pose
from poseanim.render.export import ExportSettings, OutputFrame
from poseanim.render.outputs import open_writer, writer_kind
from poseanim.tracking.track_file import PoseTrack, save_track

RECORD_FPS = 30.0
QUEUE_FRAMES = 90
"""Frames the encoder may fall behind (3 s) before frames are dropped instead of queued."""
BOUNDARY_SLACK = 1e-6
"""Frames by which a time may fall short of a frame boundary and still count as on it: clock
times are floats, so 5.1 − 5.0 is 0.0999…96 and a frame arriving exactly on a boundary would
otherwise be counted into the frame before (and skipped)."""


class Mp4Writer:
    """The shared MP4 writer (`poseanim.render.outputs`), fed from its own thread.

    The file appears under its name only when `close()` finishes it.
    """

    def __init__(self, path: Path, fps: float) -> None:
        self._files = contextlib.ExitStack()
        self._writer = self._files.enter_context(
            open_writer(path, writer_kind(path, None), ExportSettings(fps)))
        self.path = path
        self.dropped = 0
        self.error: PoseanimError | None = None
        self._queue: queue.Queue[tuple[OutputFrame, int] | None] = queue.Queue(QUEUE_FRAMES)
        self._thread = threading.Thread(target=self._encode, name="poseanim-mp4", daemon=True)
        self._thread.start()

    def add(self, frame: OutputFrame, repeat: int = 1) -> None:
        """Queue a frame (with its pixels), shown `repeat` times in a row."""
        try:
            self._queue.put_nowait((frame, repeat))
        except queue.Full:
            self.dropped += repeat

    def _encode(self) -> None:
        while (item := self._queue.get()) is not None:
            if self.error is None:
                try:
                    self._writer.write(*item)
                except PoseanimError as error:  # the encoder died: keep the message for stop
                    self.error = error

    def close(self) -> None:
        """Finish encoding and move the file into place; a failed encoder leaves no file."""
        self._queue.put(None)
        self._thread.join()
        if self.error is None:
            self._files.close()
            return
        self._files.__exit__(type(self.error), self.error, None)  # the temporary file goes
        raise self.error


class Recorder:
    """One recording in progress: `<stem>.mp4` and `<stem>.json` (the poseanim track format).

    poses: the pose the character took in each frame (None before anyone was seen).
    track=False records the video only (FOMM mode animates a photo: there is no pose).
    """

    def __init__(self, stem: Path, width: int, height: int, source: str,
                 fps: float = RECORD_FPS, track: bool = True) -> None:
        self.video_path = check_writable(stem.with_suffix(".mp4"))
        self.track_path = check_writable(stem.with_suffix(".json")) if track else None
        self.fps = fps
        self.size = (width - width % 2, height - height % 2)  # the encoder's yuv420p needs even sizes
        self._video = Mp4Writer(self.video_path, fps)
        self._track = PoseTrack((width, height), fps, [], [], source) if track else None
        self._start: float | None = None
        self._frames_written = 0

    @property
    def seconds(self) -> float:
        """Length of the recording so far."""
        return self._frames_written / self.fps

    def add(self, time: float, posed: PosedFrame | None, rgb: np.ndarray,
            pose: Pose | None) -> None:
        """Add the character at `time` (seconds, any clock): its posed frame, its picture
        ((H, W, 3) uint8 RGB of `size`) and the pose it took (None, None for a photo)."""
        if self._start is None:
            self._start = time
        elapsed = time - self._start
        due = math.floor(elapsed * self.fps + BOUNDARY_SLACK) + 1  # frames the video holds with it
        repeat = max(due - self._frames_written, 0)
        if repeat:
            self._video.add(OutputFrame(posed, rgb), repeat)  # posed: None for a photo
            self._frames_written += repeat
        if self._track is not None:
            self._track.frames.append(pose)
            self._track.times.append(elapsed)

    def stop(self) -> list[Path]:
        """Finish both files and move them into place; returns their paths."""
        self._video.close()
        if self._track is None or not self._track.frames or self.track_path is None:
            return [self.video_path]
        return [self.video_path, save_track(self._track, self.track_path)]
