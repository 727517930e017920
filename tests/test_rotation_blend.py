"""Rotation blending (`poseanim.rotation_blend`) on a two-bone finger small enough to work out
by hand: a point at the knuckle, bound to both bones, turns about the knuckle by the weighted
mean angle and keeps its distance from it, where a linear blend pulls it in by cos(θ/2)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from poseanim.geometry import as_complex, as_points
from poseanim.rotation_blend import (
    correction, fold_sides, mean_of_rotations, no_rotation_blend, rotation_blend, shared_joints,
)

# joints: wrist, knuckle, tip, and a point on the side the finger folds towards (the palm)
REST = np.array([[0.0, 0.0], [10.0, 0.0], [20.0, 0.0], [5.0, 5.0]])
BONES = np.array([[0, 1], [1, 2], [0, 2]])
BLENDED = np.array([True, True, False])  # the third bone is not a hand bone
POINTS = np.array([[10.0, 3.0], [5.0, 1.0], [15.0, -1.0]])
"""0: on the knuckle's outer edge, bound to both finger bones; 1: on the palm bone alone;
2: bound to a finger bone and to the bone that is not blended."""
PAIR_POINT, PAIR_BONE = np.array([0, 0, 1, 2, 2]), np.array([0, 1, 0, 1, 2])
ANCHOR = np.array([[10.0, 0], [10, 0], [5, 0], [15, 0], [15, 0]])
FINGER = np.array([[0, 1, 3, 0], [0, 1, 3, 1], [-1, -1, -1, -1]])
"""wrist, base and folds-towards joints of each bone's finger, and its rank along it."""


def blend_of(heavier_palm: float, fingers: np.ndarray | None = None):
    weight = np.array([heavier_palm, 1 - heavier_palm, 1.0, 0.5, 0.5])
    return rotation_blend(BLENDED, BONES, REST, POINTS, PAIR_POINT, PAIR_BONE, weight, ANCHOR,
                          None if fingers is None else fingers[PAIR_BONE])


def bent(degrees: float, turn: complex = 1.0) -> np.ndarray:
    """The joints with the finger bent at the knuckle, then all of it turned by `turn`."""
    z = as_complex(REST)
    z[2] = z[1] + (z[2] - z[1]) * np.exp(1j * np.radians(degrees))
    return as_points(z * turn)


def linear(joints: np.ndarray, weights: tuple[float, float]) -> complex:
    """Where the linear blend of the two finger bones, each rigid, puts point 0."""
    z, rest = as_complex(joints), as_complex(REST)
    point = complex(*POINTS[0])
    moved = [z[a] + (z[b] - z[a]) / (rest[b] - rest[a]) * (point - rest[a]) for a, b in BONES[:2]]
    return weights[0] * moved[0] + weights[1] * moved[1]


def blended(blend, joints: np.ndarray, scale: float) -> complex:
    """What the rotation blend adds to point 0's linear blend: the deformation layout's mean of
    rotations (`mean_of_rotations`, on each bone's scaled direction now) and the correction."""
    rows, columns, coefficient = mean_of_rotations(blend)
    z = as_complex(joints)
    ends = BONES[blend.bones[columns]]
    direction = z[ends[:, 1]] - z[ends[:, 0]]
    unit = scale * direction / np.maximum(np.abs(direction), 1e-12)
    return complex((coefficient * unit)[rows == 0].sum() + correction(blend, joints, scale)[0])


def test_only_points_bound_to_several_blended_bones_take_it():
    blend = blend_of(0.5)
    assert blend.points.tolist() == [0]  # point 1 has one bone, point 2 an unblended one
    assert not blend.empty and no_rotation_blend().empty
    # its centre is the joint both bones meet at, the knuckle
    assert complex(blend.offset[0]) == pytest.approx(3j)


@given(st.floats(-170, 170), st.floats(0.0, 1.0))
def test_a_knuckle_point_turns_by_the_mean_angle_and_keeps_its_distance(degrees, palm):
    blend, joints = blend_of(palm), bent(degrees)
    posed = linear(joints, (palm, 1 - palm)) + blended(blend, joints, 1.0)
    knuckle = complex(*joints[1])
    expected = knuckle + 3j * np.exp(1j * np.radians((1 - palm) * degrees))
    assert posed == pytest.approx(expected, abs=1e-5)  # R̂ in float32
    # what the correction is for: the linear blend alone pinches towards the knuckle
    pinched = abs(linear(joints, (palm, 1 - palm)) - knuckle)
    assert pinched <= 3 + 1e-9
    if palm == 0.5:
        assert pinched == pytest.approx(3 * np.cos(np.radians(degrees) / 2), abs=1e-9)


def test_at_rest_and_along_a_straight_finger_nothing_moves():
    blend = blend_of(0.3)
    assert blended(blend, REST, 1.0) == pytest.approx(0, abs=1e-5)  # R̂ in float32
    straight = as_points(as_complex(REST) * 2 * np.exp(0.7j) + (4 - 9j))  # a similarity
    assert blended(blend, straight, 2.0) == pytest.approx(0, abs=1e-5)
    # at rest the layout holds the point's centre, and the correction its offset from it;
    # turned rigidly (the pairs' angles left out, rotation_blend.RIGID), that offset turned
    assert complex(correction(blend, REST, 1.0)[0]) == pytest.approx(3j, abs=1e-6)
    assert complex(correction(blend, straight, 2.0)[0]) == pytest.approx(2 * np.exp(0.7j) * 3j,
                                                                         abs=1e-5)


@given(st.floats(-150, 150), st.floats(-np.pi, np.pi), st.floats(0.2, 5.0))
def test_the_correction_turns_with_the_hand_and_grows_with_the_body_scale(degrees, angle, scale):
    blend = blend_of(0.6)
    here = blended(blend, bent(degrees), 1.0)
    turned = blended(blend, bent(degrees, np.exp(1j * angle)), scale)
    assert turned == pytest.approx(scale * np.exp(1j * angle) * here, abs=1e-5)


def test_a_finger_folded_about_half_a_turn_rounds_the_same_side_when_it_jitters():
    """Towards the palm past 180°, the short way round would read -179°: the finger's fold side
    keeps it at 181°, so a degree of jitter moves the point a little, not across the knuckle."""
    with_finger, without = blend_of(0.5, FINGER), blend_of(0.5)
    assert fold_sides(with_finger, bent(90)).tolist() == [1.0]
    assert fold_sides(without, bent(90)).tolist() == [0.0]  # no finger: side unknown
    on_wrist = bent(90)
    on_wrist[1] = on_wrist[0]  # the palm bone drawn to no length: no side (geometry.turn_signs)
    assert fold_sides(with_finger, on_wrist).tolist() == [0.0]

    def point(blend, degrees):
        joints = bent(degrees)
        return linear(joints, (0.5, 0.5)) + blended(blend, joints, 1.0)

    assert abs(point(with_finger, 179) - point(with_finger, 181)) < 0.1
    assert abs(point(without, 179) - point(without, 181)) > 5  # flipped to the other side
    # bent backwards (against the palm) the short way is kept
    assert point(with_finger, -100) == pytest.approx(point(without, -100), abs=1e-5)


def test_shared_joints_finds_the_joint_all_of_a_points_bones_meet_at():
    rows, joints = shared_joints(np.array([0, 0, 1, 1, 2]),
                                 np.array([[0, 1], [1, 2], [0, 1], [2, 3], [4, 5]]), 3)
    # point 0: bones meet at joint 1; point 1: none shared; point 2: one bone shares both ends
    assert rows.tolist() == [0, 2] and joints.tolist() == [1, 4]


def test_a_bone_drawn_to_no_length_gives_a_finite_defined_point():
    """A bone of no length now has no direction: the mean of the rotations R̄ leaves it out
    (its scaled direction is 0) and R̂ reads it as pointing along x, here where it lay at rest,
    so the point keeps the reference's share of its offset — for the finger bone as for the
    point's reference bone (the palm, the heavier)."""
    blend = blend_of(0.6)
    tip_on_knuckle, knuckle_on_wrist = REST.copy(), REST.copy()
    tip_on_knuckle[2] = tip_on_knuckle[1]
    knuckle_on_wrist[1] = knuckle_on_wrist[0]
    assert blended(blend, tip_on_knuckle, 1.0) == pytest.approx((1 - 0.6) * 3j, abs=1e-5)
    assert blended(blend, knuckle_on_wrist, 1.0) == pytest.approx(0.6 * 3j, abs=1e-5)
    turned = as_points(as_complex(knuckle_on_wrist) * np.exp(2j))  # pointing elsewhere now
    assert np.isfinite(blended(blend, turned, 1.5))
