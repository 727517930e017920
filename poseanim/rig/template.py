"""The reference skeleton: every joint of the rig at sensible human proportions.

Positions come from `template.tsv` (a 600×900 canvas; the face is a symmetrised MediaPipe face
mesh of a frontal photo), so that a skeleton copied into a new drawing lines up with what the
trackers report.
"""

from __future__ import annotations

import csv
from importlib import resources

import numpy as np

TEMPLATE_CANVAS = (600.0, 900.0)


def template_joints() -> dict[str, np.ndarray]:
    """Joint name → (2,) position on the 600×900 template canvas, for all 85 joints."""
    text = resources.files("poseanim.rig").joinpath("template.tsv").read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line and not line.startswith("#")]
    return {row["name"]: np.array([float(row["x"]), float(row["y"])])
            for row in csv.DictReader(rows, delimiter="\t")}
