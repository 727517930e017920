"""How close a posed drawing must come to an exact expectation (tests' shared helper).

The deform layout runs its products in float32 on the motion since the rest pose
(`poseanim.skinning.DeformLayout`), so a posed point is exact at rest and off by float32
rounding of the motion's size elsewhere. How much rounding depends on the CPU: BLAS picks
other kernels (and summation orders) on AVX2 and AVX-512 machines; an AMD EPYC rounds
~3e-7 of the motion where an Intel machine rounds ~1e-7. A tolerance in pixels fixed on one
machine therefore fails on another; one in units of the motion holds on both and still
catches any real error (a wrong weight moves points by pixels, not by 1e-6 of the motion).
"""

from __future__ import annotations

import numpy as np

#: float32 epsilon times the few dozen terms one product sums: 7.6e-6 of the motion
FLOAT32_SLACK = 64 * float(np.finfo(np.float32).eps)


def float32_tolerance(rest: np.ndarray, expected: np.ndarray) -> float:
    """The absolute tolerance (px) for posed points whose exact positions are `expected`
    and whose rest positions are `rest` (any matching shapes, real or complex)."""
    motion = float(np.abs(np.asarray(expected) - np.asarray(rest)).max(initial=0.0))
    return FLOAT32_SLACK * max(motion, 1.0)
