"""The rig editor's joint canvas (`app.joint_canvas`) without a window: how strongly each point
follows a joint (what the weights view shows), picking the joint under the pointer, a mirrored
drag, and the undoable move."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QUndoStack
from svg_factory import rigged_svg

from poseanim.app.joint_canvas import GRAB_DISTANCE, JointCanvas, MoveJoints, joint_influence
from poseanim.illustration import RIG_COUNT
from poseanim.rig.reader import read_rigged_tree
from poseanim.rig.tables import JOINT_NAMES, KEYPOINT_INDEX
from poseanim.illustration import Illustration
from poseanim.svg.document import parse_svg_text


@pytest.fixture(scope="module")
def limbs() -> Illustration:
    root = parse_svg_text(rigged_svg(), "limbs.svg")
    return Illustration(read_rigged_tree(root, "limbs.svg"), "limbs")


def test_each_points_pull_is_shared_out_among_the_joints_whole(limbs):
    pulls = np.array([joint_influence(limbs, name) for name in JOINT_NAMES[:RIG_COUNT]])
    assert (pulls >= -1e-12).all()
    np.testing.assert_allclose(pulls.sum(axis=0), 1.0, atol=1e-9)  # weights × end shares
    wrist = limbs.rest_joints[KEYPOINT_INDEX["leftWrist"]]
    pull = joint_influence(limbs, "leftWrist")
    distance = np.linalg.norm(limbs.rest_points - wrist, axis=1)
    assert pull[distance < 8].mean() > 0.5  # the hand end of the forearm follows the wrist
    assert pull[limbs.rest_points[:, 1] < wrist[1] - 150].max() == 0.0  # nothing far above it


def canvas_of(limbs: Illustration, qt_app) -> JointCanvas:
    canvas = JointCanvas()
    canvas.resize(400, 400)
    canvas.show_drawing(limbs, limbs.view_box)
    canvas.joints = {name: limbs.rest_joints[KEYPOINT_INDEX[name]].copy()
                     for name in ("leftWrist", "rightWrist", "nose0")}
    return canvas


def on_screen(canvas: JointCanvas, place: np.ndarray) -> QPointF:
    return canvas.view().map(QPointF(*place))


def test_the_joint_under_the_pointer_is_the_nearest_within_grabbing_distance(limbs, qt_app):
    canvas = canvas_of(limbs, qt_app)
    wrist = on_screen(canvas, canvas.joints["leftWrist"])
    assert canvas.joint_at(wrist + QPointF(GRAB_DISTANCE * 0.7, 0)) == "leftWrist"
    assert canvas.joint_at(wrist + QPointF(GRAB_DISTANCE * 1.2, 0)) == ""
    assert canvas.joint_at(on_screen(canvas, canvas.joints["nose0"])) == "nose0"


def test_a_mirrored_drag_puts_the_partner_at_the_mirror_place(limbs, qt_app):
    canvas = canvas_of(limbs, qt_app)
    before = {name: place.copy() for name, place in canvas.joints.items()}
    axis = (before["leftWrist"][0] + before["rightWrist"][0]) / 2
    canvas.mirror = True
    canvas.drag_to("leftWrist", before, QPointF(axis + 70, 20))
    np.testing.assert_allclose(canvas.joints["leftWrist"], (axis + 70, 20))
    np.testing.assert_allclose(canvas.joints["rightWrist"], (axis - 70, 20))
    canvas.drag_to("nose0", before, QPointF(axis + 5, 3))  # no partner: moves alone
    np.testing.assert_allclose(canvas.joints["rightWrist"], (axis - 70, 20))


def test_a_move_is_undone_and_redone_and_outlives_its_editor_quietly(qt_app):
    class Editor:
        def __init__(self) -> None:
            self.shown: list[dict] = []

        def set_joints(self, joints: dict) -> None:
            self.shown.append(joints)

    editor, stack = Editor(), QUndoStack()
    before, after = {"nose": np.zeros(2)}, {"nose": np.ones(2)}
    stack.push(MoveJoints(editor.set_joints, before, after, "move nose"))  # push runs redo
    stack.undo()
    stack.redo()
    assert editor.shown == [after, before, after] and stack.undoText() == "move nose"
    del editor  # held weakly: the stack keeps no editor alive, and undoing then does nothing
    stack.undo()
