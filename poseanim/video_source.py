"""Video files as a source of frames: opened with a clear diagnosis, read one frame at a time.

Reading goes through OpenCV (its bundled FFmpeg decodes every common format); when OpenCV
cannot open a file, the `ffmpeg` binary shipped by imageio-ffmpeg tells why, so the user
hears "truncated" or "no video stream" rather than "cannot open".
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Iterator

import numpy as np

from poseanim.errors import PoseanimError
from poseanim.sources import ClosingSource, PictureFrame, check_picture_pixels

os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")  # FFmpeg's own complaints become our one line

VIDEO_SUFFIXES = frozenset({".mp4", ".m4v", ".mov", ".avi", ".mkv", ".webm", ".mpg", ".mpeg",
                            ".wmv", ".flv", ".3gp", ".ts", ".mts", ".ogv"})
DEFAULT_FPS = 30.0
FPS_RANGE = (1.0, 1000.0)
"""Frame rates trusted from a container or a track file; outside it a rate is a damaged header
(a rate of 1e-6 asks a writer for millions of copies of each frame)."""
TRUNCATION_TOLERANCE = 0.05
"""Containers without an index estimate their frame count; only a larger shortfall is an error."""


def is_video_path(path: str | Path) -> bool:
    """Whether a file name looks like a video (by suffix), for commands that take either."""
    return Path(path).suffix.lower() in VIDEO_SUFFIXES


def ffmpeg_executable() -> str:
    """The ffmpeg binary (imageio-ffmpeg's own, or IMAGEIO_FFMPEG_EXE)."""
    try:
        import imageio_ffmpeg
    except ImportError:
        raise PoseanimError("video files need the imageio-ffmpeg package: "
                            "pip install imageio-ffmpeg") from None
    try:
        return imageio_ffmpeg.get_ffmpeg_exe()
    except RuntimeError as error:
        raise PoseanimError(f"no ffmpeg binary found ({error})") from None


VideoFrame = PictureFrame
"""A decoded frame (index, time in seconds, (H, W, 3) uint8 RGB): a `sources.PictureFrame`."""


class VideoSource(ClosingSource):
    """A video file, checked on opening, read frame by frame (a `FrameSource`).

    Attributes: `path`, `fps`, `size` = `image_size` (width, height), `frame_count` (what the container
    announces; 0 when it does not say). A file that is missing, not a video, truncated or
    without frames raises PoseanimError with the reason, on opening or (for a file cut short
    after a readable index) when reading reaches the cut. Use as a context manager.
    """

    def __init__(self, path: str | Path) -> None:
        import cv2

        self.path = Path(path)
        if not self.path.exists():
            raise PoseanimError(f"{self.path}: no such file")
        if self.path.is_dir():
            raise PoseanimError(f"{self.path} is a folder, not a video")
        if not os.access(self.path, os.R_OK):
            raise PoseanimError(f"cannot read {self.path}: permission denied")
        if self.path.stat().st_size == 0:
            raise PoseanimError(f"{self.path} is empty (0 bytes)")
        self._capture = cv2.VideoCapture(str(self.path))
        if not self._capture.isOpened():
            self._capture.release()
            raise PoseanimError(_diagnose(self.path))
        try:  # the stream header's frame size, before a frame is decoded
            check_picture_pixels(int(self._capture.get(cv2.CAP_PROP_FRAME_WIDTH) or 0),
                                 int(self._capture.get(cv2.CAP_PROP_FRAME_HEIGHT) or 0),
                                 f"a frame of {self.path}")
        except PoseanimError:
            self._capture.release()
            raise
        ok, first = self._capture.read()
        if not ok or first is None:
            self._capture.release()
            raise PoseanimError(f"{self.path} holds no video frames")
        self._first: np.ndarray | None = first
        self.size = (int(first.shape[1]), int(first.shape[0]))
        fps = float(self._capture.get(cv2.CAP_PROP_FPS) or 0.0)
        self.fps_known = FPS_RANGE[0] <= fps <= FPS_RANGE[1]
        self.fps = fps if self.fps_known else DEFAULT_FPS
        self.frame_count = max(int(self._capture.get(cv2.CAP_PROP_FRAME_COUNT) or 0), 0)

    @property
    def image_size(self) -> tuple[int, int]:
        """(width, height) of the frames (the `FrameSource` name for `size`)."""
        return self.size

    def close(self) -> None:
        """Release the decoder."""
        self._capture.release()

    def frames(self, first: int = 0) -> Iterator[PictureFrame]:
        """Every frame in order from index `first` (once: a VideoSource is not rewound).

        The frames before `first` are decoded and dropped rather than sought past: a seek in
        a compressed stream may land on a nearby key frame, and a segment of the clip tracked
        in another process (`tracking.segments`) must start on exactly its frame."""
        import cv2

        if self._first is None:
            raise RuntimeError("VideoSource.frames() can be iterated only once")
        bgr: np.ndarray | None
        bgr, self._first = self._first, None
        index = 0
        while bgr is not None and index < first:
            index += 1
            bgr = bgr if self._capture.grab() else None
        if bgr is not None and index > 0:
            ok, bgr = self._capture.retrieve()
            bgr = bgr if ok else None
        while bgr is not None:
            yield PictureFrame(index, index / self.fps, cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))
            index += 1
            ok, bgr = self._capture.read()
            if not ok:
                bgr = None
        missing = self.frame_count - index
        if missing > 1 and missing > TRUNCATION_TOLERANCE * self.frame_count:
            raise PoseanimError(f"{self.path} ends after {index} of its {self.frame_count} "
                                "frames: the file is truncated or damaged; nothing was written")


def _diagnose(path: Path) -> str:
    """Why OpenCV could not open a file, in words, from what ffmpeg says about it."""
    generic = (f"{path} is not a video poseanim can read (MP4, MOV, AVI, MKV, WebM …); "
               "is it truncated or of another type?")
    try:
        probe = subprocess.run([ffmpeg_executable(), "-hide_banner", "-i", str(path)],
                               capture_output=True, text=True, errors="replace", timeout=30,
                               stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired, PoseanimError):
        return generic
    report = probe.stderr
    if "moov atom not found" in report:
        return (f"{path} cannot be read: its index (the MP4/MOV 'moov' atom) is missing, so the "
                "file is truncated, still being written, or not a video at all")
    if "Input #0" in report and "Video:" not in report:
        return f"{path} holds no video frames (no video stream, or an empty recording)"
    if "Video:" in report:
        return f"{path} holds a video stream that cannot be decoded here"
    return generic
