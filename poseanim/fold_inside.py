"""The inside of a finger folded about half a turn: hidden under the knuckle's cap.

The inside of a fold (the points on the side a finger folds towards, `skinning.inside_of_folds`)
blends its bones linearly, so it creases into the joint as skin does. Folded flat back over
itself (a fist, the curled fingers of a point), the two bones lie on one another in the
picture and that crease runs through the joint itself, which lies inside the cap the outside
rounds over it: a finger drawn as one outlined shape then shows a "^" of its own outline in
every knuckle cap. Physically that skin is hidden between the folded bones.

Past `START` of a fold, these points are therefore turned about their centre of rotation by the
mean of their bones' rotations with the fold taken the other way round (a fold θ read as
θ − 2π), blended in over `RAMP`: at half a turn the inside at parameter s along the finger then
lies where the outside at −s lies (point reflection through the joint, for a finger drawn
symmetric about its bone), so the crease runs along the cap, under its outline, and the cap
stays filled (both run the same way round). Below `START` nothing changes; the blend eases out
again towards `rotation_blend.FOLD_GUARD`, where a fold is read as bent backwards.

Like the rotation blend it is a correction added to the linear blend: f·s·(R̂′ − R̄)·(p − c),
with f the point's share of the effect, R̄ the weighted sum of its bones' rotations and R̂′ the
rotation by their weighted mean angle, the fold taken the other way.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from poseanim.geometry import as_complex, turn_signs
from poseanim.rotation_blend import FOLD_GUARD, PointPairs, of_points, pairs_of_points

START = np.radians(150.0)
"""A fold of less than this keeps its crease (the inside corner of the fold is what shows)."""
RAMP = np.radians(30.0)
"""The fold over which the crease moves under the cap, so that at half a turn it is hidden."""
END = 2 * np.pi - FOLD_GUARD
"""Past this a fold reads as bent backwards (`rotation_blend.FOLD_GUARD`): the effect is gone
by then, eased out over `RAMP`."""


NEAREST = min(START, 2 * np.pi - END)
"""A bone turned less than this against its point's reference, either way, is folded short of
`START` and short of `END` read the other way round: most frames stop there."""
CLEARLY_NEAREST = np.cos(NEAREST) + 1e-9
"""Every turn along a finger whose cosine is above this is folded less than `NEAREST` either
way, with room for rounding: the cosine needs no turn taken into [-π, π) first, and a frame
it stops is one that reading every turn exactly would have stopped too."""


@dataclass(frozen=True)
class FoldInside(PointPairs):
    """The inside points of finger folds, with their pairs off their reference bone.

    A hand's points share few pairs of bones, so a frame reads each fold once per such pair (a
    "turn"), as the rotation blend does, and most frames stop at the turns along a finger
    (`inside_correction`): the pairs are only gathered for a hand folded far.

    points: (M,) int the control points (`PointPairs`); offset: (M,) complex each less its
    centre of rotation at rest (the joint its bones share, else the weighted mean of its
    anchors); reference: (M,) int its heaviest bone (index into `bones`); reference_weight:
    (M,) its weight on it. pair_row: (P,) int the point (index into `points`) of each other
    pair; pair_bone: (P,) int its bone (index into `bones`); pair_turn: (P,) int its turn
    (index into `turns`' columns); weight: (P,) its weight. turns: (4, C) int per turn, in
    rows, its reference bone and bone (indexing `bones`), finger (indexing `fingers`, the
    bone's) and order: +1 where the bone lies beyond the reference along their finger, -1
    before it, 0 on another finger (never read as folded); along: (2, G) int the reference
    bone and bone of the turns along a finger (order not 0). fingers: (F, 3) int per finger its
    wrist, base and folds-towards joints: the way it folds is read from them in each pose as
    the rotation blend reads it (`geometry.turn_signs`, `rotation_blend.fold_sides`), so that
    the crease goes under the cap the outside rounds. bones: (K,) int the skeleton's bones
    used; ends: (2, K) int their joints; rest_angle: (K,) their directions at rest (radians).
    Index rows are contiguous: a frame gathers by them.
    """

    offset: np.ndarray
    reference: np.ndarray
    reference_weight: np.ndarray
    pair_bone: np.ndarray
    pair_turn: np.ndarray
    weight: np.ndarray
    turns: np.ndarray
    along: np.ndarray
    fingers: np.ndarray
    bones: np.ndarray
    ends: np.ndarray
    rest_angle: np.ndarray


def no_fold_inside() -> FoldInside:
    """No points (`pa` skinning, drawings without fingers, the linear blend alone)."""
    none, nothing = np.zeros(0, dtype=np.intp), np.zeros(0)
    return FoldInside(none, none, nothing.astype(complex), none, nothing, none, none, nothing,
                      np.zeros((4, 0), dtype=np.intp), np.zeros((2, 0), dtype=np.intp),
                      np.zeros((0, 3), dtype=np.intp), none, np.zeros((2, 0), dtype=np.intp),
                      nothing)


def fold_inside(inside: np.ndarray, bone_joints: np.ndarray, rest_joints: np.ndarray,
                points: np.ndarray, pair_point: np.ndarray, pair_bone: np.ndarray,
                weight: np.ndarray, anchor: np.ndarray, folds: np.ndarray) -> FoldInside:
    """The fold inside of the points `inside` (N,) bool whose every pair is on a bone of a
    finger (`folds`, (B, 4): per bone its finger's wrist, base, folds-towards joints and rank,
    as `skinning.finger_folds` gives them) and that have more than one pair.
    bone_joints: (B, 2); rest_joints: (J, 2); points: (N, 2) at rest; pair_point, pair_bone,
    weight: the binding's pairs; anchor: (P, 2) each pair's anchor on its bone at rest."""
    count = len(points)
    off_finger = np.bincount(pair_point, folds[pair_bone, 0] < 0, count) > 0
    chosen = inside & ~off_finger & (np.bincount(pair_point, minlength=count) > 1)
    if not chosen.any():
        return no_fold_inside()
    selected, _, rows, bones, weights, centre, first = pairs_of_points(
        chosen, bone_joints, rest_joints, pair_point, pair_bone, weight, anchor)
    reference = bones[first]
    own = np.zeros(rows.size, dtype=bool)
    own[first] = True
    used = np.unique(bones)
    rest = as_complex(np.nan_to_num(rest_joints))
    mine, theirs = folds[bones], folds[reference[rows]]
    same = (mine[:, :3] == theirs[:, :3]).all(axis=1)
    order = np.where(same, np.sign(mine[:, 3] - theirs[:, 3]), 0)
    fingers, finger = np.unique(mine[:, :3], axis=0, return_inverse=True)
    ends = bone_joints[used].T
    column, pair_bone = np.searchsorted(used, reference), np.searchsorted(used, bones[~own])
    turns, pair_turn = np.unique(
        np.stack([column[rows[~own]], pair_bone, finger.ravel()[~own], order[~own]], axis=1),
        axis=0, return_inverse=True)
    return FoldInside(selected, rows[~own], as_complex(points[selected] - centre), column,
                      weights[first], pair_bone, pair_turn.ravel(), weights[~own],
                      np.ascontiguousarray(turns.T), np.ascontiguousarray(turns[turns[:, 3] != 0, :2].T),
                      fingers, used, ends, np.angle(rest[ends[1]] - rest[ends[0]]))


def fold_inside_of_points(fold: FoldInside, row_of: np.ndarray) -> FoldInside:
    """The fold inside of some control points alone, renumbered as `row_of` (N,) gives (-1:
    left out), as `rotation_blend.blend_of_points` does for the rotation blend."""
    return of_points(fold, row_of, ("offset", "reference", "reference_weight"),
                     ("pair_bone", "pair_turn", "weight"))


def inside_correction(fold: FoldInside, joints_now: np.ndarray, scale: float) -> np.ndarray | None:
    """(M,) complex what to add to the posed `fold.points` (the linear blend), or None where no
    finger is folded past `START`. Most frames stop at the turns along a finger, short of
    `NEAREST` (`CLEARLY_NEAREST`): a dozen calls on the bones and those turns, none on the
    pairs. joints_now: (J, 2) the skeleton's joints now; scale: the body scale."""
    z = np.ascontiguousarray(joints_now, dtype=np.float64).view(np.complex128)[:, 0]
    direction = z.take(fold.ends[1]) - z.take(fold.ends[0])
    turn = np.arctan2(direction.imag, direction.real) - fold.rest_angle
    if np.cos(turn.take(fold.along[1]) - turn.take(fold.along[0])).min(
            initial=1.0) > CLEARLY_NEAREST:
        return None
    reference, bone, finger, order = fold.turns
    against = np.remainder(turn.take(bone) - turn.take(reference) + np.pi, 2 * np.pi) - np.pi
    wrist, base, towards = (z.take(fold.fingers[:, k]) for k in range(3))
    sense = turn_signs(base - wrist, towards - wrist).take(finger) * order
    folded = np.remainder(against * sense, 2 * np.pi)  # along the way it folds, [0, 2π)
    share = (np.clip((folded - START) / RAMP, 0, 1) * np.clip((END - folded) / RAMP, 0, 1)
             * (sense != 0))
    if not share.any():  # folded far, short of START (a thumbs-up's 147°) or bent back
        return None
    count = fold.points.size
    point_share = np.zeros(count)
    np.maximum.at(point_share, fold.pair_row, share.take(fold.pair_turn))
    other_way = np.where(share > 0, (folded - 2 * np.pi) * sense, against).take(fold.pair_turn)
    reference = turn.take(fold.reference)
    mean = reference + np.bincount(fold.pair_row, fold.weight * other_way, count)
    summed = fold.reference_weight * np.exp(1j * reference) + np.bincount(
        fold.pair_row, fold.weight * np.cos(turn.take(fold.pair_bone)), count) + 1j * np.bincount(
        fold.pair_row, fold.weight * np.sin(turn.take(fold.pair_bone)), count)
    return point_share * scale * (np.exp(1j * mean) - summed) * fold.offset
