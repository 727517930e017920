"""The named sample poses the rig editor and the checker pose a drawing in."""

from __future__ import annotations

import numpy as np
import pytest

from poseanim.errors import PoseanimError
from poseanim.illustration import load_illustration
from poseanim.rig.tables import JOINT_NAMES
from poseanim.rigging.sample_poses import SAMPLE_POSES, pose_named


@pytest.fixture(scope="module")
def ada():
    return load_illustration("ada")


@pytest.fixture(scope="module")
def rest(ada):
    return {name: ada.rest_joints[i] for i, name in enumerate(JOINT_NAMES)
            if np.isfinite(ada.rest_joints[i]).all()}


@pytest.mark.parametrize("name", list(SAMPLE_POSES))
def test_every_sample_pose_moves_the_drawing_and_poses_to_finite_points(ada, rest, name):
    pose = pose_named(name, rest, (600, 900))
    frame = ada.pose(pose)
    assert np.isfinite(frame.points).all()
    assert not np.allclose(frame.points, ada.pose(ada.rest_pose()).points)


def test_amount_zero_is_the_rest_pose_and_amounts_are_clipped(rest):
    still = pose_named("arms up", rest, (600, 900), amount=0.0)
    for name in ("leftElbow", "leftWrist", "rightElbow", "rightWrist", "leftShoulder"):
        assert np.allclose(still.position(name), rest[name])
    full = pose_named("arms up", rest, (600, 900), amount=1.0)
    beyond = pose_named("arms up", rest, (600, 900), amount=3.0)
    assert np.allclose(beyond.positions, full.positions, equal_nan=True)


def test_a_pose_that_needs_a_missing_joint_leaves_the_drawing_at_rest(rest):
    armless = {name: place for name, place in rest.items() if name != "rightWrist"}
    pose = pose_named("wave", armless, (600, 900))
    assert np.allclose(pose.position("rightElbow"), rest["rightElbow"])


def test_an_unknown_pose_names_the_known_ones(rest):
    with pytest.raises(PoseanimError, match="no sample pose 'dab' \\(there are: arms up, wave"):
        pose_named("dab", rest, (600, 900))
