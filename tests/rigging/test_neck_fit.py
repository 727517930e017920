"""The template fallback for a figure no tracker reads: a chibi's big head gets its own face
ring above the drawn neck instead of the template stretched over the whole drawing."""

import cv2
import numpy as np

from poseanim.rig.tables import FACE_JOINTS
from poseanim.rigging.auto_rig import neck_fitted_template
from poseanim.rigging.rendering import Raster


def figure(neck_width: int) -> Raster:
    """A chibi drawn at 2 px per unit: a head 160 px wide (rows 20-180), a neck `neck_width`
    px wide, a body 100 px wide (rows 200-400)."""
    alpha = np.zeros((420, 300), np.uint8)
    cv2.ellipse(alpha, (150, 100), (80, 80), 0, 0, 360, 255, -1)
    alpha[175:205, 150 - neck_width // 2:150 + neck_width // 2] = 255
    alpha[200:400, 100:200] = 255
    rgba = np.zeros((420, 300, 4), np.uint8)
    rgba[..., 3] = alpha
    return Raster("chibi.svg", rgba, np.array([10.0, 20.0]), 2.0)


def test_a_big_head_on_a_narrow_neck_gets_the_face_above_and_the_body_below_it():
    fitted = neck_fitted_template(figure(20))
    assert fitted is not None
    joints, neck = fitted
    assert 175 <= neck <= 205
    neck_y = 20.0 + neck / 2
    face = np.array([joints[name] for name in FACE_JOINTS])
    assert face[:, 1].max() <= neck_y + 1e-9 and face[:, 1].min() >= 20.0 + 20 / 2 - 1e-9
    assert np.ptp(face[:, 0]) > 0.9 * 160 / 2  # the face ring spans the drawn head
    for name in ("leftShoulder", "rightShoulder", "leftHip", "leftAnkle"):
        assert neck_y < joints[name][1] <= 20.0 + 400 / 2
        assert 10.0 + 100 / 2 <= joints[name][0] <= 10.0 + 200 / 2


def test_a_figure_without_a_narrow_neck_keeps_the_plain_template_fit():
    assert neck_fitted_template(figure(90)) is None
