"""Third-party art benchmark: every figure of the corpus opened, checked, auto-rigged, posed.

Run: `python benchmarks/bench_art.py [--pictures DIR]`. Prints one row per figure of
`tests/data/corpus/manifest.tsv` (drawings nobody on the project made: Open Clip Art Library
figures from Debian's openclipart-svg and Pose Animator's own rigged characters) with how it
was rigged, the verdict of the quality score in each trial pose, and the first problem; then
the good rates. Targets from the issue: ≥ 90 % of the front-facing figures pose acceptably
with `rig init --auto` alone, 100 % of the rigged Pose Animator files. `--pictures` writes
one contact sheet per figure (rest, then each pose, the verdict under it) to look at.
`--before REV` also judges every figure, on the very same rig, with the skinning module of
commit REV (loaded from git), and `--pa` with Pose Animator's binding: a change to binding
is then measured against the old one in one run, free of the tracker's run-to-run drift.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
import types
from pathlib import Path
from unittest import mock

os.environ.setdefault("GLOG_minloglevel", "2")
os.environ["POSEANIM_CACHE"] = "off"  # bind times are of binding, not of reading the cache

import cv2  # noqa: E402
import numpy as np  # noqa: E402

import poseanim.binding_cache  # noqa: E402
import poseanim.illustration  # noqa: E402
from bench_skinning import before_module  # noqa: E402
from poseanim.render.cairo_painter import CairoPainter  # noqa: E402
from poseanim.rig.tables import FACE_JOINTS, KEYPOINT_INDEX  # noqa: E402
from poseanim.rig.reader import read_rigged_tree  # noqa: E402
from poseanim.rigging.quality import FrameQuality  # noqa: E402
from poseanim.svg.document import parse_svg_text  # noqa: E402
from poseanim.tracking.track_file import PoseTrack, load_track  # noqa: E402
from poseanim.rigging.trial import (  # noqa: E402
    TRIAL_POSES, Trial, pose_trials, read_manifest, try_drawing,
)

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
MANIFEST = DATA / "corpus" / "manifest.tsv"
WALK = DATA / "walk_track.json"
CELL = 220
FIRST_FACE_ROW = min(KEYPOINT_INDEX[name] for name in FACE_JOINTS)


def draw_bones(cell: np.ndarray, illustration, joints: np.ndarray) -> None:
    """The skeleton's bones as thin lines over a painted cell, to judge where auto-rig put
    the joints (the face's bones are left out: they would hide it)."""
    for a, b in illustration.skeleton.bone_joints:
        if np.isfinite(joints[[a, b]]).all() and max(a, b) < FIRST_FACE_ROW:
            start, end = (tuple(int(v) for v in np.round(joints[i])) for i in (a, b))
            cv2.line(cell, start, end, (230, 0, 160), 1, cv2.LINE_AA)


def contact_sheet(trial: Trial) -> np.ndarray:
    """(H, W, 3) RGB: the figure at rest and in each trial pose, one fit for all, verdicts."""
    illustration = trial.illustration
    frames = [illustration.pose(illustration.rest_pose())]
    frames += [illustration.pose(trial.judged[name]) for name in trial.poses]
    points = np.concatenate([frame.points for frame in frames])
    low, high = points.min(axis=0), points.max(axis=0)
    scale = CELL * 0.86 / max(float((high - low).max()), 1e-9)
    offset = np.array([CELL / 2, CELL * 0.46]) - (low + high) / 2 * scale
    painter = CairoPainter(illustration, (CELL, CELL))
    cells = []
    labels = [("rest", True)] + [(name, quality.acceptable) for name, quality in trial.poses.items()]
    for index, (frame, (label, good)) in enumerate(zip(frames, labels)):
        cell = painter.paint(frame.moved(scale, offset, (0.0, 0.0, CELL, CELL))).copy()
        if index == 0:
            draw_bones(cell, illustration, frame.joints * scale + offset)
        colour = (20, 130, 40) if good else (200, 30, 30)
        cv2.putText(cell, label + ("" if good else " X"), (6, CELL - 8), cv2.FONT_HERSHEY_SIMPLEX,
                    0.5, colour, 1, cv2.LINE_AA)
        cells.append(cell)
    return np.hstack(cells)


def judged_again(trial: Trial, walk: PoseTrack, skinning: str = "shape",
                 module: types.ModuleType | None = None,
                 drawing: types.ModuleType | None = None) -> dict[str, FrameQuality]:
    """The trial's rigged drawing bound again (with `skinning`, or by another skinning
    module's `bind` and posed by its `deform`, so that a revision whose binding had another
    layout still runs) and judged in the same poses. `drawing`: that revision's illustration
    module, whose control points (strokes cut or not) are then the ones bound."""
    root = parse_svg_text(trial.rigged_text, trial.source)
    own = drawing or poseanim.illustration
    cache = poseanim.binding_cache  # illustration binds through it (off here: it calls bind)
    with contextlib.ExitStack() as patches:
        if module:
            for target in (cache, own):
                if hasattr(target, "bind"):
                    patches.enter_context(mock.patch.object(target, "bind", module.bind))
            patches.enter_context(mock.patch.object(own, "deform", module.deform))
        illustration = own.Illustration(read_rigged_tree(root, trial.source),
                                        Path(trial.source).stem, skinning=skinning)
        return {name: quality for name, (quality, _) in pose_trials(illustration, TRIAL_POSES,
                                                                     walk).items()}


def verdicts(poses: dict[str, FrameQuality]) -> str:
    """One column per trial pose."""
    return (" ".join(f"{('ok' if q.acceptable else 'BAD'):7}" for q in poses.values())
            or " ".join(f"{'-':7}" for _ in TRIAL_POSES))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pictures", type=Path, help="folder for one contact sheet per figure")
    parser.add_argument("figures", nargs="*", help="only these figures (file stems), to look "
                        "at a few")
    parser.add_argument("--before", metavar="REV", action="append", default=[],
                        help="also judge with skinning.py of commit REV (may be repeated)")
    parser.add_argument("--pa", action="store_true", help="also judge with `--skinning pa`")
    args = parser.parse_args()
    others: list[tuple[str, str, types.ModuleType | None, types.ModuleType | None]] = []
    for revision in args.before:
        module = before_module(revision)
        if module is None:
            print(f"error: cannot read poseanim/skinning.py at {revision} from git", file=sys.stderr)
            return 2
        try:  # its own control points too, when its illustration runs with today's modules
            drawing = before_module(revision, "poseanim/illustration.py")
        except ImportError:
            drawing = None
        others.append((revision[:9], "shape", module, drawing))
    others += [("pa", "pa", None, None)] if args.pa else []
    if args.pictures:
        args.pictures.mkdir(parents=True, exist_ok=True)
    entries = [entry for entry in read_manifest(MANIFEST)
               if not args.figures or entry.path.stem in args.figures]
    walk = load_track(WALK)
    header = f"{'figure':34} {'editor':12} {'view':13} {'rig':5} " + " ".join(
        f"{name[:7]:7}" for name in TRIAL_POSES) + "  s/fig  first problem"
    print(header)
    counts = {"front": [0, 0], "rigged": [0, 0]}
    other_counts = {label: {"front": 0, "rigged": 0} for label, _, _, _ in others}
    for entry in entries:
        start = time.perf_counter()
        trial = try_drawing(entry.path, track=walk)
        seconds = time.perf_counter() - start
        print(f"{entry.path.name[:34]:34} {entry.editor.split(' (')[0][:12]:12} {entry.view[:13]:13} "
              f"{trial.rigged_by:5} {verdicts(trial.poses)}  {seconds:5.1f}  "
              f"{trial.worst_problem()[:70]}", flush=True)
        kind = "rigged" if trial.rigged_by == "file" or "rigged" in entry.expected else (
            "front" if entry.front_facing else None)
        if kind:
            counts[kind][0] += trial.good
            counts[kind][1] += 1
        for label, skinning, other, drawing in others:
            if trial.illustration is None:
                continue
            poses = judged_again(trial, walk, skinning, other, drawing)
            print(f"{'':34} {'':12} {label:>13} {'':5} {verdicts(poses)}", flush=True)
            if kind:
                other_counts[label][kind] += all(q.acceptable for q in poses.values())
        if args.pictures and trial.illustration is not None:
            sheet = contact_sheet(trial)
            cv2.imwrite(str(args.pictures / f"{entry.path.stem}.png"), sheet[..., ::-1])
    for kind, label in (("front", "front-facing figures, `rig init --auto` alone"),
                        ("rigged", "rigged Pose Animator files")):
        good, total = counts[kind]
        if total:
            print(f"good rate, {label}: {good}/{total} = {good / total:.0%}")
            for other, other_count in other_counts.items():
                print(f"  the same rigs with {other}: {other_count[kind]}/{total} = "
                      f"{other_count[kind] / total:.0%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
