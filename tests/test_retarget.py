"""`--proportions drawing`: the drawing's bone lengths and head size, the person's angles."""

import numpy as np
import pytest

from poseanim.illustration import load_illustration
from poseanim.pose import FACE_ROWS
from poseanim.rig.tables import BONES, KEYPOINT_INDEX
from poseanim.tracking.track_file import load_track
from conftest import DATA

BODY_BONES = [(KEYPOINT_INDEX[b.joint0], KEYPOINT_INDEX[b.joint1]) for b in BONES
              if b.region == "body"]
LIMB_BONES = [(KEYPOINT_INDEX[b.joint0], KEYPOINT_INDEX[b.joint1]) for b in BONES
              if b.region == "body" and b.group != "torso"]


def lengths(joints, bones):
    pairs = np.array(bones)
    return np.linalg.norm(joints[pairs[:, 1]] - joints[pairs[:, 0]], axis=1)


def angles(joints, bones):
    pairs = np.array(bones)
    vector = joints[pairs[:, 1]] - joints[pairs[:, 0]]
    return np.arctan2(vector[:, 1], vector[:, 0])


@pytest.fixture(scope="module")
def star():
    return load_track(DATA / "star_pose.json").frames[0]


@pytest.mark.parametrize("name", ["ada", "bolt", "mira"])
def test_drawing_proportions_keep_the_drawings_bone_lengths(name, star):
    character = load_illustration(name, proportions="drawing")
    frame = character.pose(star)
    rest = character.rest_joints
    ratio = lengths(frame.joints, BODY_BONES) / lengths(rest, BODY_BONES)
    np.testing.assert_allclose(ratio, ratio.mean(), rtol=1e-9)  # one overall scale for all
    # the person's joint angles
    person = star.positions[: len(rest)]
    difference = np.angle(np.exp(1j * (angles(frame.joints, LIMB_BONES) - angles(person, LIMB_BONES))))
    np.testing.assert_allclose(difference, 0, atol=1e-9)
    # the head keeps the drawing's size relative to the body
    face = FACE_ROWS[np.isfinite(rest[FACE_ROWS]).all(axis=1)]
    head_ratio = np.ptp(frame.joints[face], axis=0) / np.ptp(rest[face], axis=0)
    np.testing.assert_allclose(head_ratio, ratio.mean(), rtol=0.25)


def test_person_proportions_are_the_persons(star):
    character = load_illustration("ada", proportions="person")
    frame = character.pose(star)
    person = star.positions[: len(character.rest_joints)]
    np.testing.assert_allclose(frame.joints[: len(person)][:12], person[:12], atol=1e-9)


def test_drawing_proportions_change_nothing_for_the_drawings_own_pose():
    character = load_illustration("ada", proportions="drawing")
    frame = character.pose(character.rest_pose())
    np.testing.assert_allclose(frame.points, character.rest_points, atol=1e-6)


def test_unknown_proportions_say_what_to_choose():
    from poseanim.errors import PoseanimError

    with pytest.raises(PoseanimError, match="drawing, person"):
        load_illustration("ada", proportions="cartoon")
