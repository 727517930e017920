"""Video input that cannot be used, and output that cannot be written: one clear line, exit 1,
no traceback, nothing left behind."""

from __future__ import annotations

import subprocess
from pathlib import Path

import cv2
import numpy as np
import pytest

from poseanim.errors import PoseanimError
from poseanim.video_source import VideoSource, ffmpeg_executable
from video_factory import FPS, warped_frames, write_video


@pytest.fixture(scope="module")
def short_clip(photo_rgb, tmp_path_factory) -> Path:
    """8 frames of the astronaut, written by OpenCV (its MP4 index is at the end)."""
    return write_video(tmp_path_factory.mktemp("short") / "short.mp4", warped_frames(photo_rgb, 8))


def cut_in_half(source: Path, target: Path) -> Path:
    data = source.read_bytes()
    target.write_bytes(data[: len(data) // 2])
    return target


def assert_refused(run_cli, folder: Path, *args, message: str) -> str:
    """Run the CLI, expect a one-line error containing `message` and an unchanged folder."""
    before = sorted(p.name for p in folder.iterdir())
    code, stdout, stderr = run_cli(*args)
    assert code == 1, stderr
    assert message in stderr, stderr
    assert "Traceback" not in stderr and stdout == ""
    errors = [line for line in stderr.splitlines() if line.startswith("poseanim: error:")]
    assert len(errors) == 1
    assert sorted(p.name for p in folder.iterdir()) == before
    return errors[0]


def test_a_readable_clip_reports_its_properties(short_clip):
    with VideoSource(short_clip) as video:
        assert video.size == (384, 384) and video.fps == FPS and video.frame_count == 8
        frames = list(video.frames())
    assert [f.index for f in frames] == list(range(8))
    assert frames[3].time == pytest.approx(0.3) and frames[0].rgb.shape == (384, 384, 3)


def test_truncated_mp4_with_its_index_at_the_end(short_clip, tmp_path, run_cli):
    broken = cut_in_half(short_clip, tmp_path / "broken.mp4")
    assert_refused(run_cli, tmp_path, "video", broken, "-o", tmp_path / "out.mp4",
                   message="truncated")
    assert_refused(run_cli, tmp_path, "track", broken, "-o", tmp_path / "out.json",
                   message="truncated")


def test_truncated_mp4_with_its_index_first_stops_where_the_data_ends(short_clip, tmp_path,
                                                                       run_cli):
    streamable = tmp_path / "streamable.mp4"
    subprocess.run([ffmpeg_executable(), "-loglevel", "error", "-i", str(short_clip), "-c", "copy",
                    "-movflags", "+faststart", str(streamable)], check=True)
    broken = cut_in_half(streamable, tmp_path / "broken.mp4")
    streamable.unlink()
    line = assert_refused(run_cli, tmp_path, "video", broken, "-o", tmp_path / "out.gif",
                          message="is truncated or damaged")
    assert "of its 8 frames" in line


def test_not_a_video_empty_missing_and_zero_frames(tmp_path, run_cli):
    text = tmp_path / "notes.mp4"
    text.write_text("not a video at all")
    empty = tmp_path / "empty.mov"
    empty.write_bytes(b"")
    zero = tmp_path / "zero.mp4"
    writer = cv2.VideoWriter(str(zero), cv2.VideoWriter_fourcc(*"mp4v"), FPS, (64, 64))
    writer.release()
    out = tmp_path / "out.mp4"
    assert_refused(run_cli, tmp_path, "video", text, "-o", out, message="cannot be read")
    assert_refused(run_cli, tmp_path, "video", empty, "-o", out, message="is empty")
    assert_refused(run_cli, tmp_path, "video", tmp_path / "missing.mp4", "-o", out,
                   message="no such file")
    assert_refused(run_cli, tmp_path, "video", zero, "-o", out, message="no video frames")
    with pytest.raises(PoseanimError, match="is a folder"):
        VideoSource(tmp_path)


def test_a_video_without_anyone_writes_nothing(tmp_path, run_cli):
    rng = np.random.default_rng(1)
    frames = [cv2.GaussianBlur(rng.integers(0, 255, (240, 320, 3), np.uint8), (31, 31), 0)
              for _ in range(5)]
    nobody = write_video(tmp_path / "nobody.mp4", frames)
    assert_refused(run_cli, tmp_path, "video", nobody, "-o", tmp_path / "out.mp4",
                   message="no person found in any frame")


def test_outputs_that_cannot_be_written(short_clip, tmp_path, run_cli):
    assert_refused(run_cli, tmp_path, "video", short_clip, "-o", tmp_path / "nowhere" / "a.mp4",
                   message="does not exist")
    assert_refused(run_cli, tmp_path, "video", short_clip, "-o", tmp_path / "a.avi",
                   message="cannot write '.avi' video")
    assert_refused(run_cli, tmp_path, "video", short_clip, "-o", tmp_path / "a.mp4",
                   "--background", "none", message="MP4 cannot be transparent")
    assert_refused(run_cli, tmp_path, "video", short_clip, "-o", tmp_path / "a.svg",
                   "--side-by-side", message="--side-by-side draws pixels")
    assert_refused(run_cli, tmp_path, "video", short_clip, "-o", tmp_path / "a.mp4",
                   "--background", "blurple", message="is not a colour")
    assert_refused(run_cli, tmp_path, "video", short_clip, "-o", tmp_path / "a.mp4",
                   "--frames", "png", message="--frames writes a folder")
    assert_refused(run_cli, tmp_path, "video", short_clip, "-o", short_clip.parent / "short.mp4",
                   message="would overwrite the input")
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "holiday.jpg").write_bytes(b"precious")
    assert_refused(run_cli, tmp_path, "video", short_clip, "-o", mine, "--frames", "png",
                   message="holding other files than frames")
    assert (mine / "holiday.jpg").read_bytes() == b"precious"
