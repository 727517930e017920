"""The drawing rendered for the rigging tools (`rigging.rendering`): its viewBox straight onto
pixels, so that a pixel found on the ink converts back to the user space the reader sees."""

from __future__ import annotations

import numpy as np
import pytest

from poseanim.errors import PoseanimError
from poseanim.rigging.rendering import RENDER_SIDE, render_drawing
from poseanim.svg.text import SvgSource

NS = 'xmlns="http://www.w3.org/2000/svg"'


def raster_of(body: str, root: str = 'viewBox="-50 20 200 100"'):
    text = f"<svg {NS} {root}>{body}</svg>"
    return render_drawing(SvgSource.from_bytes(text.encode(), "drawing.svg"))


def test_the_ink_maps_back_to_its_user_space_box_whatever_the_root_says():
    """The root's width/height (another aspect ratio) and transform do not move the mapping."""
    raster = raster_of('<rect x="0" y="40" width="50" height="40" fill="red"/>',
                       'viewBox="-50 20 200 100" width="80" height="80" '
                       'transform="rotate(30) scale(3)"')
    assert raster.rgba.shape == (RENDER_SIDE // 2, RENDER_SIDE, 4)
    assert raster.scale == pytest.approx(RENDER_SIDE / 200)
    low, high = raster.pixel_bounds()
    np.testing.assert_allclose(raster.to_user(low), (0, 40), atol=1 / raster.scale)
    np.testing.assert_allclose(raster.to_user(high), (50, 80), atol=1 / raster.scale)
    # the centre of the rectangle is red, outside it nothing is drawn
    middle = np.round((np.array([25, 60]) - raster.origin) * raster.scale).astype(int)
    assert tuple(raster.rgba[middle[1], middle[0]]) == (255, 0, 0, 255)
    assert raster.rgba[5, 5, 3] == 0


def test_a_background_rectangle_around_the_figure_is_not_counted_as_drawn():
    """Figma frames export a filled rectangle under everything: the figure is what is on it."""
    raster = raster_of('<rect x="-50" y="20" width="200" height="100" fill="#f0f0e8"/>'
                       '<circle cx="100" cy="70" r="20" fill="navy"/>')
    low, high = raster.pixel_bounds()
    np.testing.assert_allclose(raster.to_user(low), (80, 50), atol=1.5 / raster.scale)
    np.testing.assert_allclose(raster.to_user(high), (120, 90), atol=1.5 / raster.scale)


def test_a_drawing_with_no_ink_is_refused_in_words():
    raster = raster_of('<rect width="10" height="10" fill="none"/>')
    with pytest.raises(PoseanimError, match=r"^drawing\.svg renders as an empty picture; "
                                            "nothing to rig$"):
        raster.pixel_bounds()
