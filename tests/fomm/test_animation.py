"""FOMM's animation helpers (`fomm.animation`) that need no model: the keypoint hull area that
the adapted scale compares (the model's behaviour is `test_fomm`'s). Needs torch."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")
cv2 = pytest.importorskip("cv2")

from poseanim.fomm.animation import hull_area  # noqa: E402

pytestmark = pytest.mark.fomm


def test_hull_area_matches_opencv():
    points = np.random.default_rng(3).uniform(-1, 1, size=(10, 2))
    assert hull_area(points) == pytest.approx(
        cv2.contourArea(cv2.convexHull(points.astype(np.float32))), rel=1e-5
    )
    assert hull_area(np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]])) == 0.0
