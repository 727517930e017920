"""A video of a real person moving by known affine warps, for the live window's tests and
benchmark: the astronaut photo placed on a 640×480 frame, held in one place (then with her
face covered), then in another, then gone (an empty room)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

FRAME_SIZE = (640, 480)
FPS = 30.0


@dataclass(frozen=True)
class Segment:
    """`seconds` of video in which the photo is warped by `warp` (2×3), or absent (None).

    cover: (x, y, width, height) of the photo painted over in grey first, or None.
    """

    seconds: float
    warp: np.ndarray | None
    cover: tuple[int, int, int, int] | None = None


def placement(scale: float, angle_degrees: float, centre_x: float, centre_y: float) -> np.ndarray:
    """(2, 3) affine: the 512-px photo scaled, rotated about its centre, centred at (x, y)."""
    import cv2

    warp = cv2.getRotationMatrix2D((256.0, 256.0), angle_degrees, scale)
    warp[:, 2] += np.array([centre_x, centre_y]) - np.array([256.0, 256.0])
    return warp


LEFT = placement(0.85, 0.0, 250, 260)
RIGHT = placement(0.80, 6.0, 400, 250)
FACE = (184, 87, 80, 60)
"""The astronaut's face in the photo: covered, Face Mesh loses it while Pose still sees her."""
SEGMENTS = (Segment(1.5, LEFT), Segment(1.0, LEFT, FACE), Segment(1.5, RIGHT), Segment(2.2, None))
SHOWN, FACE_COVERED, MOVED, GONE = range(4)
"""What happens in each of SEGMENTS."""


def write_video(path: Path, photo: np.ndarray, segments: tuple[Segment, ...] = SEGMENTS) -> Path:
    """Write the sequence as an MPEG-4 file; returns `path`."""
    import cv2

    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), FPS, FRAME_SIZE)
    backdrop = np.full((FRAME_SIZE[1], FRAME_SIZE[0], 3), (70, 80, 90), np.uint8)
    bgr = cv2.cvtColor(photo, cv2.COLOR_RGB2BGR)
    for segment in segments:
        person = bgr.copy()
        if segment.cover is not None:
            x, y, width, height = segment.cover
            person[y:y + height, x:x + width] = (100, 110, 120)
        frame = backdrop if segment.warp is None else cv2.warpAffine(
            person, segment.warp, FRAME_SIZE, borderMode=cv2.BORDER_CONSTANT,
            borderValue=(70, 80, 90))
        for _ in range(round(segment.seconds * FPS)):
            writer.write(frame)
    writer.release()
    return path


def segment_at(time: float, segments: tuple[Segment, ...] = SEGMENTS) -> tuple[int, float]:
    """(segment index, seconds since that segment began) at video time `time`."""
    start = 0.0
    for index, segment in enumerate(segments):
        if time < start + segment.seconds:
            return index, time - start
        start += segment.seconds
    return len(segments) - 1, time - start + segments[-1].seconds


def warped(points: np.ndarray, warp: np.ndarray) -> np.ndarray:
    """(N, 2) points moved by a (2, 3) affine."""
    return points @ warp[:, :2].T + warp[:, 2]
