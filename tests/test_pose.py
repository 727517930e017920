"""The pose value: built from named joints, mirrored, moved, and the ears' memory of a face."""

from __future__ import annotations

import numpy as np
import pytest

from poseanim.errors import PoseanimError
from poseanim.pose import EarAnchor, Pose
from poseanim.rig.tables import FACE_JOINTS, KEYPOINT_NAMES
from poseanim.tracking.track_file import load_track

from conftest import DATA


@pytest.fixture(scope="module")
def astronaut() -> Pose:
    return load_track(DATA / "astronaut_pose.json").frames[0]


def test_a_pose_from_named_joints_leaves_the_others_untracked():
    pose = Pose.from_joints({"nose4": (10, 20), "leftWrist": (30, 40, 0.5)}, (100, 80))
    assert pose.image_size == (100, 80) and pose.positions.shape == (len(KEYPOINT_NAMES), 2)
    assert pose.position("nose4").tolist() == [10, 20] and pose.score("nose4") == 1.0
    assert pose.score("leftWrist") == 0.5
    assert np.isnan(pose.position("rightWrist")).all() and pose.score("rightWrist") == 0.0
    assert pose.has_body and not pose.has_face


def test_an_unknown_joint_name_is_an_error_not_ignored():
    with pytest.raises(PoseanimError, match="unknown joint 'leftWirst'"):
        Pose.from_joints({"leftWirst": (1, 2)}, (10, 10))


def test_the_mirror_swaps_sides_flips_x_and_twice_is_the_original(astronaut):
    width = astronaut.image_size[0]
    mirror = astronaut.mirrored()
    left = astronaut.position("leftShoulder")
    assert mirror.position("rightShoulder").tolist() == pytest.approx([width - left[0], left[1]])
    assert mirror.score("rightShoulder") == astronaut.score("leftShoulder")
    twice = mirror.mirrored()
    assert np.allclose(twice.positions, astronaut.positions, equal_nan=True)
    assert np.array_equal(twice.scores, astronaut.scores)


def test_moving_a_few_joints_keeps_the_rest(astronaut):
    moved = astronaut.with_joints({"leftWrist": (1.0, 2.0)})
    assert moved.position("leftWrist").tolist() == [1.0, 2.0] and moved.score("leftWrist") == 1.0
    others = [i for i, name in enumerate(KEYPOINT_NAMES) if name != "leftWrist"]
    assert np.allclose(moved.positions[others], astronaut.positions[others], equal_nan=True)
    scaled = astronaut.transformed(0.5, (10.0, 0.0), (256, 256))
    assert scaled.position("nose4") == pytest.approx(astronaut.position("nose4") * 0.5 + (10, 0))
    assert scaled.image_size == (256, 256)


def test_the_ears_remember_the_face_in_their_own_frame(astronaut):
    anchor = EarAnchor.observe(astronaut)
    assert anchor is not None and anchor.face is not None and len(anchor.face) == len(FACE_JOINTS)
    # the same face moved, turned and scaled with the head gives the same memory
    turned = astronaut.transformed(2.0, (30.0, -5.0), (1024, 1024))
    again = EarAnchor.observe(turned)
    assert again is not None
    assert again.left == pytest.approx(anchor.left) and np.allclose(again.face, anchor.face)
    faceless = Pose(astronaut.positions.copy(), astronaut.scores, astronaut.image_size)
    faceless.positions[[KEYPOINT_NAMES.index(n) for n in FACE_JOINTS]] = np.nan
    assert EarAnchor.observe(faceless) is None


def test_easing_a_remembered_face_reaches_the_neutral_one_only_at_the_end(astronaut):
    anchor = EarAnchor.observe(astronaut)
    neutral = np.array([[float(i), float(i % 3)] for i in range(len(FACE_JOINTS))])
    assert anchor.easing_to(neutral, 0.0) is anchor
    distances = []
    for progress in (0.25, 0.5, 0.75, 1.0):
        face = anchor.easing_to(neutral, progress).face
        distances.append(float(np.abs(face - anchor.face).sum()))
    assert distances == sorted(distances) and distances[0] > 0
    assert anchor.easing_to(neutral, 2.0).face == pytest.approx(anchor.easing_to(neutral, 1.0).face)
