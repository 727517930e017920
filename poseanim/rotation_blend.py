"""Rotation-blended skinning for the points of hands and feet, so that a folded finger keeps a
round knuckle.

Linear blending averages where two bones would put a point. Across a joint bent by θ that
average lies cos(θ/2) as far from the joint as the point was: a finger folded 90° loses 30 % of
its thickness at the knuckle, one folded 180° (a fist, the curled fingers of a thumbs-up or a
point) pinches to the joint itself. Blending the bones' rotations instead turns the point about
its centre of rotation by the weighted mean angle, so it stays as far from the joint as drawn
and the outer edge of the fold runs round it (centre-of-rotation skinning, after Le & Hodgins,
"Real-time skeletal skinning with optimized centers of rotation", SIGGRAPH 2016, in two
dimensions where a rotation is one angle).

Written as a correction added to the linear blend: with R̄ the weighted sum of the bones'
rotations (unit complex numbers) and R̂ the rotation by the weighted mean angle, a point p with
centre c moves by s·(R̂ − R̄)·(p − c), where s is the body scale the offsets take. The centre is
the joint where the point's bones meet (a knuckle's two bones, a palm's bones at the wrist),
else the weighted mean of its anchors on its bones; the linear blend keeps what it does well,
following bones that stretch (a hand seen edge-on, a finger pointing at the camera). A point on one
bone (or on bones turned alike, a straight finger) has R̂ = R̄ and does not move, so every pose
without a bent hand or foot joint, and every drawing without hands, is posed exactly as before.
The term s·R̄·(p − c) is linear in the bones' scaled directions now (`mean_of_rotations`), so the
deformation layout carries it as along/across coefficients of their columns, and a frame works
out only the mean angle and one rotation per point (`correction`): one bincount, one exp.
Only points bound to hand and foot bones alone take it: their bones are short and bend far,
while a body joint's broad blend is the shape-aware binding's to keep.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TypeVar

import numpy as np

from poseanim.geometry import as_complex, turn_signs


@dataclass(frozen=True)
class PointPairs:
    """What a correction added to some points of the linear blend (`RotationBlend`,
    `fold_inside.FoldInside`) keeps per point and per pair of a point and a bone, so that
    `of_points` takes either kind of row for some of the points alone.

    points: (M,) int the control points (rows of the posed array); pair_row: (P,) int the point
    (index into `points`) of each pair.
    """

    points: np.ndarray
    pair_row: np.ndarray

    @property
    def empty(self) -> bool:
        return self.points.size == 0


@dataclass(frozen=True)
class RotationBlend(PointPairs):
    """The points posed by rotation blending, with their pairs.

    Posing runs every frame, and a hand's points share few pairs of bones, so the angles are
    worked out once per such pair ("turn") and gathered to the points' pairs. A point's pair on
    its own reference bone turns by nothing against it (angle 0, rotation 1), so only its
    weight is kept: the pairs below are the others, about half of them.

    points: (M,) int – the control points (rows of the posed array) this applies to.
    pair_row: (P,) int – the point (index into `points`) of each pair off its point's reference
    bone; pair_turn: (P,) int its turn (index into `turns`); weight: (P,) float64 its weight.
    reference: (M,) int – each point's heaviest bone (index into `bones`): angles are measured
    from its rotation, so that a fold of up to half a turn either way blends the short way round.
    reference_weight: (M,) float64 – each point's weight on its reference bone (a point's
    weights, these and its pairs', sum to 1).
    offset: (M,) complex – each point less its centre of rotation at rest.
    bones: (K,) int – the skeleton's bones any pair uses; rest_angle: (K,) float64 their
    directions at rest (radians).
    turns: (C, 4) int – (reference bone, bone, finger, order) of every pair: the bones index
    `bones`; finger indexes `fingers` (the bone's own); order is +1 where the bone lies beyond
    the reference along that finger, -1 before it, 0 when unknown (another finger's bone, or no
    finger): see `correction`.
    fingers: (F, 3) int – per finger, its palm bone's joints (wrist, base) and the joint on the
    side it folds towards (-1s for bones of no finger).
    segments: (2, K + 2·F) int – the joints (from, to) of every difference a frame needs, taken
    in one gather: each of `bones`, then each finger's wrist to base and wrist to folds-towards.
    """

    pair_turn: np.ndarray
    weight: np.ndarray
    reference: np.ndarray
    reference_weight: np.ndarray
    offset: np.ndarray
    bones: np.ndarray
    rest_angle: np.ndarray
    turns: np.ndarray
    fingers: np.ndarray
    segments: np.ndarray


def no_rotation_blend() -> RotationBlend:
    """A blend of no points: linear blending everywhere (what `pa` skinning binds, and what
    benchmarks compare the rotation blend with)."""
    none, nothing = np.zeros(0, dtype=np.intp), np.zeros(0)
    return RotationBlend(none, none, none, nothing, none, nothing, nothing.astype(complex), none,
                         nothing, np.zeros((0, 4), dtype=np.intp),
                         np.zeros((0, 3), dtype=np.intp), np.zeros((2, 0), dtype=np.intp))


def blend_of_points(blend: RotationBlend, row_of: np.ndarray) -> RotationBlend:
    """The blend of some control points alone, renumbered: row_of (N,) int gives each control
    point's row among them (-1: left out). Their pairs keep their order, so a point's mean angle
    sums the same terms in the same order and is posed exactly as in the whole blend."""
    return of_points(blend, row_of, ("reference", "reference_weight", "offset"),
                     ("pair_turn", "weight"))


Points = TypeVar("Points", bound=PointPairs)


def of_points(points: Points, row_of: np.ndarray, per_point: tuple[str, ...],
              per_pair: tuple[str, ...]) -> Points:
    """A dataclass of per-point rows (`points`, the control points, and the fields `per_point`)
    and per-pair rows (`pair_row`, each pair's row among the points, and the fields `per_pair`)
    for some of its control points alone, renumbered as `row_of` (N,) gives (-1: left out); the
    kept rows keep their order."""
    new = row_of[points.points]
    kept = new >= 0
    row = np.cumsum(kept) - 1
    pairs = kept[points.pair_row]
    return replace(points, points=new[kept], pair_row=row[points.pair_row[pairs]],
                   **{name: getattr(points, name)[kept] for name in per_point},
                   **{name: getattr(points, name)[pairs] for name in per_pair})


def rotation_blend(blended: np.ndarray, bone_joints: np.ndarray, rest_joints: np.ndarray,
                   points: np.ndarray, pair_point: np.ndarray, pair_bone: np.ndarray,
                   weight: np.ndarray, anchor: np.ndarray,
                   fingers: np.ndarray | None = None,
                   strength: np.ndarray | None = None) -> RotationBlend:
    """The rotation blend of the points whose every pair is on a `blended` bone, and of those
    given a `strength`.

    blended: (B,) bool the bones whose points blend rotations (hands and feet); bone_joints:
    (B, 2) each bone's joints; rest_joints: (J, 2) at rest; points: (N, 2) the rest points;
    pair_point, pair_bone, weight: the binding's pairs (weights summing to 1 per point);
    anchor: (P, 2) each pair's anchor on its bone at rest; fingers: (P, 4) int per pair on a
    bone of a finger its finger's wrist, base and folds-towards joints and the bone's rank
    along the finger (0 for the palm bone), -1 for other pairs (see `correction`; given per
    pair, so that a bone two chains share, the line across the shoulders, takes each point's
    own chain: `poseanim.shoulder_blend`); strength: (N,) the share of the
    rotation blend a point off the `blended` bones takes (its offset from the centre is scaled
    by it, so that it is posed that share of the way from the linear blend to the rotation
    blend: `poseanim.shoulder_blend`), 0 by default; points on `blended` bones take it whole.
    Points bound to a single bone are left out (they turn with it already), and so are points
    on a bone of no length at rest (it has no direction to turn from; `rig check` reports it).
    """
    count = len(points)
    ends = rest_joints[bone_joints]
    blended = blended & (np.linalg.norm(ends[:, 1] - ends[:, 0], axis=1) > 1e-9)
    outside = np.bincount(pair_point, ~blended[pair_bone], count) > 0
    share = np.where(outside, 0.0 if strength is None else strength, 1.0)
    chosen = (share > 0) & (np.bincount(pair_point, minlength=count) > 1)
    selected, keep, pair_row, bones, weights, centre, heaviest = pairs_of_points(
        chosen, bone_joints, rest_joints, pair_point, pair_bone, weight, anchor)
    own = (np.full((bones.size, 4), -1, dtype=np.intp) if fingers is None else fingers[keep])
    reference = bones[heaviest]
    used = np.unique(bones)
    mine = own[heaviest][pair_row]
    same = (own[:, 0] >= 0) & (own[:, :3] == mine[:, :3]).all(axis=1)
    order = np.where(same, np.sign(own[:, 3] - mine[:, 3]), 0)
    known, finger = np.unique(own[:, :3], axis=0, return_inverse=True)
    column = np.searchsorted(used, reference)
    turns, pair_turn = np.unique(
        np.stack([column[pair_row], np.searchsorted(used, bones), finger.ravel(), order], axis=1),
        axis=0, return_inverse=True)
    own_bone = bones == reference[pair_row]
    ends = bone_joints[used]
    segments = np.stack([np.concatenate([ends[:, 0], known[:, 0], known[:, 0]]),
                         np.concatenate([ends[:, 1], known[:, 1], known[:, 2]])])
    return RotationBlend(selected, pair_row[~own_bone], pair_turn.ravel()[~own_bone],
                         weights[~own_bone], column,
                         np.bincount(pair_row[own_bone], weights[own_bone], selected.size),
                         share[selected] * as_complex(points[selected] - centre), used,
                         np.angle(as_complex(rest_joints[ends[:, 1]] - rest_joints[ends[:, 0]])),
                         turns, known, segments)


def pairs_of_points(chosen: np.ndarray, bone_joints: np.ndarray, rest_joints: np.ndarray,
                    pair_point: np.ndarray, pair_bone: np.ndarray, weight: np.ndarray,
                    anchor: np.ndarray) -> tuple[np.ndarray, ...]:
    """What a blend of the `chosen` (N,) bool control points binds from: (selected, keep, rows,
    bones, weights, centre, heaviest).

    selected: (M,) the chosen points; keep: (P,) bool the binding's pairs of them; rows, bones,
    weights: those pairs' points (index into `selected`), bones and weights; centre: (M, 2)
    each point's centre of rotation at rest, the joint its bones share (`shared_joints`), else
    the weighted mean of its anchors; heaviest: (M,) the pair (index into the kept pairs) of
    each point's heaviest bone, the first of its heaviest. bone_joints: (B, 2); rest_joints:
    (J, 2); pair_point, pair_bone, weight, anchor: the binding's pairs (see `rotation_blend`)."""
    keep = chosen[pair_point]
    selected = np.flatnonzero(chosen)
    row_of = np.full(len(chosen), -1)
    row_of[selected] = np.arange(selected.size)
    rows, bones, weights = row_of[pair_point[keep]], pair_bone[keep], weight[keep]
    centre = np.zeros((selected.size, 2))
    np.add.at(centre, rows, weights[:, None] * anchor[keep])
    shared, joint = shared_joints(rows, bone_joints[bones], selected.size)
    centre[shared] = rest_joints[joint]
    order = np.lexsort((-weights, rows))  # by point, heaviest first
    heaviest = order[np.flatnonzero(np.diff(rows[order], prepend=-1))]
    return selected, keep, rows, bones, weights, centre, heaviest


def shared_joints(pair_row: np.ndarray, pair_joints: np.ndarray, count: int
                  ) -> tuple[np.ndarray, np.ndarray]:
    """(rows, joints): the points (of `count`) whose bones all meet at one joint, and that joint.

    pair_row: (P,) the point of each pair; pair_joints: (P, 2) the joints of its bone."""
    pairs = np.bincount(pair_row, minlength=count)
    keys, seen = np.unique(np.stack([np.repeat(pair_row, 2), pair_joints.ravel()], axis=1),
                           axis=0, return_counts=True)
    shared = seen == pairs[keys[:, 0]]
    rows, first = np.unique(keys[shared, 0], return_index=True)
    return rows, keys[shared, 1][first]


FOLD_GUARD = np.radians(120.0)
"""A finger bent back past this the wrong way is read as folded past half a turn the right way:
no finger bends backwards so far, while one folded flat back over itself (a fist shown to the
camera) lies at half a turn, where a jitter of a degree would otherwise swap which side of the
knuckle is rounded from one frame to the next."""


def fold_sides(blend: RotationBlend, joints_now: np.ndarray) -> np.ndarray:
    """(F,) +1 or -1 per finger: the way (the sign of a turn) it folds now, towards the side of
    its palm bone where its folds-towards joint lies; 0 where that is unknown."""
    return _sides(_differences(blend, joints_now), blend.bones.size, len(blend.fingers))


def _differences(blend: RotationBlend, joints_now: np.ndarray) -> np.ndarray:
    """(K + 2·F,) complex: `blend.segments` now, each its end less its start."""
    z = np.ascontiguousarray(joints_now, dtype=np.float64).view(np.complex128)[:, 0]
    return z.take(blend.segments[1]) - z.take(blend.segments[0])


def _sides(difference: np.ndarray, bones: int, fingers: int) -> np.ndarray:
    """(F,) the sign of the turn from each finger's palm bone to its folds-towards joint
    (`geometry.turn_signs`, as `fold_inside` and `skinning.inside_of_folds` read it), from the
    segments now (`_differences`): 0 for the row of no finger (segments of no length)."""
    return turn_signs(difference[bones:bones + fingers], difference[bones + fingers:])


def mean_of_rotations(blend: RotationBlend) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(rows, columns, coefficient): the term −s·R̄·(p − c) of the correction as linear pairs.

    R̄·(p − c) sums w·R_b·(p − c) over a point's bones, and R_b = û_b / û_b(rest), so each pair
    adds w·(p − c) / û_b(rest) times s·û_b, the bone's scaled direction now: a complex
    coefficient a + ib on it is a on û_b and b on its normal n̂_b = i·û_b, which is how the
    linear blend's along/across offsets enter the deformation layout. rows: (Q,) the points
    (index into `points`), columns: (Q,) their bones (index into `bones`), coefficient: (Q,)
    complex, for every pair, those on the reference bones included."""
    rows = np.concatenate([np.arange(blend.points.size), blend.pair_row])
    columns = np.concatenate([blend.reference, blend.turns[blend.pair_turn, 1]])
    weight = np.concatenate([blend.reference_weight, blend.weight])
    return rows, columns, -weight * blend.offset[rows] * np.exp(-1j * blend.rest_angle[columns])


RIGID = np.cos(1e-7)
"""Where every bone turns as its point's reference does to within 1e-7 rad (hands not tracked
ride the forearm; a straight finger), the pairs' angles are left out: the point then moves less
than 1e-7·s·|p − c| (1e-5 px at an offset of 100) from where they would put it."""


def correction(blend: RotationBlend, joints_now: np.ndarray, scale: float) -> np.ndarray:
    """(M,) complex: s·R̂·(p − c), what to add to the deformation layout's points of
    `blend.points`, which it poses at the linear blend less s·R̄·(p − c) (`mean_of_rotations`).

    R̂ turns by the reference bone's turn since rest plus the weighted mean of each pair's angle
    against it, the short way round, except past `FOLD_GUARD` against the way the finger folds
    (`fold_sides`; a bone beyond the reference turns that way, one before it the other way),
    which goes the long way: each angle is taken in the turn [low, low + 2π) that this leaves.
    joints_now: (J, 2) the skeleton's joints now; scale: the body scale the binding's offsets
    take. R̂ is worked out in float32 (a turn within 1e-7 rad, 1e-5 px at an offset of 100).
    About twenty whole-array calls on arrays of a few hundred: it runs every frame."""
    difference = _differences(blend, joints_now)
    bones, count = blend.bones.size, blend.points.size
    # 0 for a bone of no length now (it reads as pointing along x: finite, if arbitrary)
    turn = np.arctan2(difference.imag[:bones], difference.real[:bones]) - blend.rest_angle
    reference, bone, finger, order = blend.turns.T
    against = turn.take(bone) - turn.take(reference)
    mean = turn.take(blend.reference)
    if np.cos(against).min(initial=1.0) < RIGID:  # else every pair's angle is 0: rigid hands
        # a finger of no known side (order 0 off its own finger, side 0 off any): the short way
        low = (_sides(difference, bones, len(blend.fingers)).take(finger) * order
               * (np.pi - FOLD_GUARD) - np.pi)
        against = np.remainder(against - low, 2 * np.pi) + low
        mean += np.bincount(blend.pair_row, blend.weight * against.take(blend.pair_turn), count)
    turned = np.empty(count, dtype=np.complex64)
    np.cos(mean, out=turned.real, dtype=np.float32)
    np.sin(mean, out=turned.imag, dtype=np.float32)
    return turned * (scale * blend.offset)
