"""A camera as a `FrameSource` (OpenCV: V4L2 on Linux), for the live window and the rig editor."""

from __future__ import annotations

import os
import sys
import time
from typing import Iterator

from poseanim.errors import PoseanimError
from poseanim.sources import ClosingSource, PictureFrame

os.environ.setdefault("OPENCV_LOG_LEVEL", "ERROR")  # OpenCV's own warnings would repeat ours

CAMERA_FAILURES_BEFORE_LOST = 15
"""Consecutive failed camera reads (about half a second) that mean the camera is gone."""
_RETRY_SECONDS = 0.03
_OPENCV_ERRORS_ONLY = 2
"""cv2.setLogLevel's level for errors and worse (its LOG_LEVEL_ERROR)."""


class CameraSource(ClosingSource):
    """Camera `index`, opened (and its first picture's size read) on construction.

    Its frames never end: their times are seconds since the camera opened. A camera that stops
    delivering raises PoseanimError from `frames()`.
    """

    fps: float | None = None
    frame_count = 0

    def __init__(self, index: int) -> None:
        import cv2

        self.index = index
        # OPENCV_LOG_LEVEL above works only where cv2 was not imported first (an API user's
        # program): its warnings about a missing camera are silenced for the open itself
        level = cv2.getLogLevel()
        cv2.setLogLevel(min(level, _OPENCV_ERRORS_ONLY))
        try:
            self._capture = cv2.VideoCapture(
                index, cv2.CAP_V4L2 if sys.platform.startswith("linux") else cv2.CAP_ANY)
        finally:
            cv2.setLogLevel(level)
        if not self._capture.isOpened():
            self._capture.release()
            raise PoseanimError(f"camera {index} could not be opened: there is no such camera, "
                                "it is unplugged, or another program is using it; plug one in, "
                                "close the other program, try another with --camera N, or play "
                                "a file with --video FILE")
        self.image_size = (int(self._capture.get(cv2.CAP_PROP_FRAME_WIDTH) or 0),
                           int(self._capture.get(cv2.CAP_PROP_FRAME_HEIGHT) or 0))
        self._opened_at = time.perf_counter()

    def frames(self) -> Iterator[PictureFrame]:
        """The camera's pictures as they come."""
        import cv2

        failures = 0
        index = 0
        while True:
            ok, bgr = self._capture.read()
            if ok and bgr is not None:
                failures = 0
                rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
                self.image_size = (int(rgb.shape[1]), int(rgb.shape[0]))
                yield PictureFrame(index, time.perf_counter() - self._opened_at, rgb)
                index += 1
                continue
            failures += 1
            if failures >= CAMERA_FAILURES_BEFORE_LOST:
                raise PoseanimError(f"camera {self.index} stopped sending pictures: it is busy "
                                    "(another program uses it) or was unplugged")
            time.sleep(_RETRY_SECONDS)

    def close(self) -> None:
        """Release the camera so that other programs can use it."""
        self._capture.release()
