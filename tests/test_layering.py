"""Limb layering: a forearm crossing in front of the body is drawn in front, hand and all."""

from dataclasses import replace

import numpy as np
import pytest

from poseanim.illustration import load_illustration
from poseanim.pose import Pose
from poseanim.rig.tables import JOINT_NAMES, KEYPOINT_INDEX
from poseanim.rigging.sample_poses import pose_named

FOREARM = [KEYPOINT_INDEX["leftElbow"], KEYPOINT_INDEX["leftWrist"]]


def crossed(character, forearm_depth: float | None) -> Pose:
    """Arms folded across the chest; the left forearm at `forearm_depth` (pixels, nearer when
    negative), the body at depth 0; None: a pose without depth (a recorded track)."""
    rest = character.rest_joints
    joints = {n: rest[i] for i, n in enumerate(JOINT_NAMES) if np.isfinite(rest[i]).all()}
    pose = pose_named("arms crossed", joints, (600, 900))
    if forearm_depth is None:
        return pose
    depth = np.zeros(len(pose.scores))
    depth[FOREARM] = forearm_depth
    return replace(pose, depth=depth)


@pytest.fixture(scope="module")
def ada():
    return load_illustration("ada")


def test_a_forearm_in_front_of_the_body_is_drawn_after_the_torso(ada):
    frame = ada.pose(crossed(ada, -80.0))
    arm, torso = ada._layering.arms["left"], ada._layering.torso
    position = {shape: i for i, shape in enumerate(frame.paint_order())}
    last_torso = max(position[s] for s in np.flatnonzero(torso))
    assert all(position[s] > last_torso for s in np.flatnonzero(arm))  # sleeve and hand alike
    assert sorted(frame.paint_order()) == list(range(len(ada.shapes)))

    from poseanim.render.cairo_painter import CairoPainter

    fitted = frame.fitted(300, 450)
    painter = CairoPainter(ada, (300, 450))
    layered = painter.paint(fitted, background=None, alpha=True)
    drawn_order = painter.paint(replace(fitted, order=None), background=None, alpha=True)
    arm_alone = painter.paint(replace(fitted, visible=fitted.visible & arm, order=None),
                              background=None, alpha=True)
    over_torso = (arm_alone[..., 3] == 255) & (drawn_order[..., 3] == 255)
    differs = np.abs(layered.astype(int) - drawn_order.astype(int)).max(axis=2) > 30
    assert (differs & over_torso).sum() > 50  # the drawing's order hid the sleeve there
    # there the arm itself shows (but where the other arm, folded over it, covers it)
    shown = (layered[over_torso & differs] == arm_alone[over_torso & differs]).all(axis=1)
    assert shown.mean() > 0.9


def test_back_again_when_it_leaves_and_never_without_depth(ada):
    assert ada.pose(crossed(ada, -80.0)).order is not None
    assert ada.pose(crossed(ada, 0.0)).order is None  # level with the body: the drawing's order
    assert ada.pose(crossed(ada, 40.0)).order is None  # behind it
    assert ada.pose(crossed(ada, None)).order is None  # a pose without depth


def test_pose_animators_mode_keeps_the_drawings_order():
    character = load_illustration("ada", skinning="pa")
    assert character.pose(crossed(character, -80.0)).order is None


def test_the_svg_writer_paints_in_the_same_order(ada):
    import xml.etree.ElementTree as ET

    from poseanim.render.svg_writer import posed_tree

    frame = ada.pose(crossed(ada, -80.0))
    root, elements = posed_tree(frame)
    drawn = [e for e in root.iter() if e in set(x for x in elements if x is not None)]
    index_of = {id(e): i for i, e in enumerate(elements) if e is not None}
    written = [index_of[id(e)] for e in drawn]
    expected = [s for s in frame.paint_order() if frame.visible[s]]
    assert written == expected
    assert isinstance(root, ET.Element)


def test_an_arm_hovering_at_the_threshold_does_not_flicker(ada):
    """Over a stream, a forearm must come forward past IN_FRONT_MARGIN and stays in front
    until it is back within BACK_MARGIN of the body: depth noise around one threshold does
    not flip the paint order every frame."""
    from poseanim.filters import PoseStream
    from poseanim.layering import BACK_MARGIN, IN_FRONT_MARGIN

    pose = crossed(ada, 0.0)
    shoulders = pose.positions[[KEYPOINT_INDEX["leftShoulder"], KEYPOINT_INDEX["rightShoulder"]]]
    width = float(np.linalg.norm(shoulders[1] - shoulders[0]))
    between = -(IN_FRONT_MARGIN + BACK_MARGIN) / 2 * width
    noise = 0.04 * width * np.array([1, -1] * 6)  # jitters over one threshold's either side
    depths = ([0.0] * 3 + list(-IN_FRONT_MARGIN * width + noise) + [-0.3 * width]
              + list(between + noise) + [0.0] * 3)
    stream = PoseStream(ada.rest_joints, smoothing=0.0)
    in_front, alone = [], []
    for number, depth in enumerate(depths):
        streamed = stream.step(number / 30, crossed(ada, depth))
        in_front.append(ada.pose(streamed.pose, streamed.ears, streamed.in_front).order is not None)
        alone.append(ada.pose(crossed(ada, depth)).order is not None)
    changes = np.count_nonzero(np.diff(in_front))
    assert changes == 2, in_front  # forward once (past the margin), back once (at the body)
    assert in_front[-1] is False and any(in_front)
    assert np.count_nonzero(np.diff(alone)) > 6  # one frame alone flickers with the noise
