"""Live window soak: a looping video in the offscreen window for minutes; memory stays flat?

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_live_soak.py [--minutes 10]

The live window plays the moving-person test video, looped, with pose and face tracking, as
a camera would run all afternoon. Every `--every` seconds it records the process's resident
memory and the frames shown so far. The table gives frames per second per interval (frames
must keep flowing) and the memory slope, a least-squares fit of RSS against time after the
first minute (import and model warm-up), in MB per minute; a leak shows as a steady positive
slope, allocator noise as a slope near zero. `--raster`: the same in raster mode, the FOMM
worker animating a photo (the frames are the animated pictures shown). Not a test: nothing
here asserts a time.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("GLOG_minloglevel", "2")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

import numpy as np  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from bench_live import PHOTO, looping_window  # noqa: E402


def resident_mb() -> float:
    """This process's resident set size in MB (Linux /proc)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def raster_settings(folder: Path):
    """Raster mode as `poseanim live --fomm PHOTO` runs it: FOMM vox-256 (seeded random
    weights: the published ones cannot be downloaded here) animating the astronaut photo."""
    from fomm_checkpoint import save_legacy

    from poseanim.app.raster_worker import load_raster_settings
    from poseanim.fomm import random_checkpoint

    checkpoint = save_legacy(random_checkpoint("vox-256", seed=0), folder / "vox-cpk.pth.tar")
    return load_raster_settings(PHOTO, checkpoint, "fomm", "vox-256")


def soak(app: QApplication, minutes: float, every: float,
         raster: bool = False) -> list[tuple[float, int, float]]:
    """(seconds since start, frames shown, RSS MB) samples over the soak."""
    with tempfile.TemporaryDirectory() as folder:
        window = looping_window(Path(folder), fomm=raster_settings(Path(folder)) if raster else None)
        samples = []
        start = time.perf_counter()
        next_sample = start
        while time.perf_counter() - start < minutes * 60:
            app.processEvents()
            time.sleep(0.002)
            if time.perf_counter() >= next_sample:
                samples.append((time.perf_counter() - start, window.frames_shown, resident_mb()))
                next_sample += every
        window.close()
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="soak length (10)")
    parser.add_argument("--every", type=float, default=10.0, help="seconds between samples (10)")
    parser.add_argument("--raster", action="store_true",
                        help="raster mode: the FOMM worker animates a photo (needs torch)")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    samples = soak(app, args.minutes, args.every, args.raster)
    print(f"{'seconds':>8} {'frames':>8} {'fps':>6} {'RSS MB':>8}")
    previous = None
    for seconds, frames, rss in samples:
        fps = ((frames - previous[1]) / (seconds - previous[0])) if previous else float("nan")
        print(f"{seconds:8.0f} {frames:8d} {fps:6.1f} {rss:8.1f}")
        previous = (seconds, frames)
    settled = [(s, rss) for s, _, rss in samples if s >= 60] or [(s, rss) for s, _, rss in samples]
    times, memory = np.array(settled).T
    slope = np.polyfit(times / 60, memory, 1)[0] if len(times) > 1 else float("nan")
    stalled = sum(1 for a, b in zip(samples, samples[1:]) if b[1] == a[1])
    print(f"memory slope after the first minute: {slope:+.2f} MB/min "
          f"({memory.min():.0f}–{memory.max():.0f} MB); intervals without a new frame: {stalled}")


if __name__ == "__main__":
    main()
