"""The canvas that shows the animated character, and the same painting for off-screen frames.

`paint_character` is the one routine that draws a posed frame with its background and the
rig overlays (bones, skinning weights, joint labels); the window's canvas, recordings, the
virtual camera and the benchmark all go through it, so they show the same picture. In FOMM
mode the canvas shows the animated photo instead (`CharacterView.show_picture`).
"""

from __future__ import annotations

import colorsys
import time
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush, QColor, QFont, QFontMetricsF, QImage, QPainter, QPaintEvent, QPen, QPixmap,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from poseanim.illustration import Illustration, PosedFrame
from poseanim.app.qt_painter import QtPainter, fit_transform, image_rgb, qt_points
from poseanim.rig.tables import JOINT_NAMES

CHECKER_SIZE = 12
WEIGHT_LEVELS = 8
"""Levels per colour channel when grouping weight colours (one draw call per colour)."""


@dataclass(frozen=True)
class Overlays:
    """Which rig diagnostics are drawn over the character."""

    bones: bool = False
    weights: bool = False
    labels: bool = False


def bone_colours(count: int) -> np.ndarray:
    """(count, 3) float RGB in [0, 1]: well-separated hues (golden-angle steps)."""
    return np.array([colorsys.hsv_to_rgb((i * 0.618034) % 1.0, 0.85, 0.95) for i in range(count)])


def _weight_groups(illustration: Illustration) -> list[tuple[QColor, np.ndarray]]:
    """Control points grouped by their blended bone colour: (colour, point indices)."""
    binding = illustration.binding
    colours = bone_colours(len(illustration.skeleton.bone_joints))
    blended = np.zeros((binding.point_count, 3))
    np.add.at(blended, binding.pair_point, binding.weight[:, None] * colours[binding.pair_bone])
    levels = np.round(blended.clip(0, 1) * (WEIGHT_LEVELS - 1)).astype(int)
    keys = (levels[:, 0] * WEIGHT_LEVELS + levels[:, 1]) * WEIGHT_LEVELS + levels[:, 2]
    groups = []
    for key in np.unique(keys):
        members = np.flatnonzero(keys == key)
        colour = QColor.fromRgbF(*(levels[members[0]] / (WEIGHT_LEVELS - 1)))
        groups.append((colour, members))
    return groups


def checker_brush() -> QBrush:
    """A light grey checkerboard, the usual picture of transparency."""
    tile = QPixmap(2 * CHECKER_SIZE, 2 * CHECKER_SIZE)
    tile.fill(QColor(255, 255, 255))
    painter = QPainter(tile)
    painter.fillRect(0, 0, CHECKER_SIZE, CHECKER_SIZE, QColor(204, 204, 204))
    painter.fillRect(CHECKER_SIZE, CHECKER_SIZE, CHECKER_SIZE, CHECKER_SIZE, QColor(204, 204, 204))
    painter.end()
    return QBrush(tile)


def paint_character(painter: QPainter, target: QRectF, frame: PosedFrame,
                    background: QColor | QBrush | QImage | None,
                    overlays: Overlays = Overlays(), qt: QtPainter | None = None) -> None:
    """Paint `frame` fitted into `target` (aspect kept) over `background` (None: nothing; a
    picture is scaled to cover, its overflow cropped evenly, as `--background` does).

    The background covers only the frame's canvas, so letterbox bars stay the widget's own.
    """
    transform = fit_transform(frame.canvas, target)
    canvas = transform.mapRect(QRectF(*frame.canvas))
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setClipRect(canvas)
    if isinstance(background, QImage):
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawImage(canvas, background, _cover_source(background, canvas))
    elif background is not None:
        painter.fillRect(canvas, background)
    painter.setTransform(transform, combine=True)
    qt = qt or QtPainter()
    qt.paint(painter, frame)
    scale = transform.m11()
    if overlays.weights:
        pen = QPen(QColor(0, 0, 0), 4 / scale, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
        for colour, members in qt.kept(frame.illustration, "weights", _weight_groups):
            pen.setColor(colour)
            painter.setPen(pen)
            painter.drawPoints(qt_points(frame.points[members]))
    if overlays.bones:
        ends = frame.joints[frame.illustration.skeleton.bone_joints]
        painter.setPen(QPen(QColor(20, 20, 20, 200), 3 / scale))
        lines = qt_points(ends.reshape(-1, 2))
        painter.drawLines(lines)
        painter.setPen(QPen(QColor(255, 230, 0), 1.5 / scale))
        painter.drawLines(lines)
    painter.restore()
    if overlays.labels:
        painter.save()
        painter.setFont(QFont("Sans", 8))
        metrics = QFontMetricsF(painter.font())
        drawn = np.isfinite(frame.illustration.skeleton.rest_joints[:len(JOINT_NAMES)]).all(axis=1)
        points = [(name, transform.map(QPointF(x, y))) for name, (x, y), has
                  in zip(JOINT_NAMES, frame.joints[:len(JOINT_NAMES)].tolist(), drawn) if has]
        points = [(name, point) for name, point in points if canvas.contains(point)]
        painter.setPen(QColor(160, 0, 90))
        for _, point in points:
            painter.drawEllipse(point, 2, 2)
        for name, box in place_labels(points, metrics, canvas):
            painter.fillRect(box, QColor(255, 255, 255, 210))
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, name)
        painter.restore()


LABEL_OFFSETS = ((4.0, -4.0), (4.0, 4.0), (-4.0, -4.0), (-4.0, 4.0))
"""Where a label may sit beside its joint (x, y of the corner nearest to it), in pixels."""


def place_labels(points: list[tuple[str, QPointF]], metrics: QFontMetricsF,
                 canvas: QRectF) -> list[tuple[str, QRectF]]:
    """Label boxes that never overlap: body joints first, then the face's numbered contour
    joints where room is left (zoom in to see those), each tried on four sides of its joint.

    Thirty face joints within a few pixels of each other made one unreadable blob; a label
    that does not fit is simply not drawn (its dot still is).
    """
    order = sorted(range(len(points)), key=lambda i: (any(c.isdigit() for c in points[i][0]), i))
    placed: list[tuple[str, QRectF]] = []
    for index in order:
        name, point = points[index]
        width, height = metrics.horizontalAdvance(name) + 4, metrics.height()
        for dx, dy in LABEL_OFFSETS:
            x = point.x() + dx if dx > 0 else point.x() + dx - width
            y = point.y() + dy if dy > 0 else point.y() + dy - height
            box = QRectF(x, y, width, height)
            if canvas.contains(box) and not any(box.intersects(other) for _, other in placed):
                placed.append((name, box))
                break
    return placed


def _cover_source(picture: QImage, canvas: QRectF) -> QRectF:
    """The middle part of `picture` with the canvas's aspect (what covering it shows)."""
    width, height = picture.width(), picture.height()
    aspect = canvas.width() / max(canvas.height(), 1e-9)
    if width / height > aspect:
        kept = height * aspect
        return QRectF((width - kept) / 2, 0, kept, height)
    kept = width / aspect
    return QRectF(0, (height - kept) / 2, width, kept)


def picture_image(rgb: np.ndarray) -> QImage:
    """A QImage over an (H, W, 3) uint8 C-contiguous RGB array (which must outlive it)."""
    return QImage(rgb.data, rgb.shape[1], rgb.shape[0], rgb.strides[0],
                  QImage.Format.Format_RGB888)


def render_character_rgb(frame: PosedFrame, width: int, height: int,
                         background: QColor, backdrop: QImage | None = None,
                         qt: QtPainter | None = None) -> np.ndarray:
    """(height, width, 3) uint8 RGB: the character on `background` (and over the `backdrop`
    picture, covering its canvas, when given), as recordings show it. qt: the painter to use
    (a view's own, which already knows the illustration)."""
    image = QImage(width, height, QImage.Format.Format_RGB888)
    image.fill(background)
    painter = QPainter(image)
    paint_character(painter, QRectF(0, 0, width, height), frame, backdrop, qt=qt)
    painter.end()
    return image_rgb(image)


class CharacterView(QWidget):
    """The live character: resizable, aspect kept, over a colour or a checkerboard; or a
    picture (FOMM mode's animated photo), scaled to fit with its aspect kept.

    `painted(captured_at)` is emitted after each paint of a new frame, with the perf_counter
    time its picture was captured, so the window can measure end-to-end latency.
    """

    painted = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(160, 160)
        self.frame: PosedFrame | None = None
        self.picture: np.ndarray | None = None
        self._image: QImage | None = None
        self.overlays = Overlays()
        self.background: QColor | None = QColor("white")
        self.backdrop: QImage | None = None  # a picture over the colour (None: the colour)
        self.recording_seconds: float | None = None
        self.paint_ms = 0.0
        self._captured_at: float | None = None
        self._checker = checker_brush()
        self.qt = QtPainter()

    def show_frame(self, frame: PosedFrame, captured_at: float | None) -> None:
        """Show `frame` at the next paint (captured_at: when its picture was taken, if live)."""
        self.frame, self._captured_at = frame, captured_at
        self.picture = self._image = None
        self.update()

    def show_picture(self, rgb: np.ndarray, captured_at: float | None) -> None:
        """Show `rgb` ((H, W, 3) uint8, C-contiguous, kept until the next picture) instead of
        a character (captured_at: when its driving picture was taken, if live)."""
        self.frame, self.picture, self._captured_at = None, rgb, captured_at
        self._image = picture_image(rgb)
        self.update()

    def picture_rect(self) -> QRectF:
        """Where the picture is drawn: as large as fits, centred, aspect kept."""
        assert self.picture is not None, "called while a picture is shown"
        height, width = self.picture.shape[:2]
        box = QRectF(0, 0, width, height)
        return fit_transform((0.0, 0.0, float(width), float(height)),
                             QRectF(self.rect())).mapRect(box)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        started = time.perf_counter()
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(48, 50, 56))
        if self.frame is not None:
            behind = (self._checker if self.background is None
                      else self.backdrop if self.backdrop is not None else self.background)
            paint_character(painter, QRectF(self.rect()), self.frame, behind, self.overlays,
                            self.qt)
        elif self._image is not None:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawImage(self.picture_rect(), self._image)
        if self.recording_seconds is not None:
            self._paint_recording_badge(painter)
        painter.end()
        self.paint_ms = (time.perf_counter() - started) * 1000
        if self._captured_at is not None:
            captured_at, self._captured_at = self._captured_at, None
            self.painted.emit(captured_at)

    def _paint_recording_badge(self, painter: QPainter) -> None:
        """A red dot and the elapsed time in the top left corner (never recorded itself)."""
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(0, 0, 0, 150))
        painter.drawRoundedRect(QRectF(8, 8, 104, 28), 6, 6)
        painter.setBrush(QColor(230, 30, 30))
        painter.drawEllipse(QPointF(24, 22), 7, 7)
        painter.setPen(QColor("white"))
        painter.setFont(QFont("Sans", 10, QFont.Weight.Bold))
        seconds = int(self.recording_seconds or 0)
        painter.drawText(QRectF(36, 8, 76, 28), Qt.AlignmentFlag.AlignVCenter,
                         f"REC {seconds // 60:02d}:{seconds % 60:02d}")
