"""`poseanim rig edit`: drag a drawing's joints into place and try the rig as you go.

The window has the drawing with every joint as a handle (`joint_canvas`), a "try it" preview
posed by built-in test poses, a photo or the webcam, the `rig check` problems of the document
as it stands (`problem_list`), undo/redo, and save, which changes only the moved joints' numbers in the file
(`poseanim.rig.editing`).
"""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QImage, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QCheckBox, QDockWidget, QFileDialog, QLabel, QListWidget, QMainWindow, QMessageBox,
    QPushButton, QSlider, QSplitter, QVBoxLayout, QWidget,
)

from poseanim.app.character_view import CharacterView
from poseanim.app.joint_canvas import JointCanvas, MoveJoints, joint_influence
from poseanim.app.problem_list import ProblemList
from poseanim.app.test_poses import TEST_POSES, pose_named
from poseanim.errors import PoseanimError
from poseanim.illustration import Illustration
from poseanim.pose import Pose
from poseanim.render.png import png_to_rgba, render_png
from poseanim.rig.editing import Joints, RigDocument
from poseanim.rig.tables import JOINT_NAMES

__all__ = ["RigEditor", "joint_influence", "run_editor"]
"""joint_influence lives in `joint_canvas`; tests reach it from here."""

REST = "rest (edit)"


class RigEditor(QMainWindow):
    """The rig editor window for one `RigDocument`."""

    camera_frame = Signal()
    camera_error = Signal(str)

    def __init__(self, document: RigDocument) -> None:
        super().__init__()
        self.document = document
        self.joints: Joints = {name: place.copy() for name, place in document.rest.items()}
        self.illustration: Illustration | None = document.illustration
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
            MoveJoints(self.set_joints, before, after, text)))
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
        self.problem_list.show_report(document.report, opened=True)
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
        self.problem_list = ProblemList()
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
        self.problem_list.show_report(self.document.check(self.joints), opened=False)

    def _update_add_missing(self) -> None:
        missing = sum(name not in self.joints for name in JOINT_NAMES)
        self.add_missing_action.setEnabled(missing > 0)
        self.add_missing_action.setText(f"Add {missing} missing joints" if missing > 0
                                        else "Add missing joints")

    def add_missing_joints(self) -> None:
        """Place every missing joint where the template puts it, fitted to the others."""
        added = self.document.placed_missing(self.joints)
        if added:
            self.undo_stack.push(MoveJoints(self.set_joints, dict(self.joints),
                                            {**self.joints, **added},
                                            f"add {len(added)} missing joints"))

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
