"""The camera picture with what the tracker found drawn on it.

Shown as it comes: a selfie view arrives mirrored from the pipeline (`LivePipeline(mirror=)`),
its picture, pose and landmarks alike, so nothing here flips.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from poseanim.app.capture import TrackedFrame
from poseanim.app.qt_painter import fit_transform, qt_points
from poseanim.rig.tables import BONES, KEYPOINT_INDEX

_BODY_BONES = np.array([(KEYPOINT_INDEX[b.joint0], KEYPOINT_INDEX[b.joint1])
                        for b in BONES if b.region == "body"])
_HAND_BONES = np.array([(KEYPOINT_INDEX[b.joint0], KEYPOINT_INDEX[b.joint1])
                        for b in BONES if b.region in ("hand", "foot")])
_HAND_COLOUR = QColor(255, 170, 40)
_LANDMARK_COLOUR = QColor(255, 255, 255)
_BONE_COLOUR = QColor(60, 200, 90)
_FACE_COLOUR = QColor(0, 200, 255, 170)


class CameraView(QWidget):
    """The newest camera picture, resizable with its aspect kept, landmarks on top.

    A pose-track source has no picture: its recorded joints are drawn on a dark canvas.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(160, 120)
        self.show_landmarks = True
        self.placeholder = "waiting for pictures…"
        self._frame: TrackedFrame | None = None
        self._image: QImage | None = None
        # raster mode: an avatar drawn half transparent over a square of the picture (in the
        # coordinates of the picture as shown, mirrored or not), to line a face up with it
        self.overlay: tuple[QImage, QRectF] | None = None
        self.overlay_opacity = 0.4

    def show_frame(self, frame: TrackedFrame) -> None:
        """Show the picture and landmarks of `frame` at the next paint."""
        self._frame = frame
        rgb = frame.capture.rgb
        self._image = None if rgb is None else QImage(
            rgb.data, rgb.shape[1], rgb.shape[0], rgb.strides[0], QImage.Format.Format_RGB888)
        self.update()

    def clear(self, placeholder: str) -> None:
        """Forget the picture (the source changed or failed) and show `placeholder`."""
        self._frame, self._image, self.placeholder = None, None, placeholder
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(30, 31, 35))
        frame = self._frame
        if frame is None:
            painter.setPen(QColor(200, 200, 200))
            painter.setFont(QFont("Sans", 11))
            painter.drawText(self.rect().adjusted(12, 12, -12, -12),
                             Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                             self.placeholder)
            painter.end()
            return
        width, height = frame.capture.image_size
        transform = fit_transform((0.0, 0.0, float(width), float(height)), QRectF(self.rect()))
        painter.setTransform(transform)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        if self._image is not None:
            painter.drawImage(QRectF(0, 0, width, height), self._image)
        else:
            painter.fillRect(QRectF(0, 0, width, height), QColor(45, 47, 54))
        if self.show_landmarks:
            self._paint_landmarks(painter, frame, 1 / transform.m11())
        if self.overlay is not None:
            image, rect = self.overlay
            painter.setOpacity(self.overlay_opacity)
            painter.drawImage(rect, image)
        painter.end()

    @staticmethod
    def _paint_landmarks(painter: QPainter, frame: TrackedFrame, pixel: float) -> None:
        """Rig body bones, the fingers and feet (in orange), MediaPipe's 33 landmarks and the
        face mesh; `pixel`: one screen pixel in image units, so lines keep their width at any
        zoom."""
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if frame.face_mesh is not None:
            painter.setPen(QPen(_FACE_COLOUR, 1.5 * pixel))
            painter.drawPoints(qt_points(frame.face_mesh))
        if frame.pose is not None:
            for bones, colour, width in ((_BODY_BONES, _BONE_COLOUR, 2.5),
                                         (_HAND_BONES, _HAND_COLOUR, 1.5)):
                ends = frame.pose.positions[bones].reshape(-1, 2)
                usable = np.isfinite(ends).all(axis=1).reshape(-1, 2).all(axis=1).repeat(2)
                painter.setPen(QPen(colour, width * pixel))
                painter.drawLines(qt_points(ends[usable]))
            if frame.landmarks is None:  # a recorded track: its joints are all there is
                joints = frame.pose.positions[np.isfinite(frame.pose.positions).all(axis=1)]
                painter.setPen(QPen(_LANDMARK_COLOUR, 3 * pixel, Qt.PenStyle.SolidLine,
                                    Qt.PenCapStyle.RoundCap))
                painter.drawPoints(qt_points(joints))
        if frame.landmarks is not None:
            painter.setPen(QPen(_LANDMARK_COLOUR, 5 * pixel, Qt.PenStyle.SolidLine,
                                Qt.PenCapStyle.RoundCap))
            painter.drawPoints(qt_points(frame.landmarks))
