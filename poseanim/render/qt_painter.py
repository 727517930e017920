"""Posed frame → QPainter calls, straight from the deformed control points.

The live window and the rig editor paint a character every frame; going through SVG text and
a rasteriser would cost tens of milliseconds, so this module turns `PosedFrame.points` into
`QPainterPath`s directly and paints them with the styles `paint_style` resolved once per
illustration (fill, stroke, gradients, caps, joins, dashes, fill rule, opacity) — what the SVG
writer would show, without the round trip.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush, QColor, QGradient, QImage, QLinearGradient, QPainter, QPainterPath, QPen, QRadialGradient,
    QTransform,
)

from poseanim.illustration import Illustration, PosedFrame
from poseanim.render.paint_style import RGBA, Gradient, Paint, shape_paints, stroke_scale
from poseanim.rig.svg_document import Affine

_CAPS = {"butt": Qt.PenCapStyle.FlatCap, "round": Qt.PenCapStyle.RoundCap,
         "square": Qt.PenCapStyle.SquareCap}
_JOINS = {"miter": Qt.PenJoinStyle.SvgMiterJoin, "round": Qt.PenJoinStyle.RoundJoin,
          "bevel": Qt.PenJoinStyle.BevelJoin}
_SPREADS = {"pad": QGradient.Spread.PadSpread, "reflect": QGradient.Spread.ReflectSpread,
            "repeat": QGradient.Spread.RepeatSpread}


@dataclass(frozen=True)
class QtShapeStyle:
    """One shape's paint as Qt objects, built once per illustration.

    fill: a ready QBrush, a `Gradient` in bounding-box units (its brush depends on the posed
    outline, so it is built per frame), or None. stroke: the ready pen, or None;
    stroke_box_gradient: the pen's brush when it is a bounding-box gradient.
    """

    fill: QBrush | Gradient | None
    stroke: QPen | None
    stroke_box_gradient: Gradient | None
    even_odd: bool
    opacity: float


def qcolor(rgba: RGBA) -> QColor:
    """A QColor from RGBA floats in [0, 1]."""
    return QColor.fromRgbF(*(min(max(c, 0.0), 1.0) for c in rgba))


def _qtransform(matrix: Affine) -> QTransform:
    """A QTransform from a 3×3 affine matrix acting on column vectors."""
    return QTransform(matrix[0, 0], matrix[1, 0], matrix[0, 1], matrix[1, 1],
                      matrix[0, 2], matrix[1, 2])


def _gradient_brush(gradient: Gradient, to_canvas: QTransform) -> QBrush:
    """A gradient brush whose coordinates `to_canvas` maps onto the canvas."""
    if gradient.kind == "linear":
        x1, y1, x2, y2 = gradient.coords
        qt_gradient: QGradient = QLinearGradient(x1, y1, x2, y2)
    else:
        cx, cy, r, fx, fy = gradient.coords
        qt_gradient = QRadialGradient(QPointF(cx, cy), r, QPointF(fx, fy))
    qt_gradient.setSpread(_SPREADS.get(gradient.spread, QGradient.Spread.PadSpread))
    qt_gradient.setStops([(offset, qcolor(colour)) for offset, colour in gradient.stops])
    brush = QBrush(qt_gradient)
    brush.setTransform(_qtransform(gradient.transform) * to_canvas)
    return brush


def _brush(paint: Paint, ctm: Affine) -> QBrush | Gradient | None:
    """A ready brush for colours and user-space gradients; bounding-box gradients stay as they
    are until the posed outline is known."""
    if paint is None:
        return None
    if isinstance(paint, Gradient):
        return _gradient_brush(paint, _qtransform(ctm)) if paint.user_space else paint
    return QBrush(qcolor(paint))


def _bounding_box_brush(gradient: Gradient, path: QPainterPath) -> QBrush:
    """The brush of a gradient in objectBoundingBox units over the posed outline's box."""
    box = path.boundingRect()
    unit_box = QTransform(max(box.width(), 1e-9), 0, 0, max(box.height(), 1e-9),
                          box.x(), box.y())
    return _gradient_brush(gradient, unit_box)


def qt_styles(illustration: Illustration) -> list[QtShapeStyle]:
    """The Qt paint of every shape of `illustration`, in paint order (cached per illustration)."""
    cached = _STYLE_CACHE.get(illustration)
    if cached is not None:
        return cached
    styles = []
    for shape, paint in zip(illustration.shapes, shape_paints(illustration)):
        pen = QPen()
        pen.setWidthF(paint.stroke_width * stroke_scale(shape.ctm))
        pen.setCapStyle(_CAPS.get(paint.line_cap, Qt.PenCapStyle.FlatCap))
        pen.setJoinStyle(_JOINS.get(paint.line_join, Qt.PenJoinStyle.SvgMiterJoin))
        pen.setMiterLimit(paint.miter_limit)
        if paint.dash and paint.stroke_width > 0:
            pen.setDashPattern([max(d / paint.stroke_width, 1e-3) for d in paint.dash]
                               * (2 if len(paint.dash) % 2 else 1))  # SVG repeats odd lists
        stroke = _brush(paint.stroke, shape.ctm) if paint.stroke_width > 0 else None
        if isinstance(stroke, QBrush):
            pen.setBrush(stroke)
        styles.append(QtShapeStyle(_brush(paint.fill, shape.ctm), pen if stroke is not None else None,
                                   stroke if isinstance(stroke, Gradient) else None,
                                   paint.even_odd, paint.opacity))
    _STYLE_CACHE[illustration] = styles
    return styles


_STYLE_CACHE: weakref.WeakKeyDictionary[Illustration, list[QtShapeStyle]] = \
    weakref.WeakKeyDictionary()


def shape_path(frame: PosedFrame, shape_index: int, points: list[list[float]] | None = None,
               even_odd: bool = False) -> QPainterPath:
    """The posed outline of one shape as a QPainterPath, in canvas coordinates.

    points: `frame.points.tolist()` when the caller paints many shapes of one frame (one
    conversion per frame instead of one per shape).
    """
    points = frame.points.tolist() if points is None else points
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.OddEvenFill if even_odd else Qt.FillRule.WindingFill)
    for start, stop, closed in frame.illustration.subpath_ranges[shape_index]:
        path.moveTo(*points[start])
        for i in range(start + 1, stop - 2, 3):
            path.cubicTo(*points[i], *points[i + 1], *points[i + 2])
        if closed:
            path.closeSubpath()
    return path


def paint_frame(painter: QPainter, frame: PosedFrame) -> None:
    """Paint the visible shapes of `frame` in the painter's current coordinates (canvas units).

    The caller sets the transform (see `fit_transform`), antialiasing and any background.
    """
    styles = qt_styles(frame.illustration)
    points = frame.points.tolist()
    stroke_scales = frame.stroke_scale.tolist()
    painter.save()
    for index in np.flatnonzero(frame.visible).tolist():
        style = styles[index]
        if style.fill is None and style.stroke is None:
            continue
        path = shape_path(frame, index, points, style.even_odd)
        painter.setOpacity(style.opacity)
        if style.fill is not None:
            fill = style.fill
            painter.fillPath(path, _bounding_box_brush(fill, path) if isinstance(fill, Gradient)
                             else fill)
        if style.stroke is not None:
            pen = style.stroke
            scale = stroke_scales[index]
            if style.stroke_box_gradient is not None or abs(scale - 1.0) > 1e-3:
                pen = QPen(pen)
                pen.setWidthF(pen.widthF() * scale)  # the character's size (see PosedFrame)
                if style.stroke_box_gradient is not None:
                    pen.setBrush(_bounding_box_brush(style.stroke_box_gradient, path))
            painter.strokePath(path, pen)
    painter.restore()


def qt_points(points: np.ndarray) -> list[QPointF]:
    """QPointFs for the rows of an (N, ≥2) array (for drawPoints, drawLines, polygons)."""
    return [QPointF(x, y) for x, y in points[:, :2].tolist()]


def image_rgb(image: QImage) -> np.ndarray:
    """(H, W, 3) uint8 RGB copy of a QImage (converted to RGB888 first where needed)."""
    if image.format() != QImage.Format.Format_RGB888:
        image = image.convertToFormat(QImage.Format.Format_RGB888)
    width, height = image.width(), image.height()
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(height, image.bytesPerLine())
    return rows[:, : width * 3].reshape(height, width, 3).copy()


def fit_transform(canvas: tuple[float, float, float, float], target: QRectF) -> QTransform:
    """The transform that shows `canvas` (x, y, w, h) as large as fits in `target`, centred,
    aspect kept."""
    x, y, width, height = canvas
    scale = min(target.width() / max(width, 1e-9), target.height() / max(height, 1e-9))
    dx = target.x() + (target.width() - width * scale) / 2 - x * scale
    dy = target.y() + (target.height() - height * scale) / 2 - y * scale
    return QTransform(scale, 0, 0, scale, dx, dy)
