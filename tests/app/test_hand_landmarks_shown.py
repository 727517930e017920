"""The tracked fingers are drawn where a user checks the tracking: in the live window's camera
view and in the landmark pane of `poseanim video --side-by-side` (real Pose and Hands on a
real photo of a raised open hand)."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import DATA
from poseanim.rig.tables import KEYPOINT_INDEX, hand_joints
from poseanim.sources import read_image

PHOTO = DATA / "hands" / "open_palm.jpg"
HAND = [KEYPOINT_INDEX[name] for name in hand_joints("left")]


@pytest.fixture(scope="module")
def tracked():
    """{hands on: Tracked, hands off: Tracked} for the photo."""
    from poseanim.tracking.mediapipe_tracker import MediaPipeTracker

    rgb = read_image(PHOTO)
    result = {}
    for hands in (True, False):
        with MediaPipeTracker(video=False, hands=hands) as tracker:
            result[hands] = tracker.track_picture(rgb)
    assert np.isfinite(result[True].pose.positions[HAND]).all()
    assert not np.isfinite(result[False].pose.positions[HAND]).any()
    return result


def hand_box(tracked) -> tuple[slice, slice]:
    """(rows, columns) of the picture around the tracked left hand's joints."""
    points = tracked[True].pose.positions[HAND]
    (left, top), (right, bottom) = points.min(axis=0) - 4, points.max(axis=0) + 4
    return slice(int(top), int(bottom)), slice(int(left), int(right))


def coloured(rgb: np.ndarray, colour: tuple[int, int, int], tolerance: int = 40) -> int:
    """How many pixels are within `tolerance` of `colour` in every channel."""
    return int((np.abs(rgb.astype(int) - colour).max(axis=2) <= tolerance).sum())


@pytest.mark.gui
@pytest.mark.slow
def test_the_camera_view_draws_the_fingers(qt_app, tracked):
    from poseanim.app.camera_view import CameraView
    from poseanim.app.capture import Capture, TrackedFrame
    from poseanim.app.qt_painter import image_rgb

    rgb = read_image(PHOTO)
    height, width = rgb.shape[:2]
    counts = {}
    for hands, found in tracked.items():
        view = CameraView()
        view.resize(width, height)  # one picture pixel per screen pixel
        view.show_frame(TrackedFrame(Capture(rgb, None, (width, height), 0.0, 0.0), found.pose,
                                     found.landmarks, found.face_mesh, 0.0))
        shown = image_rgb(view.grab().toImage())
        rows, columns = hand_box(tracked)
        counts[hands] = coloured(shown[rows, columns], (255, 170, 40))  # the finger bones' orange
    assert counts[True] > 200 and counts[True] > 10 * counts[False], counts


@pytest.mark.slow
def test_the_side_by_side_pane_draws_the_fingers(tracked, tmp_path, run_cli):
    import cv2

    from video_factory import write_video

    rgb = read_image(PHOTO)
    clip = write_video(tmp_path / "wave.mp4", [rgb] * 3)
    rows, columns = hand_box(tracked)
    counts = {}
    for option in ("--hands", "--no-hands"):
        folder = tmp_path / option
        code, _, err = run_cli("video", clip, "--side-by-side", "--frames", "png", "-o", folder,
                               "--height", str(rgb.shape[0]), option)
        assert code == 0, err
        pane = cv2.cvtColor(cv2.imread(str(folder / "frame_000003.png")), cv2.COLOR_BGR2RGB)
        pane = pane[:, :rgb.shape[1]]  # the video with its landmarks, on the left
        counts[option] = coloured(pane[rows, columns], (255, 140, 0))  # left-side bones
    assert counts["--hands"] > 200 and counts["--hands"] > 5 * counts["--no-hands"], counts
