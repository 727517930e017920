"""The automatic quality score: good poses pass, each kind of fault is caught on real pixels."""

from dataclasses import replace

import numpy as np
import pytest

from poseanim.illustration import load_illustration
from poseanim.rig.tables import JOINT_NAMES
from poseanim.rigging.quality import frame_quality, pose_quality
from poseanim.rigging.sample_poses import pose_named

POSES = ("arms up", "arms crossed", "squat", "star", "walk")


@pytest.fixture(scope="module")
def ada():
    return load_illustration("ada")


def rest_joints(character):
    return {name: character.rest_joints[i] for i, name in enumerate(JOINT_NAMES)
            if np.isfinite(character.rest_joints[i]).all()}


def biggest_shape(character):
    """(index, point rows) of the shape with the largest bounding box (the body or a dress)."""
    areas = [np.prod(np.ptp(character.rest_points[character.point_shape == i], axis=0))
             for i in range(len(character.shapes))]
    index = int(np.argmax(areas))
    return index, np.flatnonzero(character.point_shape == index)


@pytest.mark.parametrize("name", POSES)
def test_the_bundled_character_poses_acceptably(ada, name):
    quality = pose_quality(ada, pose_named(name, rest_joints(ada), (600, 900)))
    assert quality.acceptable, quality.problems
    assert 0.7 < quality.ink_ratio < 1.3 and quality.far_share < 0.01


def test_the_rest_pose_is_perfect(ada):
    rest = ada.pose(ada.rest_pose())
    quality = frame_quality(rest, rest)
    assert (quality.ink_ratio, quality.far_share, quality.sliver_share) == (1.0, 0.0, 0.0)


def test_a_blank_frame_is_caught(ada):
    rest = ada.pose(ada.rest_pose())
    quality = frame_quality(rest, replace(rest, visible=np.zeros_like(rest.visible)))
    assert not quality.acceptable and "blank" in quality.problems[0]


def test_ink_flung_from_the_bones_is_caught(ada):
    rest = ada.pose(ada.rest_pose())
    _, rows = biggest_shape(ada)
    points = rest.points.copy()
    points[rows] += (0.0, -0.8 * np.ptp(rest.points[:, 1]))  # the shape leaves the body
    quality = frame_quality(rest, replace(rest, points=points))
    assert any("far from every bone" in problem for problem in quality.problems)


def test_an_area_blow_up_is_caught(ada):
    rest = ada.pose(ada.rest_pose())
    points = rest.points.copy()
    _, rows = biggest_shape(ada)
    points[rows] = points[rows].mean(axis=0) + (points[rows] - points[rows].mean(axis=0)) * 2.2
    quality = frame_quality(rest, replace(rest, points=points))
    assert quality.ink_ratio > 1.6 and any("blew up" in problem for problem in quality.problems)


def test_shapes_collapsed_into_slivers_are_caught(ada):
    rest = ada.pose(ada.rest_pose())
    index, rows = biggest_shape(ada)
    points = rest.points.copy()
    points[rows, 1] = points[rows, 1].mean() + 0.02 * (points[rows, 1] - points[rows, 1].mean())
    quality = frame_quality(rest, replace(rest, points=points))
    assert quality.sliver_share > 0.05 and any("slivers" in p for p in quality.problems)


def test_non_finite_frames_are_never_acceptable(ada):
    rest = ada.pose(ada.rest_pose())
    points = rest.points.copy()
    points[0] = np.nan
    quality = frame_quality(rest, replace(rest, points=points))
    assert not quality.finite and not quality.acceptable


def test_a_limb_whose_drawing_stays_behind_its_bone_is_caught(ada):
    """The bones raised, the drawing left as it was: what a rig shows when its arm joints do
    not lie on the drawn arms (they sit on the body, or beside the arm)."""
    rest = ada.pose(ada.rest_pose())
    raised = ada.pose(pose_named("arms up", rest_joints(ada), (600, 900)))
    quality = frame_quality(rest, replace(rest, joints=raised.joints))
    assert any("did not follow its bone" in problem for problem in quality.problems)
    assert frame_quality(rest, raised).acceptable


def test_a_hand_that_comes_loose_from_its_arm_is_caught(ada):
    """A hand shape moved off the end of its arm, as a stick figure's hand ball is left in the
    air when its arm stroke does not follow the forearm: a piece of the drawing came loose."""
    rest = ada.pose(ada.rest_pose())
    wrist = ada.rest_joints[JOINT_NAMES.index("leftWrist")]
    height = np.ptp(rest.points[:, 1])
    hand = [i for i in range(len(ada.shapes))  # the palm and the fingers
            if np.linalg.norm(rest.points[ada.point_shape == i].mean(axis=0) - wrist) < 0.08 * height]
    points = rest.points.copy()
    away = np.sign(wrist[0] - rest.points[:, 0].mean())  # off the side of the body
    points[np.isin(ada.point_shape, hand)] += (away * 0.1 * height, 0.0)
    quality = frame_quality(rest, replace(rest, points=points))
    assert any("came loose" in problem for problem in quality.problems), quality.problems
    assert frame_quality(rest, rest).loose_share == 0.0


def test_a_stroke_broken_into_a_stray_piece_is_caught(ada):
    """A small piece of the drawing left apart from the figure (as a stick figure's arm line
    leaves a dash of itself beside the shoulder when it breaks): a stray piece."""
    from poseanim.rigging.quality import stray_pieces

    rest = ada.pose(ada.rest_pose())
    height = np.ptp(rest.points[:, 1])
    sizes = [np.ptp(rest.points[ada.point_shape == i], axis=0).max() for i in range(len(ada.shapes))]
    small = next(i for i, size in enumerate(sizes) if rest.visible[i] and 0.02 < size / height < 0.05
                 and ada.shapes[i].style.get("fill") != "none")
    points = rest.points.copy()
    rows = ada.point_shape == small
    points[rows] += (rest.points[:, 0].min() - 0.05 * height - points[rows, 0].max(), 0.0)  # aside
    quality = frame_quality(rest, replace(rest, points=points))
    assert quality.stray_pieces == 1 and any("stray piece" in p for p in quality.problems), quality
    assert quality.loose_share < 0.008  # too small a piece for the loose-part check
    ink = np.zeros((20, 20), bool)
    ink[5:15, 5:15] = True
    assert stray_pieces(ink, ink) == (0, 0.0)


def test_a_shape_stretched_into_view_beside_a_raised_arm_is_caught():
    """A dark backing shape stretched into a wedge between a raised arm and the body (nonno
    in arms up), painted by hand: ink of a colour that no part of the drawing carried there.
    The arm alone, raised, leaves nothing unaccounted for."""
    import cv2

    from poseanim.rigging.quality import MAX_UNCARRIED_SHARE, RASTER_SIDE, uncarried_ink

    joints = np.array([[160.0, 90.0], [160.0, 240.0], [200.0, 200.0]])  # shoulder, hip, hand
    raised = joints.copy()
    raised[2] = (230.0, 40.0)
    bones = np.array([[0, 1], [0, 2]])

    def figure(hand: np.ndarray, wedge: bool = False) -> np.ndarray:
        picture = np.zeros((RASTER_SIDE, RASTER_SIDE, 4), np.uint8)
        if wedge:
            cv2.fillPoly(picture, [np.array([[175, 110], [175, 220], hand.astype(int)])],
                         (20, 20, 20, 255))
        cv2.rectangle(picture, (140, 90), (180, 240), (240, 180, 60, 255), -1)  # the shirt
        cv2.line(picture, (160, 90), tuple(hand.astype(int)), (250, 200, 170, 255), 9)  # the arm
        return picture

    rest = figure(joints[2])
    assert uncarried_ink(rest, rest, joints, joints, bones) == 0.0
    # drawn across the shirt's edge, the arm raised bares shirt it hid at rest: a little
    assert uncarried_ink(rest, figure(raised[2]), joints, raised, bones) < MAX_UNCARRIED_SHARE
    assert uncarried_ink(rest, figure(raised[2], wedge=True), joints, raised,
                         bones) > 2 * MAX_UNCARRIED_SHARE
