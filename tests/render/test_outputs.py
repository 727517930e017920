"""The output table: one row per suffix for stills and animations, frames of a posed character
or of pixels alone, and a plain error (no file) where a frame cannot be written as asked."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from poseanim.errors import PoseanimError
from poseanim.render.export import ExportSettings, OutputFrame
from poseanim.render.outputs import (
    FILE_SUFFIXES, OUTPUTS, STILL_SUFFIXES, StillSettings, open_writer, still_kind, write_still,
    writer_kind,
)
from poseanim.render.png import png_to_rgba
from poseanim.render.writers import write_svg


def pixels(value: int, size: int = 32) -> np.ndarray:
    picture = np.zeros((size, size, 3), np.uint8)
    picture[:, : size // 2] = value
    return picture


def test_every_row_writes_stills_or_animations_and_says_which():
    assert set(STILL_SUFFIXES) == {".svg", ".png"}
    assert set(FILE_SUFFIXES) == {".mp4", ".webm", ".gif", ".svg", ".json", ".lottie"}
    assert all(kind.make is not None or kind.still is not None for kind in OUTPUTS.values())
    assert writer_kind(Path("out.svg"), None).name == "animated SVG"
    assert still_kind(Path("out.SVG")).still is not None
    assert writer_kind(Path("frames"), None).folder
    assert writer_kind(Path("frames"), "svg").name == "SVG frames"


def test_a_still_suffix_for_a_video_and_a_video_suffix_for_a_still_point_at_the_other():
    with pytest.raises(PoseanimError, match=r"'\.png' video \(a still: poseanim image"):
        writer_kind(Path("out.png"), None)
    with pytest.raises(PoseanimError, match=r"\.svg or \.png, not '\.gif'; \.gif is an "
                                            "animation: poseanim video writes it"):
        still_kind(Path("out.gif"))
    with pytest.raises(PoseanimError, match="not '.bmp'$"):
        still_kind(Path("out.bmp"))


@pytest.mark.parametrize("name", ["out.svg", "out.json", "out.lottie", "frames-svg"])
def test_pixels_alone_to_a_vector_output_are_refused_in_words_and_leave_nothing(name,
                                                                                tmp_path):
    path = tmp_path / name
    kind = writer_kind(path, "svg" if name == "frames-svg" else None)
    assert not kind.raster
    with pytest.raises(PoseanimError, match="drawn from the posed character, and this frame "
                                            "is only a picture"):
        with open_writer(path, kind, ExportSettings(fps=10)) as writer:
            writer.write(OutputFrame(pixels=pixels(9)))
    assert list(tmp_path.iterdir()) == []


def test_a_character_alone_to_a_raster_output_is_refused_in_words(posed_ada, tmp_path):
    path = tmp_path / "out.gif"
    with pytest.raises(PoseanimError, match="GIF output is made of pixels"):
        with open_writer(path, writer_kind(path, None), ExportSettings(fps=10)) as writer:
            writer.write(OutputFrame(posed_ada))
    assert list(tmp_path.iterdir()) == []


def test_a_still_is_written_from_a_character_or_from_pixels(posed_ada, tmp_path):
    svg = write_still(OutputFrame(posed_ada), tmp_path / "posed.svg",
                      StillSettings(background="#102030"))
    assert svg.read_bytes() == write_svg(posed_ada, tmp_path / "direct.svg",
                                         background="#102030").read_bytes()
    drawn = png_to_rgba(write_still(OutputFrame(posed_ada), tmp_path / "posed.png",
                                    StillSettings(width=80)).read_bytes())
    assert drawn.shape[1] == 80 and drawn[..., 3].max() == 255 and drawn[0, 0, 3] == 0
    picture = pixels(123)
    shot = png_to_rgba(write_still(OutputFrame(pixels=picture), tmp_path / "shot.png",
                                   StillSettings()).read_bytes())
    assert (shot[..., :3] == picture).all()
    with pytest.raises(PoseanimError, match="only a picture"):
        write_still(OutputFrame(pixels=picture), tmp_path / "shot.svg", StillSettings())
    assert not (tmp_path / "shot.svg").exists()


def test_a_still_only_kind_is_no_animation(tmp_path):
    path = tmp_path / "out.png"
    with pytest.raises(PoseanimError, match="holds one picture, not an animation"):
        with open_writer(path, OUTPUTS[".png"], ExportSettings(fps=10)):
            pass
    assert not path.exists()
