"""Core benchmark: binding, deformation, SVG and PNG writing, and photo → SVG.

Run: `python benchmarks/bench_core.py` (or `make bench` for every benchmark). Prints a table;
targets from the issue: deformation < 0.5 ms per frame at 15,000 (point, bone) pairs, and
photo → SVG < 1 s once the models are loaded.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from statistics import median
from typing import Callable

os.environ.setdefault("GLOG_minloglevel", "2")
os.environ["POSEANIM_CACHE"] = "off"  # bind times are of binding, not of reading the cache

from poseanim import load_illustration, read_image  # noqa: E402
from poseanim.illustration import bundled_illustrations  # noqa: E402
from poseanim.render.png import render_png  # noqa: E402
from poseanim.render.svg_writer import svg_text  # noqa: E402
from poseanim.tracking.track_file import load_track  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
PHOTO = REPO / "examples" / "photos" / "astronaut.jpg"
POSE = REPO / "tests" / "data" / "astronaut_pose.json"


def timed(function: Callable[[], object], repeat: int) -> float:
    """Median wall time of `function` in milliseconds."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return median(samples)


def table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(len(header))]
    line = lambda r: "  ".join(str(c).rjust(w) for c, w in zip(r, widths))  # noqa: E731
    return "\n".join([line(header), line(["-" * w for w in widths])] + [line(r) for r in rows])


def reference_character(face_points: int = 200):
    """A template-rigged character with about 15,000 (point, bone) weights: limbs plus a face
    outline of `face_points` points (each carries one weight per face bone)."""
    import numpy as np

    from poseanim.illustration import Illustration
    from poseanim.rig.reader import read_rigged_tree
    from poseanim.svg.document import parse_svg_text
    from poseanim.rig.template import template_joints

    sys.path.insert(0, str(REPO / "tests"))
    from svg_factory import limb_shapes, rigged_svg

    centre = (template_joints()["leftJaw2"] + template_joints()["rightJaw2"]) / 2
    angles = np.linspace(0, 2 * np.pi, face_points // 3, endpoint=False)
    ring = " ".join(f"{centre[0] + 50 * np.cos(a):.2f},{centre[1] + 62 * np.sin(a):.2f}"
                    for a in angles)
    svg = rigged_svg(body=limb_shapes() + f'<polygon points="{ring}" fill="#fc9"/>')
    return Illustration(read_rigged_tree(parse_svg_text(svg, "reference"), "reference"),
                        "reference")


def main() -> None:
    pose = load_track(POSE).frames[0]
    rows = []
    reference = reference_character()
    reference_ms = timed(lambda: reference.pose(pose), 300)
    for name in sorted(bundled_illustrations()):
        bind_ms = timed(lambda: load_illustration(name), 3)
        character = load_illustration(name)
        frame = character.pose(pose)
        deform_ms = timed(lambda: character.pose(pose), 200)
        svg_ms = timed(lambda: svg_text(frame), 10)
        svg = svg_text(frame)
        png_ms = timed(lambda: render_png(svg, width=600), 5)
        rows.append([name, len(character.rest_points), len(character.binding.weight),
                     f"{bind_ms:.1f}", f"{deform_ms:.3f}", f"{svg_ms:.1f}", f"{png_ms:.1f}"])
    print("Per bundled illustration (median ms)")
    print(table(rows, ["illustration", "points", "pairs", "bind", "pose/frame", "SVG text",
                       "PNG 600px"]))

    from poseanim.tracking.mediapipe_tracker import MediaPipeTracker

    def photo_to_svg(tracker: MediaPipeTracker, character) -> bytes:
        return svg_text(character.pose(tracker.track(read_image(PHOTO))))

    character = load_illustration("ada")
    start = time.perf_counter()
    with MediaPipeTracker(video=False) as tracker:
        photo_to_svg(tracker, character)
        cold_ms = (time.perf_counter() - start) * 1000
        warm_ms = timed(lambda: photo_to_svg(tracker, character), 10)
    print("\nPhoto → posed SVG (astronaut 512×512, ada)")
    print(table([["with model loading", f"{cold_ms:.0f}", ""],
                 ["models loaded", f"{warm_ms:.0f}", "< 1000"]],
                ["", "ms", "target"]))
    print("\nDeformation at the target's size (template character, face of 200 points)")
    print(table([[len(reference.binding.weight), f"{reference_ms:.3f}", "< 0.5"]],
                ["pairs", "pose/frame ms", "target"]))


if __name__ == "__main__":
    main()
