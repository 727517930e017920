"""Sanity checks for the bundled characters: structure, joints, size and number precision.

Run ``python tools/illustrations/check.py`` after regenerating the illustrations.
"""
from __future__ import annotations

import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from svgkit import BODY_JOINTS, FACE_JOINTS, ILLUSTRATIONS

SVG = "{http://www.w3.org/2000/svg}"
NAMES = ("ada", "bolt", "mira")


def check(path: Path) -> list[str]:
    problems = []
    text = path.read_text()
    if len(text.encode()) > 150_000:
        problems.append(f"{len(text.encode())} bytes, over 150 KB")
    long_numbers = re.findall(r"\d+\.\d{3,}", text)
    if long_numbers:
        problems.append(f"numbers with more than 2 decimals: {long_numbers[:5]}")
    root = ET.fromstring(text)
    if root.tag != SVG + "svg" or not root.get("viewBox") or root.find(SVG + "title") is None:
        problems.append("root must be an <svg> with a viewBox and a <title>")
    groups = {g.get("id"): g for g in root.iter(SVG + "g")}
    skeleton, illustration = groups.get("skeleton"), groups.get("illustration")
    if skeleton is None or illustration is None:
        return problems + ["missing the skeleton or illustration group"]
    ids = [e.get("id") for e in skeleton.iter() if e.get("id") and e is not skeleton]
    missing = [n for n in BODY_JOINTS + FACE_JOINTS if n not in ids]
    if missing:
        problems.append(f"joints missing: {missing}")
    if len(ids) != len(set(ids)):
        problems.append("duplicate joint ids")
    joints = {e.get("id"): (float(e.get("cx")), float(e.get("cy"))) for e in skeleton}
    # The character's left is the viewer's right.
    for a, b in (("leftShoulder", "rightShoulder"), ("leftEye0", "rightEye0"),
                 ("leftMouthCorner", "rightMouthCorner"), ("leftJaw2", "rightJaw2")):
        if not joints[a][0] > joints[b][0]:
            problems.append(f"{a} should be on the viewer's right of {b}")
    drawn = [e for e in illustration.iter() if e is not illustration]
    if not drawn:
        problems.append("nothing drawn")
    return problems


def main() -> int:
    bad = 0
    for name in NAMES:
        path = ILLUSTRATIONS / f"{name}.svg"
        problems = check(path)
        size = path.stat().st_size
        print(f"{name}.svg: {size / 1000:.1f} KB, " + ("ok" if not problems else "; ".join(problems)))
        bad += bool(problems)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
