"""The live window, offscreen, driven by real video of a real person through real MediaPipe.

One module-scoped run plays the generated video (person left, person right, empty room) once
while recording; several tests read what it saw. Other tests use a recorded track (no
tracking, so they are quick) or the command line.
"""

from __future__ import annotations

import importlib.util
import threading
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from live_video import (
    FACE_COVERED, FRAME_SIZE, GONE, MOVED, SEGMENTS, SHOWN, segment_at, warped, write_video,
)
from poseanim.app.capture import SourceSpec
from poseanim.app.live_window import LiveSettings, LiveWindow
from poseanim.errors import PoseanimError
from poseanim.illustration import load_illustration
from poseanim.rig.reader import read_rigged_svg
from poseanim.rig.tables import KEYPOINT_INDEX
from poseanim.tracking.track_file import PoseTrack, load_track, save_track
from conftest import run_until
from svg_factory import rigged_svg

pytestmark = pytest.mark.gui

STUCK_SECONDS = 180.0
"""How long a wait may take before the test calls the pipeline stuck: a bound, not a speed
(every wait returns as soon as its condition holds; a loaded machine tracks a file's frames
slower than real time, and every_frame waits for each)."""
FOLLOWED = ["leftShoulder", "rightShoulder", "nose4"]
ROWS = [KEYPOINT_INDEX[name] for name in FOLLOWED]
TOLERANCE = np.array([30.0, 30.0, 6.0])
"""Pixels (frame 480 high): MediaPipe's video mode places a spacesuit's shoulders a little
differently from its photo mode; the face mesh's nose tip is sharp."""


def open_window(app: QApplication, spec: SourceSpec, output_dir: Path, **settings) -> LiveWindow:
    window = LiveWindow(LiveSettings(spec, load_illustration("ada"), output_dir=output_dir,
                                     **settings))
    window.show()
    app.processEvents()
    return window


@pytest.fixture(scope="module")
def live_video(photo_rgb, tmp_path_factory) -> Path:
    return write_video(tmp_path_factory.mktemp("video") / "moving.mp4", photo_rgb)


@pytest.fixture(scope="module")
def played(qt_app, live_video, tmp_path_factory):
    """Play the whole video once in a window, recording from the first frame on."""
    output = tmp_path_factory.mktemp("recordings")
    window = open_window(qt_app, SourceSpec("video", path=live_video, every_frame=True), output)
    seen = []

    def observe() -> None:
        tracked = window.tracked
        if tracked is not None and (not seen or seen[-1].tracked is not tracked):
            seen.append(SimpleNamespace(tracked=tracked, time=tracked.capture.time,
                                        joints=window.frame.joints.copy(),
                                        state=window.streamed.state))

    window.frame_ready.connect(observe)
    assert run_until(qt_app, lambda: window.frames_shown > 0, STUCK_SECONDS), "no frame arrived"
    window.toggle_recording()
    assert run_until(qt_app, lambda: seen and seen[-1].state == "rest", STUCK_SECONDS), \
        f"the stream never came to rest: {[o.state for o in seen[-5:]]}"
    qt_app.processEvents()
    status = {name: label.text() for name, label in window.status_fields.items()}
    window.toggle_recording()
    stats = window.stats
    result = SimpleNamespace(window=window, seen=seen, status=status, output=output,
                             written=list(window.last_written), frames_shown=window.frames_shown,
                             latency=stats.mean(stats.latency_ms),
                             tracking=stats.mean(stats.tracking_ms))
    window.close()
    return result


# The tests of `played` (the whole video tracked in a window: ~10 s of CPU) run in the full suite.
@pytest.mark.slow
def test_frames_arrive_and_the_status_bar_shows_timings(played):
    assert played.frames_shown > 0 and played.seen, "frames reach the screen"
    assert played.seen[0].time < 0.2, "the file waits for the tracker instead of skipping"
    assert played.tracking > 0 and played.latency > 0, "timings are measured (their size is for benchmarks/)"
    assert "fps" in played.status["capture"] and "ms" in played.status["tracking"]
    assert "ms" in played.status["render"] and "latency" in played.status["latency"]
    assert played.seen[0].tracked.capture.image_size == FRAME_SIZE


@pytest.fixture(scope="module")
def placed_poses(photo_rgb):
    """What MediaPipe finds, photo by photo, in each placement's frame (the ground truth the
    live pipeline should reproduce: same pixels, tracked without smoothing)."""
    import cv2

    from poseanim.tracking.mediapipe_tracker import MediaPipeTracker

    with MediaPipeTracker(video=False) as tracker:
        return {index: tracker.track(cv2.warpAffine(photo_rgb, SEGMENTS[index].warp, FRAME_SIZE))
                for index in (SHOWN, MOVED)}


def settled(played, segment: int) -> list[np.ndarray]:
    """The character's joints in the frames after the smoothing settled in `segment`."""
    return [o.joints for o in played.seen
            if segment_at(o.time)[0] == segment and segment_at(o.time)[1] > 1.0]


def eye_angle(joints: np.ndarray) -> float:
    """Direction of the line between the eyes, in degrees."""
    left, right = joints[KEYPOINT_INDEX["leftEye0"]], joints[KEYPOINT_INDEX["rightEye0"]]
    return float(np.degrees(np.arctan2(*(left - right)[::-1])))


@pytest.mark.slow
def test_the_character_follows_the_person(played, placed_poses, tracked_pose):
    """Joints of the character sit where the person is, and move as the known warp moved them."""
    for segment, pose in placed_poses.items():
        frames = settled(played, segment)
        assert frames, f"no settled frame seen in segment {segment}"
        for joints in frames:
            error = np.linalg.norm(joints[ROWS] - pose.positions[ROWS], axis=1)
            assert (error < TOLERANCE).all(), f"{segment}: {dict(zip(FOLLOWED, error.round(1)))}"
    first, second = settled(played, SHOWN)[-1], settled(played, MOVED)[-1]
    nose = KEYPOINT_INDEX["nose4"]
    expected_move = (warped(tracked_pose.positions[[nose]], SEGMENTS[MOVED].warp)
                     - warped(tracked_pose.positions[[nose]], SEGMENTS[SHOWN].warp))[0]
    assert np.linalg.norm((second[nose] - first[nose]) - expected_move) < 10
    # cv2's positive angle turns the picture anticlockwise on screen: y down, so −6°
    assert eye_angle(second) - eye_angle(first) == pytest.approx(-6.0, abs=2.0)


@pytest.mark.slow
def test_when_the_face_is_lost_it_follows_the_ears(played):
    """Face covered, body seen: the character's face stays where the face was, built from the
    ears with the jaw-to-ear relation learnt while the face was seen (docs/format.md)."""
    covered = [o for o in played.seen
               if segment_at(o.time)[0] == FACE_COVERED and not o.tracked.pose.has_face]
    # how many of those frames reach the window depends on how busy the machine is (the window
    # shows the newest tracked frame), so one is enough to show the rule
    assert covered, "Face Mesh should lose the covered face while Pose keeps her"
    face_seen = settled(played, SHOWN)[-1]
    face = [KEYPOINT_INDEX[name] for name in ("nose4", "leftEye0", "rightEye0", "leftJaw2")]
    for observation in covered:
        assert np.isfinite(observation.joints[face]).all()
        error = np.linalg.norm(observation.joints[face] - face_seen[face], axis=1)
        assert error.max() < 25, dict(zip(("nose", "leftEye", "rightEye", "leftJaw"), error))


@pytest.mark.slow
def test_when_the_person_leaves_the_pose_is_held_then_eases_to_rest(played):
    states = [o.state for o in played.seen if segment_at(o.time)[0] == GONE]
    order = [s for i, s in enumerate(states) if i == 0 or states[i - 1] != s]
    assert order == ["holding", "easing", "rest"], order
    held = [o.joints for o in played.seen if o.state == "holding"]
    assert np.allclose(held[0], held[-1]), "a held pose does not move"


@pytest.mark.slow
def test_recording_writes_an_mp4_and_a_pose_track(played):
    import cv2

    video, track_path = played.written
    assert video.suffix == ".mp4" and track_path.suffix == ".json"
    capture = cv2.VideoCapture(str(video))
    frames = int(capture.get(cv2.CAP_PROP_FRAME_COUNT))
    size = (int(capture.get(cv2.CAP_PROP_FRAME_WIDTH)), int(capture.get(cv2.CAP_PROP_FRAME_HEIGHT)))
    ok, first = capture.read()
    capture.release()
    track = load_track(track_path)
    duration = track.times[-1]
    assert ok and size == FRAME_SIZE and first.std() > 5, "a real picture of the character"
    assert abs(frames - duration * 30) <= 3, "the video lasts as long as the performance"
    assert track.image_size == FRAME_SIZE and track.found_count() > 0.8 * len(track.frames)
    assert {p.name for p in played.output.iterdir()} == {video.name, track_path.name}, \
        "no temporary file is left behind"


@pytest.mark.slow
def test_closing_stops_every_thread(played):
    """Closing returns only once every thread has ended (how fast is a benchmark's business)."""
    names = [t.name for t in threading.enumerate() if t.name.startswith("poseanim-")]
    assert names == []


@pytest.fixture
def track_file(tracked_pose, tmp_path) -> Path:
    """Two seconds of the astronaut's pose, slowly drifting: a source that needs no tracker."""
    poses = [tracked_pose.transformed(1.0, (i * 0.5, 0.0), tracked_pose.image_size)
             for i in range(60)]
    track = PoseTrack(tracked_pose.image_size, 30.0, poses, [i / 30 for i in range(60)], "test")
    return save_track(track, tmp_path / "drift.json")


def drop_file(window: LiveWindow, path: Path) -> None:
    """Drag `path` over the window and drop it, as a file manager would."""
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(path))])
    enter = QDragEnterEvent(QPoint(200, 200), Qt.DropAction.CopyAction, data,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted(), "the window takes SVG files"
    drop = QDropEvent(QPointF(200, 200), Qt.DropAction.CopyAction, data,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, drop)


def test_switching_illustrations_keeps_the_pose(qt_app, track_file, tmp_path):
    window = open_window(qt_app, SourceSpec("track", path=track_file, loop=True), tmp_path)
    try:
        assert run_until(qt_app, lambda: window.frames_shown > 3, STUCK_SECONDS)
        names = [window.illustration_list.item(i).text()
                 for i in range(window.illustration_list.count())]
        other = next(name for name in names if name != "ada")
        item = window.illustration_list.findItems(other, Qt.MatchFlag.MatchExactly)[0]
        window.illustration_list.itemClicked.emit(item)
        assert window.illustration.name == other and window.frame.illustration.name == other
        shown = window.frames_shown
        assert run_until(qt_app, lambda: window.frames_shown > shown + 3, STUCK_SECONDS)
        assert window.frame.illustration.name == other, "new frames pose the new character"
        ada_nose = window.tracked.pose.position("nose4")  # the track is not mirrored
        assert np.linalg.norm(window.frame.joints[KEYPOINT_INDEX["nose4"]] - ada_nose) < 30
    finally:
        window.close()


def test_dropping_a_broken_svg_shows_why_and_keeps_the_character(qt_app, track_file, tmp_path):
    unrigged = tmp_path / "unrigged.svg"
    unrigged.write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
                        '<circle cx="5" cy="5" r="4"/></svg>')
    with pytest.raises(PoseanimError) as checker:
        read_rigged_svg(unrigged)
    good = tmp_path / "blocky.svg"
    good.write_text(rigged_svg())
    window = open_window(qt_app, SourceSpec("track", path=track_file, loop=True), tmp_path)
    try:
        drop_file(window, unrigged)
        assert window.illustration.name == "ada"
        assert window.banner.isVisible() and str(checker.value) in window.banner_text.text()
        drop_file(window, good)
        assert window.illustration.name == "blocky" and not window.banner.isVisible()
        assert window.illustration_list.currentItem().text() == "blocky"
    finally:
        window.close()


def test_shortcuts_fullscreen_help_screenshot_and_missing_virtual_camera(qt_app, track_file, tmp_path):
    window = open_window(qt_app, SourceSpec("track", path=track_file, loop=True), tmp_path,
                         virtual_camera=True)
    try:
        window.activateWindow()
        assert run_until(qt_app, lambda: window.frames_shown > 3, STUCK_SECONDS)
        # no virtual camera here: the message says what is missing and how to get it (the
        # package where it is not installed, else the v4l2loopback device), and frames go on
        missing = ("v4l2loopback" if importlib.util.find_spec("pyvirtualcam")
                   else "pip install 'poseanim[virtualcam]'")
        assert missing in window.banner_text.text() and window.banner.isVisible()
        shown = window.frames_shown
        assert run_until(qt_app, lambda: window.frames_shown > shown + 3, STUCK_SECONDS)
        QTest.keyClick(window, Qt.Key.Key_F1)
        assert window.help.isVisible()
        QTest.keyClick(window, Qt.Key.Key_Escape)
        assert not window.help.isVisible()
        QTest.keyClick(window, Qt.Key.Key_F)
        assert window.isFullScreen() and not window.camera_view.isVisible()
        assert window.character_view.isVisible()
        QTest.keyClick(window, Qt.Key.Key_Escape)
        assert not window.isFullScreen() and window.camera_view.isVisible()
        QTest.keyClick(window, Qt.Key.Key_B)
        QTest.keyClick(window, Qt.Key.Key_T)
        assert window.character_view.overlays.bones and window.character_view.background is None
        QTest.keyClick(window, Qt.Key.Key_BracketRight)
        assert window.smoothing_slider.value() == 60
        assert window.stream.filter.smoothing == pytest.approx(0.6)
        svg, png = window.screenshot()
        assert svg.read_text().startswith("<?xml") and png.read_bytes()[:4] == b"\x89PNG"
    finally:
        window.close()


def test_a_missing_camera_is_explained_and_a_video_can_be_opened(qt_app, live_video, tmp_path):
    window = open_window(qt_app, SourceSpec("camera", camera=99), tmp_path)
    try:
        assert run_until(qt_app, lambda: window.source_error is not None, STUCK_SECONDS)
        assert "camera 99 could not be opened" in window.banner_text.text()
        assert window.banner_video.isVisible() and window.banner_retry.isVisible()
        window.open_video(live_video)
        assert window.source_error is None and not window.banner.isVisible()
        assert run_until(qt_app, lambda: window.frames_shown > 0, STUCK_SECONDS)
    finally:
        window.close()


def test_a_video_that_breaks_mid_run_shows_the_banner_and_another_source_recovers(
        qt_app, photo_rgb, live_video, tmp_path):
    """A file cut short after its first frames (as a copy interrupted mid-way): frames
    flow, then the banner says why they stopped, and opening another video brings them back."""
    import cv2

    broken = tmp_path / "cut.avi"
    writer = cv2.VideoWriter(str(broken), cv2.VideoWriter_fourcc(*"MJPG"), 30, (320, 320))
    frame = cv2.cvtColor(cv2.resize(photo_rgb, (320, 320)), cv2.COLOR_RGB2BGR)
    for _ in range(90):
        writer.write(frame)
    writer.release()
    data = broken.read_bytes()
    broken.write_bytes(data[: len(data) // 3])
    window = open_window(qt_app, SourceSpec("video", path=broken), tmp_path)
    try:
        assert run_until(qt_app, lambda: window.source_error is not None, STUCK_SECONDS), \
            window.status_bar.currentMessage()
        assert window.frames_shown > 0  # it played before it broke
        assert window.banner.isVisible() and window.banner_text.text()
        window.open_video(live_video)
        assert window.source_error is None and not window.banner.isVisible()
        shown = window.frames_shown
        assert run_until(qt_app, lambda: window.frames_shown > shown, STUCK_SECONDS)
    finally:
        window.close()


def test_a_background_video_plays_behind_the_character_and_reaches_the_screenshot(
        qt_app, track_file, live_video, tmp_path):
    from poseanim.render.background import cover_crop
    from poseanim.sources import read_image

    window = open_window(qt_app, SourceSpec("track", path=track_file, loop=True), tmp_path,
                         backdrop_video=live_video)
    try:
        assert window.backdrop is not None, "the first frame shows at once"
        first = window.backdrop.copy()
        assert run_until(qt_app, lambda: not np.array_equal(window.backdrop, first), STUCK_SECONDS), \
            "the background video plays"
        assert run_until(qt_app, lambda: window.frames_shown > 3, STUCK_SECONDS)
        shown = window.backdrop.copy()
        png = next(path for path in window.screenshot() if path.suffix == ".png")
        picture = read_image(png)
        canvas = window.frame.canvas
        expected = cover_crop(shown, canvas[2] / canvas[3])
        # the corners hold no character: there the screenshot is the video's picture
        corners = [(0, 0), (0, -1), (-1, 0), (-1, -1)]
        for row, column in corners:
            gap = np.abs(picture[row, column, :3].astype(int) - expected[row, column].astype(int))
            assert gap.max() < 48, f"corner {row, column}: {picture[row, column]} vs " \
                f"{expected[row, column]}"
    finally:
        window.close()


def _still_video(path: Path, photo_rgb: np.ndarray, frames: int) -> Path:
    """A real MJPEG AVI of `frames` frames (30 fps) of the photo."""
    import cv2

    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 30, (320, 320))
    frame = cv2.cvtColor(cv2.resize(photo_rgb, (320, 320)), cv2.COLOR_RGB2BGR)
    for _ in range(frames):
        writer.write(frame)
    writer.release()
    return path


@pytest.mark.slow
def test_a_video_that_ends_says_so_on_the_banner_and_plays_again(qt_app, photo_rgb, tmp_path):
    short = _still_video(tmp_path / "short.avi", photo_rgb, 15)
    window = open_window(qt_app, SourceSpec("video", path=short), tmp_path)
    try:
        assert run_until(qt_app, lambda: window.banner.isVisible(), STUCK_SECONDS), \
            window.status_bar.currentMessage()
        assert "short.avi has ended" in window.banner_text.text()
        assert window.banner_retry.isVisible() and window.banner_retry.text() == "Play it again"
        shown = window.frames_shown
        assert shown > 0
        window.banner_retry.click()
        assert not window.banner.isVisible()
        assert run_until(qt_app, lambda: window.frames_shown > shown, STUCK_SECONDS)
    finally:
        window.close()


class _Stalling:
    """A real video source that stops delivering after `after` frames until `release` is set
    (a camera unplugged, a stream that froze): the pipeline's own source, held up."""

    def __init__(self, source, after: int, release: threading.Event) -> None:
        self._source, self._after, self._release = source, after, release
        self.image_size, self.fps = source.image_size, source.fps
        self.frame_count = source.frame_count
        self.stalled = threading.Event()

    def frames(self):
        for frame in self._source.frames():
            if frame.index == self._after:
                self.stalled.set()
                self._release.wait(STUCK_SECONDS)
            yield frame

    def close(self) -> None:
        self._source.close()


@pytest.mark.slow
def test_a_source_that_stops_delivering_shows_the_banner_until_pictures_come_again(
        qt_app, photo_rgb, tmp_path, monkeypatch):
    import poseanim.app.capture as capture

    video = _still_video(tmp_path / "freezes.avi", photo_rgb, 60)
    release = threading.Event()
    opened: list[_Stalling] = []
    real_open = capture.open_frame_source

    def open_stalling(spec):
        opened.append(_Stalling(real_open(spec), 10, release))
        return opened[-1]

    monkeypatch.setattr(capture, "open_frame_source", open_stalling)
    window = open_window(qt_app, SourceSpec("video", path=video, loop=True), tmp_path)
    try:
        assert run_until(qt_app, lambda: window.source_stalled, STUCK_SECONDS + 10)
        assert opened[0].stalled.is_set() and window.frames_shown > 0
        assert window.banner.isVisible()
        text = window.banner_text.text()
        assert text.startswith("No picture from ") and "freezes.avi for " in text
        assert window.banner_video.isVisible()
        shown = window.frames_shown
        release.set()  # the source delivers again
        assert run_until(qt_app, lambda: window.frames_shown > shown, STUCK_SECONDS)
        assert not window.source_stalled and not window.banner.isVisible()
    finally:
        release.set()
        window.close()
