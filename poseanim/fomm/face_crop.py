"""Faces for the vox model: MediaPipe Face Mesh landmarks, square face crops, best frame.

The vox checkpoint was trained on square crops with the face filling most of the frame, so
photos and videos framed otherwise are cropped around the face first. MediaPipe Face Mesh
stands in for the `face-alignment` package the authors' demo uses.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING

import cv2
import numpy as np

from poseanim.errors import PoseanimError
from poseanim.fomm.animation import hull_area

if TYPE_CHECKING:
    from poseanim.tracking.mediapipe_tracker import MediaPipeTracker


# Face Mesh's landmarks span brow to chin; VoxCeleb crops also show hair, ears and neck.
FACE_CROP_SCALE = 1.8


class FaceMeshFinder:
    """(H, W, 3) uint8 RGB image → (468, 2) face-mesh vertices in pixels, or None.

    Every image is searched afresh (static_image_mode): frames are visited out of order
    and a crop must not inherit a lost track. Face Mesh's own detector is BlazeFace's
    short-range model, which misses a face smaller than about a fifth of the frame (a person
    seen whole, a webcam across the room); then the face is looked for where MediaPipe Pose
    puts the head, as the pose tracker does, so that a face the tracker follows in every
    frame is found here too. Use as a context manager to free the graphs.
    """

    def __init__(self) -> None:
        from poseanim.tracking.mediapipe_graphs import FaceMeshGraph  # loads MediaPipe: a second

        self._mesh = FaceMeshGraph(video=False)
        self._tracker: MediaPipeTracker | None = None  # the head-crop fallback, made on a miss

    def __enter__(self) -> FaceMeshFinder:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._mesh.close()
        if self._tracker is not None:
            self._tracker.close()

    def find(self, rgb: np.ndarray) -> np.ndarray | None:
        """Vertices of the most prominent face in pixels (x right, y down), or None."""
        vertices = self._mesh.vertices(rgb)
        if vertices is not None:
            return vertices
        if self._tracker is None:
            from poseanim.tracking.mediapipe_tracker import MediaPipeTracker

            self._tracker = MediaPipeTracker(video=False)
        return self._tracker.track_picture(rgb).face_mesh


@dataclass(frozen=True)
class Square:
    """A square region of an image in pixels: columns left…left+size, rows top…top+size."""

    left: int
    top: int
    size: int

    def crop(self, image: np.ndarray) -> np.ndarray:
        """The region of an (H, W, C) image, (size, size, C)."""
        return image[self.top : self.top + self.size, self.left : self.left + self.size]

    def paste(self, image: np.ndarray, patch: np.ndarray) -> np.ndarray:
        """A copy of `image` (H, W, C) with `patch` (h, w, C) resized into the region."""
        out = image.copy()
        interpolation = cv2.INTER_AREA if patch.shape[0] > self.size else cv2.INTER_LINEAR
        out[self.top : self.top + self.size, self.left : self.left + self.size] = cv2.resize(
            patch, (self.size, self.size), interpolation=interpolation
        )
        return out


def square_around(
    faces: Sequence[np.ndarray], height: int, width: int, scale: float = FACE_CROP_SCALE
) -> Square:
    """The square, inside an image of height × width, that holds every face enlarged by `scale`.

    faces: face-mesh vertex arrays (N, 2) in pixels; for a video, one per frame with a face,
    so that a single crop follows the head wherever it moves (a per-frame crop would shake).
    """
    points = np.concatenate(faces)
    low, high = points.min(axis=0), points.max(axis=0)
    centre = (low + high) / 2.0
    size = int(round(min(scale * float((high - low).max()), height, width)))
    left = int(np.clip(round(centre[0] - size / 2.0), 0, width - size))
    top = int(np.clip(round(centre[1] - size / 2.0), 0, height - size))
    return Square(left, top, max(size, 1))


def normalised_shape(vertices: np.ndarray) -> np.ndarray:
    """Vertices (N, 2) centred and divided by the square root of their hull area.

    Two faces in the same expression and head pose then compare equal whatever their position
    and size in the picture, which is what best-frame selection needs.
    """
    centred = vertices - vertices.mean(axis=0)
    return centred / np.sqrt(max(hull_area(vertices), 1e-12))


def best_frame(source: np.ndarray, driving: Sequence[np.ndarray | None]) -> int:
    """Index of the driving frame whose face is shaped most like the source face.

    source: (N, 2) face-mesh vertices; driving: one vertex array or None (no face) per frame.
    Raises PoseanimError when no driving frame has a face.
    """
    target = normalised_shape(source)
    distances = [
        np.inf if face is None else float(((normalised_shape(face) - target) ** 2).sum())
        for face in driving
    ]
    if not distances or np.isinf(min(distances)):
        raise PoseanimError("no face found in any driving frame")
    return int(np.argmin(distances))
