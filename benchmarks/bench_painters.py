"""The three painters side by side: do they paint the same pixels, and what does each cost?

Run: `python benchmarks/bench_painters.py [--figures N] [--width PX]`. For the bundled
characters and the third-party corpus (`tests/data/corpus`, auto-rigged where it has no
skeleton, as `rig init --auto` does), the rest pose and 'arms up' are painted by every engine
of `poseanim.render.painter` (the document engine: posed SVG → cairosvg, what `write_png`
uses; the cairo painter: the posed arrays straight into cairo, what video frames use; Qt, what
the windows use) on white, and compared with the document engine's picture:

- `Δ mean`: mean absolute difference per channel (0–255) over the picture;
- `off %`: share of pixels with a channel more than 32 apart (edges antialiased differently
  give a few tenths of a percent; a missing part gives percents);
- `ms`: CPU milliseconds per frame (process time, median of three).

`doc?` says whether the drawing holds what only the document engine draws
(`painter.needs_document`: content outside the illustration, text, pictures, `<use>`,
markers, clips, masks, filters).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from poseanim.illustration import bundled_illustrations, load_illustration  # noqa: E402
from poseanim.render.canvas import raster_size  # noqa: E402
from poseanim.render.painter import make_painter, needs_document  # noqa: E402
from poseanim.rigging.trial import pose_trials, read_manifest, try_drawing  # noqa: E402

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
MANIFEST = DATA / "corpus" / "manifest.tsv"
OFF = 32


def compare(picture: np.ndarray, reference: np.ndarray) -> tuple[float, float]:
    """(mean absolute difference per channel, % of pixels with a channel > OFF apart)."""
    difference = np.abs(picture.astype(np.int16) - reference.astype(np.int16))
    return float(difference.mean()), float((difference.max(axis=2) > OFF).mean() * 100)


def cpu_ms(paint) -> tuple[float, np.ndarray]:
    """Median CPU milliseconds of three calls, and the picture."""
    times, picture = [], None
    for _ in range(3):
        start = time.process_time()
        picture = paint()
        times.append((time.process_time() - start) * 1000)
    assert picture is not None
    return statistics.median(times), picture


def figures(count: int | None):
    """(name, illustration) of the bundled characters, then of the corpus."""
    for name in bundled_illustrations():
        yield name, load_illustration(name)
    entries = read_manifest(MANIFEST)
    for entry in entries[:count]:
        trial = try_drawing(entry.path, poses=("arms up",))
        if trial.illustration is not None:
            yield entry.path.stem, trial.illustration
        else:
            print(f"{entry.path.stem:28} not posed: {trial.error[:60]}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--figures", type=int, help="only the first N corpus figures")
    parser.add_argument("--width", type=int, default=360, help="picture width (default 360)")
    args = parser.parse_args()
    engines = ["document", "cairo"]
    try:
        from PySide6.QtGui import QGuiApplication

        from poseanim.app.qt_painter import QtImagePainter

        application = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841
        engines.append("qt")
    except ImportError:
        print("(PySide6 missing: no Qt column)")
    print(f"{'figure':28} {'doc?':4} {'pose':8} " + " ".join(
        f"{engine + ' ms':>11}" for engine in engines) + "  " + "  ".join(
        f"{engine + ' Δ mean / off %':>22}" for engine in engines[1:]))
    rows: dict[str, list[tuple[float, float, float]]] = {engine: [] for engine in engines}
    for name, illustration in figures(args.figures):
        special = needs_document(illustration.drawing)
        arms_up = pose_trials(illustration, ("arms up",))["arms up"][1]
        for label, pose in (("rest", illustration.rest_pose()), ("arms up", arms_up)):
            frame = illustration.pose(pose).fitted()
            size = raster_size(frame.canvas, args.width)
            pictures, costs = {}, {}
            for engine in engines:
                painter = (QtImagePainter(illustration, size) if engine == "qt"
                           else make_painter(illustration, size, engine))
                costs[engine], pictures[engine] = cpu_ms(lambda: painter.paint(frame))
            cells = []
            for engine in engines[1:]:
                mean, off = compare(pictures[engine], pictures["document"])
                rows[engine].append((mean, off, float(special)))
                cells.append(f"{mean:10.2f} / {off:6.2f}")
            print(f"{name[:28]:28} {'yes' if special else 'no':4} {label:8} "
                  + " ".join(f"{costs[e]:11.1f}" for e in engines) + "  "
                  + "  ".join(f"{cell:>22}" for cell in cells), flush=True)
    for engine in engines[1:]:
        plain = [row for row in rows[engine] if not row[2]]
        special_rows = [row for row in rows[engine] if row[2]]
        for title, chosen in (("without document-only content", plain),
                              ("with document-only content", special_rows)):
            if chosen:
                print(f"{engine} vs document, {title}: {len(chosen)} frames, Δ mean median "
                      f"{statistics.median(r[0] for r in chosen):.2f}, off % median "
                      f"{statistics.median(r[1] for r in chosen):.2f}, max "
                      f"{max(r[1] for r in chosen):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
