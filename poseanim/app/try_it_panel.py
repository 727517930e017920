"""The rig editor's "try it" panel: what poses the preview while the joints are edited.

A built-in sample pose (`poseanim.rigging.sample_poses`) by an amount, or played back and forth; the
person in a photo; or a live source (the webcam, or a video played like one), tracked on
worker threads as the live window tracks it. Seeing the rig move while dragging its joints is
what tells whether they are in the right place.
"""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox, QFileDialog, QLabel, QListWidget, QPushButton, QSlider, QVBoxLayout, QWidget,
)

from poseanim.rigging.sample_poses import SAMPLE_POSES, pose_named
from poseanim.errors import PoseanimError
from poseanim.illustration import Illustration, PosedFrame
from poseanim.pose import Pose

if TYPE_CHECKING:
    from poseanim.app.capture import LivePipeline

REST = "rest (edit)"


class TryItPanel(QWidget):
    """The sample poses, the amount slider and play box, the photo and webcam buttons, and a
    line saying what poses the preview.

    `changed()` is emitted whenever the preview should be posed again (`posed`).
    """

    changed = Signal()
    camera_frame = Signal()
    camera_error = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self._trial: tuple[str, Pose | None] = (REST, None)
        self._pipeline: LivePipeline | None = None
        self._play_phase = 0.0
        self._play_timer = QTimer(self, interval=33)
        self._play_timer.timeout.connect(self._play_step)
        layout = QVBoxLayout(self)
        self.pose_list = QListWidget()
        self.pose_list.addItems([REST, *SAMPLE_POSES])
        self.pose_list.setCurrentRow(0)
        self.pose_list.currentTextChanged.connect(self.try_test_pose)
        layout.addWidget(self.pose_list)
        self.amount = QSlider(Qt.Orientation.Horizontal)
        self.amount.setRange(0, 100)
        self.amount.setValue(100)
        self.amount.valueChanged.connect(self.changed)
        layout.addWidget(QLabel("amount"))
        layout.addWidget(self.amount)
        self.play = QCheckBox("play (back and forth)")
        self.play.toggled.connect(self._set_playing)
        layout.addWidget(self.play)
        photo = QPushButton("Photo…")
        photo.clicked.connect(self._choose_photo)
        layout.addWidget(photo)
        self.webcam = QPushButton("Webcam")
        self.webcam.setCheckable(True)
        self.webcam.toggled.connect(self._toggle_webcam)
        layout.addWidget(self.webcam)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        layout.addStretch()
        self.camera_frame.connect(self._show_camera_frame)
        self.camera_error.connect(self._camera_failed)

    def posed(self, illustration: Illustration,
              visible_box: Callable[[], tuple[float, float, float, float]]) -> PosedFrame:
        """`illustration` posed by the current trial. A sample pose is shown on the canvas box
        `visible_box()` gives, the part the joint view shows (zoom to the face, and the
        preview shows the face); a tracked pose on its own picture's canvas."""
        kind, pose = self._trial
        if pose is not None:
            return illustration.pose(pose).fitted()
        x, y, width, height = illustration.view_box
        rest = illustration.drawing.joints
        trial = (illustration.rest_pose() if kind == REST else
                 pose_named(kind, rest, (round(x + width), round(y + height)),
                            self.amount.value() / 100))
        return replace(illustration.pose(trial), canvas=visible_box())

    def try_test_pose(self, name: str) -> None:
        """Pose the preview with a built-in sample pose (REST: the drawing as it is)."""
        self._trial = (name or REST, None)
        self.changed.emit()

    def try_photo(self, path: str | Path) -> bool:
        """Pose the preview like the person in a photo; False (and a message) if none is found."""
        from poseanim.sources import read_image
        from poseanim.tracking.mediapipe_tracker import MediaPipeTracker

        try:
            rgb = read_image(path)
        except PoseanimError as error:
            self.status.setText(str(error))
            return False
        with MediaPipeTracker(video=False) as tracker:
            pose = tracker.track(rgb)
        if pose is None:
            self.status.setText(f"no person found in {Path(path).name}")
            return False
        self.status.setText(f"posed like the person in {Path(path).name}")
        self._trial = ("photo", pose)
        self.changed.emit()
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
        self.status.setText(f"starting {spec.describe()}…")
        self._pipeline = LivePipeline(spec, self.camera_frame.emit, self.camera_error.emit,
                                      lambda: None, mirror=spec.kind == "camera")

    def stop_live(self) -> None:
        """Stop the live source, if any, and go back to the chosen sample pose."""
        if self._pipeline is not None:
            self._pipeline.stop()
            self._pipeline = None
            self.try_test_pose(self.pose_list.currentItem().text())

    def _show_camera_frame(self) -> None:
        pipeline = self._pipeline
        frame = pipeline.results.take(0) if pipeline is not None else None
        if pipeline is not None and frame is not None and frame.pose is not None:
            self.status.setText(f"{pipeline.spec.describe()}"
                                + (" (mirrored, as a selfie)" if frame.mirrored else ""))
            self._trial = ("live", frame.pose)
            self.changed.emit()

    def _camera_failed(self, message: str) -> None:
        self.status.setText(message)
        self.webcam.setChecked(False)

    def _set_playing(self, on: bool) -> None:
        if on:
            self._play_timer.start()
        else:
            self._play_timer.stop()

    def _play_step(self) -> None:
        self._play_phase = (self._play_phase + 0.033 / 2.0) % 1.0
        self.amount.setValue(round(50 - 50 * math.cos(2 * math.pi * self._play_phase)))
