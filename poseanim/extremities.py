"""Hands and feet as rigid shapes that ride on their limb when the tracker loses them.

A hand's 20 joints hang off the forearm (elbow → wrist), a foot's heel and toe off the shin
(knee → ankle). When the finger or foot landmarks are missing but the limb is tracked, the
extremity keeps a shape expressed in the limb's own frame (origin at the wrist or ankle, x along
the limb), so it turns with the forearm instead of collapsing or vanishing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from poseanim.geometry import as_complex, as_points
from poseanim.rig.tables import KEYPOINT_INDEX, foot_joints, hand_joints

_MIN_LIMB = 1e-6


@dataclass(frozen=True)
class Extremity:
    """A hand or a foot: its joints' rows and the limb segment (base → end) it rides on.

    rows: (n,) int keypoint rows of the extremity's joints; base, end: keypoint rows.
    """

    name: str
    rows: np.ndarray
    base: int
    end: int

    def limb_direction(self, positions: np.ndarray) -> complex | None:
        """Unit direction base → end of the limb in `positions` (K, 2), None if untracked or
        of no length."""
        base, end = as_complex(positions[[self.base, self.end]])
        span = end - base
        if not np.isfinite(span) or abs(span) < _MIN_LIMB:
            return None
        return complex(span / abs(span))

    def has_all(self, positions: np.ndarray) -> bool:
        """Whether every joint of the extremity is finite in `positions`."""
        return bool(np.isfinite(positions[self.rows]).all())

    def shape(self, positions: np.ndarray) -> np.ndarray | None:
        """(n,) complex: the extremity's joints in its limb's frame (origin at the end joint,
        real axis along the limb, units of `positions`), or None when it cannot be measured."""
        direction = self.limb_direction(positions)
        if direction is None or not self.has_all(positions):
            return None
        return (as_complex(positions[self.rows]) - as_complex(positions[self.end])) / direction

    def placed(self, positions: np.ndarray, shape: np.ndarray) -> np.ndarray | None:
        """(n, 2): `shape` (see `shape`) put on the limb of `positions`, None when the limb is
        untracked."""
        direction = self.limb_direction(positions)
        if direction is None:
            return None
        return as_points(as_complex(positions[self.end]) + direction * shape)


def _extremity(name: str, joints: tuple[str, ...], base: str, end: str) -> Extremity:
    return Extremity(name, np.array([KEYPOINT_INDEX[j] for j in joints], dtype=np.intp),
                     KEYPOINT_INDEX[base], KEYPOINT_INDEX[end])


HANDS: tuple[Extremity, ...] = tuple(
    _extremity(f"{side}Hand", hand_joints(side), f"{side}Elbow", f"{side}Wrist")
    for side in ("left", "right"))
FEET: tuple[Extremity, ...] = tuple(
    _extremity(f"{side}Foot", foot_joints(side), f"{side}Knee", f"{side}Ankle")
    for side in ("left", "right"))
EXTREMITIES: tuple[Extremity, ...] = HANDS + FEET
