"""Shoulders blend rotations near the joint (`poseanim.shoulder_blend`): an arm drawn in one
outline with the body keeps its width where it meets the body when raised, and passing straight
up does not flip the shoulder's blend from one side to the other."""

from __future__ import annotations

import numpy as np
import pytest

from poseanim.illustration import Illustration
from poseanim.shoulder_blend import FAR, NEAR, shoulder_band
from poseanim.skinning import linearly_blended
from svg_factory import rigged_svg, skeleton_group
from test_skinning import (
    BODY, around, body_joints, character_in, polygon, raised_arm_pose, union_outline,
)


@pytest.fixture(scope="module")
def one_outline() -> Illustration:
    """A torso and both arms hanging against it, drawn as one outline (a pictogram)."""
    garments = [[np.array(p, float) for p in ((262, 192), (338, 192), (336, 408), (264, 408))]]
    garments += [around(BODY[f"{s}Shoulder"], BODY[f"{s}Wrist"], 11, 12) for s in ("left", "right")]
    return character_in("shape", rigged_svg(body=polygon(union_outline(garments, 2)),
                                            skeleton=skeleton_group(body_joints())))


def from_shoulder(points: np.ndarray, pivot: complex) -> np.ndarray:
    return np.abs(points[:, 0] + 1j * points[:, 1] - pivot)


def test_a_raised_arm_keeps_its_distance_from_the_shoulder(one_outline):
    character = one_outline
    binding, skeleton = character.binding, character.skeleton
    strength, _ = shoulder_band(skeleton.bone_joints, skeleton.rest_joints,
                                character.rest_points, binding.pair_point, binding.pair_bone)
    shoulder = np.array(BODY["leftShoulder"], float)
    length = float(np.linalg.norm(np.array(BODY["leftElbow"]) - shoulder))
    reach = np.linalg.norm(character.rest_points - shoulder, axis=1) / length
    left = character.rest_points[:, 0] > 300
    band = np.flatnonzero((strength == 1.0) & left)
    assert band.size >= 5 and (reach[band] <= NEAR + 1e-9).all()
    assert (strength[(reach > FAR) & left] == 0).all()
    pose, _, pivot = raised_arm_pose(character, np.radians(-150))  # up over the head
    rest = from_shoulder(character.rest_points[band], pivot)
    blended = from_shoulder(character.pose(pose).points[band], pivot) / rest
    # the linear blend pulls the points between the arm and the torso in towards the joint
    character.binding = linearly_blended(binding, skeleton)
    try:
        linear = from_shoulder(character.pose(pose).points[band], pivot) / rest
    finally:
        character.binding = binding
    assert blended.min() > 0.97, blended.min()
    assert linear.min() < 0.5, linear.min()  # cos(75°) = 0.26 at an even blend


def test_the_shoulder_does_not_flip_as_the_arm_passes_straight_up(one_outline):
    character = one_outline
    before, _, _ = raised_arm_pose(character, np.radians(-179.5))
    after, _, _ = raised_arm_pose(character, np.radians(-180.5))
    step = np.linalg.norm(character.pose(after).points - character.pose(before).points, axis=1)
    assert step.max() < 4.0, step.max()  # the hand's tip moves 3.5 px; a flip: 28 px
