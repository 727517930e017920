"""Hand tracking benchmark: what hands cost per frame, the tracking rate with and without
them, and posing a character with fingers.

    python benchmarks/bench_hands.py [--frames 60] [--posing-only | --jitter | --fold-inside]

Tracking: MediaPipe in video mode on a 640×480 picture of a real person holding a hand up
(tests/data/hands/open_palm.jpg on a 640×480 canvas), the same picture every frame so that
every configuration sees the same pixels. "stage 2" is Face Mesh (and Hands) after Pose;
"pipelined fps" is what `track_stream` (and the live window, whose two tracking threads work
the same way) delivers with Pose and stage 2 on two threads at once.
Posing: `Illustration.pose` of the rig template with its hands and feet (fingers rotation
blended, as shipped, and the same binding with the plain linear blend), and of the same drawing
read without its hand and foot joints; then of each bundled character, rotation blended and
linear; then, per character, on the recorded gestures that show a hand from its other side,
what drawing that hand mirrored costs (`turned_over_cost`: the second deform of its own points,
against the whole drawing's deform it ran up to f996192). On a loaded machine run it with
OPENBLAS_NUM_THREADS=1: the posing products are tiny,
and OpenBLAS threads spinning against other processes swamp them (×3–8 swings otherwise).
--fold-inside: the fold inside's correction per frame (`fold_inside.inside_correction`), now
against `FOLD_INSIDE_BEFORE`'s, interleaved on the same joints: at rest and in each recorded
gesture, with the whole deform for scale.
Live default for hand tracking: the pipelined rate with hands is printed against 25 fps; the
live window decides by its own trial (benchmarks/bench_live.py prints its verdict).
Holistic: MediaPipe Holistic (body, face and both hands in one graph) against poseanim's Pose,
Face Mesh and Hands on crops around the wrists: the cost per frame on the same picture, and on
still photos (tests/data/hands, and every .jpg in --photos DIR) how many hands each finds and
how far apart their landmarks lie where both find one (median, in hand lengths: wrist to the
middle finger's knuckle).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import sys
import time
import types
import xml.etree.ElementTree as ET
from pathlib import Path

os.environ.setdefault("GLOG_minloglevel", "2")
REPO = Path(__file__).resolve().parent.parent
PHOTO = REPO / "tests" / "data" / "hands" / "open_palm.jpg"

import numpy as np  # noqa: E402

from bench_skinning import before_module  # noqa: E402

from poseanim.fold_inside import FoldInside, inside_correction  # noqa: E402
from poseanim.hand_mirror import turned_over  # noqa: E402
from poseanim.illustration import Illustration, load_illustration  # noqa: E402
from poseanim.pose import Pose  # noqa: E402
from poseanim.rig.reader import read_rigged_tree  # noqa: E402
from poseanim.rig.tables import EXTRA_JOINTS, KEYPOINT_INDEX, hand_joints  # noqa: E402
from poseanim.rig.template import template_svg  # noqa: E402
from poseanim.skinning import deform, linearly_blended, region_scales  # noqa: E402
from poseanim.sources import read_image  # noqa: E402
from poseanim.svg.document import parse_svg_text  # noqa: E402
from poseanim.tracking.mediapipe_graphs import HolisticGraph  # noqa: E402
from poseanim.tracking.mediapipe_tracker import MediaPipeTracker  # noqa: E402
from poseanim.tracking.track_file import load_track  # noqa: E402


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
    """Median ms of Pose and of stage 2, the pipelined frames per second, hands found per
    frame, and the CPU ms per frame of the two stages (all threads, whatever shares the
    cores)."""
    with MediaPipeTracker(video=True, hands=hands) as tracker:
        for _ in range(10):  # warm-up: graphs built, hands locked on
            tracker.track_picture(picture)
        body_ms, stage_ms = [], []
        found = 0
        cpu = time.process_time()
        for _ in range(frames):
            started = time.perf_counter()
            body = tracker.find_body(picture)
            middle = time.perf_counter()
            tracked = tracker.find_face(body)
            body_ms.append((middle - started) * 1000)
            stage_ms.append((time.perf_counter() - middle) * 1000)
            found += len(tracked.hands)
        cpu_ms = (time.process_time() - cpu) * 1000 / frames
        started = time.perf_counter()
        for _ in tracker.track_stream((i, picture) for i in range(frames)):
            pass
        fps = frames / (time.perf_counter() - started)
    return {"pose": statistics.median(body_ms), "stage2": statistics.median(stage_ms),
            "fps": fps, "hands": found / frames, "cpu": cpu_ms}


def holistic_cost(picture: np.ndarray, frames: int) -> tuple[float, float, float]:
    """MediaPipe Holistic per frame in video mode (body, face and hands): median ms, CPU ms,
    hands found."""
    with HolisticGraph(video=True) as holistic:
        for _ in range(10):
            holistic.hands(picture)
        times, found = [], 0
        cpu = time.process_time()
        for _ in range(frames):
            started = time.perf_counter()
            found += len(holistic.hands(picture))
            times.append((time.perf_counter() - started) * 1000)
        cpu_ms = (time.process_time() - cpu) * 1000 / frames
    return statistics.median(times), cpu_ms, found / frames


def hand_agreement(photos: list[Path]) -> dict[str, float]:
    """On still photos: hands found by the crop tracker and by Holistic, the photos where only
    one of them found a hand, and the median distance between their landmarks where both found
    the same hand (in hand lengths)."""
    ours, theirs, only_ours, only_theirs, gaps = 0, 0, 0, 0, []
    with MediaPipeTracker(video=False, hands=True) as tracker, HolisticGraph() as holistic:
        for photo in photos:
            rgb = read_image(photo)
            crop_hands = [hand.points for hand in tracker.track_picture(rgb).hands]
            holistic_hands = holistic.hands(rgb)
            ours, theirs = ours + len(crop_hands), theirs + len(holistic_hands)
            only_ours += bool(crop_hands) and not holistic_hands
            only_theirs += bool(holistic_hands) and not crop_hands
            for hand in crop_hands:
                size = float(np.linalg.norm(hand[9] - hand[0]))
                nearest = min(holistic_hands, default=None,
                              key=lambda other: float(np.linalg.norm(other[0] - hand[0])))
                if nearest is not None and np.linalg.norm(nearest[0] - hand[0]) < size:
                    gaps.append(float(np.median(np.linalg.norm(nearest - hand, axis=1))) / size)
    return {"photos": len(photos), "ours": ours, "holistic": theirs, "only_ours": only_ours,
            "only_holistic": only_theirs, "both": len(gaps),
            "gap": statistics.median(gaps) if gaps else float("nan")}


def linear_only(character: Illustration) -> Illustration:
    """The character with its binding's rotation blend left out (fingers blend linearly)."""
    linear = Illustration(character.drawing, character.name, character.skinning)
    linear.binding = linearly_blended(character.binding, character.skeleton)
    return linear


def median_pose_times(characters: dict[str, Illustration], repeats: int) -> dict[str, float]:
    """Median µs of `Illustration.pose` per character, on its rest pose moved a little each
    time; the characters interleaved so that the machine's load hits all alike."""
    rng = np.random.default_rng(1)
    shifts = [tuple(rng.normal(0, 3, 2)) for _ in range(repeats)]
    times: dict[str, list[float]] = {label: [] for label in characters}
    for index, shift in enumerate(shifts):
        for label, character in characters.items():
            rest = character.rest_pose()
            pose = rest.transformed(1.0, shift, rest.image_size)
            started = time.perf_counter()
            character.pose(pose)
            if index >= 20:  # the first poses warm caches up
                times[label].append((time.perf_counter() - started) * 1e6)
    return {label: statistics.median(values) for label, values in times.items()}


def template_illustration() -> Illustration:
    """The rig template (`poseanim rig template`) with its hands and feet, bound."""
    return Illustration(read_rigged_tree(parse_svg_text(template_svg(), "template.svg"),
                                         "template"), "template")


def posing_cost(repeats: int = 300) -> dict[str, float]:
    """Median µs of posing the template: with hands and feet (rotation-blended fingers, then
    linear), and without them."""
    with_hands = template_illustration()
    root = parse_svg_text(template_svg(), "template.svg")
    skeleton = next(e for e in root.iter() if e.get("id") == "skeleton")
    for element in list(skeleton):
        if element.get("id") in EXTRA_JOINTS:
            skeleton.remove(element)
    without = Illustration(read_rigged_tree(ET.fromstring(ET.tostring(root)), "t"), "t")
    return median_pose_times({"with hands and feet": with_hands,
                              "with hands and feet, linear finger blend": linear_only(with_hands),
                              "without hands and feet": without}, repeats)


def turned_over_cost(character: Illustration, repeats: int) -> tuple[list[str], list[float]]:
    """On the recorded gestures in which a hand of `character` is seen from its other side
    (drawn mirrored, `poseanim.hand_mirror`): their names, and the median µs of `pose`, of the
    second deform it runs (the hands' own points, `HandMirror.bindings`), and of the whole
    drawing's deform on the same joints (what that second deform was up to f996192); the three
    interleaved so that the machine's load hits all alike. The frame before is about
    pose - own + whole."""
    mirror, skeleton = character._hand_mirror, character.skeleton
    cases = []
    for path in sorted((REPO / "tests" / "data" / "gestures").glob("*.json")):
        pose = load_track(path).frames[0]
        assert pose is not None
        joints = character.pose(pose).joints
        turned = turned_over(mirror, joints)
        if turned is not None:
            cases.append((path.stem, pose, turned, region_scales(skeleton, joints)))
    steps = [lambda pose, turned, scales: character.pose(pose),
             lambda pose, turned, scales: [deform(mirror.bindings[hand], skeleton, turned.joints,
                                                  scales) for hand in turned.hands],
             lambda pose, turned, scales: deform(character.binding, skeleton, turned.joints,
                                                 scales)]
    times: list[list[float]] = [[] for _ in steps]
    for index in range(repeats):
        for _, pose, turned, scales in cases:
            for step, kept in zip(steps, times):
                started = time.perf_counter()
                step(pose, turned, scales)
                if index >= 20:  # the first rounds warm caches up
                    kept.append((time.perf_counter() - started) * 1e6)
    return [case[0] for case in cases], [statistics.median(kept) if kept else 0.0
                                         for kept in times]


def print_turned_over_cost(characters: dict[str, Illustration], repeats: int = 300) -> None:
    for name, character in characters.items():
        gestures, (now, own, whole) = turned_over_cost(character, repeats)
        if gestures:
            before = now - own + whole
            print(f"posing {name} with a hand turned over ({', '.join(gestures)}): {now:.0f} µs, "
                  f"of which its own points' deform {own:.0f} µs; the whole drawing's deform it "
                  f"replaced {whole:.0f} µs, so before ≈ {before:.0f} µs (now ×{now / before:.2f})")


JITTER_NOISE = 0.01
"""Landmark noise for `jitter`, in hand lengths (wrist to the middle finger's base): about what
MediaPipe's hand landmarks wander by on a still hand."""


def jitter(character: Illustration, pose: Pose, side: str, blended: np.ndarray,
           frames: int = 200) -> tuple[float, float]:
    """(p99, max) over `frames` of the most a point of the hand of `side` that blends its
    bones' rotations (or creases under a cap) moves from one frame to the next, in hand
    lengths, when its 20 finger joints wander by `JITTER_NOISE` (Gaussian, a fixed seed) about
    `pose`: a fold side or a turned-over hand flipping from one frame to the next shows as a
    jump far above what the same points do under the linear blend. blended: those points (of
    the shipped binding, the same for its linear twin)."""
    rng = np.random.default_rng(7)
    rows = [KEYPOINT_INDEX[name] for name in hand_joints(side)]
    wrist, middle = (pose.positions[KEYPOINT_INDEX[f"{side}{name}"]] for name in ("Wrist", "Middle1"))
    size = float(np.linalg.norm(middle - wrist))
    on_hand = np.flatnonzero(np.isin(character.binding.pair_bone, np.flatnonzero(np.isin(
        character.skeleton.bone_joints, [KEYPOINT_INDEX[f"{side}Wrist"], *rows]).all(axis=1))))
    points = np.intersect1d(character.binding.pair_point[on_hand], blended)
    previous, steps = None, []
    for _ in range(frames):
        positions = pose.positions.copy()
        positions[rows] += rng.normal(0, JITTER_NOISE * size, (len(rows), 2))
        posed = character.pose(Pose(positions, pose.scores, pose.image_size)).points[points]
        if previous is not None:
            steps.append(float(np.linalg.norm(posed - previous, axis=1).max()) / size)
        previous = posed
    return float(np.percentile(steps, 99)), max(steps)


def print_jitter() -> None:
    """`jitter` of every bundled character and the template in the recorded gestures, as
    shipped and with the linear blend alone (which has no fold side to flip)."""
    gestures = {"point": "right", "thumbs_up": "right", "fist": "left", "wave": "left"}
    print(f"hand jitter: the most a hand point moves between frames, landmarks wandering by "
          f"{JITTER_NOISE} hand lengths; p99 / max in hand lengths")
    for name, character in {"template": template_illustration(),
                            **{n: load_illustration(n) for n in ("ada", "bolt", "mira")}}.items():
        linear = linear_only(character)
        blended = np.concatenate([character.binding.rotation.points,
                                  character.binding.inside.points])
        for gesture, side in gestures.items():
            pose = load_track(REPO / "tests" / "data" / "gestures" / f"{gesture}.json").frames[0]
            assert pose is not None
            shipped = jitter(character, pose, side, blended)
            plain = jitter(linear, pose, side, blended)
            print(f"  {name:9}{gesture:10} shipped {shipped[0]:.3f} / {shipped[1]:.3f}   "
                  f"linear {plain[0]:.3f} / {plain[1]:.3f}")


FOLD_INSIDE_BEFORE = "8946af9"
"""poseanim/fold_inside.py before its early exit on the turns: every frame it read the fold of
each pair of a point and a bone, and past 120° it took the fingers' sides and shares for all."""


def before_fold_inside(fold: FoldInside) -> tuple[types.ModuleType, object] | None:
    """`FOLD_INSIDE_BEFORE`'s fold_inside module and `fold` in its layout (per pair its order
    and finger, where today's keeps them per turn); None without the history."""
    module = before_module(FOLD_INSIDE_BEFORE, "poseanim/fold_inside.py")
    if module is None:
        return None
    kept = {field.name: getattr(fold, field.name) for field in dataclasses.fields(fold)
            if field.name not in ("pair_turn", "turns", "along")}
    pair_turn = fold.turns[:, fold.pair_turn]
    return module, module.FoldInside(**kept, order=pair_turn[3], pair_finger=pair_turn[2])


def print_fold_inside_cost(repeats: int = 2000) -> None:
    """Median µs of the fold inside's correction, before and now, interleaved, per character at
    rest and in each recorded gesture (the two must agree to the bit), and of the whole
    deform now."""
    print(f"fold inside per frame, median µs of {repeats}: before ({FOLD_INSIDE_BEFORE}) / now "
          f"(ratio); whole deform now; whether the correction applies")
    for name, character in {"template": template_illustration(),
                            **{n: load_illustration(n) for n in ("ada", "bolt", "mira")}}.items():
        binding, skeleton = character.binding, character.skeleton
        before = before_fold_inside(binding.inside)
        if before is None:
            print(f"(no 'before': commit {FOLD_INSIDE_BEFORE} is not in this checkout's history)")
            return
        module, old = before
        frames = {"rest": skeleton.rest_joints}
        for path in sorted((REPO / "tests" / "data" / "gestures").glob("*.json")):
            pose = load_track(path).frames[0]
            assert pose is not None
            frames[path.stem] = character.pose(pose).joints
        for label, joints in frames.items():
            scale = region_scales(skeleton, joints)
            now, was = inside_correction(binding.inside, joints, scale[0]), \
                module.inside_correction(old, joints, scale[0])
            assert (now is None and was is None) or np.array_equal(now, was), (name, label)
            steps = [lambda: module.inside_correction(old, joints, scale[0]),
                     lambda: inside_correction(binding.inside, joints, scale[0]),
                     lambda: deform(binding, skeleton, joints, scale)]
            times: list[list[float]] = [[] for _ in steps]
            for index in range(repeats):
                for step, kept in zip(steps, times):
                    started = time.perf_counter()
                    step()
                    if index >= 20:  # the first rounds warm caches up
                        kept.append((time.perf_counter() - started) * 1e6)
            was_us, now_us, whole = (statistics.median(kept) for kept in times)
            print(f"  {name:9}{label:11} {was_us:6.1f} / {now_us:6.1f} (×{now_us / was_us:.2f})"
                  f"   deform {whole:6.0f}   {'applies' if now is not None else 'none'}")


def print_posing_cost(repeats: int = 300) -> None:
    costs = posing_cost(repeats)
    base = costs["without hands and feet"]
    for label, cost in costs.items():
        print(f"posing the template {label}: {cost:.0f} µs (×{cost / base:.2f})")
    bundled = {}
    for name in ("ada", "bolt", "mira"):
        character = load_illustration(name)
        bundled[name], bundled[f"{name} linear"] = character, linear_only(character)
    times = median_pose_times(bundled, repeats)
    for name in ("ada", "bolt", "mira"):
        print(f"posing {name}: {times[name]:.0f} µs with rotation-blended fingers, "
              f"{times[name + ' linear']:.0f} µs linear (×{times[name] / times[name + ' linear']:.2f})")
    print_turned_over_cost({"the template": template_illustration(),
                            **{name: bundled[name] for name in ("ada", "bolt", "mira")}}, repeats)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=60)
    parser.add_argument("--photos", type=Path, help="a folder of more .jpg photos of people "
                        "showing their hands, for Holistic against the crop tracker")
    parser.add_argument("--posing-only", action="store_true", help="only the posing cost")
    parser.add_argument("--jitter", action="store_true", help="only the hand jitter under "
                        "landmark noise (fold sides, turned-over hands)")
    parser.add_argument("--fold-inside", action="store_true", help="only the fold inside's "
                        "cost per frame, before and now")
    args = parser.parse_args()
    if args.fold_inside:
        print_fold_inside_cost()
        return 0
    if args.jitter:
        print_jitter()
        return 0
    if args.posing_only:
        print_posing_cost()
        return 0
    picture = picture_640x480()
    rows = {label: tracking_costs(picture, hands, args.frames)
            for label, hands in (("without hands", False), ("with hands", True))}
    print(f"tracking at 640×480, video mode, median of {args.frames} frames (2-core machine):")
    print(f"{'':16}{'Pose ms':>9}{'stage 2 ms':>12}{'pipelined fps':>15}{'hands/frame':>13}"
          f"{'CPU ms':>8}")
    for label, row in rows.items():
        print(f"{label:16}{row['pose']:9.1f}{row['stage2']:12.1f}{row['fps']:15.1f}"
              f"{row['hands']:13.2f}{row['cpu']:8.1f}")
    extra = rows["with hands"]["stage2"] - rows["without hands"]["stage2"]
    ratio = rows["with hands"]["fps"] / rows["without hands"]["fps"]
    print(f"hands cost {extra:.1f} ms per frame in stage 2; pipelined rate ×{ratio:.2f}")
    verdict = "on" if rows["with hands"]["fps"] >= 25 else "off"
    print(f"live default for hand tracking on this machine: {verdict} "
          f"(with hands {rows['with hands']['fps']:.1f} fps, target ≥ 25)")
    holistic, holistic_cpu, holistic_hands = holistic_cost(picture, args.frames)
    ours = rows["with hands"]["pose"] + rows["with hands"]["stage2"]
    ours_cpu = rows["with hands"]["cpu"]
    print(f"MediaPipe Holistic: {holistic:.1f} ms per frame on one thread, CPU {holistic_cpu:.1f} "
          f"ms, {holistic_hands:.2f} hands/frame; Pose + Face Mesh + Hands on crops one after "
          f"the other: {ours:.1f} ms, CPU {ours_cpu:.1f} ms (Holistic ×{holistic / ours:.2f} "
          f"wall, ×{holistic_cpu / ours_cpu:.2f} CPU), {rows['with hands']['fps']:.1f} fps "
          "pipelined (Holistic is one graph: it cannot be split over two threads)")
    photos = sorted((REPO / "tests" / "data" / "hands").glob("*.jpg"))
    photos += sorted(args.photos.glob("*.jpg")) if args.photos else []
    agreement = hand_agreement(photos)
    print(f"on {agreement['photos']} photos: hands found by crops {agreement['ours']}, by "
          f"Holistic {agreement['holistic']}; photos where only crops found a hand "
          f"{agreement['only_ours']}, only Holistic {agreement['only_holistic']}; where both found "
          f"one ({agreement['both']} hands) their landmarks lie {agreement['gap']:.3f} hand "
          "lengths apart (median)")
    print_posing_cost()
    return 0


if __name__ == "__main__":
    sys.exit(main())
