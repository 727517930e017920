"""A tracked pose: where each rig joint (and each ear) is in an image, with a score.

This is the hand-over point between trackers (MediaPipe, recorded tracks, code) and
illustrations: every keypoint-indexed array follows `poseanim.rig.tables.KEYPOINT_NAMES`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Mapping

import numpy as np

from poseanim.errors import PoseanimError
from poseanim.geometry import as_complex, as_points, similarity_fit
from poseanim.rig.tables import (
    BODY_JOINTS, FACE_JOINTS, KEYPOINT_INDEX, KEYPOINT_NAMES, MIRROR_ORDER,
)

FACE_ROWS = np.array([KEYPOINT_INDEX[name] for name in FACE_JOINTS], dtype=np.intp)
BODY_ROWS = np.array([KEYPOINT_INDEX[name] for name in BODY_JOINTS], dtype=np.intp)
LEFT_JAW, RIGHT_JAW = KEYPOINT_INDEX["leftJaw2"], KEYPOINT_INDEX["rightJaw2"]
LEFT_EAR, RIGHT_EAR = KEYPOINT_INDEX["leftEar"], KEYPOINT_INDEX["rightEar"]


@dataclass(frozen=True)
class Pose:
    """One person's keypoints in one image.

    positions: (K, 2) float64 pixel coordinates (x right, y down), NaN where not tracked.
    scores: (K,) float64 confidence in [0, 1], 0 where not tracked.
    image_size: (width, height) of the image the positions refer to.
    depth: (K,) float64 or None – how far each body joint is from the camera, in pixels
    (MediaPipe's z: smaller is nearer, 0 at the hips), NaN where unknown; None when the source
    gives none (recorded tracks, poses made in code). It decides limb layering.
    K = len(KEYPOINT_NAMES): the rig's 85 joints, then leftEar and rightEar.
    """

    positions: np.ndarray
    scores: np.ndarray
    image_size: tuple[int, int]
    depth: np.ndarray | None = None

    @classmethod
    def from_joints(cls, joints: Mapping[str, tuple[float, ...]],
                    image_size: tuple[int, int]) -> Pose:
        """A pose from `{name: (x, y)}`, `{name: (x, y, score)}` or `{name: (x, y, score,
        depth)}`; unnamed joints are untracked, and without any depth the pose has none.

        Unknown names raise PoseanimError so that a typo is not silently ignored.
        """
        positions = np.full((len(KEYPOINT_NAMES), 2), np.nan)
        scores = np.zeros(len(KEYPOINT_NAMES))
        depth = np.full(len(KEYPOINT_NAMES), np.nan)
        for name, value in joints.items():
            if name not in KEYPOINT_INDEX:
                raise PoseanimError(f"unknown joint '{name}'; joint names are those of joints.tsv "
                                    "plus leftEar and rightEar")
            row = KEYPOINT_INDEX[name]
            positions[row] = value[0], value[1]
            scores[row] = value[2] if len(value) > 2 else 1.0
            if len(value) > 3:
                depth[row] = value[3]
        return cls(positions, scores, (int(image_size[0]), int(image_size[1])),
                   depth if np.isfinite(depth).any() else None)

    def position(self, name: str) -> np.ndarray:
        """(2,) position of a named keypoint (NaN when untracked)."""
        return self.positions[KEYPOINT_INDEX[name]]

    def score(self, name: str) -> float:
        """Confidence of a named keypoint."""
        return float(self.scores[KEYPOINT_INDEX[name]])

    @property
    def has_face(self) -> bool:
        """Whether the face joints were tracked."""
        return bool(np.isfinite(self.positions[FACE_ROWS]).all())

    @property
    def has_body(self) -> bool:
        """Whether any body joint was tracked."""
        return bool(np.isfinite(self.positions[BODY_ROWS]).any())

    def with_joints(self, joints: Mapping[str, tuple[float, float]]) -> Pose:
        """A copy with some joints moved (score 1), e.g. to animate a pose in code."""
        moved = Pose.from_joints(joints, self.image_size)
        given = np.isfinite(moved.positions[:, 0])
        positions = np.where(given[:, None], moved.positions, self.positions)
        return Pose(positions, np.where(given, moved.scores, self.scores), self.image_size,
                    self.depth)

    def mirrored(self) -> Pose:
        """The pose of the mirror image: x flipped and every left/right name swapped.

        A selfie camera shows the user mirrored; mirroring the pose makes the character move
        as the user sees themselves.
        """
        positions = self.positions[list(MIRROR_ORDER)].copy()
        positions[:, 0] = self.image_size[0] - positions[:, 0]
        depth = None if self.depth is None else self.depth[list(MIRROR_ORDER)].copy()
        return Pose(positions, self.scores[list(MIRROR_ORDER)].copy(), self.image_size, depth)

    def transformed(self, scale: float, offset: tuple[float, float],
                    image_size: tuple[int, int]) -> Pose:
        """The pose scaled about the origin and shifted (for resized or cropped images)."""
        positions = self.positions * scale + np.asarray(offset, dtype=float)
        depth = None if self.depth is None else self.depth * scale
        return Pose(positions, self.scores.copy(), image_size, depth)


@dataclass(frozen=True)
class EarAnchor:
    """What the face-lost fallback remembers of the face, in the frame of the two ears.

    Coordinates are complex, in the frame where the left ear is 0 and the right ear 1.
    left, right: where leftJaw2 and rightJaw2 sat (Pose Animator's memory; the default puts
    each on its ear). face: (F,) complex, every face joint (`FACE_ROWS` order) at the last frame
    in which the face was tracked, or None for a face never seen. The default skinning rebuilds
    a lost face from `face`, so it keeps the size and shape it had relative to the head; Pose
    Animator's mode, and a face never seen, rebuild it from the jaw points (docs/format.md).
    """

    left: complex = 0j
    right: complex = 1 + 0j
    face: np.ndarray | None = field(default=None, compare=False)

    @staticmethod
    def observe(pose: Pose) -> EarAnchor | None:
        """The anchor measured on a pose with both face and ears tracked, else None."""
        ears = pose.positions[[LEFT_EAR, RIGHT_EAR]]
        if not pose.has_face or not np.isfinite(ears).all():
            return None
        origin, right_ear = as_complex(ears)
        span = right_ear - origin
        if abs(span) < 1e-6:
            return None
        left_jaw, right_jaw = as_complex(pose.positions[[LEFT_JAW, RIGHT_JAW]])
        face = (as_complex(pose.positions[FACE_ROWS]) - origin) / span
        return EarAnchor(complex((left_jaw - origin) / span), complex((right_jaw - origin) / span),
                         face)

    def easing_to(self, neutral_face: np.ndarray, progress: float) -> EarAnchor:
        """This memory with its face moved `progress` (0–1) of the way to a neutral expression.

        neutral_face: (F, 2) the drawing's rest face joints; it is placed by the similarity
        that best fits it to the remembered face, so only the expression changes, never the
        size or the place of the face.
        """
        if self.face is None or progress <= 0:
            return self
        fit = similarity_fit(neutral_face, as_points(self.face))
        if fit is None:
            return self
        factor, shift = fit
        neutral = factor * as_complex(neutral_face) + shift
        eased = min(progress, 1.0)
        eased = eased * eased * (3 - 2 * eased)
        return replace(self, face=self.face + eased * (neutral - self.face))
