"""Which points round each shoulder blend their bones' rotations, and how strongly.

Linear blending averages where the upper arm and the torso would put a point. Raised 150°, an
arm keeps only cos(75°) = 0.26 of its distance from the shoulder at the middle of the blend:
where a figure draws its arms and body as one silhouette, the arm hangs from the body by a
sliver. Turning those points about the shoulder by the weighted mean angle instead
(`poseanim.rotation_blend`) keeps them as far from the joint as drawn, so the raised arm keeps
its width where it meets the body.

Only near the joint: an arm drawn against the body blends with the torso's side bone all the
way down to the hip, and a point there, turned about the shoulder by a share of the arm's turn,
would swing out from the body like a cape. So the rotation's share (`strength`) is whole within
`NEAR` of an upper arm's length from the shoulder and falls off smoothly to nothing at `FAR`;
beyond, points keep the linear blend, which is also what every pose with the arms at rest
gives (a point of one bone, or of bones turned alike, is posed the same either way).
"""

from __future__ import annotations

import numpy as np

from poseanim.rig.tables import KEYPOINT_INDEX

NEAR = 0.35
"""Within this fraction of the upper arm's length from the shoulder, points blend rotations."""
FAR = 0.7
"""... and from this far on, positions (a smoothstep between)."""

SIDES = (("left", "right"), ("right", "left"))


def shoulder_band(bone_joints: np.ndarray, rest_joints: np.ndarray, points: np.ndarray,
                  pair_point: np.ndarray, pair_bone: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(strength (N,), folds (P, 4) int): the share of the rotation blend each point takes, and
    each pair's row in `rotation_blend.rotation_blend`'s `fingers` form.

    A point bound to a shoulder's upper arm and to at least one other bone, all of them meeting
    at that shoulder (the torso's side, the line across the shoulders), takes a smoothstep from
    1 within `NEAR` to 0 at `FAR` upper arm lengths from the joint; every other point 0.

    Its pairs read the arm's turn against the body the way arms swing: the shoulder, the other
    shoulder and the hip below as (wrist, base, folds-towards), the upper arm of rank 1, the
    torso's bones of rank 0. "Folding" towards the hip's side of the line across the shoulders,
    seen from the shoulder, is turning outward (for an arm hanging at rest: away from the body
    and up over the head), so an arm may turn that way up to `rotation_blend.FOLD_GUARD` past
    half a turn (hands clapped over the head) and across the body up to `FOLD_GUARD` short of
    it, where the short way round would flip the blend from one side of the shoulder to the
    other as the arm passes straight up. Rows are -1 (the short way round) for other pairs,
    for a shoulder lacking one of those joints, and for an arm drawn raised (towards the head
    rather than the hip: outward is then the other way, and lowering it across the body the
    rarer turn).

    bone_joints: (B, 2) each bone's joints; rest_joints: (J, 2); points: (N, 2) at rest;
    pair_point, pair_bone: the binding's (point, bone) pairs."""
    count = len(points)
    strength = np.zeros(count)
    folds = np.full((len(pair_point), 4), -1, dtype=np.intp)
    pairs = np.bincount(pair_point, minlength=count)
    for side, other in SIDES:
        joint, elbow, hip, across = (KEYPOINT_INDEX[f"{s}{j}"] for s, j in (
            (side, "Shoulder"), (side, "Elbow"), (side, "Hip"), (other, "Shoulder")))
        arm = (bone_joints[:, 0] == joint) & (bone_joints[:, 1] == elbow)
        meets = (bone_joints == joint).any(axis=1)
        at_shoulder = np.bincount(pair_point, meets[pair_bone], count) == pairs
        chosen = at_shoulder & (np.bincount(pair_point, arm[pair_bone], count) > 0) & (pairs > 1)
        if not arm.any() or not chosen.any():
            continue
        length = float(np.linalg.norm(rest_joints[elbow] - rest_joints[joint]))
        reach = np.linalg.norm(points[chosen] - rest_joints[joint], axis=1) / max(length, 1e-9)
        x = np.clip((reach - NEAR) / (FAR - NEAR), 0.0, 1.0)
        strength[chosen] = 1.0 - x * x * (3.0 - 2.0 * x)
        hangs = float(np.dot(rest_joints[elbow] - rest_joints[joint],
                             rest_joints[hip] - rest_joints[joint])) > 0
        if np.isfinite(rest_joints[[hip, across]]).all() and hangs:
            mine = chosen[pair_point]
            folds[mine] = np.stack(np.broadcast_arrays(
                joint, across, hip, arm[pair_bone[mine]].astype(np.intp)), axis=1)
    return strength, folds
