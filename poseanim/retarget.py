"""Retargeting a tracked pose onto the drawing's own proportions (`--proportions drawing`).

A cartoon with a big head and short legs should keep that look when a person drives it: only
the person's joint angles, placement and overall size are taken, as Animated Drawings does
when it plays BVH motion on a drawn skeleton. The torso is placed rigidly (the drawing's torso,
turned and scaled onto the person's), each limb bone keeps the drawing's length along the
person's bone direction, outward from the torso, and the face keeps the person's expression
at the drawing's head size, on a neck of the drawing's length.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from poseanim.geometry import as_complex, as_points, similarity_fit
from poseanim.rig.tables import BONES, KEYPOINT_INDEX

Proportions = Literal["drawing", "person"]
PROPORTIONS: tuple[Proportions, ...] = ("drawing", "person")
"""`drawing`: the drawing's bone lengths and head size, the person's angles and placement;
`person`: the person's own proportions (Pose Animator's behaviour)."""

_TORSO_BONES = [(KEYPOINT_INDEX[b.joint0], KEYPOINT_INDEX[b.joint1])
                for b in BONES if b.region == "body" and b.group == "torso"]
_TORSO_JOINTS = sorted({j for bone in _TORSO_BONES for j in bone})
_FACE_BONES = np.array([(KEYPOINT_INDEX[b.joint0], KEYPOINT_INDEX[b.joint1])
                        for b in BONES if b.region == "face"], dtype=np.intp).reshape(-1, 2)
_FACE_JOINTS = np.unique(_FACE_BONES)
_SHOULDERS = [KEYPOINT_INDEX["leftShoulder"], KEYPOINT_INDEX["rightShoulder"]]


def _limb_order() -> list[tuple[int, int]]:
    """(parent, child) joint pairs of every non-torso body bone, outward from the torso.

    Found by walking the bone table from the torso joints, so limb bones added to the table
    (hands, fingers, feet) are retargeted without a change here.
    """
    placed = set(_TORSO_JOINTS)
    remaining = [(KEYPOINT_INDEX[b.joint0], KEYPOINT_INDEX[b.joint1])
                 for b in BONES if b.region != "face" and b.group != "torso"]
    order: list[tuple[int, int]] = []
    while remaining:
        step = [(a, b) if a in placed else (b, a) for a, b in remaining
                if (a in placed) != (b in placed)]
        if not step:
            break
        for parent, child in step:
            if child not in placed:
                order.append((parent, child))
                placed.add(child)
        remaining = [bone for bone in remaining if not (bone[0] in placed and bone[1] in placed)]
    return order


_LIMBS = _limb_order()


def _total_length(joints: np.ndarray, bones: list[tuple[int, int]] | np.ndarray,
                  usable: np.ndarray) -> float:
    pairs = np.asarray(bones, dtype=np.intp).reshape(-1, 2)
    pairs = pairs[usable[pairs].all(axis=1)]
    return float(np.linalg.norm(joints[pairs[:, 1]] - joints[pairs[:, 0]], axis=1).sum())


def retarget(joints: np.ndarray, rest: np.ndarray) -> np.ndarray:
    """The person's rig joints moved onto the drawing's proportions.

    joints: (R, 2) the person's rig joints (NaN: untracked); rest: (R, 2) the drawing's (NaN:
    the drawing lacks it). Returns (R, 2); joints that cannot be placed (untracked, or beyond an
    untracked joint) stay NaN, for the illustration to fill in rigidly. With fewer than two
    torso joints tracked there is no frame to retarget in, and the pose is returned unchanged.
    """
    tracked = np.isfinite(joints).all(axis=1) & np.isfinite(rest).all(axis=1)
    torso = [j for j in _TORSO_JOINTS if tracked[j]]
    if len(torso) < 2:
        return joints
    rest_length = _total_length(rest, _TORSO_BONES, tracked)
    if rest_length <= 1e-9:
        return joints
    scale = _total_length(joints, _TORSO_BONES, tracked) / rest_length
    fit = similarity_fit(rest[torso], joints[torso])
    if fit is None or abs(fit[0]) < 1e-12:
        return joints
    turn = fit[0] / abs(fit[0])
    out = np.full_like(joints, np.nan)
    rest_c, joints_c = as_complex(rest), as_complex(joints)
    centre_rest, centre_now = rest_c[torso].mean(), joints_c[torso].mean()
    placeable = [j for j in _TORSO_JOINTS if np.isfinite(rest[j]).all()]
    out[placeable] = as_points(centre_now + scale * turn * (rest_c[placeable] - centre_rest))
    for parent, child in _LIMBS:
        if not (tracked[parent] and tracked[child] and np.isfinite(out[parent]).all()):
            continue
        direction = joints_c[child] - joints_c[parent]
        rest_bone = rest_c[child] - rest_c[parent]
        if abs(direction) > 1e-9:
            unit = direction / abs(direction)
        else:  # the person's bone points at the camera: keep the drawing's, turned
            unit = turn * rest_bone / max(abs(rest_bone), 1e-12)
        placed = complex(*out[parent]) + scale * abs(rest_bone) * unit
        out[child] = placed.real, placed.imag
    _place_face(out, joints, rest, tracked, scale)
    return out


def _place_face(out: np.ndarray, joints: np.ndarray, rest: np.ndarray, tracked: np.ndarray,
                scale: float) -> None:
    """Put the person's face, at the drawing's head size, on a neck of the drawing's length."""
    face = _FACE_JOINTS[tracked[_FACE_JOINTS]]
    if face.size == 0:
        return
    size_now = _total_length(joints, _FACE_BONES, tracked)
    size_rest = _total_length(rest, _FACE_BONES, tracked)
    if size_now <= 1e-9 or size_rest <= 1e-9:
        return
    rest_c, joints_c = as_complex(rest), as_complex(joints)
    centre_rest, centre_now = rest_c[face].mean(), joints_c[face].mean()
    base = [j for j in _SHOULDERS if tracked[j]] or [j for j in _TORSO_JOINTS if tracked[j]]
    neck_now = centre_now - joints_c[base].mean()
    neck_rest = centre_rest - rest_c[base].mean()
    placed_base = as_complex(out[base]).mean()
    if abs(neck_now) > 1e-9:
        centre = placed_base + scale * abs(neck_rest) * neck_now / abs(neck_now)
    else:
        centre = placed_base + scale * neck_rest
    grow = scale * size_rest / size_now
    out[face] = as_points(centre + grow * (joints_c[face] - centre_now))
