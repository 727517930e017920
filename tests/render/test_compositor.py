"""One output frame's picture: the character over a colour, a picture or the video, with the
debug pane beside it when asked; sizes even for 4:2:0 codecs."""

from __future__ import annotations

import numpy as np
import pytest

from poseanim.illustration import load_illustration
from poseanim.render.compositor import FrameCompositor, even


@pytest.fixture(scope="module")
def ada():
    return load_illustration("ada")


@pytest.fixture(scope="module")
def posed(ada, tracked_pose):
    return ada.pose(tracked_pose)


def test_sizes_round_up_to_even_sides():
    assert even((101, 50)) == (102, 50) and even((2, 3)) == (2, 4)


def test_the_character_over_a_colour(ada, posed):
    compositor = FrameCompositor(ada, (161, 161), (0.0, 0.0, 1.0, 1.0), even_size=True)
    picture = compositor.compose(posed)
    assert compositor.size == (162, 162) and picture.shape == (162, 162, 3)
    corner = picture[0, 0]
    assert tuple(corner) == (0, 0, 255)  # the blue background where nothing is drawn
    assert (np.abs(picture.astype(int) - (0, 0, 255)).sum(axis=2) > 60).mean() > 0.05


def test_transparent_output_is_rgba_with_an_empty_background(ada, posed):
    picture = FrameCompositor(ada, (128, 128), None).compose(posed)
    assert picture.shape == (128, 128, 4)
    assert picture[0, 0, 3] == 0 and picture[..., 3].max() == 255


def test_overlay_draws_over_the_video_and_the_pane_shows_it_beside(ada, posed, photo_rgb,
                                                                   tracked_pose):
    compositor = FrameCompositor(ada, (200, 200), (1.0, 1.0, 1.0, 1.0), overlay=True,
                                 video_size=(photo_rgb.shape[1], photo_rgb.shape[0]))
    picture = compositor.compose(posed, photo_rgb, tracked_pose, None)
    pane_width = compositor.pane_size[0]
    assert picture.shape == (200, 200 + pane_width, 3) and pane_width == 200
    character = picture[:, pane_width:]
    small_photo = photo_rgb[::photo_rgb.shape[0] // 200, ::photo_rgb.shape[1] // 200][:200, :200]
    # where the character does not cover it, the overlay shows the video, not the white
    assert np.abs(character[:5, :5].astype(int) - small_photo[:5, :5]).mean() < 40
    assert not (character[:5, :5] == 255).all()


def test_a_backdrop_picture_goes_under_the_character(ada, posed):
    backdrop = np.zeros((100, 100, 3), np.uint8)
    backdrop[..., 1] = 180
    picture = FrameCompositor(ada, (100, 100), (1.0, 1.0, 1.0, 1.0)).compose(
        posed, backdrop=backdrop)
    assert tuple(picture[0, 0]) == (0, 180, 0)
