"""`poseanim live --fomm`: the live window animating a photo with FOMM, offscreen.

A checkpoint with seeded random weights (the published ones cannot be downloaded here) is
loaded through the command line's own checks; a short video of the real astronaut photo,
turning and moving, plays like a camera. One module-scoped run watches the animated photo
arrive, records it, resets the reference pose and closes; the tests read what it saw.
Needs torch (the `fomm` extra); skipped without it.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

pytest.importorskip("torch")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402

from conftest import PHOTO, run_until  # noqa: E402
from fomm_checkpoint import hide_torch, save_legacy  # noqa: E402
from video_factory import warped_frames, write_video  # noqa: E402

from poseanim.app.live_window import LiveWindow  # noqa: E402
from poseanim.cli import build_parser  # noqa: E402
from poseanim.commands.live import _settings  # noqa: E402
from poseanim.fomm import random_checkpoint  # noqa: E402
from poseanim.render.images import write_image  # noqa: E402
from poseanim.app.qt_painter import image_rgb  # noqa: E402

pytestmark = [pytest.mark.gui, pytest.mark.fomm, pytest.mark.slow]

FRAME_TIMEOUT = 20.0
FOMM_STATUS = re.compile(r"FOMM\s+([\d.]+) fps,\s+(\d+) ms/frame")
"""Seconds to wait for one animated picture: a step takes about 0.6 s on two idle cores,
several times that on a busy machine."""


@pytest.fixture(scope="module")
def checkpoint_path(tmp_path_factory) -> Path:
    return save_legacy(random_checkpoint("vox-256", seed=0),
                       tmp_path_factory.mktemp("fomm") / "vox-cpk.pth.tar")


@pytest.fixture(scope="module")
def clip(photo_rgb, tmp_path_factory) -> Path:
    """2.4 s of the astronaut turning and moving right, 384×384 at 10 fps."""
    return write_video(tmp_path_factory.mktemp("clip") / "clip.mp4", warped_frames(photo_rgb))


def animated_frames(app, window: LiveWindow, count: int, seen: list) -> list:
    """Run the window until `count` more animated pictures reached it; returns them."""
    start = len(seen)
    assert run_until(app, lambda: len(seen) >= start + count, FRAME_TIMEOUT * count), \
        f"only {len(seen) - start} of {count} animated pictures arrived"
    return seen[start:start + count]


@pytest.fixture(scope="module")
def played(qt_app, checkpoint_path, clip, tmp_path_factory):
    """Open the window as `poseanim live --fomm` does, record, reset the reference, close."""
    output = tmp_path_factory.mktemp("recordings")
    args = build_parser().parse_args([
        "live", "--fomm", str(PHOTO), "--checkpoint", str(checkpoint_path),
        "--video", str(clip), "--loop", "--output-dir", str(output)])
    window = LiveWindow(_settings(args))
    window.show()
    window.activateWindow()
    seen = []

    def observe() -> None:  # runs after the window's own slot has taken the picture
        if window.animated is not None and (not seen or seen[-1] is not window.animated):
            seen.append(window.animated)

    window.animated_ready.connect(observe)
    result = SimpleNamespace(window=window, output=output)
    result.first, = animated_frames(qt_app, window, 1, seen)
    qt_app.processEvents()
    view = window.character_view
    result.view_picture = view.picture
    result.view_rect = view.picture_rect()
    result.painted = image_rgb(view.grab().toImage())
    window.toggle_recording()
    result.recorded = animated_frames(qt_app, window, 3, seen)
    window.toggle_recording()
    result.written = list(window.last_written)
    fomm_field = window.status_fields["fomm"]
    assert run_until(qt_app, lambda: FOMM_STATUS.fullmatch(fomm_field.text()), FRAME_TIMEOUT), \
        f"the status bar never showed FOMM timings: {fomm_field.text()!r}"
    result.status = {name: label.text() for name, label in window.status_fields.items()}
    result.screenshot = window.screenshot()
    QTest.keyClick(window, Qt.Key.Key_Space)
    pressed = len(seen)
    assert run_until(qt_app, lambda: any(frame.reference for frame in seen[pressed:]),
                     3 * FRAME_TIMEOUT), "no new reference after Space"
    result.after_reset = next(frame for frame in seen[pressed:] if frame.reference)
    result.before_reset = seen[1:pressed]
    window.close()  # while the next picture is already being animated
    return result


def test_animated_photo_arrives_in_the_view(played):
    assert played.first.reference, "the first picture is the reference pose"
    assert played.view_picture.shape == (256, 256, 3)
    rect = played.view_rect
    assert rect.width() == pytest.approx(rect.height()) and rect.width() > 256, \
        "shown larger, aspect kept"
    left, top = int(rect.x()) + 2, int(rect.y()) + 2
    side = int(rect.width()) - 4
    shown = played.painted[top:top + side, left:left + side].astype(float)
    assert shown.std() > 10, "a picture, not a blank"
    assert np.abs(shown - (48, 50, 56)).mean() > 20, "not the view's own background"


def test_status_bar_shows_fomm_fps_and_time_per_frame(played):
    fomm = FOMM_STATUS.fullmatch(played.status["fomm"])
    assert fomm, played.status["fomm"]
    assert float(fomm[1]) > 0 and int(fomm[2]) > 0
    assert "tracking" not in played.status, "FOMM mode does not track"
    assert played.status["state"] == "animating"


def test_character_controls_are_disabled(played):
    window = played.window
    for label in ("Bones", "Weights", "Landmarks", "Next", "Open SVG…", "More smoothing"):
        assert not window.action(label).isEnabled(), label
    assert window.illustration_list.isHidden() and window.smoothing_slider.isHidden()
    assert window.action("Reset reference").isEnabled() and window.action("Record").isEnabled()


def test_reset_reference_shows_the_photo_as_it_is_again(played):
    """A reference picture moves no keypoint, whatever the head does in it: after Space the
    animated photo is the first (reference) one again, while the head's motion since the first
    picture moved it before (the looping clip may come back to the first pose, hence max)."""
    first = played.first.rgb.astype(float)
    assert np.abs(played.after_reset.rgb - first).mean() < 0.5
    moved = [np.abs(frame.rgb - first).mean() for frame in played.before_reset]
    assert max(moved) > 2, moved


def test_recording_writes_the_animated_photo_as_mp4(played):
    import cv2

    video, = played.written
    assert video.suffix == ".mp4", "a photo has no pose track to write"
    capture = cv2.VideoCapture(str(video))
    count = int(capture.get(cv2.CAP_PROP_FRAME_COUNT))
    frames = []
    while (frame := capture.read()[1]) is not None:
        frames.append(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB))
    capture.release()
    assert frames[0].shape == (256, 256, 3) and count >= 1 and len(frames) == count
    last = played.recorded[-1].rgb.astype(float)
    assert np.abs(frames[-1] - last).mean() < 6, "the animated pictures, up to compression"
    png, = played.screenshot
    assert cv2.imread(str(png)).shape == (256, 256, 3)
    assert {p.name for p in played.output.iterdir()} == {video.name, png.name}


def test_closing_stops_the_worker(played):
    """Closing returns only once every thread has ended (how fast is a benchmark's business)."""
    assert not played.window.fomm.alive()
    assert [t.name for t in threading.enumerate() if t.name.startswith("poseanim-")] == []


@pytest.fixture(scope="module")
def bad_inputs(photo_rgb, checkpoint_path, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bad")
    corrupt = folder / "corrupt.pth.tar"
    corrupt.write_bytes(np.random.default_rng(0).bytes(4096))
    # the shuttle and flag corner of the same photo: real pixels, no face
    faceless = write_image(folder / "shuttle.png", np.ascontiguousarray(photo_rgb[:256, 256:]))
    return {"photo": PHOTO, "checkpoint": checkpoint_path, "corrupt": corrupt,
            "faceless": faceless, "missing": folder / "missing.pth.tar"}


@pytest.mark.parametrize("arguments, message", [
    (["--fomm", "{photo}"], "--raster needs --checkpoint"),
    (["--fomm", "{photo}", "--checkpoint", "{missing}"], "checkpoint not found"),
    (["--fomm", "{photo}", "--checkpoint", "{corrupt}"], "is not a PyTorch checkpoint"),
    (["--fomm", "{faceless}", "--checkpoint", "{checkpoint}"],
     "no face found in the photo"),
    (["--fomm", "{photo}", "--checkpoint", "{checkpoint}", "--track", "take.json"],
     "--track replays poses"),
    (["--checkpoint", "{checkpoint}"], "--checkpoint, --model, --config and --mode go with"),
])
def test_command_line_errors_are_one_line_before_any_window(run_cli, bad_inputs, arguments,
                                                            message):
    # had the checks passed, the window's event loop would run and the test would not return
    code, _, error = run_cli("live", *[a.format(**bad_inputs) for a in arguments])
    assert code == 1 and error.startswith("poseanim: error: ") and message in error
    assert len(error.strip().splitlines()) == 1


def test_without_torch_the_install_hint_is_given(run_cli, monkeypatch):
    hide_torch(monkeypatch)
    code, _, error = run_cli("live", "--fomm", PHOTO, "--checkpoint", "vox-cpk.pth.tar")
    assert code == 1 and error.strip() == ('poseanim: error: the raster mode needs PyTorch; '
                                           'install the extra with: pip install "poseanim[fomm]"')


def test_in_raster_mode_a_source_that_stalls_ends_or_breaks_shows_the_banner_and_recovers(
        qt_app, checkpoint_path, clip, photo_rgb, tmp_path, monkeypatch):
    """The source's troubles reach the banner in raster mode as they do for a character, and
    the worker animates again once pictures come: a stall released, a clip that ended played
    again, a clip cut short replaced by another."""
    import cv2

    import poseanim.app.capture as capture

    release = threading.Event()
    real_open = capture.open_frame_source

    class Stalling:  # the real clip, held up after its fifth frame until released
        def __init__(self, source) -> None:
            self._source = source
            self.image_size, self.fps, self.frame_count = source.image_size, source.fps, 0

        def frames(self):
            for frame in self._source.frames():
                if frame.index == 5:
                    release.wait(FRAME_TIMEOUT * 20)
                yield frame

        def close(self) -> None:
            self._source.close()

    monkeypatch.setattr(capture, "open_frame_source",
                        lambda spec: Stalling(real_open(spec)) if spec.path == clip else real_open(spec))
    args = build_parser().parse_args([
        "live", "--fomm", str(PHOTO), "--checkpoint", str(checkpoint_path),
        "--video", str(clip), "--output-dir", str(tmp_path)])
    window = LiveWindow(_settings(args))
    window.show()
    seen: list = []
    window.animated_ready.connect(lambda: seen.append(window.animated))
    try:
        assert run_until(qt_app, lambda: window.source_stalled, FRAME_TIMEOUT * 20)
        assert window.banner.isVisible() and window.banner_text.text().startswith("No picture from")
        count = len(seen)
        release.set()
        assert run_until(qt_app, lambda: len(seen) > count, FRAME_TIMEOUT * 5)
        assert not window.banner.isVisible() or "ended" in window.banner_text.text()
        assert run_until(qt_app, lambda: "has ended" in window.banner_text.text()
                         and window.banner.isVisible(), FRAME_TIMEOUT * 20)
        count = len(seen)
        window.banner_retry.click()  # "Play it again"
        assert run_until(qt_app, lambda: len(seen) > count, FRAME_TIMEOUT * 5)

        cut = tmp_path / "cut.avi"
        writer = cv2.VideoWriter(str(cut), cv2.VideoWriter_fourcc(*"MJPG"), 10, (384, 384))
        for _ in range(60):
            writer.write(cv2.cvtColor(cv2.resize(photo_rgb, (384, 384)), cv2.COLOR_RGB2BGR))
        writer.release()
        cut.write_bytes(cut.read_bytes()[: cut.stat().st_size // 3])
        window.open_video(cut)
        assert run_until(qt_app, lambda: window.source_error is not None, FRAME_TIMEOUT * 20)
        assert window.banner.isVisible() and "cut.avi" in window.banner_text.text()
        count = len(seen)
        window.open_video(clip)
        assert window.source_error is None and not window.banner.isVisible()
        assert run_until(qt_app, lambda: len(seen) > count, FRAME_TIMEOUT * 5)
        assert window.fomm.alive()
    finally:
        release.set()
        window.close()
