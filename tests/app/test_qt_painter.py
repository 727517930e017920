"""The Qt painter shows what the SVG writer shows: same shapes, styles and places."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter

from poseanim.illustration import load_illustration
from poseanim.render.png import png_to_rgba, render_png
from poseanim.app.qt_painter import fit_transform, image_rgb, paint_frame
from poseanim.render.svg_writer import svg_text

pytestmark = pytest.mark.gui


def qt_render(frame, width: int, height: int) -> np.ndarray:
    """(H, W, 3) uint8 RGB of `frame` painted with QPainter on white."""
    image = QImage(width, height, QImage.Format.Format_RGB888)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setTransform(fit_transform(frame.canvas, QRectF(0, 0, width, height)))
    paint_frame(painter, frame)
    painter.end()
    return image_rgb(image)


@pytest.mark.parametrize("posed", [False, True], ids=["rest", "tracked pose"])
def test_qt_painting_matches_the_svg_rendering(qt_app, tracked_pose, posed):
    illustration = load_illustration("ada")
    frame = illustration.pose(tracked_pose if posed else illustration.rest_pose())
    if posed:
        frame = frame.fitted()
    width, height = 300, 450  # the canvas's aspect, so both renderers fill the same pixels
    qt = qt_render(frame, width, height).astype(int)
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
