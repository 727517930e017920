"""The ffmpeg writers (MP4, WebM, GIF) and the frame folders (`render.video_writers`), fed
small pictures of known colours and read back with real decoders; every failure is a plain
error that leaves no file behind."""

from __future__ import annotations

import subprocess

import numpy as np
import pytest

from poseanim.errors import PoseanimError
from poseanim.render.export import ExportSettings, OutputFrame
from poseanim.render.outputs import StillSettings, open_writer, write_still, writer_kind
from poseanim.render.png import png_to_rgba
from poseanim.video_source import VideoSource, ffmpeg_executable


def pixels(value: int, size: int = 32) -> np.ndarray:
    picture = np.zeros((size, size, 3), np.uint8)
    picture[:, : size // 2] = value
    return picture


def test_pixels_alone_become_a_video(tmp_path):
    path = tmp_path / "picture.mp4"
    with open_writer(path, writer_kind(path, None), ExportSettings(fps=10)) as writer:
        writer.write(OutputFrame(pixels=pixels(200)), repeat=2)
        writer.write(OutputFrame(pixels=pixels(60)))
    with VideoSource(path) as video:
        frames = [frame.rgb for frame in video.frames()]
    assert len(frames) == 3
    assert [round(float(frame[:, :12].mean())) for frame in frames] == pytest.approx(
        [200, 200, 60], abs=6)
    assert float(frames[0][:, 20:].mean()) < 6



def test_a_frame_folder_holds_the_stills_image_writes_and_copies_repeated_frames(posed_ada,
                                                                                  tmp_path):
    svg_folder, png_folder = tmp_path / "svg-frames", tmp_path / "png-frames"
    settings = ExportSettings(fps=10, svg_size=(120, 180))
    with open_writer(svg_folder, writer_kind(svg_folder, "svg"), settings) as writer:
        writer.write(OutputFrame(posed_ada), repeat=2)
    first, second = sorted(svg_folder.iterdir())
    assert first.read_bytes() == second.read_bytes()
    expected = write_still(OutputFrame(posed_ada), tmp_path / "still.svg",
                           StillSettings(svg_size=(120, 180)))
    assert first.read_bytes() == expected.read_bytes()
    assert b'width="120" height="180"' in first.read_bytes()
    picture = pixels(77)
    with open_writer(png_folder, writer_kind(png_folder, "png"), settings) as writer:
        writer.write(OutputFrame(posed_ada, picture))  # the composed pixels, not a new painting
    (frame_file,) = png_folder.iterdir()
    assert (png_to_rgba(frame_file.read_bytes())[..., :3] == picture).all()


def test_an_ntsc_frame_rate_is_kept_exactly(tmp_path):
    """29.97 fps is 30000/1001: written as that fraction, not as 2997/100 or 30."""
    path = tmp_path / "ntsc.webm"
    with open_writer(path, writer_kind(path, None), ExportSettings(fps=30000 / 1001)) as writer:
        writer.write(OutputFrame(pixels=pixels(90)), repeat=3)
    report = subprocess.run([ffmpeg_executable(), "-hide_banner", "-i", str(path)],
                            capture_output=True, text=True).stderr
    assert "29.97 fps" in report and "vp9" in report
    with VideoSource(path) as video:
        assert len(list(video.frames())) == 3


def test_a_frame_of_another_size_is_a_wrong_call_and_leaves_nothing(tmp_path):
    path = tmp_path / "sizes.gif"
    with pytest.raises(ValueError, match=r"frame of shape \(16, 16, 3\) after frames of "
                                         r"\(32, 32, 3\)"):
        with open_writer(path, writer_kind(path, None), ExportSettings(fps=10)) as writer:
            writer.write(OutputFrame(pixels=pixels(1)))
            writer.write(OutputFrame(pixels=pixels(1, size=16)))
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name, folder", [("none.mp4", None), ("none-frames", "png")])
def test_no_frames_at_all_is_said_and_leaves_nothing(tmp_path, name, folder):
    path = tmp_path / name
    with pytest.raises(PoseanimError, match="^no frames to write$"):
        with open_writer(path, writer_kind(path, folder), ExportSettings(fps=10)):
            pass
    assert list(tmp_path.iterdir()) == []


def test_ffmpeg_refusing_the_frames_is_reported_in_its_own_words(tmp_path):
    """H.264 in yuv420p needs even sides (the commands ask for them: `WriterKind.even_size`);
    given an odd one, ffmpeg's last line comes back as the error."""
    path = tmp_path / "odd.mp4"
    with pytest.raises(PoseanimError, match=r"^ffmpeg could not write the video: \S"):
        with open_writer(path, writer_kind(path, None), ExportSettings(fps=10)) as writer:
            writer.write(OutputFrame(pixels=np.zeros((24, 33, 3), np.uint8)))
    assert list(tmp_path.iterdir()) == []
