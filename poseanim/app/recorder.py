"""Recording what the live character does: an MP4 and a pose track, both written atomically.

Frames arrive at the live rate, which varies; the MP4 has a constant frame rate, so each
frame is repeated (or skipped) to keep the video as long as the performance was. Encoding
runs on its own thread so that the window never waits for the encoder; both files appear
under their final names only when recording stops, and an interrupted recording leaves
nothing behind.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from pathlib import Path

import numpy as np

from poseanim.atomic import atomic_output, check_writable
from poseanim.errors import PoseanimError
from poseanim.pose import Pose
from poseanim.tracking.track_file import PoseTrack, save_track

RECORD_FPS = 30.0
QUEUE_FRAMES = 90
"""Frames the encoder may fall behind (3 s) before frames are dropped instead of queued."""


class Mp4Writer:
    """An MP4 (MPEG-4 Part 2, which every OpenCV wheel can encode) fed from another thread.

    The file is written under a temporary name and moved into place by `close()`.
    """

    def __init__(self, path: Path, width: int, height: int, fps: float) -> None:
        import cv2

        self._files = contextlib.ExitStack()
        temporary = self._files.enter_context(atomic_output(path, keep_suffix=True))
        self._writer = cv2.VideoWriter(str(temporary), cv2.CAP_FFMPEG,
                                       cv2.VideoWriter_fourcc(*"mp4v"), fps, (width, height))
        if not self._writer.isOpened():
            self._files.close()
            raise PoseanimError(f"cannot write {path}: OpenCV's FFmpeg has no MPEG-4 encoder")
        self.path, self.size = path, (width, height)
        self.dropped = 0
        self._queue: queue.Queue[np.ndarray | None] = queue.Queue(QUEUE_FRAMES)
        self._thread = threading.Thread(target=self._encode, name="poseanim-mp4", daemon=True)
        self._thread.start()

    def add(self, rgb: np.ndarray, repeat: int = 1) -> None:
        """Queue an (H, W, 3) uint8 RGB frame, `repeat` times in a row."""
        for _ in range(repeat):
            try:
                self._queue.put_nowait(rgb)
            except queue.Full:
                self.dropped += 1

    def _encode(self) -> None:
        import cv2

        while (rgb := self._queue.get()) is not None:
            self._writer.write(cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))

    def close(self, keep: bool = True) -> None:
        """Finish encoding, then move the file into place (or delete it when not `keep`)."""
        self._queue.put(None)
        self._thread.join()
        self._writer.release()
        if keep:
            self._files.close()
        else:  # as if the writing had failed: atomic_output removes the temporary file
            self._files.__exit__(_Discarded, _Discarded(), None)


class _Discarded(Exception):
    """The user abandoned a recording."""


class Recorder:
    """One recording in progress: `<stem>.mp4` and `<stem>.json` (the poseanim track format).

    poses: the pose the character took in each frame (None before anyone was seen).
    """

    def __init__(self, stem: Path, width: int, height: int, source: str,
                 fps: float = RECORD_FPS) -> None:
        self.video_path = check_writable(stem.with_suffix(".mp4"))
        self.track_path = check_writable(stem.with_suffix(".json"))
        self.fps = fps
        self.size = (width - width % 2, height - height % 2)  # MPEG-4 needs even sizes
        self._video = Mp4Writer(self.video_path, *self.size, fps)
        self._track = PoseTrack((width, height), fps, [], [], source)
        self._start: float | None = None
        self._frames_written = 0

    @property
    def seconds(self) -> float:
        """Length of the recording so far."""
        return self._frames_written / self.fps

    def add(self, time: float, rgb: np.ndarray, pose: Pose | None) -> None:
        """Add the character's picture ((H, W, 3) uint8 RGB of `size`) and pose at `time`
        (seconds, any clock)."""
        if self._start is None:
            self._start = time
        elapsed = time - self._start
        due = int(elapsed * self.fps) + 1  # frames the video should hold once this one is in
        repeat = max(due - self._frames_written, 0)
        if repeat:
            self._video.add(rgb, repeat)
            self._frames_written += repeat
        self._track.frames.append(pose)
        self._track.times.append(elapsed)

    def stop(self) -> list[Path]:
        """Finish both files and move them into place; returns their paths."""
        self._video.close(keep=True)
        if not self._track.frames:
            return [self.video_path]
        return [self.video_path, save_track(self._track, self.track_path)]

    def discard(self) -> None:
        """Abandon the recording: no file is left."""
        self._video.close(keep=False)
