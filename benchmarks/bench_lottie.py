"""Lottie benchmark: size and write speed of `poseanim video --track … -o OUT.json|.lottie`,
beside the animated SVG of the same frames, in one run.

Run: `python benchmarks/bench_lottie.py [--seconds 10]` (or `make bench`). The track is the
astronaut's pose swaying (as in bench_memory), rendered as Mira (gradients) and Ada at 480 px;
each export runs in this process, start-up excluded. CPU ms per frame is the whole command
(posing included) divided by the frames; --key-error 0 keeps every frame that moves, the
default 0.25 px and 1 px leave keys out where the motion is smooth.
"""

from __future__ import annotations

import argparse
import io
import os
import tempfile
import time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from bench_core import table
from bench_memory import FPS, walking_track

from poseanim.cli import main as poseanim

OUTPUTS = [("animated SVG", "out.svg", []),
           ("Lottie, --key-error 0", "exact.json", ["--key-error", "0"]),
           ("Lottie (0.25 px keys)", "out.json", []),
           ("Lottie, --key-error 1", "loose.json", ["--key-error", "1"]),
           ("dotLottie (0.25 px keys)", "out.lottie", [])]


def export(arguments: list[str]) -> float:
    """CPU seconds of one in-process `poseanim` command."""
    start = time.process_time()
    with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
        code = poseanim(arguments)
    if code != 0:
        raise SystemExit(f"poseanim {' '.join(arguments)} failed with exit code {code}")
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="clip length (10 s)")
    args = parser.parse_args()
    frames = round(args.seconds * FPS)
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        track = walking_track(work / "walk.json", frames)
        for character in ("mira", "ada"):
            svg_size = None
            for name, output, extra in OUTPUTS:
                path = work / f"{character}-{output}"
                cpu = export(["video", "--track", str(track), "-i", character, "-o", str(path),
                              "--fit", "--width", "480", *extra])
                size = path.stat().st_size
                svg_size = svg_size or size
                rows.append([f"{character}: {name}", f"{size / 1e6:.2f}",
                             f"{size / 1e3 / args.seconds:.0f}", f"{size / svg_size:.2f}",
                             f"{cpu * 1000 / frames:.1f}"])
    print(f"{frames} frames at {FPS:g} frames/s, 480 px wide (load average "
          f"{os.getloadavg()[0]:.1f})")
    print(table(rows, ["export", "MB", "kB per s", "× SVG size", "CPU ms/frame"]))


if __name__ == "__main__":
    main()
