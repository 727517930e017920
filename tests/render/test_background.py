"""`--background` parsing, covering and video backgrounds (render/background.py)."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import PHOTO
from poseanim.errors import PoseanimError
from poseanim.render.background import VideoBackground, cover, cover_crop, parse_background
from video_factory import write_video


def test_colours_none_pictures_and_videos_are_told_apart(tmp_path):
    assert parse_background("none").transparent
    assert parse_background(None, default=None).transparent
    assert parse_background(None).colour == (1.0, 1.0, 1.0, 1.0)
    navy = parse_background("#203040")
    assert navy.css == "#203040" and navy.is_colour
    assert np.allclose(navy.colour, (0x20 / 255, 0x30 / 255, 0x40 / 255, 1))
    photo = parse_background(str(PHOTO))
    assert photo.picture is not None and photo.picture.shape[2] == 3 and not photo.is_colour
    clip = write_video(tmp_path / "clip.mp4", [np.zeros((32, 48, 3), np.uint8)] * 3)
    assert parse_background(str(clip)).video == clip


@pytest.mark.parametrize("text, message", [
    ("notacolour", "'notacolour' is not a colour, a picture or a video"),
    ("beach.jpg", "--background beach.jpg: no such file"),
    ("#12345", "'#12345' is not a colour"),
])
def test_bad_values_say_what_to_give(text, message):
    with pytest.raises(PoseanimError) as error:
        parse_background(text)
    assert message in str(error.value)
    assert "'none' for transparency, or the path of a picture or video" in str(error.value)


def test_cover_keeps_the_aspect_and_crops_the_overflow_evenly():
    picture = np.zeros((100, 200, 3), np.uint8)
    picture[:, :50] = 255  # a white band on the left quarter
    assert cover_crop(picture, 1.0).shape[:2] == (100, 100)
    covered = cover(picture, (60, 60))
    assert covered.shape == (60, 60, 3)
    assert covered.max() == 0  # the middle square: the band is cropped away
    tall = cover(picture, (50, 100))
    assert tall.shape == (100, 50, 3)


def test_a_video_background_plays_at_its_own_speed_and_loops(tmp_path):
    colours = [(250, 0, 0), (0, 250, 0), (0, 0, 250)]
    frames = [np.full((24, 32, 3), colour, np.uint8) for colour in colours]
    clip = write_video(tmp_path / "colours.mp4", frames, fps=10.0)
    shown = VideoBackground(clip, (16, 16)).frames(20.0)  # two output frames per video frame
    order = [int(np.argmax(next(shown)[8, 8])) for _ in range(9)]
    assert order == [0, 0, 1, 1, 2, 2, 0, 0, 1]
