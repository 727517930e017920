"""The raster (FOMM) worker fails soft: a picture it cannot animate is said once, on the
banner, and the worker animates the next picture; the banner goes once one is animated.

Runs FOMM's real networks shrunk (`tiny_fomm`, seeded random weights, a body model so that no
face search is needed) on the real astronaut photo, on the worker's own thread.
"""

from __future__ import annotations

import time

import numpy as np
import pytest

pytest.importorskip("torch")

from conftest import PHOTO, run_until  # noqa: E402
from fomm_checkpoint import save_legacy, tiny_fomm, use_tiny_fomm  # noqa: E402

from poseanim.app.capture import Capture  # noqa: E402
from poseanim.app.message_banner import MessageBanner  # noqa: E402
from poseanim.fomm import random_checkpoint  # noqa: E402

pytestmark = [pytest.mark.fomm]

STEP_TIMEOUT = 60.0  # seconds for one tiny step on a busy machine (a wait, not a measure)


@pytest.fixture
def settings(tmp_path, monkeypatch):
    from poseanim.app.raster_worker import load_raster_settings

    use_tiny_fomm(monkeypatch)
    path = save_legacy(random_checkpoint(tiny_fomm("taichi-256", face=False), seed=0),
                       tmp_path / "taichi-cpk.pth.tar")
    return load_raster_settings(PHOTO, path, "fomm", "taichi-256")


def capture(rgb: np.ndarray) -> Capture:
    return Capture(rgb, None, (rgb.shape[1], rgb.shape[0]), 0.0, time.perf_counter())


PICTURE = (np.random.default_rng(0).random((80, 80, 3)) * 255).astype(np.uint8)
GREY = np.full((80, 80), 128, np.uint8)  # one channel: the model cannot take it


def test_a_picture_the_model_cannot_take_is_said_once_and_the_next_is_animated(qt_app, settings):
    from poseanim.app.raster_worker import RasterWorker

    frames: list = []
    errors: list[str] = []
    worker = RasterWorker(settings, on_frame=lambda: frames.append(1), on_error=errors.append)

    def animate() -> None:  # the worker takes pictures in turn: when this one is animated,
        count = len(frames)  # every picture taken before it has been tried
        worker.drive(capture(PICTURE), False)
        assert run_until(qt_app, lambda: len(frames) > count, STEP_TIMEOUT)

    try:
        animate()
        for _ in range(3):  # the same failure, picture after picture, is said once
            worker.drive(capture(GREY), False)
            assert run_until(qt_app, lambda: not worker.pending, STEP_TIMEOUT)
        animate()
        assert len(errors) == 1 and "\n" not in errors[0] and "(H, W, 3)" in errors[0]
        assert worker.alive() and worker.state == "animating"
        worker.drive(capture(GREY), False)  # after a success the failure is news again
        assert run_until(qt_app, lambda: len(errors) == 2, STEP_TIMEOUT)
        assert worker.state.startswith("the last picture could not be animated")
        animate()
    finally:
        worker.stop()


def test_the_banner_says_it_and_goes_when_the_next_picture_is_animated(qt_app, settings):
    from poseanim.app.live_fomm import FommMode

    banner = MessageBanner(open_video=lambda: None, retry_camera=lambda: None)
    shown: list = []
    mode = FommMode(settings, banner, shown.append)
    try:
        mode.drive(capture(GREY), False)
        assert run_until(qt_app, lambda: not banner.isHidden(), STEP_TIMEOUT)
        assert banner.text.text().startswith("A picture could not be animated: driving frame")
        mode.drive(capture(PICTURE), False)
        assert run_until(qt_app, lambda: bool(shown), STEP_TIMEOUT)
        assert banner.isHidden() and mode.worker.alive()
    finally:
        mode.stop()


def test_an_error_from_torch_or_opencv_becomes_one_line():
    from poseanim.app.raster_worker import one_line
    from poseanim.errors import PoseanimError

    error = RuntimeError("CUDA out of memory.\nTried to allocate 2.00 GiB\n  at line 3")
    assert one_line(error) == "RuntimeError: CUDA out of memory."
    assert one_line(MemoryError()) == "MemoryError"
    assert one_line(PoseanimError("no face found")) == "no face found"
