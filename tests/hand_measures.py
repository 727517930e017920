"""How round a posed character's finger joints stay: the knuckle measure the gesture tests and
`tools/hands/gestures.py pinch` share.

A linear blend of two bones folded far apart pulls the outer edge of a finger onto its joint
(the finger pinches into a point there). Measured at each joint of a filled finger shape: the
distance from the joint to the finger's outline on the outside of the bend posed (the inside
creases into the joint, as skin folds), over the distance to the outline at rest (times the
shape's stroke scale, so that a character drawn bigger or smaller reads the same). 1: the
finger is as thick round its joint as drawn; near 0: the outline passes through the joint.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from poseanim.illustration import Illustration, PosedFrame
from poseanim.rig.tables import BONES, FINGERS, KEYPOINT_INDEX
from poseanim.skinning import inside, outline_polygon

OUTWARD_COS = 0.87
"""The outside of a bend: within 30° of the direction from the joint away from both bones."""
BENT = 90.0
"""Degrees: a joint bent at least this much is one a linear blend pinches."""


@dataclass(frozen=True)
class Knuckle:
    """One finger joint in one pose: its name, how far it is bent (degrees) and its roundness
    (posed distance from the joint to the finger's outline over the rest distance)."""

    joint: str
    bend: float
    roundness: float


def finger_shapes(character: Illustration, side: str, finger: str) -> list[int]:
    """Filled shapes bound mostly to the finger's own bones (at least half their weight)."""
    bones = [index for index, (a, b) in enumerate(character.skeleton.bone_joints)
             if index < len(BONES) and _finger_bone(character, a, b, side, finger)]
    share = character._shape_bone_share
    own = share[:, bones].sum(axis=1)
    filled = [shape.style.get("fill", "black") not in ("none", "") for shape in character.shapes]
    return [index for index in np.flatnonzero(own >= 0.5 * np.maximum(share.sum(axis=1), 1e-12))
            if filled[index] and own[index] > 0]


def _finger_bone(character: Illustration, a: int, b: int, side: str, finger: str) -> bool:
    names = (f"{side}{finger}{k}" for k in range(1, 5))
    rows = {KEYPOINT_INDEX[name] for name in names}
    return a in rows and b in rows


def _outward(incoming: np.ndarray, outgoing: np.ndarray) -> np.ndarray | None:
    """The unit direction from a joint to the outside of its bend (None for a straight one)."""
    unit = [v / max(float(np.linalg.norm(v)), 1e-12) for v in (incoming, outgoing)]
    out = unit[0] - unit[1]
    length = float(np.linalg.norm(out))
    return out / length if length > 1e-6 else None


def _outline_distance(rings: list[np.ndarray], point: np.ndarray,
                      outward: np.ndarray | None = None) -> float:
    """From `point` to the nearest of the rings' edges; with `outward`, how far the outline
    reaches from `point` within 30° of that direction (the outside of the bend, which must stay
    round; the inside creases into the joint, and its points lie about the joint itself)."""
    closest = np.inf
    if outward is not None:
        reach = 0.0
        for ring in map(_densified, rings):
            away = ring - point
            beyond = away @ outward >= OUTWARD_COS * np.linalg.norm(away, axis=1)
            if beyond.any():
                reach = max(reach, float(np.linalg.norm(away[beyond], axis=1).max()))
        return reach
    for ring in rings:
        edges = np.roll(ring, -1, axis=0) - ring
        t = np.clip(((point - ring) * edges).sum(axis=1) / np.maximum((edges ** 2).sum(axis=1),
                                                                     1e-12), 0, 1)
        closest = min(closest, float(np.linalg.norm(ring + t[:, None] * edges - point, axis=1).min()))
    return closest


def _densified(ring: np.ndarray, steps: int = 8) -> np.ndarray:
    """The ring's edges sampled `steps` times each."""
    edges = np.roll(ring, -1, axis=0) - ring
    s = np.arange(steps) / steps
    return (ring[:, None] + s[None, :, None] * edges[:, None]).reshape(-1, 2)


def _rings(subpaths: list[tuple[np.ndarray, bool]]) -> list[np.ndarray]:
    return [outline_polygon(points, 24) for points, closed in subpaths if closed]


def knuckles(character: Illustration, frame: PosedFrame, side: str) -> list[Knuckle]:
    """Every joint of the hand of `side` that lies inside its drawn finger at rest (the base
    joint, then the two middle joints of each finger), how far it is bent now and how round."""
    found = []
    rest_joints, now = character.rest_joints, frame.joints
    for finger in FINGERS:
        shapes = finger_shapes(character, side, finger)
        if not shapes:
            continue
        rest_rings = [ring for s in shapes for ring in _rings(
            [(character.rest_points[a:b], closed) for a, b, closed in character.subpath_ranges[s]])]
        posed_rings = [ring for s in shapes for ring in _rings(frame.subpaths(s))]
        scale = float(frame.stroke_scale[shapes].mean())
        chain = [f"{side}Wrist"] + [f"{side}{finger}{k}" for k in range(1, 5)]
        for before, joint, after in zip(chain, chain[1:], chain[2:]):
            rows = [KEYPOINT_INDEX[name] for name in (before, joint, after)]
            rest_point = rest_joints[rows[1]]
            if not np.isfinite(rest_joints[rows]).all() or not inside(rest_point[None], rest_rings)[0]:
                continue
            a, b, c = now[rows]
            incoming, outgoing = b - a, c - b
            cosine = incoming @ outgoing / max(np.linalg.norm(incoming) * np.linalg.norm(outgoing), 1e-12)
            rest = _outline_distance(rest_rings, rest_point)
            posed = _outline_distance(posed_rings, b, _outward(incoming, outgoing))
            found.append(Knuckle(joint, float(np.degrees(np.arccos(np.clip(cosine, -1, 1)))),
                                 posed / max(rest * scale, 1e-12)))
    return found


def folded(found: list[Knuckle]) -> list[Knuckle]:
    """The knuckles bent at least `BENT` degrees."""
    return [knuckle for knuckle in found if knuckle.bend >= BENT]
