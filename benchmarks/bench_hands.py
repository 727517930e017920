"""Hand tracking benchmark: what hands cost per frame, the tracking rate with and without
them, and posing a character with fingers.

    python benchmarks/bench_hands.py [--frames 60]

Tracking: MediaPipe in video mode on a 640×480 picture of a real person holding a hand up
(tests/data/hands/open_palm.jpg on a 640×480 canvas), the same picture every frame so that
every configuration sees the same pixels. "stage 2" is Face Mesh (and Hands) after Pose;
"pipelined fps" is what `track_stream` (and the live window, whose two tracking threads work
the same way) delivers with Pose and stage 2 on two threads at once.
Posing: `Illustration.pose` of the rig template with its hands and feet, and of the same
drawing read without its hand and foot joints. Live default for hand tracking: on where the
pipelined rate with hands stays ≥ 25 fps.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

os.environ.setdefault("GLOG_minloglevel", "2")
REPO = Path(__file__).resolve().parent.parent
PHOTO = REPO / "tests" / "data" / "hands" / "open_palm.jpg"

import numpy as np  # noqa: E402

from poseanim.illustration import Illustration  # noqa: E402
from poseanim.rig.reader import read_rigged_tree  # noqa: E402
from poseanim.rig.tables import EXTRA_JOINTS  # noqa: E402
from poseanim.rig.template import template_svg  # noqa: E402
from poseanim.sources import read_image  # noqa: E402
from poseanim.svg.document import parse_svg_text  # noqa: E402
from poseanim.tracking.mediapipe_tracker import MediaPipeTracker  # noqa: E402


def picture_640x480() -> np.ndarray:
    """The photo scaled into a 640×480 grey canvas, as a webcam would frame a person."""
    import cv2

    photo = read_image(PHOTO)
    scale = 480 / photo.shape[0]
    resized = cv2.resize(photo, (round(photo.shape[1] * scale), 480), interpolation=cv2.INTER_AREA)
    canvas = np.full((480, 640, 3), 128, np.uint8)
    left = (640 - resized.shape[1]) // 2
    canvas[:, left:left + resized.shape[1]] = resized
    return canvas


def tracking_costs(picture: np.ndarray, hands: bool, frames: int) -> dict[str, float]:
    """Median ms of Pose and of stage 2, and the pipelined frames per second."""
    with MediaPipeTracker(video=True, hands=hands) as tracker:
        for _ in range(10):  # warm-up: graphs built, hands locked on
            tracker.track_picture(picture)
        body_ms, stage_ms = [], []
        found = 0
        for _ in range(frames):
            started = time.perf_counter()
            body = tracker.find_body(picture)
            middle = time.perf_counter()
            tracked = tracker.find_face(body)
            body_ms.append((middle - started) * 1000)
            stage_ms.append((time.perf_counter() - middle) * 1000)
            found += len(tracked.hands)
        started = time.perf_counter()
        for _ in tracker.track_stream((i, picture) for i in range(frames)):
            pass
        fps = frames / (time.perf_counter() - started)
    return {"pose": statistics.median(body_ms), "stage2": statistics.median(stage_ms),
            "fps": fps, "hands": found / frames}


def posing_cost(repeats: int = 300) -> tuple[float, float]:
    """Median µs of posing the template with hands and feet, and without them."""
    root = parse_svg_text(template_svg(), "template.svg")
    with_hands = Illustration(read_rigged_tree(root, "template"), "template")
    skeleton = next(e for e in root.iter() if e.get("id") == "skeleton")
    for element in list(skeleton):
        if element.get("id") in EXTRA_JOINTS:
            skeleton.remove(element)
    without = Illustration(read_rigged_tree(ET.fromstring(ET.tostring(root)), "t"), "t")
    results = []
    for character in (with_hands, without):
        pose = character.rest_pose()
        rng = np.random.default_rng(1)
        poses = [pose.transformed(1.0, tuple(rng.normal(0, 3, 2)), pose.image_size)
                 for _ in range(repeats)]
        for p in poses[:20]:
            character.pose(p)
        times = []
        for p in poses:
            started = time.perf_counter()
            character.pose(p)
            times.append((time.perf_counter() - started) * 1e6)
        results.append(statistics.median(times))
    return results[0], results[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=60)
    args = parser.parse_args()
    picture = picture_640x480()
    rows = {label: tracking_costs(picture, hands, args.frames)
            for label, hands in (("without hands", False), ("with hands", True))}
    print(f"tracking at 640×480, video mode, median of {args.frames} frames (2-core machine):")
    print(f"{'':16}{'Pose ms':>9}{'stage 2 ms':>12}{'pipelined fps':>15}{'hands/frame':>13}")
    for label, row in rows.items():
        print(f"{label:16}{row['pose']:9.1f}{row['stage2']:12.1f}{row['fps']:15.1f}"
              f"{row['hands']:13.2f}")
    extra = rows["with hands"]["stage2"] - rows["without hands"]["stage2"]
    ratio = rows["with hands"]["fps"] / rows["without hands"]["fps"]
    print(f"hands cost {extra:.1f} ms per frame in stage 2; pipelined rate ×{ratio:.2f}")
    verdict = "on" if rows["with hands"]["fps"] >= 25 else "off"
    print(f"live default for hand tracking on this machine: {verdict} "
          f"(with hands {rows['with hands']['fps']:.1f} fps, target ≥ 25)")
    with_hands, without = posing_cost()
    print(f"posing the template: {with_hands:.0f} µs with hands and feet, {without:.0f} µs "
          f"without (×{with_hands / without:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
