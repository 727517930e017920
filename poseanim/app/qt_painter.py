"""Posed frame → QPainter calls, straight from the deformed control points.

The live window and the rig editor paint a character every frame; going through SVG text and
a rasteriser would cost tens of milliseconds, so this module turns `PosedFrame.points` into
`QPainterPath`s directly and paints them with the styles `paint_style` resolved once per
illustration (fill, stroke, gradients, caps, joins, dashes, fill rule, opacity) — what the SVG
writer would show, without the round trip.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, TypeVar

import numpy as np
from PySide6.QtCore import QByteArray, QDataStream, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush, QColor, QGradient, QImage, QLinearGradient, QPainter, QPainterPath, QPen, QRadialGradient,
    QTransform,
)

from poseanim.illustration import Illustration, PosedFrame
from poseanim.render.canvas import canvas_affine
from poseanim.render.paint_style import RGBA, Gradient, Paint, shape_paints, stroke_scale
from poseanim.render.painter import WHITE
from poseanim.types import Affine

Kept = TypeVar("Kept")

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
    """The Qt paint of every shape of `illustration`, in paint order."""
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
    return styles


_MOVE, _LINE, _CURVE, _CURVE_DATA = 0, 1, 2, 3  # QPainterPath::ElementType
_ELEMENT_BYTES = 20  # QDataStream's element record: int32 type, float64 x, float64 y


@dataclass(frozen=True)
class _PathStream:
    """Every shape's outline as QDataStream records of QPainterPaths, built once.

    A frame's outlines are then made by writing its points into the record bytes (one numpy
    scatter) and reading the paths back, one call per shape, instead of one Python call per
    curve segment. template: (bytes,) uint8 with types, counts and fill rules in place;
    source: (E,) index of the control point behind each element; xy_bytes: (E·16,) where
    each element's x and y bytes go.
    """

    template: np.ndarray
    source: np.ndarray
    xy_bytes: np.ndarray


def _path_stream(illustration: Illustration, even_odd: list[bool]) -> _PathStream:
    chunks: list[bytes] = []
    sources: list[int] = []
    offsets: list[int] = []
    size = 0
    for ranges, odd in zip(illustration.subpath_ranges, even_odd):
        types: list[int] = []
        last_move = 0
        for start, stop, closed in ranges:
            last_move = len(types)
            types.append(_MOVE)
            sources.append(start)
            for i in range(start + 1, stop, 3):
                types += [_CURVE, _CURVE_DATA, _CURVE_DATA]
                sources += [i, i + 1, i + 2]
            if closed:  # what closeSubpath() adds: a line back to the subpath's start
                types.append(_LINE)
                sources.append(start)
        records = np.zeros(len(types), dtype=[("type", "<i4"), ("x", "<f8"), ("y", "<f8")])
        records["type"] = types
        offsets += [size + 4 + k * _ELEMENT_BYTES + 4 for k in range(len(types))]
        footer = np.array([last_move, 0 if odd else 1], "<i4").tobytes() if types else b""
        chunk = np.array([len(types)], "<i4").tobytes() + records.tobytes() + footer
        chunks.append(chunk)
        size += len(chunk)
    xy_bytes = (np.asarray(offsets, np.intp)[:, None] + np.arange(16)).ravel()
    return _PathStream(np.frombuffer(b"".join(chunks), np.uint8).copy(),
                       np.asarray(sources, np.intp), xy_bytes)


class QtPainter:
    """Paints posed frames with a QPainter, for the windows (exports go through cairo).

    What depends only on the illustration (each shape's pen and brush, the byte layout of its
    outlines) is built on the first frame of an illustration and kept by this painter for the
    next frames of the same one, so a view owns one painter and no state is shared between views.
    """

    def __init__(self) -> None:
        self._illustration: Illustration | None = None
        self._styles: list[QtShapeStyle] = []
        self._layout: _PathStream | None = None
        self._kept: dict[str, Any] = {}

    def kept(self, illustration: Illustration, what: str, build: Callable[[Illustration], Kept]
             ) -> Kept:
        """`build(illustration)`, built once and kept while this painter paints the same
        illustration, as its styles are (a view's overlays keep their own tables here)."""
        self._prepare(illustration)
        if what not in self._kept:
            self._kept[what] = build(illustration)
        return self._kept[what]

    def styles(self, illustration: Illustration) -> list[QtShapeStyle]:
        """The Qt paint of every shape of `illustration` (kept while it stays the same)."""
        self._prepare(illustration)
        return self._styles

    def _prepare(self, illustration: Illustration) -> _PathStream:
        if illustration is not self._illustration or self._layout is None:
            self._styles = qt_styles(illustration)
            self._layout = _path_stream(illustration, [s.even_odd for s in self._styles])
            self._illustration = illustration
            self._kept = {}
        return self._layout

    def paths(self, frame: PosedFrame) -> list[QPainterPath]:
        """The posed outline of every shape (visible or not) as QPainterPaths, in canvas units."""
        layout = self._prepare(frame.illustration)
        data = layout.template.copy()
        xy = np.ascontiguousarray(frame.points[layout.source], dtype="<f8")
        data[layout.xy_bytes] = xy.view(np.uint8).ravel()
        stream = QDataStream(QByteArray(data.tobytes()))
        stream.setByteOrder(QDataStream.ByteOrder.LittleEndian)
        paths = []
        for _ in range(len(frame.illustration.shapes)):
            path = QPainterPath()
            stream >> path  # noqa: B015 (QDataStream's operator fills `path`)
            paths.append(path)
        return paths

    def paint(self, painter: QPainter, frame: PosedFrame) -> None:
        """Paint the visible shapes of `frame` in the painter's current coordinates (canvas
        units). The caller sets the transform (see `fit_transform`), antialiasing and any
        background."""
        paths = self.paths(frame)
        styles = self._styles
        stroke_scales = frame.stroke_scale.tolist()
        fades = [1.0] * len(styles) if frame.opacity is None else frame.opacity.tolist()
        painter.save()
        order = frame.paint_order()
        for index in order[frame.visible[order]].tolist():
            style = styles[index]
            if style.fill is None and style.stroke is None:
                continue
            path = paths[index]
            painter.setOpacity(style.opacity * fades[index])
            if style.fill is not None:
                fill = style.fill
                painter.fillPath(path, _bounding_box_brush(fill, path)
                                 if isinstance(fill, Gradient) else fill)
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


class QtImagePainter:
    """The `render.painter.Painter` interface over Qt: frames painted into a QImage as the
    windows paint them, for whoever wants pixels from the windows' engine (and to hold it to
    the cairo painter's pixels). Needs a QApplication (QT_QPA_PLATFORM=offscreen will do)."""

    def __init__(self, illustration: Illustration, size: tuple[int, int]) -> None:
        self.illustration = illustration
        self.size = size
        self.qt = QtPainter()

    def paint(self, frame: PosedFrame, background: RGBA | None = WHITE,
              underlay: np.ndarray | None = None, alpha: bool = False) -> np.ndarray:
        width, height = self.size
        image = QImage(width, height, QImage.Format.Format_RGBA8888_Premultiplied)
        # no background: transparent, or black under colour-only output (as cairo's RGB)
        image.fill(qcolor(background) if background is not None
                   else QColor(0, 0, 0, 0 if alpha else 255))
        painter = QPainter(image)
        if underlay is not None:
            if underlay.shape[:2] != (height, width):
                raise ValueError(f"underlay is {underlay.shape[1]}×{underlay.shape[0]}, the "
                                 f"painter {width}×{height}")
            picture = np.ascontiguousarray(underlay)
            painter.drawImage(0, 0, QImage(picture.data, width, height, picture.strides[0],
                                           QImage.Format.Format_RGB888))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setTransform(_qtransform(canvas_affine(frame.canvas, self.size)))
        self.qt.paint(painter, frame)
        painter.end()
        if not alpha:
            return image_rgb(image)
        straight = image.convertToFormat(QImage.Format.Format_RGBA8888)
        rows = np.frombuffer(straight.constBits(), np.uint8).reshape(height,
                                                                     straight.bytesPerLine())
        return rows[:, : width * 4].reshape(height, width, 4).copy()


def paint_frame(painter: QPainter, frame: PosedFrame) -> None:
    """Paint `frame` once (a view that paints many frames keeps a `QtPainter` instead)."""
    QtPainter().paint(painter, frame)


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
