"""Array types of poseanim, each named once with its shape and units.

Signatures then read as the domain (`points: Points`, `rgb: RGBImage`) and the shape lives here
instead of in every docstring. numpy's typing cannot check shapes; these names document them.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
"""Any float64 array."""

Point = FloatArray
"""shape (2,): x, y."""

Points = FloatArray
"""shape (N, 2): x, y per row (SVG user units or image pixels, as the name of the value says)."""

Joints = FloatArray
"""shape (K, 2): one row per keypoint of `poseanim.rig.tables.KEYPOINT_NAMES`, NaN when untracked."""

Scores = FloatArray
"""shape (K,): confidence 0–1 per keypoint, in the same order as `Joints`."""

Affine = FloatArray
"""shape (3, 3): a 2-D affine transform in homogeneous coordinates (last row 0, 0, 1)."""

RGBImage = npt.NDArray[np.uint8]
"""shape (H, W, 3): 8-bit RGB, rows top to bottom."""

RGBAImage = npt.NDArray[np.uint8]
"""shape (H, W, 4): 8-bit RGBA, straight (not premultiplied) alpha."""

PoseLandmarks = FloatArray
"""shape (33, 4): MediaPipe Pose landmarks, x and y in image pixels, visibility 0–1, then depth
(z in pixels, smaller nearer the camera)."""

FaceMesh = FloatArray
"""shape (468, 2): MediaPipe Face Mesh vertices in image pixels."""

AnyArray = npt.NDArray[Any]
"""An array whose dtype the callee does not care about."""
