"""`poseanim live --raster`: the live window animating avatars with TPSMM, offscreen, and the
avatarify-like commands (avatars by number and by dropping a photo, the overlay, the face
square's zoom, the reference search, the mirrored and padded output).

A TPSMM checkpoint with seeded random weights in the published blocks (narrow, so that steps
are quick; the loader reads the layout off its shapes, vox's size and face flag off its file
name) is loaded through the command line's own checks; a short video of the real astronaut
photo plays like a camera. One module-scoped run drives the window through the commands and
records what it saw; the tests read it. Needs torch; skipped without it.
"""

from __future__ import annotations

import threading
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl  # noqa: E402
from PySide6.QtGui import QDropEvent  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402

from conftest import PHOTO, run_until  # noqa: E402
from fomm_checkpoint import narrow_tpsmm  # noqa: E402
from video_factory import warped_frames, write_video  # noqa: E402

from poseanim.app.live_window import LiveWindow  # noqa: E402
from poseanim.app.raster_worker import AnimatedFrame, Framing  # noqa: E402
from poseanim.cli import build_parser  # noqa: E402
from poseanim.commands.live import _settings  # noqa: E402
from poseanim.fomm.face_crop import Square  # noqa: E402
from poseanim.render.images import write_image  # noqa: E402
from poseanim.app.qt_painter import image_rgb  # noqa: E402
from poseanim.tpsmm import random_checkpoint  # noqa: E402

pytestmark = [pytest.mark.gui, pytest.mark.fomm, pytest.mark.slow]

FRAME_TIMEOUT = 30.0
"""Seconds to wait for one animated picture on a busy machine."""

NARROW = narrow_tpsmm()


@pytest.fixture(scope="module")
def checkpoint_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("tpsmm") / "vox.pth.tar"
    torch.save(random_checkpoint(NARROW, seed=2), path)
    return path


@pytest.fixture(scope="module")
def avatars(photo_rgb, tmp_path_factory) -> Path:
    """A folder of two avatars: the astronaut and her mirror image."""
    folder = tmp_path_factory.mktemp("avatars")
    write_image(folder / "a-astronaut.png", photo_rgb)
    write_image(folder / "b-mirrored.png", np.ascontiguousarray(photo_rgb[:, ::-1]))
    return folder


@pytest.fixture(scope="module")
def clip(photo_rgb, tmp_path_factory) -> Path:
    return write_video(tmp_path_factory.mktemp("clip") / "clip.mp4", warped_frames(photo_rgb))


def next_frames(app, window: LiveWindow, seen: list, count: int = 1,
                condition=lambda frame: True) -> list[AnimatedFrame]:
    """Run the window until `count` more animated pictures meeting `condition` arrived."""
    start = len(seen)

    def arrived() -> list:
        return [frame for frame in seen[start:] if condition(frame)]

    assert run_until(app, lambda: len(arrived()) >= count, FRAME_TIMEOUT * count), \
        f"only {len(arrived())} of {count} animated pictures arrived"
    return arrived()[:count]


@pytest.fixture(scope="module")
def played(qt_app, checkpoint_path, avatars, clip, photo_rgb, tmp_path_factory):
    args = build_parser().parse_args([
        "live", "--raster", str(avatars), "--checkpoint", str(checkpoint_path),
        "--video", str(clip), "--loop", "--output-dir", str(tmp_path_factory.mktemp("out"))])
    window = LiveWindow(_settings(args))
    window.show()
    window.activateWindow()
    seen: list[AnimatedFrame] = []

    def observe() -> None:
        if window.animated is not None and (not seen or seen[-1] is not window.animated):
            seen.append(window.animated)

    window.animated_ready.connect(observe)
    result = SimpleNamespace(window=window)
    result.title = window.windowTitle()
    result.first, = next_frames(qt_app, window, seen)

    QTest.keyClick(window, Qt.Key.Key_2)
    result.title_2 = window.windowTitle()
    result.avatar_2, = next_frames(qt_app, window, seen, condition=lambda f: f.reference)
    QTest.keyClick(window, Qt.Key.Key_9)
    result.message_9 = window.status_bar.currentMessage()

    QTest.keyClick(window, Qt.Key.Key_0)  # the overlay
    qt_app.processEvents()
    result.overlay = window.camera_view.overlay
    result.with_overlay = image_rgb(window.camera_view.grab().toImage())
    QTest.keyClick(window, Qt.Key.Key_0)
    qt_app.processEvents()
    result.overlay_off = window.camera_view.overlay
    result.without_overlay = image_rgb(window.camera_view.grab().toImage())

    QTest.keyClick(window, Qt.Key.Key_Plus)
    result.zoom = window.fomm.framing.zoom
    result.zoomed, = next_frames(qt_app, window, seen, condition=lambda f: f.reference)

    QTest.keyClick(window, Qt.Key.Key_G)
    result.searching = window.fomm.searching
    result.searched = next_frames(qt_app, window, seen, 3)
    result.search_state = window.fomm.state
    QTest.keyClick(window, Qt.Key.Key_G)

    QTest.keyClick(window, Qt.Key.Key_M, Qt.KeyboardModifier.ShiftModifier)
    result.mirrored, = next_frames(qt_app, window, seen)
    qt_app.processEvents()
    result.mirrored_view = window.character_view.picture.copy()

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(PHOTO))])
    drop = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    window.dropEvent(drop)
    result.after_drop = (len(window.settings.fomm.avatars), window.fomm.avatar,
                         window.windowTitle())
    result.dropped, = next_frames(qt_app, window, seen, condition=lambda f: f.reference)
    window.close()
    return result


def test_avatars_from_a_folder_switch_with_number_keys(played):
    assert played.title.endswith("TPSMM: a-astronaut.png (1/2)")
    assert played.first.reference and played.first.rgb.shape == (256, 256, 3)
    assert played.title_2.endswith("b-mirrored.png (2/2)")
    # the new avatar starts from a new reference: its own photo's pose
    assert played.avatar_2.reference
    assert np.abs(played.avatar_2.rgb.astype(float) - played.first.rgb).mean() > 1
    assert played.message_9 == "no avatar 9: 2 loaded"


def test_a_dropped_photo_becomes_the_next_avatar(played):
    count, index, title = played.after_drop
    assert count == 3 and index == 2 and title.endswith("astronaut.jpg (3/3)")
    assert played.dropped.reference


def test_overlay_shows_the_avatar_over_the_face_square(played):
    image, rect = played.overlay
    assert image.width() == image.height() and rect.width() == pytest.approx(rect.height())
    assert played.overlay_off is None
    assert np.abs(played.with_overlay.astype(float) - played.without_overlay).mean() > 1


def test_zoom_narrows_the_face_square_and_resets_the_reference(played):
    assert played.zoom == pytest.approx(1.1)
    before, after = played.first.square, played.zoomed.square
    assert after.size == pytest.approx(before.size / 1.1, abs=8)


def test_reference_search_runs_on_the_worker(played):
    assert played.searching and played.search_state == "searching the reference"
    assert all(frame.rgb.shape == (256, 256, 3) for frame in played.searched)


def test_mirrored_output_flips_the_animated_picture_only(played):
    np.testing.assert_array_equal(played.mirrored_view, played.mirrored.rgb[:, ::-1])


def test_closing_stops_the_worker(played):
    assert not played.window.fomm.alive()
    assert [t.name for t in threading.enumerate() if t.name.startswith("poseanim-")] == []


def test_padded_output_keeps_the_camera_aspect():
    square = np.full((256, 256, 3), 200, np.uint8)
    square[:, :10] = 10  # a dark left edge, to see the mirror
    frame = AnimatedFrame(square, 0.0, 1.0, False)
    out = frame.padded(640, 480)
    assert out.shape == (480, 640, 3)
    assert (out[:, :80] == 0).all() and (out[:, -80:] == 0).all()
    assert out[240, 85, 0] < 50 and out[240, 320, 0] == 200
    mirrored = frame.padded(640, 480, mirror=True)
    assert mirrored[240, 554, 0] < 50 and mirrored[240, 85, 0] == 200


def test_framing_zooms_and_moves_inside_the_picture():
    square = Square(100, 50, 200)
    assert Framing(zoom=2.0).apply(square, 480, 640) == Square(150, 100, 100)
    assert Framing(dx=0.5).apply(square, 480, 640) == Square(200, 50, 200)
    # kept inside the picture
    assert Framing(dx=-5.0, zoom=0.5).apply(square, 480, 640) == Square(0, 0, 400)
