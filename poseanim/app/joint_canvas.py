"""The rig editor's drawing view: the drawing at rest with a handle on every joint to drag.

Left joints are blue, right joints red and centre joints green; names show on hover, bones
as lines; with mirroring on, a joint's left/right partner moves as its mirror image, and with
weights on, the selected joint's pull on the drawing shows as colour. Each finished drag is
one undoable `MoveJoints`; the wheel zooms about the pointer and the right button pans.
"""

from __future__ import annotations

import math
import weakref
from dataclasses import replace
from typing import Callable

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor, QFont, QImage, QMouseEvent, QPainter, QPaintEvent, QPen, QTransform, QUndoCommand,
    QWheelEvent,
)
from PySide6.QtWidgets import QWidget

from poseanim.app.character_view import Overlays, paint_character
from poseanim.illustration import RIG_COUNT, Illustration, PosedFrame
from poseanim.app.qt_painter import QtPainter, fit_transform, qt_points
from poseanim.rigging.editing import Joints
from poseanim.rig.tables import BONES, FACE_JOINTS, KEYPOINT_INDEX, mirrored_name
from poseanim.rig.template import SIDE_COLOURS, joint_side

HANDLE_RADIUS = {"body": 6.0, "face": 4.0}
"""Screen radius of a joint handle, in pixels."""
GRAB_DISTANCE = 10.0
"""How near (screen pixels) a press must be to a joint to pick it up."""
INFLUENCE_LEVELS = 8
_FACE = frozenset(FACE_JOINTS)


def joint_influence(illustration: Illustration, joint: str) -> np.ndarray:
    """(N,) how strongly each control point follows `joint`: per bone touching it, the
    point's weight times the share of the bone's anchor that sits at this end."""
    binding, skeleton = illustration.binding, illustration.skeleton
    parent = np.concatenate([np.arange(RIG_COUNT), skeleton.local_parent])
    ends = parent[skeleton.bone_joints]  # local copies count as their parent joint
    index = KEYPOINT_INDEX[joint]
    share = (np.where(ends[binding.pair_bone, 0] == index, 1.0 - binding.t, 0.0)
             + np.where(ends[binding.pair_bone, 1] == index, binding.t, 0.0))
    return np.bincount(binding.pair_point, binding.weight * share, binding.point_count)


class MoveJoints(QUndoCommand):
    """One edit of the joints (a drag, a mirrored drag, adding the missing ones).

    set_joints: the editor's method that makes joints current, held weakly: the editor's undo
    stack owns the command, and a strong reference back would make a cycle that Python's
    collector may break in an order Qt does not survive.
    """

    def __init__(self, set_joints: Callable[[Joints], None], before: Joints, after: Joints,
                 text: str) -> None:
        super().__init__(text)
        self._set_joints = weakref.WeakMethod(set_joints)
        self.before, self.after = before, after

    def redo(self) -> None:  # noqa: D102 (Qt's name)
        self._apply(self.after)

    def undo(self) -> None:  # noqa: D102 (Qt's name)
        self._apply(self.before)

    def _apply(self, joints: Joints) -> None:
        set_joints = self._set_joints()
        if set_joints is not None:
            set_joints(joints)


class JointCanvas(QWidget):
    """The drawing at rest with draggable joint handles; wheel zooms, right-drag pans.

    `moving()` is emitted while a joint is dragged, `moved(before, after, text)` once when it
    is let go; `hovered(name)` when the pointer comes over a joint ('' when it leaves);
    `view_changed()` after a zoom, pan or fit.
    """

    moving = Signal()
    moved = Signal(dict, dict, str)
    hovered = Signal(str)
    view_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMouseTracking(True)
        self.setMinimumSize(320, 320)
        self.qt = QtPainter()
        self.joints: Joints = {}
        self.view_box = (0.0, 0.0, 1.0, 1.0)
        self.frame: PosedFrame | None = None
        self.backdrop: QImage | None = None
        self.show_weights = False
        self.mirror = False
        self.selected = ""
        self.hover = ""
        self._view: QTransform | None = None
        self._whole = True  # showing the whole canvas (refit on resize) rather than a zoom
        self._drag: tuple[str, Joints] | None = None
        self._pan_from: QPointF | None = None

    # -- what is shown ---------------------------------------------------------------------

    def show_drawing(self, illustration: Illustration | None, view_box: tuple[float, ...],
                     backdrop: QImage | None = None) -> None:
        """Show the drawing at rest (or a picture of it when it cannot be read)."""
        self.view_box = tuple(view_box)  # type: ignore[assignment]
        self.backdrop = backdrop
        self.frame = None
        if illustration is not None:
            self.frame = replace(illustration.pose(illustration.rest_pose()), canvas=self.view_box)
        self.update()

    def view(self) -> QTransform:
        """Canvas (user space) → widget pixels."""
        if self._view is None:
            self.fit()
        return self._view  # type: ignore[return-value]

    def fit(self, box: tuple[float, float, float, float] | None = None) -> None:
        """Show `box` (default: the whole canvas) as large as fits, with a small margin."""
        margin = 12.0
        target = QRectF(self.rect()).adjusted(margin, margin, -margin, -margin)
        self._set_view(fit_transform(box or self.view_box, target), whole=box is None)

    def _set_view(self, view: QTransform, whole: bool = False) -> None:
        """Show the canvas through `view`; `whole`: it fits the whole canvas (refit on resize)."""
        self._view, self._whole = view, whole
        self.update()
        self.view_changed.emit()

    def visible_box(self) -> tuple[float, float, float, float]:
        """The part of the canvas in view (x, y, width, height), in canvas units."""
        shown = self.view().inverted()[0].mapRect(QRectF(self.rect()))
        return shown.x(), shown.y(), shown.width(), shown.height()

    def zoom_to_face(self) -> None:
        """Fill the view with the face joints (they are small on a full-body drawing)."""
        face = np.array([self.joints[n] for n in FACE_JOINTS if n in self.joints])
        if len(face) >= 2:
            low, high = face.min(axis=0), face.max(axis=0)
            pad = (high - low).max() * 0.25
            self.fit((low[0] - pad, low[1] - pad, high[0] - low[0] + 2 * pad,
                      high[1] - low[1] + 2 * pad))

    def _screen(self) -> tuple[list[str], np.ndarray]:
        names = list(self.joints)
        view = self.view()
        points = np.array([self.joints[n] for n in names]).reshape(-1, 2)
        return names, points * (view.m11(), view.m22()) + (view.dx(), view.dy())

    def joint_at(self, position: QPointF) -> str:
        """The joint under a widget position, or '' (the nearest within GRAB_DISTANCE)."""
        names, screen = self._screen()
        if not names:
            return ""
        distances = np.hypot(screen[:, 0] - position.x(), screen[:, 1] - position.y())
        nearest = int(np.argmin(distances))
        return names[nearest] if distances[nearest] <= GRAB_DISTANCE else ""

    # -- painting --------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(58, 60, 66))
        view = self.view()
        canvas = view.mapRect(QRectF(*self.view_box))
        if self.frame is not None:
            paint_character(painter, canvas, self.frame, QColor("white"),
                            Overlays(weights=self.show_weights and not self.selected), self.qt)
        elif self.backdrop is not None:
            painter.fillRect(canvas, QColor("white"))
            painter.drawImage(canvas, self.backdrop)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self.show_weights and self.selected and self.frame is not None:
            self._paint_influence(painter, view)
        self._paint_bones(painter, view)
        self._paint_handles(painter, view)
        painter.end()

    def _paint_influence(self, painter: QPainter, view: QTransform) -> None:
        """The selected joint's pull on every control point: transparent (none) to red (all)."""
        frame = self.frame
        assert frame is not None  # checked by the caller
        influence = joint_influence(frame.illustration, self.selected)
        levels = np.round(influence.clip(0, 1) * INFLUENCE_LEVELS).astype(int)
        painter.save()
        painter.setTransform(view)
        for level in range(1, INFLUENCE_LEVELS + 1):
            members = np.flatnonzero(levels == level)
            if members.size:
                pen = QPen(QColor(220, 20, 60, 60 + 195 * level // INFLUENCE_LEVELS), 5.0,
                           Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
                pen.setCosmetic(True)  # 5 screen pixels whatever the zoom
                painter.setPen(pen)
                painter.drawPoints(qt_points(frame.points[members]))
        painter.restore()

    def _paint_bones(self, painter: QPainter, view: QTransform) -> None:
        for bone in BONES:
            if bone.joint0 not in self.joints or bone.joint1 not in self.joints:
                continue
            side = joint_side(bone.joint0)
            colour = QColor(SIDE_COLOURS[side] if side == joint_side(bone.joint1) else "#55505c")
            colour.setAlpha(170)
            painter.setPen(QPen(colour, 1.2 if bone.region == "face" else 2.0))
            painter.drawLine(view.map(QPointF(*self.joints[bone.joint0])),
                             view.map(QPointF(*self.joints[bone.joint1])))

    def _paint_handles(self, painter: QPainter, view: QTransform) -> None:
        for name, (x, y) in self.joints.items():
            centre = view.map(QPointF(x, y))
            radius = HANDLE_RADIUS["face" if name in _FACE else "body"]
            chosen = name in (self.selected, self.hover)
            painter.setPen(QPen(QColor("black" if chosen else "white"), 2.0 if chosen else 1.2))
            painter.setBrush(QColor(SIDE_COLOURS[joint_side(name)]))
            painter.drawEllipse(centre, radius + (1.5 if chosen else 0.0),
                                radius + (1.5 if chosen else 0.0))
        if self.hover and self.hover in self.joints:
            self._paint_label(painter, view.map(QPointF(*self.joints[self.hover])), self.hover)

    @staticmethod
    def _paint_label(painter: QPainter, at: QPointF, text: str) -> None:
        painter.setFont(QFont("Sans", 9))
        box = painter.fontMetrics().boundingRect(text).adjusted(-4, -2, 4, 2)
        box.moveTopLeft((at + QPointF(10, -26)).toPoint())
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(20, 20, 24, 220))
        painter.drawRoundedRect(QRectF(box), 4, 4)
        painter.setPen(QColor(SIDE_COLOURS[joint_side(text)]).lighter(150))
        painter.drawText(QRectF(box), Qt.AlignmentFlag.AlignCenter, text)

    # -- mouse -----------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        if event.button() in (Qt.MouseButton.RightButton, Qt.MouseButton.MiddleButton):
            self._pan_from = event.position()
            return
        name = self.joint_at(event.position())
        self.selected = name
        self._drag = (name, dict(self.joints)) if name else None
        self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        if self._pan_from is not None:
            shift = event.position() - self._pan_from
            self._pan_from = event.position()
            self._set_view(self.view() * QTransform.fromTranslate(shift.x(), shift.y()))
        elif self._drag is not None:
            name, before = self._drag
            self.drag_to(name, before, self.view().inverted()[0].map(event.position()))
            self.moving.emit()
        else:
            name = self.joint_at(event.position())
            if name != self.hover:
                self.hover = name
                self.hovered.emit(name)
                self.update()

    def drag_to(self, name: str, before: Joints, place: QPointF) -> None:
        """Put joint `name` at `place` (canvas units); with mirroring on, its left/right
        partner goes to the mirror place about the vertical midline between the two."""
        self.joints[name] = np.array([place.x(), place.y()])
        partner = mirrored_name(name)
        if self.mirror and partner != name and partner in self.joints:
            axis = (before[name][0] + before[partner][0]) / 2
            self.joints[partner] = np.array([2 * axis - place.x(), place.y()])
        self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        if self._pan_from is not None:
            self._pan_from = None
            return
        if self._drag is not None:
            name, before = self._drag
            self._drag = None
            if any(not np.array_equal(before[n], self.joints[n]) for n in before):
                mirrored = self.mirror and mirrored_name(name) != name
                self.moved.emit(before, dict(self.joints),
                                f"move {name}" + (" and its mirror" if mirrored else ""))

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 (Qt's name)
        factor = math.pow(1.0015, event.angleDelta().y())
        at = event.position()
        self._set_view(self.view() * QTransform.fromTranslate(-at.x(), -at.y())
                       * QTransform.fromScale(factor, factor)
                       * QTransform.fromTranslate(at.x(), at.y()))

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        old = event.oldSize()
        if self._whole:
            self._view = None  # fit the whole canvas again at the next paint
        elif self._view is not None and old.width() > 0 and old.height() > 0:
            shown = self._view.inverted()[0].mapRect(QRectF(0, 0, old.width(), old.height()))
            self._view = fit_transform((shown.x(), shown.y(), shown.width(), shown.height()),
                                       QRectF(self.rect()))  # the same part, at the new size
        super().resizeEvent(event)
        self.view_changed.emit()
