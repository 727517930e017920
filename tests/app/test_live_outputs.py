"""The live window's outputs (`app.live_outputs`), without a window: a recording started and
stopped by hand, screenshots of a character or of a picture, a virtual camera that cannot
start; what the user is told goes to the banner, the status bar and the terminal."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import DATA

from poseanim.app.live_outputs import LiveOutputs
from poseanim.render.png import png_to_rgba
from poseanim.tracking.track_file import load_track


class Told:
    """The banner and the status bar: what each was asked to show."""

    def __init__(self) -> None:
        self.banner: list[str] = []
        self.saved: list[list[Path]] = []
        self.status: list[str] = []
        self.clock: list[float | None] = []

    def show_message(self, text: str) -> None:
        self.banner.append(text)

    def showMessage(self, text: str, timeout: int = 0) -> None:  # noqa: N802 (Qt's name)
        self.status.append(text)

    def show_saved(self, written: list[Path]) -> None:
        self.saved.append(written)


def outputs_in(folder: Path, told: Told, virtual_camera: bool = False) -> LiveOutputs:
    return LiveOutputs(folder, virtual_camera, told, told, told.clock.append)


def picture(width: int, height: int) -> np.ndarray:
    return np.full((height, width, 3), 120, np.uint8)


def test_a_recording_runs_from_one_toggle_to_the_next_and_says_where_it_went(tmp_path, capsys):
    told = Told()
    outputs = outputs_in(tmp_path, told)
    pose = load_track(DATA / "astronaut_pose.json").frames[0]
    assert outputs.toggle_recording((64, 48), "camera 0", track=True) is True
    assert outputs.recording and told.clock == [0.0]
    for at in (10.0, 10.2, 10.4):
        outputs.send(at, picture, None, pose, (64, 48))
    outputs.show_recording_time()
    assert told.clock[-1] == pytest.approx(13 / 30)  # 30 fps, frames up to 0.4 s
    assert outputs.toggle_recording((64, 48), "camera 0", track=True) is False
    assert told.clock[-1] is None and told.banner == []
    (written,) = told.saved
    assert [p.suffix for p in written] == [".mp4", ".json"] == [p.suffix for p in
                                                                outputs.last_written]
    assert all(p.parent == tmp_path and p.name.startswith("poseanim-recording-") for p in written)
    assert len(load_track(written[1]).frames) == 3
    assert capsys.readouterr().err.splitlines() == [f"poseanim: saved {p.resolve()}"
                                                    for p in written]


def test_a_recording_that_cannot_start_is_said_on_the_banner(tmp_path):
    told = Told()
    outputs = outputs_in(tmp_path / "gone", told)
    assert outputs.toggle_recording((64, 48), "camera 0", track=True) is False
    assert not outputs.recording and told.clock == []
    (message,) = told.banner
    gone = re.escape(str(tmp_path / "gone"))
    assert re.fullmatch(f"Cannot record: cannot write {gone}/poseanim-recording-"
                        rf"\d{{8}}-\d{{6}}\.mp4: folder {gone} does not exist", message)


def test_closing_saves_a_running_recording(tmp_path):
    told = Told()
    outputs = outputs_in(tmp_path, told)
    outputs.toggle_recording((64, 48), "photo.jpg", track=False)
    outputs.send(0.0, picture, None, None, (64, 48))
    outputs.close()
    assert [p.suffix for p in told.saved[0]] == [".mp4"] and not outputs.recording


def test_a_screenshot_is_the_character_as_svg_and_png_or_a_picture_as_png(tmp_path, posed_ada):
    told = Told()
    outputs = outputs_in(tmp_path, told)
    svg, png = outputs.screenshot(posed_ada, None, "#204060", None)
    assert (svg.suffix, png.suffix) == (".svg", ".png") and svg.stem == png.stem
    assert svg.name.startswith("poseanim-screenshot-") and b"<svg" in svg.read_bytes()
    assert tuple(png_to_rgba(png.read_bytes())[0, 0, :3]) == (32, 64, 96)  # the background
    (shot,) = outputs.screenshot(None, picture(40, 30), None, None)  # FOMM: the picture
    assert (png_to_rgba(shot.read_bytes())[..., :3] == 120).all()
    assert outputs.screenshot(None, None, None, None) == []  # nothing shown yet
    assert told.saved == [[svg, png], [shot]]


def test_a_virtual_camera_that_cannot_start_is_said_once_and_frames_go_on(tmp_path, capsys,
                                                                          monkeypatch):
    monkeypatch.setitem(sys.modules, "pyvirtualcam", None)  # as where the extra is missing
    told = Told()
    outputs = outputs_in(tmp_path, told, virtual_camera=True)
    rendered: list[tuple[int, int]] = []

    def render(width: int, height: int) -> np.ndarray:
        rendered.append((width, height))
        return picture(width, height)

    for at in (0.0, 0.1):
        outputs.send(at, render, None, None, (64, 48))
    assert told.banner == ["Virtual camera: --virtual-camera needs pyvirtualcam, which is not "
                           "installed: pip install 'poseanim[virtualcam]'"]
    assert capsys.readouterr().err.count("poseanim: error: --virtual-camera needs") == 1
    assert not outputs.wants_virtual_camera and rendered == []  # nothing to paint for
