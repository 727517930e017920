"""`poseanim rig edit`: drag a drawing's joints into place and try the rig as you go.

The window has the drawing with every joint as a handle (left joints blue, right joints red,
centre joints green; names on hover; bones as lines; optional mirror-symmetric dragging and
skinning weights as colour), a "try it" preview posed by built-in test poses, a photo or the
webcam, the `rig check` problems of the document as it stands, undo/redo, and save, which
changes only the moved joints' numbers in the file (`poseanim.rig.editing`).
"""

from __future__ import annotations

import math
import weakref
from dataclasses import replace
from pathlib import Path

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction, QColor, QFont, QImage, QKeySequence, QMouseEvent, QPainter, QPaintEvent, QPen,
    QUndoCommand, QUndoStack, QWheelEvent, QTransform,
)
from PySide6.QtWidgets import (
    QCheckBox, QDockWidget, QFileDialog, QLabel, QListWidget, QListWidgetItem,
    QMainWindow, QMessageBox, QPushButton, QSlider, QSplitter, QVBoxLayout, QWidget,
)

from poseanim.app.character_view import CharacterView, Overlays, paint_character
from poseanim.app.test_poses import TEST_POSES, pose_named
from poseanim.errors import PoseanimError
from poseanim.illustration import RIG_COUNT, Illustration, PosedFrame
from poseanim.pose import Pose
from poseanim.render.png import png_to_rgba, render_png
from poseanim.render.qt_painter import fit_transform, qt_points
from poseanim.rig.check import CheckReport
from poseanim.rig.editing import Joints, RigDocument
from poseanim.rig.tables import BONES, FACE_JOINTS, JOINT_NAMES, KEYPOINT_INDEX, mirrored_name
from poseanim.rig.template import SIDE_COLOURS, joint_side

REST = "rest (edit)"
HANDLE_RADIUS = {"body": 6.0, "face": 4.0}
"""Screen radius of a joint handle, in pixels."""
GRAB_DISTANCE = 10.0
"""How near (screen pixels) a press must be to a joint to pick it up."""
INFLUENCE_LEVELS = 8
SEVERITY_COLOURS = {"error": "#c62828", "warning": "#b26a00", "note": "#546e7a"}
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

    It holds its editor weakly: the editor's undo stack owns the command, and a strong
    reference back would make a cycle that Python's collector may break in an order Qt
    does not survive.
    """

    def __init__(self, editor: RigEditor, before: Joints, after: Joints, text: str) -> None:
        super().__init__(text)
        self._set_joints = weakref.WeakMethod(editor.set_joints)
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
        self._view = fit_transform(box or self.view_box, target)
        self._whole = box is None
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
                            Overlays(weights=self.show_weights and not self.selected))
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
            self._view = self.view() * QTransform.fromTranslate(shift.x(), shift.y())
            self._whole = False
            self.update()
            self.view_changed.emit()
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
        self._view = (self.view() * QTransform.fromTranslate(-at.x(), -at.y())
                      * QTransform.fromScale(factor, factor)
                      * QTransform.fromTranslate(at.x(), at.y()))
        self._whole = False
        self.update()
        self.view_changed.emit()

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


class RigEditor(QMainWindow):
    """The rig editor window for one `RigDocument`."""

    camera_frame = Signal()
    camera_error = Signal(str)

    def __init__(self, document: RigDocument) -> None:
        super().__init__()
        self.document = document
        self.joints: Joints = {name: place.copy() for name, place in document.rest.items()}
        self.illustration: Illustration | None = document.illustration
        self.report: CheckReport = document.report
        self.undo_stack = QUndoStack(self)
        self._trial: tuple[str, Pose | None] = (REST, None)
        self._pipeline = None
        self._live_spec = None
        self._play_phase = 0.0

        self.canvas = JointCanvas()
        self.preview = CharacterView()
        splitter = QSplitter()
        splitter.addWidget(self.canvas)
        splitter.addWidget(self.preview)
        splitter.setSizes([620, 420])
        self.setCentralWidget(splitter)
        self._build_try_panel()
        self._build_problem_panel()
        self._build_actions()

        self._rebind_timer = QTimer(self, singleShot=True, interval=80, timeout=self._rebind)
        self._check_timer = QTimer(self, singleShot=True, interval=250, timeout=self._recheck)
        self._play_timer = QTimer(self, interval=33, timeout=self._play_step)
        self.canvas.moving.connect(self._schedule_rebind)
        self.canvas.moved.connect(lambda before, after, text: self.undo_stack.push(
            MoveJoints(self, before, after, text)))
        self.canvas.hovered.connect(lambda name: self.statusBar().showMessage(name))
        self.canvas.view_changed.connect(self._update_preview)
        self.undo_stack.cleanChanged.connect(lambda clean: self.setWindowModified(not clean))
        self.camera_frame.connect(self._show_camera_frame)
        self.camera_error.connect(self._camera_failed)

        self.setWindowTitle(f"{document.path.name}[*] – poseanim rig editor")
        self.resize(1200, 800)
        backdrop = None if self.illustration is not None else self._backdrop()
        self.canvas.joints = self.joints
        self.canvas.show_drawing(self.illustration, self.document.view_box, backdrop)
        self._show_problems(self.report, opened=True)
        self._update_preview()
        if document.opened_note:
            self.statusBar().showMessage(document.opened_note + " (saved when you save)")

    # -- panels ----------------------------------------------------------------------------

    def _build_try_panel(self) -> None:
        panel = QWidget()
        layout = QVBoxLayout(panel)
        self.pose_list = QListWidget()
        self.pose_list.addItems([REST, *TEST_POSES])
        self.pose_list.setCurrentRow(0)
        self.pose_list.currentTextChanged.connect(self.try_test_pose)
        layout.addWidget(self.pose_list)
        self.amount = QSlider(Qt.Orientation.Horizontal, minimum=0, maximum=100, value=100)
        self.amount.valueChanged.connect(self._update_preview)
        layout.addWidget(QLabel("amount"))
        layout.addWidget(self.amount)
        self.play = QCheckBox("play (back and forth)")
        self.play.toggled.connect(lambda on: self._play_timer.start() if on else self._play_timer.stop())
        layout.addWidget(self.play)
        photo = QPushButton("Photo…")
        photo.clicked.connect(self._choose_photo)
        layout.addWidget(photo)
        self.webcam = QPushButton("Webcam", checkable=True)
        self.webcam.toggled.connect(self._toggle_webcam)
        layout.addWidget(self.webcam)
        self.try_status = QLabel("")
        self.try_status.setWordWrap(True)
        layout.addWidget(self.try_status)
        layout.addStretch()
        dock = QDockWidget("Try it", self)
        dock.setWidget(panel)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)

    def _build_problem_panel(self) -> None:
        self.problem_list = QListWidget()
        self.problem_list.setWordWrap(True)
        dock = QDockWidget("Problems (rig check)", self)
        dock.setWidget(self.problem_list)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        self.resizeDocks([dock], [150], Qt.Orientation.Vertical)

    def _action(self, text: str, slot, shortcut: QKeySequence | str | None = None,
                checkable: bool = False) -> QAction:
        action = QAction(text, self, checkable=checkable)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        (action.toggled if checkable else action.triggered).connect(slot)
        return action

    def _build_actions(self) -> None:
        undo = self.undo_stack.createUndoAction(self, "Undo")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.undo_stack.createRedoAction(self, "Redo")
        redo.setShortcut(QKeySequence.StandardKey.Redo)
        self.mirror_action = self._action("Mirror drag", self._set_mirror, "M", checkable=True)
        self.weights_action = self._action("Weights", self._set_weights, "W", checkable=True)
        self.add_missing_action = self._action("Add missing joints", self.add_missing_joints)
        actions = [self._action("Save", self.save, QKeySequence.StandardKey.Save),
                   self._action("Save as…", self._save_as, QKeySequence.StandardKey.SaveAs),
                   undo, redo, self.mirror_action, self.weights_action, self.add_missing_action,
                   self._action("Fit", lambda: self.canvas.fit(), "F"),
                   self._action("Face", self.canvas.zoom_to_face, "Z")]
        toolbar = self.addToolBar("Rig")
        toolbar.setObjectName("rig")
        for action in actions:
            toolbar.addAction(action)
        self._update_add_missing()

    def _set_mirror(self, on: bool) -> None:
        self.canvas.mirror = on

    def _set_weights(self, on: bool) -> None:
        self.canvas.show_weights = on
        self.canvas.update()

    # -- the joints ------------------------------------------------------------------------

    def set_joints(self, joints: Joints) -> None:
        """Make `joints` the current joints (undo and redo come through here)."""
        self.joints = {name: np.asarray(place, dtype=float).copy() for name, place in joints.items()}
        self.canvas.joints = self.joints
        self.canvas.update()
        self._update_add_missing()
        self._rebind()
        self._check_timer.start()

    def _schedule_rebind(self) -> None:
        if not self._rebind_timer.isActive():
            self._rebind_timer.start()

    def _rebind(self) -> None:
        """Bind the drawing to the joints as they are now (weights and preview follow)."""
        self.illustration = self.document.rebound(self.canvas.joints)
        if self.illustration is not None:
            self.canvas.show_drawing(self.illustration, self.canvas.view_box)
        self._update_preview()

    def _recheck(self) -> None:
        self._show_problems(self.document.check(self.joints), opened=False)

    def _update_add_missing(self) -> None:
        missing = sum(name not in self.joints for name in JOINT_NAMES)
        self.add_missing_action.setEnabled(missing > 0)
        self.add_missing_action.setText(f"Add {missing} missing joints" if missing > 0
                                        else "Add missing joints")

    def add_missing_joints(self) -> None:
        """Place every missing joint where the template puts it, fitted to the others."""
        added = self.document.placed_missing(self.joints)
        if added:
            self.undo_stack.push(MoveJoints(self, dict(self.joints), {**self.joints, **added},
                                            f"add {len(added)} missing joints"))

    # -- problems --------------------------------------------------------------------------

    def _show_problems(self, report: CheckReport, opened: bool) -> None:
        self.report = report
        self.problem_list.clear()
        header = QListWidgetItem(report.summary() + (" (as the file was opened)" if opened else ""))
        header.setFont(QFont("Sans", 9, QFont.Weight.Bold))
        self.problem_list.addItem(header)
        for problem in report.problems:
            item = QListWidgetItem(f"{problem.severity}: {problem.message}\n    fix: {problem.fix}")
            item.setForeground(QColor(SEVERITY_COLOURS[problem.severity]))
            item.setToolTip(problem.code)
            self.problem_list.addItem(item)

    # -- trying poses ----------------------------------------------------------------------

    def try_test_pose(self, name: str) -> None:
        """Pose the preview with a built-in test pose (REST: the drawing as it is)."""
        self._trial = (name or REST, None)
        self._update_preview()

    def try_photo(self, path: str | Path) -> bool:
        """Pose the preview like the person in a photo; False (and a message) if none is found."""
        from poseanim.sources import read_image
        from poseanim.tracking.mediapipe_tracker import MediaPipeTracker

        try:
            rgb = read_image(path)
        except PoseanimError as error:
            self.try_status.setText(str(error))
            return False
        with MediaPipeTracker(video=False) as tracker:
            pose = tracker.track(rgb)
        if pose is None:
            self.try_status.setText(f"no person found in {Path(path).name}")
            return False
        self.try_status.setText(f"posed like the person in {Path(path).name}")
        self._trial = ("photo", pose)
        self._update_preview()
        return True

    def _choose_photo(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "A photo of a person", "",
                                              "Pictures (*.jpg *.jpeg *.png *.bmp *.webp)")
        if path:
            self.try_photo(path)

    def _toggle_webcam(self, on: bool) -> None:
        from poseanim.app.capture import SourceSpec

        if on:
            self.start_live(SourceSpec("camera"))
        else:
            self.stop_live()

    def start_live(self, spec) -> None:
        """Pose the preview from a live source (`capture.SourceSpec`: the webcam, or a video
        played like one), tracked on worker threads as the live window does."""
        from poseanim.app.capture import LivePipeline

        self.stop_live()
        self.try_status.setText(f"starting {spec.describe()}…")
        self._live_spec = spec
        self._pipeline = LivePipeline(spec, self.camera_frame.emit, self.camera_error.emit,
                                      lambda: None)

    def stop_live(self) -> None:
        """Stop the live source, if any, and go back to the chosen test pose."""
        if self._pipeline is not None:
            self._pipeline.stop()
            self._pipeline = None
            self.try_test_pose(self.pose_list.currentItem().text())

    def _show_camera_frame(self) -> None:
        frame = self._pipeline.results.take(0) if self._pipeline is not None else None
        if frame is not None and frame.pose is not None:
            selfie = self._live_spec.kind == "camera"
            self.try_status.setText(f"{self._live_spec.describe()}"
                                    + (" (mirrored, as a selfie)" if selfie else ""))
            self._trial = ("live", frame.pose.mirrored() if selfie else frame.pose)
            self._update_preview()

    def _camera_failed(self, message: str) -> None:
        self.try_status.setText(message)
        self.webcam.setChecked(False)

    def _play_step(self) -> None:
        self._play_phase = (self._play_phase + 0.033 / 2.0) % 1.0
        self.amount.setValue(round(50 - 50 * math.cos(2 * math.pi * self._play_phase)))

    def _update_preview(self) -> None:
        """Pose the preview with the current trial on the drawing bound to the current joints;
        a test pose is shown on the part of the canvas the joint view shows (zoom to the face,
        and the preview shows the face)."""
        illustration = self.illustration
        if illustration is None:
            self.try_status.setText("the drawing cannot be read; see the problems below")
            return
        kind, pose = self._trial
        if pose is not None:
            frame = illustration.pose(pose).fitted()
        else:
            x, y, width, height = illustration.view_box
            rest = illustration.drawing.joints
            trial = (illustration.rest_pose() if kind == REST else
                     pose_named(kind, rest, (round(x + width), round(y + height)),
                                self.amount.value() / 100))
            frame = replace(illustration.pose(trial), canvas=self.canvas.visible_box())
        self.preview.show_frame(frame, None)

    # -- files -----------------------------------------------------------------------------

    def save(self) -> bool:
        """Write the joints into the file; True when written."""
        try:
            path = self.document.save(self.joints)
        except PoseanimError as error:
            QMessageBox.warning(self, "Not saved", str(error))
            return False
        self.undo_stack.setClean()
        self.statusBar().showMessage(f"saved {path}")
        return True

    def _save_as(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save the rigged drawing as",
                                              str(self.document.path), "SVG (*.svg)")
        if path:
            self.document.path = Path(path)
            self.setWindowTitle(f"{self.document.path.name}[*] – poseanim rig editor")
            self.save()

    def _backdrop(self) -> QImage:
        """The document rendered as a picture, shown when its drawing cannot be bound."""
        rgba = png_to_rgba(render_png(self.document.source.to_bytes(), width=1600))
        image = QImage(rgba.data, rgba.shape[1], rgba.shape[0], rgba.shape[1] * 4,
                       QImage.Format.Format_RGBA8888)
        return image.copy()

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if not self.undo_stack.isClean():
            answer = QMessageBox.question(
                self, "Unsaved joints", f"Save the joints of {self.document.path.name}?",
                QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                | QMessageBox.StandardButton.Cancel)
            if answer == QMessageBox.StandardButton.Cancel or (
                    answer == QMessageBox.StandardButton.Save and not self.save()):
                event.ignore()
                return
        self.stop_live()
        event.accept()


def run_editor(path: str | Path) -> int:
    """Open the editor on `path` and run until its window closes."""
    from poseanim.app.window import qt_application, run_window

    document = RigDocument.open(path)  # a bad file is reported before any window opens
    qt_application()
    run_window(RigEditor(document))
    return 0
