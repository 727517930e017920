"""Limb layering: an arm that crosses in front of the body is drawn in front of it.

A drawing fixes one paint order, usually arms behind or beside the torso. When a person folds
an arm across the chest, the forearm and hand are nearer the camera than the torso (MediaPipe
gives each body landmark a depth), so that arm's shapes, hand included, are painted right
after the torso's last shape; once the arm leaves, the drawing's own order comes back.
"""

from __future__ import annotations

import numpy as np

from poseanim.rig.tables import BONES, KEYPOINT_INDEX

IN_FRONT_MARGIN = 0.15
"""The forearm comes in front when nearer than the torso by this share of the shoulder
width (MediaPipe's depth is noisy; a hand resting at the side must not flicker forward)."""
BACK_MARGIN = 0.05
"""Once in front, it goes back only when it is nearer than the torso by less than this share:
between the two margins it stays where it was (hysteresis, so a forearm hovering at the
threshold does not flicker between behind and in front from frame to frame)."""

Sides = frozenset[str]
"""The arms ('left', 'right') drawn in front of the torso."""

_GROUP_OF = {(KEYPOINT_INDEX[b.joint0], KEYPOINT_INDEX[b.joint1]): b.group for b in BONES}
_SIDES = ("left", "right")
_TORSO = [KEYPOINT_INDEX[name] for name in ("leftShoulder", "rightShoulder", "leftHip", "rightHip")]
_SHOULDERS = [KEYPOINT_INDEX["leftShoulder"], KEYPOINT_INDEX["rightShoulder"]]
_FOREARMS = {side: [KEYPOINT_INDEX[f"{side}Elbow"], KEYPOINT_INDEX[f"{side}Wrist"]]
             for side in _SIDES}


def _is_arm_group(group: str, side: str) -> bool:
    """leftArm and the left hand's groups (palm, fingers), not the leg or foot."""
    return group.startswith(side) and not group.endswith(("Leg", "Foot"))


class Layering:
    """Which shapes belong to the torso and to each arm, and the paint order for a pose.

    bone_joints: (B, 2) the skeleton's bones; bone_share: (S, B) each shape's mean weight
    per bone. A shape belongs to the torso or to an arm when most of its weight does.
    """

    def __init__(self, bone_joints: np.ndarray, bone_share: np.ndarray) -> None:
        groups = [_GROUP_OF.get((int(a), int(b)), "") for a, b in bone_joints]
        total = np.maximum(bone_share.sum(axis=1), 1e-12)

        def mostly(in_group: list[bool]) -> np.ndarray:
            return bone_share[:, np.array(in_group, dtype=bool)].sum(axis=1) / total > 0.5

        self.torso = mostly([g == "torso" for g in groups])
        self.arms = {side: mostly([_is_arm_group(g, side) for g in groups]) for side in _SIDES}

    def order(self, depth: np.ndarray | None, positions: np.ndarray,
              in_front: Sides | None = None) -> np.ndarray | None:
        """(S,) the paint order for a pose, or None for the drawing's own.

        depth, positions: the pose's (K,) depth and (K, 2) positions (`Pose`). in_front: the
        arms already decided to be in front (by `arms_in_front` over time); None: decide
        from this pose alone.
        """
        if not self.torso.any():
            return None
        sides = arms_in_front(depth, positions) if in_front is None else in_front
        order = np.arange(len(self.torso))
        moved = False
        for side in _SIDES:
            if side in sides and self.arms[side].any():
                order = _after_torso(order, self.arms[side], self.torso)
                moved = True
        return order if moved else None


def arms_in_front(depth: np.ndarray | None, positions: np.ndarray,
                  before: Sides = frozenset()) -> Sides:
    """The arms whose forearm is in front of the torso in this pose, given those that were in
    front in the frame before (`before`): an arm comes forward past `IN_FRONT_MARGIN` and goes
    back under `BACK_MARGIN`. Without depth (a pose from a file that has none) or without a
    torso to compare with, no arm is in front.
    """
    if depth is None or not np.isfinite(depth[_TORSO]).any():
        return frozenset()
    torso_depth = float(np.nanmean(depth[_TORSO]))
    shoulders = positions[_SHOULDERS]
    width = float(np.linalg.norm(shoulders[1] - shoulders[0]))
    if not np.isfinite(width):
        return frozenset()
    sides = set()
    for side in _SIDES:
        forearm = depth[_FOREARMS[side]]
        if not np.isfinite(forearm).all():
            continue
        margin = BACK_MARGIN if side in before else IN_FRONT_MARGIN
        if forearm.mean() < torso_depth - margin * width:
            sides.add(side)
    return frozenset(sides)


def _after_torso(order: np.ndarray, arm: np.ndarray, torso: np.ndarray) -> np.ndarray:
    """`order` with the arm's shapes moved to just after the last torso shape (when behind it)."""
    last_torso = max(i for i, shape in enumerate(order) if torso[shape])
    before = [shape for shape in order[: last_torso + 1] if not arm[shape]]
    lifted = [shape for shape in order[: last_torso + 1] if arm[shape]]
    return np.array(before + lifted + list(order[last_torso + 1:]), dtype=np.intp)


def lifted_shapes(order: np.ndarray | None, count: int) -> tuple[np.ndarray, int | None]:
    """((S,) bool, slot): the shapes a paint order draws later than the drawing does (an arm
    brought in front), and the shape right after which they are drawn (None: none lifted).

    Writers whose document fixes one paint order for a whole animation (Lottie, animated SVG)
    draw such a shape twice, in its own place and after `slot`, and show one copy at a time.
    """
    lifted = np.zeros(count, dtype=bool)
    if order is None or len(order) < 2:
        return lifted, None
    running = np.maximum.accumulate(order)
    later = running[:-1] > order[1:]
    lifted[order[1:][later]] = True
    if not later.any():
        return lifted, None
    first = int(np.flatnonzero(later)[0]) + 1
    return lifted, int(order[first - 1])
