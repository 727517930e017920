"""The camera view (`app.camera_view`), painted offscreen without a window: the picture fitted
with its aspect kept, the rig's bones drawn where the pose puts them (and hidden on demand),
a recorded track's joints on a dark canvas, the placeholder before any picture."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import DATA
from PySide6.QtGui import QFontDatabase, QImage

from poseanim.app.camera_view import CameraView
from poseanim.app.capture import Capture, TrackedFrame
from poseanim.rig.tables import KEYPOINT_INDEX
from poseanim.tracking.track_file import load_track

BONE = (60, 200, 90)
BACKDROP = (30, 31, 35)


def painted(view: CameraView, width: int = 400, height: int = 200) -> np.ndarray:
    """What the view shows at this size, as (height, width, 3) RGB."""
    view.resize(width, height)
    image = view.grab().toImage().convertToFormat(QImage.Format.Format_RGB888)
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(height, image.bytesPerLine())
    return rows[:, : width * 3].reshape(height, width, 3).copy()


def near(picture: np.ndarray, colour: tuple[int, int, int], tolerance: int = 40) -> np.ndarray:
    return (np.abs(picture.astype(int) - colour) <= tolerance).all(axis=2)


def frame_of(rgb, pose, size=(512, 512)) -> TrackedFrame:
    return TrackedFrame(Capture(rgb, None if rgb is not None else pose, size, 0.0, 0.0), pose,
                        None, None, 0.0)


def test_the_picture_is_fitted_and_the_bones_drawn_on_it(qt_app):
    pose = load_track(DATA / "astronaut_pose.json").frames[0]
    picture = np.full((512, 512, 3), 200, np.uint8)  # a plain grey square picture
    view = CameraView()
    view.show_frame(frame_of(picture, pose))
    shown = painted(view)
    # the square fills the height in the middle of the wide view; bars beside it
    assert near(shown[:, :90], BACKDROP, 3).all() and near(shown[:, 310:], BACKDROP, 3).all()
    assert near(shown[:, 110:290], (200, 200, 200), 3).mean() > 0.9
    bones = near(shown, BONE)
    assert bones.sum() > 100
    # the shoulder line is green where the pose puts it (scaled 512 → 200 px, shifted by 100)
    left, right = (pose.positions[KEYPOINT_INDEX[name]] * 200 / 512 + (100, 0)
                   for name in ("leftShoulder", "rightShoulder"))
    x, y = np.round((left + right) / 2).astype(int)
    assert bones[y - 2: y + 3, x - 2: x + 3].any()
    view.show_landmarks = False
    assert not near(painted(view), BONE).any()


def test_a_recorded_track_is_drawn_on_a_dark_canvas_with_its_joints(qt_app):
    pose = load_track(DATA / "astronaut_pose.json").frames[0]
    view = CameraView()
    view.show_frame(frame_of(None, pose))
    shown = painted(view)
    assert near(shown[:, 110:290], (45, 47, 54), 3).mean() > 0.8
    assert near(shown, BONE).sum() > 100 and near(shown, (255, 255, 255), 30).sum() > 20


def test_before_any_picture_the_placeholder_is_shown(qt_app):
    if not QFontDatabase.families():
        pytest.skip("this machine has no fonts: Qt draws no text")
    view = CameraView()
    view.clear("camera 0 could not be opened")
    shown = painted(view)
    text = near(shown, (200, 200, 200), 60)
    assert 0 < text.mean() < 0.1  # words in the middle, nothing else
    ys, xs = np.nonzero(text)
    assert abs(xs.mean() - 200) < 30 and abs(ys.mean() - 100) < 20
