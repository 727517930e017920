"""Take the "bringing your own drawing" pictures of docs/rigging.md from the real corpus.

    python tools/screenshots/corpus.py

Each row is one third-party figure of tests/data/corpus (Open Clip Art Library, public domain)
as `rig init --auto` alone rigs it, at rest and in the five trial poses, with the quality
score's verdict under each and the placed bones over the rest picture (the same contact sheet
as `benchmarks/bench_art.py --pictures`).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("GLOG_minloglevel", "2")
REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "benchmarks"))

import cv2  # noqa: E402
import numpy as np  # noqa: E402

from bench_art import contact_sheet  # noqa: E402
from poseanim.rigging.trial import try_drawing  # noqa: E402
from poseanim.tracking.track_file import load_track  # noqa: E402

CORPUS = REPO / "tests" / "data" / "corpus" / "openclipart"
PICTURES = {
    "own-drawing-good.png": ("kid_01", "man01", "woman02"),
    "own-drawing-fix.png": ("woman_police_01_gerald_g_01", "nonno_sport_architetto_f_01", "man_02"),
}


def main() -> None:
    for filename, figures in PICTURES.items():
        walk = load_track(REPO / "tests" / "data" / "walk_track.json")
        rows = [contact_sheet(try_drawing(CORPUS / f"{name}.svg", track=walk)) for name in figures]
        picture = np.vstack(rows)
        picture = cv2.resize(picture, (picture.shape[1] * 3 // 4, picture.shape[0] * 3 // 4),
                             interpolation=cv2.INTER_AREA)
        path = REPO / "docs" / "images" / filename
        cv2.imwrite(str(path), picture[..., ::-1], [cv2.IMWRITE_PNG_COMPRESSION, 9])
        print(path)


if __name__ == "__main__":
    main()
