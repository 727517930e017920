"""Joint labels of the live window's character view stay readable: no two overlap."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter

from poseanim.app.character_view import Overlays, paint_character, place_labels
from poseanim.illustration import load_illustration
from poseanim.app.qt_painter import fit_transform, image_rgb
from poseanim.rig.tables import JOINT_NAMES

pytestmark = pytest.mark.gui


@pytest.mark.parametrize("size", [320, 900])
def test_labels_never_overlap_and_body_joints_come_first(qt_app, size, tmp_path):
    illustration = load_illustration("ada")
    frame = illustration.pose(illustration.rest_pose())
    canvas = QRectF(0, 0, size, size)
    transform = fit_transform(frame.canvas, canvas)
    points = [(name, transform.map(QPointF(*xy))) for name, xy in
              zip(JOINT_NAMES, frame.joints[:len(JOINT_NAMES)].tolist()) if np.isfinite(xy).all()]
    points = [(name, point) for name, point in points if canvas.contains(point)]
    font = QFont("Sans", 8)
    placed = place_labels(points, QFontMetricsF(font), canvas)
    boxes = [box for _, box in placed]
    assert all(not a.intersects(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
    names = {name for name, _ in placed}
    assert {"leftShoulder", "rightShoulder", "leftHip", "rightHip"} <= names
    if size == 900:
        assert len(names) > 20
    image = QImage(size, size, QImage.Format.Format_RGB888)
    image.fill(QColor("white"))
    painter = QPainter(image)
    paint_character(painter, canvas, frame, None, overlays=Overlays(bones=True, labels=True))
    painter.end()
    assert image_rgb(image).std() > 10
    image.save(str(tmp_path / f"labels-{size}.png"))
