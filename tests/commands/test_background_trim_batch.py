"""The options every command shares: --background COLOUR|none|IMAGE|VIDEO, --start/--end,
sizes that are the output's in every layout; and `poseanim image` over many photos."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import cv2
import numpy as np
import pytest

from conftest import PHOTO
from lottie_players import rlottie_frames
from poseanim.render.background import cover
from poseanim.sources import read_image
from poseanim.tracking import mediapipe_tracker
from poseanim.tracking.track_file import load_track
from poseanim.video_source import ffmpeg_executable
from video_factory import write_video
from wave_track import FPS, FRAMES, write_wave_track

BAD = "'notacolour' is not a colour, a picture or a video"


@pytest.fixture(scope="module")
def wave_track(tmp_path_factory) -> Path:
    return write_wave_track(tmp_path_factory.mktemp("wave") / "wave.json")


@pytest.fixture(scope="module")
def still_clip(photo_rgb, tmp_path_factory) -> Path:
    """The astronaut photo held for a second (12 frames at 12 frames/s), the size the wave
    track was recorded at."""
    return write_video(tmp_path_factory.mktemp("still") / "still.mp4", [photo_rgb] * FRAMES,
                       fps=FPS)


@pytest.fixture(scope="module")
def colour_clip(tmp_path_factory) -> Path:
    """Three frames, red, green, blue, at 12 frames/s: a background video one can follow."""
    frames = [np.full((90, 160, 3), colour, np.uint8)
              for colour in ((230, 20, 20), (20, 230, 20), (20, 20, 230))]
    return write_video(tmp_path_factory.mktemp("colours") / "colours.mp4", frames, fps=FPS)


def png_frames(folder: Path) -> list[np.ndarray]:
    return [cv2.cvtColor(cv2.imread(str(p), cv2.IMREAD_UNCHANGED), cv2.COLOR_BGRA2RGBA)
            if cv2.imread(str(p), cv2.IMREAD_UNCHANGED).shape[2] == 4
            else cv2.cvtColor(cv2.imread(str(p)), cv2.COLOR_BGR2RGB)
            for p in sorted(folder.glob("frame_*.png"))]


def video_size(path: Path) -> tuple[int, int]:
    report = subprocess.run([ffmpeg_executable(), "-hide_banner", "-i", str(path)],
                            capture_output=True, text=True).stderr
    width, height = re.search(r"Video: .*?, (\d+)x(\d+)", report).groups()
    return int(width), int(height)


def test_a_bad_background_gets_the_same_line_from_every_command(wave_track, tmp_path, run_cli):
    image = run_cli("image", "--track", wave_track, "-o", tmp_path / "a.png",
                    "--background", "notacolour")
    video = run_cli("video", "--track", wave_track, "-o", tmp_path / "a.mp4",
                    "--background", "notacolour")
    from poseanim.commands.live import _settings
    from poseanim.cli import build_parser
    from poseanim.errors import PoseanimError

    with pytest.raises(PoseanimError) as live:
        _settings(build_parser().parse_args(["live", "--background", "notacolour"]))
    for code, _out, err in (image, video):
        assert code != 0 and BAD in err and "Traceback" not in err
    assert BAD in str(live.value)
    assert not list(tmp_path.iterdir())


def test_image_background_picture_covers_the_png_and_svg(wave_track, tmp_path, run_cli):
    backdrop = tmp_path / "backdrop.png"
    picture = np.zeros((100, 300, 3), np.uint8)
    picture[:, 100:200] = (40, 160, 90)  # the middle third, what a square canvas keeps
    cv2.imwrite(str(backdrop), cv2.cvtColor(picture, cv2.COLOR_RGB2BGR))
    code, _out, err = run_cli("image", "--track", wave_track, "-o", tmp_path / "posed.svg",
                              "--fit", "--background", backdrop, "--width", "200",
                              "--height", "200")
    assert code == 0, err
    posed = read_image(tmp_path / "posed.png")
    assert np.abs(posed[3, 3].astype(int) - (40, 160, 90)).max() <= 6
    assert np.abs(posed[-4, -4].astype(int) - (40, 160, 90)).max() <= 6
    assert "data:image/jpeg;base64," in (tmp_path / "posed.svg").read_text()


def test_video_background_picture_in_mp4_and_lottie(wave_track, tmp_path, run_cli):
    code, _out, err = run_cli("video", "--track", wave_track, "-o", tmp_path / "frames",
                              "--frames", "png", "--fit", "--width", "160", "--height", "120",
                              "--background", PHOTO)
    assert code == 0, err
    expected = cover(read_image(PHOTO), (160, 120))
    first = png_frames(tmp_path / "frames")[0]
    assert first.shape == (120, 160, 3)
    assert np.abs(first[2, 2].astype(int) - expected[2, 2]).max() <= 8
    code, _out, err = run_cli("video", "--track", wave_track, "-o", tmp_path / "a.json",
                              "--fit", "--width", "160", "--height", "120", "--background", PHOTO)
    assert code == 0, err
    played = rlottie_frames(tmp_path / "a.json", [0], (160, 120))[0]
    assert np.abs(played[2, 2, :3].astype(int) - expected[2, 2]).max() <= 16


def test_svg_outputs_embed_a_background_picture(wave_track, tmp_path, run_cli):
    for output, extra in (("svgs", ["--frames", "svg"]), ("anim.svg", [])):
        code, _out, err = run_cli("video", "--track", wave_track, "-o", tmp_path / output,
                                  "--fit", "--background", PHOTO, *extra)
        assert code == 0, err
        written = tmp_path / output
        text = (written / "frame_000001.svg" if written.is_dir() else written).read_text()
        assert text.count("data:image/jpeg;base64,") == 1


def test_a_background_video_plays_along_and_loops(wave_track, colour_clip, tmp_path, run_cli):
    code, _out, err = run_cli("video", "--track", wave_track, "-o", tmp_path / "frames",
                              "--frames", "png", "--fit", "--width", "64",
                              "--background", colour_clip)
    assert code == 0, err
    frames = png_frames(tmp_path / "frames")
    assert len(frames) == FRAMES
    channels = [int(np.argmax(frame[1, 1, :3])) for frame in frames]
    assert channels == [0, 1, 2] * (FRAMES // 3)


def test_vector_outputs_refuse_a_background_video(wave_track, colour_clip, tmp_path, run_cli):
    for name in ("a.json", "a.svg"):
        code, _out, err = run_cli("video", "--track", wave_track, "-o", tmp_path / name,
                                  "--background", colour_clip)
        assert code != 0 and "cannot play a background video" in err
    code, _out, err = run_cli("video", "--track", wave_track, "-o", tmp_path / "a.mp4",
                              "--background", "none")
    assert code != 0 and "MP4 cannot be transparent" in err


@pytest.mark.parametrize("start, end, first, count", [
    ("0.25", "0:00.75", 3, 6),     # seconds and a timecode
    ("0:00:00.25", None, 3, 9),    # hours:minutes:seconds, to the end
    (None, "0.5", 0, 6),
])
def test_start_and_end_trim_a_track(wave_track, tmp_path, run_cli, start, end, first, count):
    extra = (["--start", start] if start else []) + (["--end", end] if end else [])
    # unsmoothed, so that the first frames do not depend on earlier ones (the first is before
    # the lost hand, whose fading does)
    unsmoothed = ["--frames", "svg", "--smoothing", "0"]
    code, _out, err = run_cli("video", "--track", wave_track, "-o", tmp_path / "cut",
                              *unsmoothed, *extra)
    assert code == 0, err
    assert len(list((tmp_path / "cut").glob("frame_*.svg"))) == count
    whole = tmp_path / "whole"
    assert run_cli("video", "--track", wave_track, "-o", whole, *unsmoothed)[0] == 0
    assert (tmp_path / "cut" / "frame_000001.svg").read_bytes() == \
        (whole / f"frame_{first + 1:06d}.svg").read_bytes()


@pytest.mark.parametrize("start, end, message", [
    ("abc", None, "--start 'abc' is not a time"),
    ("1:75", None, "--start '1:75' is not a time"),
    ("0.5", "0.25", "--end (0.25 s) must come after --start (0.5 s)"),
    ("5", None, "no frames between --start 5 s and --end the end"),
])
def test_bad_trims_are_one_line(wave_track, tmp_path, run_cli, start, end, message):
    extra = ["--start", start] + (["--end", end] if end else [])
    code, _out, err = run_cli("video", "--track", wave_track, "-o", tmp_path / "a.mp4", *extra)
    assert code != 0 and message in err
    assert not (tmp_path / "a.mp4").exists()


@pytest.mark.slow
def test_track_records_only_the_part_asked_for(still_clip, tmp_path, run_cli):
    code, _out, err = run_cli("track", still_clip, "-o", tmp_path / "part.json",
                              "--start", "0.5", "--end", "0:00.75")
    assert code == 0, err
    track = load_track(tmp_path / "part.json")
    assert len(track.frames) == 3
    assert track.times[0] == pytest.approx(0.5, abs=1e-3)  # times stay the video's


@pytest.mark.parametrize("output, width", [("sbs.mp4", 960), ("frames", 501)])
def test_width_is_the_whole_side_by_side_picture(wave_track, still_clip, tmp_path, run_cli,
                                                  output, width):
    extra = ["--frames", "png"] if output == "frames" else []
    code, _out, err = run_cli("video", still_clip, "--track", wave_track, "-o", tmp_path / output,
                              "--side-by-side", "--width", str(width), *extra)
    assert code == 0, err
    if output == "frames":
        first = png_frames(tmp_path / output)[0]
        assert first.shape[1] == width
    else:
        assert video_size(tmp_path / output)[0] == width


@pytest.mark.slow
def test_image_poses_every_photo_of_a_folder_with_one_model_load(tmp_path, run_cli,
                                                                 monkeypatch):
    folder = tmp_path / "shoot"
    folder.mkdir()
    shutil.copy(PHOTO, folder / "astronaut.jpg")
    cv2.imwrite(str(folder / "astronaut.png"), cv2.imread(str(PHOTO))[:, ::-1])
    cv2.imwrite(str(folder / "empty.png"), np.full((200, 200, 3), 180, np.uint8))
    (folder / "broken.jpg").write_bytes(b"not a picture")
    opened = []
    real_init = mediapipe_tracker.MediaPipeTracker.__init__

    def counting_init(self, *args, **kwargs):
        opened.append(args or kwargs)
        real_init(self, *args, **kwargs)

    monkeypatch.setattr(mediapipe_tracker.MediaPipeTracker, "__init__", counting_init)
    code, out, err = run_cli("image", folder, "-o", tmp_path / "posed", "-i", "bolt")
    assert code == 1
    assert len(opened) == 1
    written = sorted(path.name for path in (tmp_path / "posed").iterdir())
    assert written == ["astronaut-jpg.png", "astronaut-jpg.svg", "astronaut-png.png",
                       "astronaut-png.svg"]
    assert "broken.jpg is not a picture" in err and "no person found in" in err
    assert "2 of 4 photos failed" in err
    assert len(re.findall(r"4/4 photos.* in ", err)) == 1  # one progress bar, finished once
    assert "Traceback" not in err
    assert len(out.split()) == 4


def test_several_photos_need_a_folder_output(tmp_path, run_cli):
    code, _out, err = run_cli("image", PHOTO, PHOTO, "-o", tmp_path / "posed.svg")
    assert code != 0 and "-o names a folder" in err
