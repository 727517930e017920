"""Short real videos made from the real photo: the person moved by known affine warps."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

SIZE = 384
FPS = 10.0
FRAMES = 24
SHIFT_PER_FRAME = 3.0
"""Pixels to the right per frame."""
DEGREES_PER_FRAME = 0.25
"""Clockwise turn per frame about the frame's centre."""


def warp(index: int, size: tuple[int, int] = (SIZE, SIZE)) -> np.ndarray:
    """(2, 3) affine that places frame `index`: turned about the centre, then shifted right."""
    centre = (size[0] / 2, size[1] / 2)
    matrix = cv2.getRotationMatrix2D(centre, -DEGREES_PER_FRAME * index, 1.0)
    matrix[0, 2] += SHIFT_PER_FRAME * index
    return matrix


def warped_frames(photo_rgb: np.ndarray, count: int = FRAMES,
                  size: tuple[int, int] = (SIZE, SIZE)) -> list[np.ndarray]:
    """`count` RGB frames of `size` (width, height): the photo, as tall as the frame and
    centred, under `warp(index)` (a wider frame shows grey beside it)."""
    side = size[1]
    base = cv2.resize(photo_rgb, (side, side), interpolation=cv2.INTER_AREA)
    left = (size[0] - side) // 2
    framed = cv2.copyMakeBorder(base, 0, 0, left, size[0] - side - left, cv2.BORDER_CONSTANT,
                                value=(96, 96, 96))
    return [cv2.warpAffine(framed, warp(index, size), size, flags=cv2.INTER_LINEAR,
                           borderMode=cv2.BORDER_CONSTANT, borderValue=(96, 96, 96))
            for index in range(count)]


def sway(index: int, size: tuple[int, int], fps: float = 30.0) -> np.ndarray:
    """(2, 3) affine of frame `index` of a sway that keeps the person in the picture: a swing
    from side to side, a bob, a turn and a zoom, of incommensurate periods (no two frames alike)."""
    t = index / fps
    matrix = cv2.getRotationMatrix2D((size[0] / 2, size[1] / 2), 10 * np.sin(2 * np.pi * t / 2.1),
                                     0.85 + 0.1 * np.sin(2 * np.pi * t / 3.3))
    matrix[0, 2] += size[0] / 8 * np.sin(2 * np.pi * t / 3.0)
    matrix[1, 2] += size[1] / 24 * np.sin(2 * np.pi * t / 1.7)
    return matrix


def swaying_frames(photo_rgb: np.ndarray, count: int, size: tuple[int, int],
                   fps: float = 30.0) -> list[np.ndarray]:
    """`count` RGB frames of `size`: the photo, as tall as the frame and centred, under
    `sway(index)`."""
    height = size[1]
    width = min(round(photo_rgb.shape[1] * height / photo_rgb.shape[0]), size[0])
    base = cv2.resize(photo_rgb, (width, height), interpolation=cv2.INTER_AREA)
    left = (size[0] - width) // 2
    framed = cv2.copyMakeBorder(base, 0, 0, left, size[0] - width - left, cv2.BORDER_CONSTANT,
                                value=(96, 96, 96))
    return [cv2.warpAffine(framed, sway(index, size, fps), size, flags=cv2.INTER_LINEAR,
                           borderMode=cv2.BORDER_CONSTANT, borderValue=(96, 96, 96))
            for index in range(count)]


def write_video(path: Path, frames: list[np.ndarray], fps: float = FPS) -> Path:
    """Write RGB frames as an MP4 with OpenCV's own writer (mp4v), as a camera app might."""
    height, width = frames[0].shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, (width, height))
    for frame in frames:
        writer.write(cv2.cvtColor(frame, cv2.COLOR_RGB2BGR))
    writer.release()
    return path


def read_clip(path: Path, rgb: bool = True) -> list[np.ndarray]:
    """Every frame of a video file as OpenCV decodes it, RGB (or BGR when `rgb` is False)."""
    capture = cv2.VideoCapture(str(path))
    frames = []
    while True:
        readable, frame = capture.read()
        if not readable:
            break
        frames.append(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB) if rgb else frame)
    capture.release()
    return frames


def apply(matrix: np.ndarray, point: np.ndarray) -> np.ndarray:
    """A (2, 3) affine applied to a (2,) point."""
    return matrix[:, :2] @ point + matrix[:, 2]
