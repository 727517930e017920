"""`poseanim rig edit`: drag a drawing's joints into place and try the rig as you go.

The window has the drawing with every joint as a handle (`joint_canvas`), a "try it" preview
posed by built-in sample poses, a photo or the webcam (`try_it_panel`), the `rig check`
problems of the document as it stands (`problem_list`), undo/redo, and save, which changes
only the moved joints' numbers in the file (`poseanim.rigging.editing`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QImage, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QDockWidget, QFileDialog, QMainWindow, QMessageBox, QSplitter, QWidget,
)

from poseanim.app.character_view import CharacterView
from poseanim.app.joint_canvas import JointCanvas, MoveJoints, joint_influence
from poseanim.app.problem_list import ProblemList
from poseanim.app.try_it_panel import TryItPanel
from poseanim.errors import PoseanimError
from poseanim.illustration import Illustration
from poseanim.render.at_rest import rendered
from poseanim.rigging.editing import Joints, RigDocument
from poseanim.rig.tables import missing_joint_names

__all__ = ["RigEditor", "joint_influence", "run_editor"]
"""joint_influence lives in `joint_canvas`; tests reach it from here."""

BACKDROP_WIDTH = 1600
"""Pixels across the picture of a drawing the editor cannot bind (it is zoomed into)."""


class RigEditor(QMainWindow):
    """The rig editor window for one `RigDocument`."""

    def __init__(self, document: RigDocument) -> None:
        super().__init__()
        self.document = document
        self.joints: Joints = {name: place.copy() for name, place in document.rest.items()}
        self.illustration: Illustration | None = document.illustration
        self.undo_stack = QUndoStack(self)

        self.canvas = JointCanvas()
        self.preview = CharacterView()
        splitter = QSplitter()
        splitter.addWidget(self.canvas)
        splitter.addWidget(self.preview)
        splitter.setSizes([620, 420])
        self.setCentralWidget(splitter)
        self.try_it = TryItPanel()
        self.try_it.changed.connect(self._update_preview)
        self._add_dock("Try it", self.try_it, Qt.DockWidgetArea.RightDockWidgetArea)
        # its parts under the names tests and scripts read them by
        self.pose_list, self.amount, self.try_status = (
            self.try_it.pose_list, self.try_it.amount, self.try_it.status)
        self.problem_list = ProblemList()
        problems = self._add_dock("Problems (rig check)", self.problem_list,
                                  Qt.DockWidgetArea.BottomDockWidgetArea)
        self.resizeDocks([problems], [150], Qt.Orientation.Vertical)
        self._build_actions()

        self._rebind_timer = QTimer(self, singleShot=True, interval=80)
        self._rebind_timer.timeout.connect(self._rebind)
        self._check_timer = QTimer(self, singleShot=True, interval=250)
        self._check_timer.timeout.connect(self._recheck)
        self.canvas.moving.connect(self._schedule_rebind)
        self.canvas.moved.connect(lambda before, after, text: self.undo_stack.push(
            MoveJoints(self.set_joints, before, after, text)))
        self.canvas.hovered.connect(lambda name: self.statusBar().showMessage(name))
        self.canvas.view_changed.connect(self._update_preview)
        self.undo_stack.cleanChanged.connect(lambda clean: self.setWindowModified(not clean))

        self._show_title()
        self.resize(1200, 800)
        backdrop = None if self.illustration is not None else self._backdrop()
        self.canvas.joints = self.joints
        self.canvas.show_drawing(self.illustration, self.document.view_box, backdrop)
        self.problem_list.show_report(document.report, opened=True)
        self._update_preview()
        if document.opened_note:
            self.statusBar().showMessage(document.opened_note + " (saved when you save)")

    # -- building --------------------------------------------------------------------------

    def _add_dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _action(self, text: str, slot,
                shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
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
        self.add_hands_action = self._action("Add hands and feet", self.add_hands_and_feet)
        actions = [self._action("Save", self.save, QKeySequence.StandardKey.Save),
                   self._action("Save as…", self._save_as, QKeySequence.StandardKey.SaveAs),
                   undo, redo, self.mirror_action, self.weights_action, self.add_missing_action,
                   self.add_hands_action,
                   self._action("Fit", lambda: self.canvas.fit(), "F"),
                   self._action("Face", self.canvas.zoom_to_face, "Z"),
                   self._action("Quit", self.close, "Ctrl+Q")]
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
        self.joints = {name: np.asarray(place, dtype=float).copy()
                       for name, place in joints.items()}
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
        missing = len(missing_joint_names(self.joints))
        self.add_missing_action.setEnabled(missing > 0)
        self.add_hands_action.setEnabled(bool(self.document.placed_extremities(self.joints)))
        self.add_missing_action.setText(f"Add {missing} missing joints" if missing > 0
                                        else "Add missing joints")

    def add_hands_and_feet(self) -> None:
        """Give every hand and foot that has no joints the template's: fitted to the drawn
        hand or shoe where there is one, else on its forearm or shin (fingers and toes that
        move; drag them where they belong)."""
        added = self.document.fitted_extremities(self.joints)
        if added:
            self.undo_stack.push(MoveJoints(self.set_joints, dict(self.joints),
                                            {**self.joints, **added},
                                            f"add {len(added)} hand and foot joints"))

    def add_missing_joints(self) -> None:
        """Place every missing joint where the template puts it, fitted to the others."""
        added = self.document.placed_missing(self.joints)
        if added:
            self.undo_stack.push(MoveJoints(self.set_joints, dict(self.joints),
                                            {**self.joints, **added},
                                            f"add {len(added)} missing joints"))

    # -- trying poses ----------------------------------------------------------------------

    def _update_preview(self) -> None:
        """Pose the preview as the try-it panel says, on the drawing bound to the current
        joints."""
        if self.illustration is None:
            self.try_it.status.setText("the drawing cannot be read; see the problems below")
            return
        self.preview.show_frame(self.try_it.posed(self.illustration, self.canvas.visible_box),
                                None)

    def try_photo(self, path: str | Path) -> bool:
        """Pose the preview like the person in a photo (`TryItPanel.try_photo`)."""
        return self.try_it.try_photo(path)

    def start_live(self, spec) -> None:
        """Pose the preview from a live source (`TryItPanel.start_live`)."""
        self.try_it.start_live(spec)

    def stop_live(self) -> None:
        """Stop the live source, if any (`TryItPanel.stop_live`)."""
        self.try_it.stop_live()

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
            self._show_title()
            self.save()

    def _show_title(self) -> None:
        self.setWindowTitle(f"{self.document.path.name}[*] – poseanim rig editor")

    def _backdrop(self) -> QImage:
        """The document rendered as a picture, shown when its drawing cannot be bound."""
        _, _, width, height = self.document.view_box
        size = (BACKDROP_WIDTH, max(round(BACKDROP_WIDTH * height / max(width, 1e-9)), 1))
        rgba = rendered(self.document.source, self.document.view_box, size)
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
