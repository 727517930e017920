"""Skinning as docs/format.md states it: binding rules and the properties that must hold."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from poseanim.illustration import Illustration
from poseanim.pose import Pose
from poseanim.rig.reader import read_rigged_tree
from poseanim.svg.document import parse_svg_text
from poseanim.rig.tables import FACE_JOINTS, KEYPOINT_INDEX, KEYPOINT_NAMES
from poseanim.skinning import bone_weights, build_skeleton, segment_distances, smooth_handle_sources
from svg_factory import limb_shapes, rigged_svg


@pytest.fixture(scope="module")
def character() -> Illustration:
    drawing = read_rigged_tree(parse_svg_text(rigged_svg(), "t.svg"), "t.svg")
    return Illustration(drawing, "t")


def test_rest_pose_reproduces_the_drawing(character):
    frame = character.pose(character.rest_pose())
    np.testing.assert_allclose(frame.points, character.rest_points, atol=1e-9)
    assert frame.visible.all()


@settings(max_examples=40, deadline=None)
@given(angle=st.floats(-np.pi, np.pi), scale=st.floats(0.2, 5.0),
       shift=st.tuples(st.floats(-2000, 2000), st.floats(-2000, 2000)))
def test_similarity_of_all_joints_moves_every_point_by_it(character, angle, scale, shift):
    rest = character.rest_pose()
    factor = scale * np.exp(1j * angle)
    z = rest.positions[:, 0] + 1j * rest.positions[:, 1]
    moved = factor * z + complex(*shift)
    pose = Pose(np.stack([moved.real, moved.imag], axis=1), rest.scores, rest.image_size)
    points = character.pose(pose).points
    expected = factor * (character.rest_points[:, 0] + 1j * character.rest_points[:, 1]) + complex(*shift)
    np.testing.assert_allclose(points[:, 0] + 1j * points[:, 1], expected,
                               atol=1e-6 * max(1.0, scale) * 1000)


def test_segment_distance_and_fraction():
    distances, t = segment_distances(np.array([[5.0, 3.0], [-4.0, 0.0], [12.0, 0.0]]),
                                     np.array([[0.0, 0.0]]), np.array([[10.0, 0.0]]))
    np.testing.assert_allclose(distances[:, 0], [3, 4, 2])
    np.testing.assert_allclose(t[:, 0], [0.5, 0, 1])


def two_group_skeleton():
    joints = {"leftShoulder": np.array([0.0, 0.0]), "leftElbow": np.array([10.0, 0.0]),
              "leftWrist": np.array([20.0, 0.0]), "rightShoulder": np.array([0.0, 10.0]),
              "leftHip": np.array([0.0, 30.0]), "rightHip": np.array([10.0, 30.0])}
    return build_skeleton(joints, [])


def test_point_binds_to_nearest_group_with_inverse_square_weights():
    skeleton, domains = two_group_skeleton()
    bones = domains[0]
    weights = bone_weights(np.array([[10.0, -2.0]]), skeleton, bones)[0]
    names = [tuple(KEYPOINT_NAMES[j] for j in skeleton.bone_joints[b]) for b in bones]
    arm = [i for i, n in enumerate(names) if "leftElbow" in n]
    assert set(np.flatnonzero(weights)) == set(arm)  # the arm group only, not the torso
    np.testing.assert_allclose(weights[arm], [0.5, 0.5])  # equidistant from both arm bones
    np.testing.assert_allclose(weights.sum(), 1.0)


def test_point_on_a_bone_belongs_to_it_alone():
    skeleton, domains = two_group_skeleton()
    weights = bone_weights(np.array([[15.0, 0.0]]), skeleton, domains[0])[0]
    assert np.count_nonzero(weights) == 1 and weights.max() == 1.0


def test_collinear_handles_take_their_anchors_weights():
    points = np.array([[0, 0], [1, 0], [2, 0], [3, 0], [4, 0], [5, 0], [6, 0]], dtype=float)
    assert smooth_handle_sources(points, closed=False) == [(2, 3), (4, 3)]
    corner = np.array([[0, 0], [1, 0], [2, 0], [3, 0], [3, 1], [3, 2], [3, 3]], dtype=float)
    assert smooth_handle_sources(corner, closed=False) == []


def test_missing_joint_drops_its_bones_and_poses_the_rest():
    from svg_factory import skeleton_group

    svg = rigged_svg(body=limb_shapes(), skeleton=skeleton_group(omit=("rightWrist",)))
    drawing = read_rigged_tree(parse_svg_text(svg, "t.svg"), "t.svg")
    character = Illustration(drawing, "t")
    joint_pairs = {tuple(p) for p in character.skeleton.bone_joints.tolist()}
    assert (KEYPOINT_INDEX["rightElbow"], KEYPOINT_INDEX["rightWrist"]) not in joint_pairs
    frame = character.pose(character.rest_pose())
    np.testing.assert_allclose(frame.points, character.rest_points, atol=1e-9)


def test_face_lost_face_follows_the_ears(character):
    rest = character.rest_pose()
    positions = rest.positions.copy()
    scores = rest.scores.copy()
    positions[KEYPOINT_INDEX["leftEar"]] = positions[KEYPOINT_INDEX["leftJaw2"]] + [40, 0]
    positions[KEYPOINT_INDEX["rightEar"]] = positions[KEYPOINT_INDEX["rightJaw2"]] + [40, 0]
    scores[KEYPOINT_INDEX["leftEar"]] = scores[KEYPOINT_INDEX["rightEar"]] = 0.9
    face = [KEYPOINT_INDEX[n] for n in FACE_JOINTS]
    positions[face] = np.nan
    scores[face] = 0.0
    frame = character.pose(Pose(positions, scores, rest.image_size))
    np.testing.assert_allclose(frame.joints[face], rest.positions[face] + [40, 0], atol=1e-6)
    assert frame.visible.all()


def test_untracked_joints_hide_their_shapes(character, tracked_pose):
    frame = character.pose(tracked_pose)
    legs = [8, 9, 10, 11]  # limb_shapes draws the body bones in bones.tsv order
    assert not frame.visible[legs].any()  # the astronaut's legs are out of the photo
    assert frame.visible[:2].all() and frame.visible[-3:].all()  # shoulders, head and eyes
