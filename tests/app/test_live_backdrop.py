"""A background video behind the live character, without a window: it covers the canvas,
advances frame by frame, loops, and a file that is no video says so once and stops."""

from __future__ import annotations

import numpy as np
import pytest
from video_factory import write_video

from poseanim.app.character_view import CharacterView
from poseanim.app.live_backdrop import BACKDROP_SIDE, BackdropVideo
from poseanim.app.message_banner import MessageBanner

pytestmark = pytest.mark.gui


def frames(count: int) -> list[np.ndarray]:
    """Frames that each show their number as their grey level."""
    return [np.full((48, 64, 3), 20 + 30 * index, np.uint8) for index in range(count)]


def test_the_video_plays_frame_by_frame_covering_the_canvas_and_loops(qt_app, tmp_path):
    video = write_video(tmp_path / "behind.mp4", frames(4), fps=30)
    view = CharacterView()
    backdrop = BackdropVideo(video, (0, 0, 600, 900), view, MessageBanner(lambda: None,
                                                                         lambda: None))
    try:
        assert backdrop.picture is not None and view.backdrop is not None  # at once
        assert backdrop.picture.shape == (BACKDROP_SIDE, round(BACKDROP_SIDE * 600 / 900), 3)
        levels = [float(backdrop.picture.mean())]
        for _ in range(7):
            backdrop.next_frame()
            levels.append(float(backdrop.picture.mean()))
        assert levels[:4] == sorted(levels[:4]) and levels[3] - levels[0] > 60  # advances
        assert levels[4] == pytest.approx(levels[0], abs=6)  # and starts again
    finally:
        backdrop.stop()


def test_a_file_that_is_no_video_is_said_on_the_banner_and_stops(qt_app, tmp_path):
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(b"not a video at all")
    banner = MessageBanner(lambda: None, lambda: None)
    backdrop = BackdropVideo(broken, (0, 0, 100, 100), CharacterView(), banner)
    assert backdrop.picture is None
    assert banner.text.text().startswith("The background video stopped: ")
    backdrop.next_frame()  # stopped: nothing more happens
    assert backdrop.picture is None
