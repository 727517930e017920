"""The rig editor in a real (offscreen) Qt window: drag, undo, save, reload, animate; try-it poses."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import cv2
import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from conftest import PHOTO, run_until
from poseanim.app.rig_editor import RigEditor
from poseanim.rigging.sample_poses import SAMPLE_POSES, pose_named
from poseanim.illustration import bundled_illustrations, load_illustration
from poseanim.render.png import png_to_rgba, render_png
from poseanim.render.svg_writer import svg_text
from poseanim.rigging.check import check_file
from poseanim.rigging.editing import RigDocument
from poseanim.rig.tables import CORE_JOINTS, JOINT_NAMES
from svg_factory import rigged_svg, skeleton_group

pytestmark = pytest.mark.gui


@pytest.fixture
def ada_copy(tmp_path):
    path = tmp_path / "ada.svg"
    shutil.copy(bundled_illustrations()["ada"], path)
    return path


def open_editor(path) -> RigEditor:
    editor = RigEditor(RigDocument.open(path))
    editor.resize(1200, 800)
    editor.show()
    QTest.qWaitForWindowExposed(editor)
    return editor


def close(editor: RigEditor) -> None:
    """Close the window and have Qt delete it now (not whenever Python collects it)."""
    editor.close()
    editor.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def screen_point(editor: RigEditor, name: str) -> QPoint:
    return editor.canvas.view().map(QPointF(*editor.joints[name])).toPoint()


def drag(editor: RigEditor, name: str, by: QPoint) -> None:
    """Press on a joint's handle, move in steps, let go: what a user's mouse does."""
    start = screen_point(editor, name)
    canvas = editor.canvas
    QTest.mousePress(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    for step in range(1, 5):
        QTest.mouseMove(canvas, start + by * step / 4)
    QTest.mouseRelease(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start + by)


@pytest.mark.slow
def test_drag_undo_redo_save_reload_and_the_saved_file_animates(qt_app, ada_copy, tracked_pose):
    original = ada_copy.read_text()
    editor = open_editor(ada_copy)
    rest = editor.joints["leftElbow"].copy()
    scale = editor.canvas.view().m11()

    drag(editor, "leftElbow", QPoint(30, -20))
    moved = editor.joints["leftElbow"].copy()
    np.testing.assert_allclose(moved - rest, np.array([30, -20]) / scale, atol=1.5 / scale)
    assert editor.isWindowModified() and editor.undo_stack.count() == 1
    assert editor.undo_stack.undoText() == "move leftElbow"
    # the elbow is now off the drawn arm: rig check's tried poses (arms up, star) tear the arm
    assert run_until(qt_app, lambda: "will animate, but poses badly" in
                     editor.problem_list.item(0).text(), 10), "the problem list follows the edit"

    editor.undo_stack.undo()
    np.testing.assert_allclose(editor.joints["leftElbow"], rest)
    assert run_until(qt_app, lambda: editor.problem_list.item(0).text().endswith(
        "will animate, no problems found"), 10), "the problem list follows the undo"
    editor.undo_stack.redo()
    np.testing.assert_allclose(editor.joints["leftElbow"], moved)

    assert editor.save()
    assert not editor.isWindowModified()
    saved = ada_copy.read_text()
    changed = [line for line in difflib.unified_diff(original.splitlines(), saved.splitlines(),
                                                     lineterm="", n=0)
               if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert len(changed) == 2 and 'id="leftElbow"' in changed[0] and 'id="leftElbow"' in changed[1]

    reloaded = RigDocument.open(ada_copy)
    np.testing.assert_allclose(reloaded.rest["leftElbow"], moved, atol=0.01)
    assert check_file(ada_copy).animates
    character = load_illustration(ada_copy)
    frame = character.pose(tracked_pose)
    assert np.isfinite(frame.points).all() and frame.visible.any()
    close(editor)


def test_mirror_drag_moves_the_partner_to_the_mirror_place(qt_app, ada_copy):
    editor = open_editor(ada_copy)
    editor.mirror_action.setChecked(True)
    left, right = editor.joints["leftKnee"].copy(), editor.joints["rightKnee"].copy()
    axis = (left[0] + right[0]) / 2
    drag(editor, "leftKnee", QPoint(20, 10))
    new_left, new_right = editor.joints["leftKnee"], editor.joints["rightKnee"]
    assert new_left[0] > left[0] and new_left[1] > left[1]
    np.testing.assert_allclose(new_right, [2 * axis - new_left[0], new_left[1]], atol=1e-6)
    assert editor.undo_stack.undoText() == "move leftKnee and its mirror"
    editor.undo_stack.undo()
    np.testing.assert_allclose(editor.joints["rightKnee"], right)
    editor.undo_stack.setClean()
    close(editor)


def test_hovering_a_joint_shows_its_name(qt_app, ada_copy):
    editor = open_editor(ada_copy)
    QTest.mouseMove(editor.canvas, screen_point(editor, "rightWrist"))
    assert editor.canvas.hover == "rightWrist"
    assert editor.statusBar().currentMessage() == "rightWrist"
    close(editor)


def test_a_file_check_rejects_opens_with_its_problems_and_can_be_fixed(qt_app, tmp_path):
    path = tmp_path / "partial.svg"
    path.write_text(rigged_svg(skeleton=skeleton_group(omit=("rightWrist", "leftEye2", "nose4"))))
    editor = open_editor(path)
    rows = [editor.problem_list.item(i).text() for i in range(editor.problem_list.count())]
    assert rows[0] == f"{path}: will animate (3 warnings) (as the file was opened)"
    assert any("joint 'rightWrist' is missing" in row for row in rows)
    assert editor.add_missing_action.text() == "Add 3 missing joints"

    editor.add_missing_action.trigger()
    assert set(editor.joints) == set(CORE_JOINTS)
    assert editor.save()
    report = check_file(path)
    assert report.problems == [], report.text()
    close(editor)


def test_a_plain_drawing_opens_with_a_fitted_skeleton(qt_app, tmp_path):
    path = tmp_path / "plain.svg"
    path.write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 450">'
                    '<circle cx="150" cy="80" r="40" fill="#f2c9a0"/>'
                    '<rect x="100" y="130" width="100" height="300" fill="#3a7bd5"/></svg>')
    assert not check_file(path).animates
    editor = open_editor(path)
    assert editor.statusBar().currentMessage().startswith(
        f"{path} had no skeleton: the template skeleton was fitted to the drawing's bounds")
    assert len(editor.joints) == 85
    assert editor.save()
    assert check_file(path).animates
    close(editor)


def test_try_it_poses_and_a_real_photo_pose_the_preview(qt_app, ada_copy):
    editor = open_editor(ada_copy)
    rest_points = editor.preview.frame.points.copy()
    for row, name in enumerate(SAMPLE_POSES, start=1):
        editor.pose_list.setCurrentRow(row)
        assert editor.preview.frame is not None
        assert np.abs(editor.preview.frame.points - rest_points).max() > 5, name
    editor.amount.setValue(0)
    np.testing.assert_allclose(editor.preview.frame.points, rest_points, atol=1e-6)
    assert editor.try_photo(PHOTO)
    assert editor.try_status.text() == "posed like the person in astronaut.jpg"
    assert editor.preview.frame.visible.any()
    picture = editor.preview.grab().toImage()
    assert picture.width() > 100
    close(editor)


def test_weights_show_the_selected_joints_pull(qt_app, tmp_path):
    # Ada as she was before hands: her mitten rides the wrist alone (a drawn hand with finger
    # joints follows its palm and finger bones instead)
    ada_copy = tmp_path / "ada.svg"
    shutil.copy(Path(__file__).resolve().parents[1] / "data" / "before_hands" / "ada.svg", ada_copy)
    editor = open_editor(ada_copy)  # (joint_influence itself: app/test_joint_canvas)
    editor.weights_action.setChecked(True)
    QTest.mouseClick(editor.canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     screen_point(editor, "leftWrist"))
    assert editor.canvas.selected == "leftWrist"
    red = editor.canvas.grab().toImage()
    pixels = np.array([[red.pixelColor(x, y).getRgb()[:3] for x in range(0, red.width(), 3)]
                       for y in range(0, red.height(), 3)])
    reddish = (pixels[..., 0] > 180) & (pixels[..., 1] < 90) & (pixels[..., 2] < 110)
    assert reddish.sum() > 20  # the hand's points glow
    editor.undo_stack.setClean()
    close(editor)


def rendered(frame) -> np.ndarray:
    return png_to_rgba(render_png(svg_text(frame, 3, "white"), scale=2))[..., :3].astype(int)


@pytest.mark.parametrize("name", sorted(bundled_illustrations()))
@pytest.mark.slow
def test_bundled_characters_blink_and_open_their_mouth(name):
    """Issue point 5: the eyelid and lip joints drive the eyes and mouth of every character."""
    character = load_illustration(name)
    joints = character.drawing.joints
    size = (600, 900)
    rest = rendered(character.pose(character.rest_pose()))
    closed = rendered(character.pose(pose_named("eyes closed", joints, size)))
    for side in ("left", "right"):
        eye = np.array([joints[f"{side}Eye{k}"] for k in range(6)]) * 2
        inside = np.zeros(rest.shape[:2], np.uint8)
        cv2.fillPoly(inside, [eye.round().astype(np.int32)], 1)
        changed = (np.abs(rest - closed).max(axis=2) > 40) & (inside > 0)
        assert changed.sum() > 0.8 * inside.sum(), f"{name}'s {side} eye hardly closes"

    opened_pose = pose_named("mouth open", joints, size)
    opened = character.pose(opened_pose)
    lower_lip = [n for n in JOINT_NAMES if "LowerLip" in n]
    drop = np.mean([opened_pose.position(n)[1] - joints[n][1] for n in lower_lip])
    box_low = np.min([joints[n] for n in lower_lip], axis=0)
    below = character.rest_points[:, 1] > box_low[1]
    near = np.abs(character.rest_points[:, 0] - joints["lowerLipBottomMid"][0]) < 0.3 * np.ptp(
        [joints["leftMouthCorner"][0], joints["rightMouthCorner"][0]])
    lip_points = below & near & (character.rest_points[:, 1] < joints["lowerLipBottomMid"][1] + 2)
    moved = opened.points[lip_points, 1] - character.rest_points[lip_points, 1]
    assert lip_points.sum() >= 4 and moved.mean() > 0.7 * drop, f"{name}'s lower lip stays put"


def test_edit_on_a_missing_file_is_one_line(run_cli, tmp_path):
    code, out, err = run_cli("rig", "edit", tmp_path / "nope.svg")
    assert (code, out) == (1, "")
    assert err == f"poseanim: error: {tmp_path / 'nope.svg'}: no such file\n"


@pytest.mark.slow
def test_a_live_source_poses_the_preview(qt_app, ada_copy, photo_rgb, tmp_path):
    """The webcam path, fed by a real video played like a camera (no camera on test machines)."""
    from live_video import LEFT, Segment, write_video
    from poseanim.app.capture import SourceSpec

    video = write_video(tmp_path / "person.mp4", photo_rgb, (Segment(20.0, LEFT),))
    editor = open_editor(ada_copy)
    rest_points = editor.preview.frame.points.copy()
    editor.start_live(SourceSpec("video", path=video))
    try:
        # run_until sleeps between event loops, which, unlike QTest.qWait, lets the workers run
        assert run_until(qt_app, lambda: editor.try_status.text() == str(video), 30), \
            editor.try_status.text()
        assert np.abs(editor.preview.frame.points - rest_points).max() > 5
    finally:
        editor.stop_live()
    assert editor.preview.frame.points.shape == rest_points.shape
    close(editor)


def test_ctrl_q_quits_the_editor(qt_app, ada_copy):
    editor = open_editor(ada_copy)
    QTest.keyClick(editor, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert run_until(qt_app, lambda: not editor.isVisible(), 10.0)
    close(editor)


def test_finger_joints_are_shown_dragged_and_mirrored(qt_app, ada_copy):
    editor = open_editor(ada_copy)
    assert {"leftIndex4", "rightPinky1", "leftToe", "rightHeel"} <= set(editor.joints)
    editor.mirror_action.setChecked(True)
    left, right = editor.joints["leftIndex4"].copy(), editor.joints["rightIndex4"].copy()
    axis = (left[0] + right[0]) / 2
    drag(editor, "leftIndex4", QPoint(12, -8))
    new_left, new_right = editor.joints["leftIndex4"], editor.joints["rightIndex4"]
    assert new_left[0] > left[0] and new_left[1] < left[1]
    np.testing.assert_allclose(new_right, [2 * axis - new_left[0], new_left[1]], atol=1e-6)
    assert editor.undo_stack.undoText() == "move leftIndex4 and its mirror"
    editor.undo_stack.undo()
    editor.undo_stack.setClean()
    close(editor)


def test_hands_and_feet_are_added_on_the_forearms_and_shins(qt_app, tmp_path):
    path = tmp_path / "handless.svg"
    path.write_text(rigged_svg())
    editor = open_editor(path)
    assert editor.add_hands_action.isEnabled() and not editor.add_missing_action.isEnabled()
    editor.add_hands_action.trigger()
    assert set(editor.joints) == set(JOINT_NAMES)
    assert editor.undo_stack.undoText() == "add 44 hand and foot joints"
    assert not editor.add_hands_action.isEnabled()
    wrist, elbow = editor.joints["leftWrist"], editor.joints["leftElbow"]
    tip = editor.joints["leftMiddle4"]
    assert np.dot(tip - wrist, wrist - elbow) > 0  # the fingers continue the forearm
    assert editor.save()
    assert check_file(path).problems == [], check_file(path).text()
    close(editor)


@pytest.mark.parametrize("unbound", [
    '<rect width="40" height="40" transform="scale(0)"/>',  # painted by the cairo painter
    '<text x="10" y="20">hi</text>',  # drawn by cairosvg
])
def test_a_drawing_that_cannot_be_bound_is_shown_as_a_picture_on_the_joints_canvas(
        qt_app, tmp_path, unbound):
    """The backdrop maps the viewBox straight onto its pixels, whoever renders it (the root's
    transform left out, as the reader leaves it out), so the joints lie over what they mark."""
    path = tmp_path / "unbound.svg"
    path.write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 600 900" '
                    f'transform="rotate(30)"><g id="illustration">{unbound}</g>'
                    '<rect x="300" y="450" width="150" height="225" fill="#ff0000"/>'
                    f'{skeleton_group()}</svg>')
    editor = open_editor(path)
    try:
        assert editor.illustration is None
        image = editor.canvas.backdrop
        assert image is not None and (image.width(), image.height()) == (1600, 2400)
        assert image.pixelColor(1000, 1500).getRgb() == (255, 0, 0, 255)  # the rect's middle
        assert image.pixelColor(790, 1500).alpha() == 0  # left of it, nothing drawn
    finally:
        close(editor)
