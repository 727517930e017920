"""Picture sizes from --width/--height/--scale, canvases grown to a picture's aspect and placed
in it, and CSS colours: what every writer of pixels shares (`poseanim.render.canvas`)."""

from __future__ import annotations

import numpy as np
import pytest

from poseanim.errors import PoseanimError
from poseanim.render import cairo_painter
from poseanim.render.canvas import canvas_affine, canvas_for, colour_rgba, raster_size

CANVAS = (10.0, 20.0, 600.0, 900.0)


def test_the_picture_size_follows_the_options():
    assert raster_size(CANVAS) == (600, 900)
    assert raster_size(CANVAS, width=300) == (300, 450)
    assert raster_size(CANVAS, height=300) == (200, 300)
    assert raster_size(CANVAS, 100, 50) == (100, 50)
    assert raster_size(CANVAS, scale=0.5) == (300, 450)
    with pytest.raises(PoseanimError, match="between 1 and"):
        raster_size(CANVAS, scale=100)


def test_a_canvas_grown_to_a_pictures_aspect_lands_on_all_of_it():
    grown = canvas_for(CANVAS, (400, 300))
    assert grown[2] / grown[3] == pytest.approx(4 / 3) and grown[3] == 900
    assert grown[0] + grown[2] / 2 == pytest.approx(10 + 300)  # centred
    corners = np.array([[grown[0], grown[1], 1], [grown[0] + grown[2], grown[1] + grown[3], 1]])
    placed = corners @ canvas_affine(grown, (400, 300)).T
    assert np.allclose(placed[:, :2], [[0, 0], [400, 300]])


@pytest.mark.parametrize("text, expected", [("white", (1, 1, 1, 1)), ("#000", (0, 0, 0, 1)),
                                            ("rgba(255, 0, 0, 0.5)", (1, 0, 0, 128 / 255))])
def test_colours(text, expected):
    assert np.allclose(colour_rgba(text), expected, atol=1e-3)


@pytest.mark.parametrize("text", ["notacolour", "#12", "blu"])
def test_bad_colours_are_refused(text):
    with pytest.raises(PoseanimError, match="is not a colour"):
        colour_rgba(text)


def test_the_old_home_still_answers():
    assert cairo_painter.raster_size is raster_size and cairo_painter.colour_rgba is colour_rgba
