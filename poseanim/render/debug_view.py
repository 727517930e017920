"""A diagnostic picture: the photo with the tracked joints and the rig's bones drawn on it."""

from __future__ import annotations

import numpy as np

from poseanim.pose import Pose
from poseanim.rig.tables import BONES, KEYPOINT_INDEX

_BONE_ENDS = np.array([(KEYPOINT_INDEX[b.joint0], KEYPOINT_INDEX[b.joint1]) for b in BONES])
_BONE_IS_FACE = np.array([b.region == "face" for b in BONES])
_LEFT, _RIGHT, _MIDDLE = (255, 140, 0), (0, 150, 255), (60, 200, 90)  # RGB


def _side_colour(name: str) -> tuple[int, int, int]:
    if name.startswith("left"):
        return _LEFT
    if name.startswith("right"):
        return _RIGHT
    return _MIDDLE


def draw_debug(rgb: np.ndarray, pose: Pose | None,
               landmarks: np.ndarray | None = None) -> np.ndarray:
    """(H, W, 3) uint8 RGB: the photo dimmed, MediaPipe's landmarks, the rig's bones and joints.

    landmarks: optional (M, ≥2) raw tracker points (all 33 pose landmarks) drawn as small dots.
    Joints with a score under 0.3 are drawn hollow: the shapes bound to them get hidden.
    """
    import cv2

    canvas = (rgb.astype(np.float32) * 0.6 + 40).clip(0, 255).astype(np.uint8)
    scale = max(rgb.shape[:2]) / 640
    thick = max(1, round(2 * scale))
    if landmarks is not None:
        for x, y in landmarks[:, :2]:
            cv2.circle(canvas, (round(x), round(y)), max(1, round(2 * scale)), (255, 255, 255), -1,
                       cv2.LINE_AA)
    if pose is not None:
        for (a, b), is_face, bone in zip(_BONE_ENDS, _BONE_IS_FACE, BONES):
            p, q = pose.positions[a], pose.positions[b]
            if np.isfinite(p).all() and np.isfinite(q).all():
                cv2.line(canvas, tuple(np.round(p).astype(int)), tuple(np.round(q).astype(int)),
                         _side_colour(bone.joint0), 1 if is_face else thick, cv2.LINE_AA)
        for name, row in KEYPOINT_INDEX.items():
            point = pose.positions[row]
            if not np.isfinite(point).all():
                continue
            radius = max(1, round((1.5 if row >= 12 else 4) * scale))
            filled = -1 if pose.scores[row] >= 0.3 else 1
            cv2.circle(canvas, tuple(np.round(point).astype(int)), radius, _side_colour(name),
                       filled, cv2.LINE_AA)
    return canvas
