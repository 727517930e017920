"""The Qt painter shows what the SVG writer shows: same shapes, styles and places; behind the
`Painter` interface (`QtImagePainter`) it paints what the cairo and document engines paint."""

from __future__ import annotations

import numpy as np
import pytest

from poseanim.app.qt_painter import QtImagePainter
from poseanim.illustration import load_illustration
from poseanim.render.painter import make_painter
from poseanim.render.png import png_to_rgba, render_png
from poseanim.render.svg_writer import svg_text

pytestmark = pytest.mark.gui


@pytest.mark.parametrize("posed", [False, True], ids=["rest", "tracked pose"])
def test_qt_painting_matches_the_svg_rendering(qt_app, tracked_pose, posed):
    illustration = load_illustration("ada")
    frame = illustration.pose(tracked_pose if posed else illustration.rest_pose())
    if posed:
        frame = frame.fitted()
    width, height = 300, 450  # the canvas's aspect, so both renderers fill the same pixels
    qt = QtImagePainter(illustration, (width, height)).paint(frame).astype(int)
    cairo = png_to_rgba(render_png(svg_text(frame, 3, "white"), width, height))[..., :3].astype(int)
    difference = np.abs(qt - cairo).max(axis=2)
    assert (difference > 60).mean() < 0.01  # only antialiased edges may differ
    assert (qt.min(axis=2) < 200).mean() > 0.1  # and the character is really there


def test_a_painter_keeps_what_it_built_for_one_illustration_only(qt_app):
    from poseanim.app.qt_painter import QtPainter

    ada, bolt = load_illustration("ada"), load_illustration("bolt")
    built: list[str] = []

    def build(illustration):
        built.append(illustration.name)
        return len(illustration.shapes)

    painter, other = QtPainter(), QtPainter()
    assert painter.kept(ada, "count", build) == len(ada.shapes)
    assert painter.kept(ada, "count", build) == len(ada.shapes)
    assert built == ["ada"]  # kept, not built again
    assert other.kept(ada, "count", build) == len(ada.shapes)
    assert built == ["ada", "ada"]  # nothing is shared between painters (or views)
    assert painter.kept(bolt, "count", build) == len(bolt.shapes)
    assert painter.kept(ada, "count", build) == len(ada.shapes)
    assert built == ["ada", "ada", "bolt", "ada"]  # another illustration starts afresh


@pytest.mark.parametrize("alpha", [False, True], ids=["on a colour", "transparent"])
def test_behind_the_painter_interface_qt_paints_the_cairo_painters_pixels(qt_app, tracked_pose,
                                                                          alpha):
    illustration = load_illustration("bolt")
    frame = illustration.pose(tracked_pose).fitted()
    size = (200, 300)
    background = None if alpha else (0.2, 0.4, 0.6, 1.0)
    underlay = None if alpha else np.full((300, 200, 3), 90, np.uint8)
    qt = QtImagePainter(illustration, size).paint(frame, background, underlay, alpha)
    cairo = make_painter(illustration, size).paint(frame, background, underlay, alpha)
    assert qt.shape == cairo.shape == (300, 200, 4 if alpha else 3)
    difference = np.abs(qt.astype(int) - cairo.astype(int)).max(axis=2)
    assert (difference > 32).mean() < 0.01
    assert (cairo[..., :3].min(axis=2) < 60).mean() > 0.02  # the character is there
