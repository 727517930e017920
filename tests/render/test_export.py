"""What every writer is given: a frame holds the posed character, its pixels or both, and a
writer asking for what the frame lacks is told in words which outputs the frame can make."""

from __future__ import annotations

import numpy as np
import pytest

from poseanim.errors import PoseanimError
from poseanim.render.export import FRAME_NAME, OutputFrame, is_frame_folder


def test_an_output_frame_holds_a_character_or_pixels(posed_ada):
    with pytest.raises(ValueError):
        OutputFrame()
    picture = np.full((4, 6, 3), 9, np.uint8)
    assert OutputFrame(pixels=picture).posed is None
    both = OutputFrame(posed=posed_ada, pixels=picture)
    assert both.drawing("SVG") is posed_ada and both.picture("MP4") is picture


def test_pixels_alone_cannot_be_drawn_as_vectors_and_say_what_can():
    frame = OutputFrame(pixels=np.zeros((4, 6, 3), np.uint8))
    with pytest.raises(PoseanimError, match=r"^Lottie output is drawn from the posed character, "
                                            r"and this frame is only a picture; write a video "
                                            r"\(\.mp4, \.webm, \.gif\) or PNG frames$"):
        frame.drawing("Lottie")


def test_a_character_alone_has_no_pixels_for_a_raster_writer(posed_ada):
    with pytest.raises(PoseanimError, match=r"^GIF output is made of pixels, and this frame was "
                                            "not painted; write SVG, Lottie or SVG frames$"):
        OutputFrame(posed=posed_ada).picture("GIF")


def test_only_a_folder_of_our_own_frames_counts_as_a_frame_folder(tmp_path):
    """Writing frames may replace such a folder; any other file in it protects it."""
    assert is_frame_folder(tmp_path)  # empty
    for index in (0, 1, 1_000_000):
        (tmp_path / FRAME_NAME.format(index, ".png")).write_bytes(b"")
    (tmp_path / FRAME_NAME.format(2, ".svg")).write_bytes(b"")
    assert is_frame_folder(tmp_path)
    (tmp_path / "notes.txt").write_text("mine")
    assert not is_frame_folder(tmp_path)
    (tmp_path / "notes.txt").unlink()
    (tmp_path / "frame_12.png").write_bytes(b"")  # too few digits: not one of ours
    assert not is_frame_folder(tmp_path)
