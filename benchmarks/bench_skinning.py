"""Skinning benchmark: bind time and per-frame deformation per character and mode, before/after.

Run: `python benchmarks/bench_skinning.py`. "before" is the binding and deformation of
commit fc9dffa (Pose Animator's nearest-group binding, deformed by a Python loop over one dense
block per bone set), loaded from the repository's history with `git show` so that both run
side by side on the same machine in the same run; "shape" and "pa" are today's two modes (one
layout, a few dense products per frame, and the rotation blend of hands and feet in "shape"),
with the CPU time of today's linear blend alone and of the per-frame layout of commit
`LAYOUT_BEFORE` over the same binding beside them, measured in alternating rounds. Targets
(issues 9 and 15): bind < 2 s per character, deformation <= 100 µs per frame. Times are the
best of several repeats (the least disturbed by other work on the machine), deformation alone
(`skinning.deform`) and the whole `Illustration.pose` (scores, visibility, stroke scales)
beside it. The last table is a frame's deformation in both modes and two poses beside the
layout and `deform` of commit `--before REV` (default `PRODUCTS_BEFORE`) over today's pairs;
`--frames-only` prints it alone.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
import types
from dataclasses import replace
from pathlib import Path
from typing import Callable

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as poseanim's command line runs numpy
os.environ["POSEANIM_CACHE"] = "off"  # bind times are of binding, not of reading the cache

import numpy as np  # noqa: E402

import poseanim.illustration  # noqa: E402
from poseanim.illustration import Illustration, bundled_illustrations, load_illustration  # noqa: E402
from poseanim.pose import Pose  # noqa: E402
from poseanim.skinning import (  # noqa: E402
    SKINNING_MODES, deform, linearly_blended,
)
from poseanim.tracking.track_file import load_track  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
POSE = REPO / "tests" / "data" / "star_pose.json"
BEFORE = "fc9dffa"
LAYOUT_BEFORE = "3016225"  # the per-frame layout before distinct rows and one feature gather
PRODUCTS_BEFORE = "51c9e36"  # each block two matrix-vector products, one block per kind of bones
FIST = REPO / "tests" / "data" / "gestures" / "fist.json"


def best(function: Callable[[], object], repeat: int, number: int,
         clock: Callable[[], float] = time.perf_counter) -> float:
    """Best over `repeat` runs of the mean time of `number` calls, in seconds (of `clock`:
    wall time by default, `time.process_time` for CPU time, which a busy machine's neighbours
    inflate far less)."""
    function()
    times = []
    for _ in range(repeat):
        start = clock()
        for _ in range(number):
            function()
        times.append((clock() - start) / number)
    return min(times)


def table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(len(header))]
    def line(r: list[str]) -> str:
        return "  ".join(str(c).rjust(w) for c, w in zip(r, widths))
    return "\n".join([line(header), line(["-" * w for w in widths])] + [line(r) for r in rows])


def before_module(revision: str = BEFORE, path: str = "poseanim/skinning.py"
                  ) -> types.ModuleType | None:
    """A module of poseanim as it was at a commit (`BEFORE`'s skinning by default), or None
    without the history; it imports today's versions of the modules it uses."""
    try:
        source = subprocess.run(["git", "-C", str(REPO), "show", f"{revision}:{path}"],
                                capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    module = types.ModuleType(f"{Path(path).stem}_{revision}")
    sys.modules[module.__name__] = module  # dataclasses look their module up
    exec(compile(source, f"{revision}:{path}", "exec"), module.__dict__)
    return module


def before_row(old: types.ModuleType, name: str, joints_now: np.ndarray) -> list[str]:
    """Bind and deform one character with the old module (same points, same pose)."""
    character = load_illustration(name, skinning="shape")  # its rest points are the drawing's
    control = character.control_points
    local = [group.joints for group in character.drawing.secondary_groups]

    def bind():
        skeleton, domains = old.build_skeleton(character.drawing.joints, local)
        return skeleton, old.bind(control.positions, control.domain, skeleton, domains,
                                  control.weight_source)

    bind_s = best(bind, 3, 1)
    skeleton, binding = bind()
    extended = old.follow_local_joints(skeleton, joints_now)
    scales = old.region_scales(skeleton, extended)
    deform_s = best(lambda: old.deform(binding, skeleton, extended, scales), 7, 200)
    deform_cpu = best(lambda: old.deform(binding, skeleton, extended, scales), 7, 200,
                      time.process_time)
    return [name, "before", str(len(binding.weight)), f"{bind_s * 1000:.0f}",
            f"{deform_s * 1e6:.0f}", f"{deform_cpu * 1e6:.0f}", "", "", "",
            f"{len(binding.blocks)} blocks"]


def old_layout_deform(old: types.ModuleType, character: Illustration, extended: np.ndarray,
                      scales: tuple[float, float]) -> Callable[[], object]:
    """A frame's deformation by an older commit's layout and `deform` over today's pairs (the
    same binding, so the difference is the per-frame path alone; its hands and feet lack the
    rotation blend that came later, so it is checked on the other points)."""
    binding = character.binding
    layout = old.deform_layout(character.skeleton, character.rest_points, binding.pair_point,
                               binding.pair_bone, binding.weight, binding.t, binding.along,
                               binding.across)
    old_binding = types.SimpleNamespace(layout=layout)
    linear = np.ones(binding.point_count, dtype=bool)
    linear[binding.rotation.points] = False
    error = np.abs(old.deform(old_binding, character.skeleton, extended, scales)
                   - deform(binding, character.skeleton, extended, scales))[linear].max()
    if not error < 1e-2:
        raise SystemExit(f"layout of {LAYOUT_BEFORE} poses {character.name} {error:.3g} px apart")
    return lambda: old.deform(old_binding, character.skeleton, extended, scales)


def posed_joints(character: Illustration, pose: Pose) -> tuple[np.ndarray, tuple[float, float]]:
    """The joints and scales `Illustration.pose` deforms the character with for `pose` (its
    untracked hands riding the forearms, as a user's poses are), caught on their way in."""
    caught = []

    def catch(binding, skeleton, joints_now, scales):
        caught.append((joints_now, scales))
        return deform(binding, skeleton, joints_now, scales)

    poseanim.illustration.deform = catch  # type: ignore[assignment]
    try:
        character.pose(pose)
    finally:
        poseanim.illustration.deform = deform
    return caught[-1]


def frame_rows(name: str, mode: str, poses: dict[str, Pose], before: str) -> list[list[str]]:
    """A frame's whole deformation in one mode, today's beside commit `before`'s (its
    `deform_layout` and `deform` over today's pairs and joints) and, in shape mode, beside
    today's linear blend alone, per pose (a fist: every finger folded; a pose without tracked
    hands: rigid hands), CPU µs per frame in alternating rounds; today's points must agree with
    the old ones (the products are float32, summed in another order)."""
    character = load_illustration(name, skinning=mode)
    skeleton, binding = character.skeleton, character.binding
    old = before_module(before)
    linear = linearly_blended(binding, skeleton)
    then_binding = binding
    if old is not None:
        then_binding = replace(binding, layout=old.deform_layout(
            skeleton, character.rest_points, binding.pair_point, binding.pair_bone,
            binding.weight, binding.t, binding.along, binding.across, binding.rotation))
    rows = []
    for pose_name, pose in poses.items():
        joints, scales = posed_joints(character, pose)
        functions: list[Callable[[], object]] = [
            lambda: deform(binding, skeleton, joints, scales),
            lambda: deform(linear, skeleton, joints, scales)]
        then, error = ["", ""], ""
        if old is not None:
            difference = np.abs(old.deform(then_binding, skeleton, joints, scales)
                                - deform(binding, skeleton, joints, scales))
            if not difference.max() < 1e-3:
                raise SystemExit(f"{before} poses {name} {difference.max():.3g} px apart")
            error = f"{difference.max():.1e}"
            functions.append(lambda: old.deform(then_binding, skeleton, joints, scales))
        times = alternating(functions)
        if old is not None:
            then = [f"{times[2] * 1e6:.0f}", f"{times[2] / times[0]:.2f}"]
        rows.append([name, mode, pose_name, str(binding.rotation.points.size),
                     f"{times[0] * 1e6:.0f}", *then,
                     f"{times[1] * 1e6:.0f}" if mode == "shape" else "", error,
                     str(len(binding.layout.blocks))])
    return rows


def alternating(functions: list[Callable[[], object]], rounds: int = 7, number: int = 200
                ) -> list[float]:
    """Best CPU seconds per call of each function, measured in alternating rounds so that the
    machine's load falls on all of them alike."""
    times: list[list[float]] = [[] for _ in functions]
    for _ in range(rounds):
        for function, samples in zip(functions, times):
            samples.append(best(function, 1, number, time.process_time))
    return [min(samples) for samples in times]


def binding_table(pose: Pose) -> None:
    """Print bind time, deformation and pose time per character and mode, beside `BEFORE`'s
    binding and `LAYOUT_BEFORE`'s layout."""
    old = before_module()
    old_layout = before_module(LAYOUT_BEFORE)
    rows = []
    for name in sorted(bundled_illustrations()):
        character = load_illustration(name)
        joints_now = np.nan_to_num(pose.positions[: len(character.rest_joints)])
        if old is not None:
            rows.append(before_row(old, name, joints_now))
        for mode in SKINNING_MODES:
            character = load_illustration(name, skinning=mode)
            bind_s = best(lambda: Illustration(character.drawing, name, mode), 3, 1)
            extended, scales = posed_joints(character, pose)
            deform_s = best(lambda: deform(character.binding, character.skeleton, extended,
                                           scales), 7, 200)
            linear = linearly_blended(character.binding, character.skeleton)
            functions = [lambda: deform(character.binding, character.skeleton, extended, scales),
                         lambda: deform(linear, character.skeleton, extended, scales)]
            if old_layout is not None:
                functions.append(old_layout_deform(old_layout, character, extended, scales))
            cpu = [f"{seconds * 1e6:.0f}" for seconds in alternating(functions)] + [""]
            pose_s = best(lambda: character.pose(pose), 5, 100)
            layout = character.binding.layout
            rows.append([name, mode, str(len(character.binding.weight)),
                         f"{bind_s * 1000:.0f}", f"{deform_s * 1e6:.0f}", *cpu[:3],
                         f"{pose_s * 1e6:.0f}",
                         " + ".join("×".join(map(str, b.matrix.shape)) for b in layout.blocks)])
    print("Skinning per bundled character (bind: from the read drawing to a bound character; "
          "best of several runs)")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(table(rows, ["character", "mode", "pairs", "bind ms", "deform µs", "deform CPU µs",
                       "linear only", f"{LAYOUT_BEFORE} layout", "pose µs", "layout"]))
    if old is None:
        print(f"(no 'before' rows: commit {BEFORE} is not in this checkout's history)")
    print("targets: bind < 2000 ms, deform <= 100 µs (wall on an idle core; the CPU column is "
          "the fairer figure on a busy machine)\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", metavar="REV", default=PRODUCTS_BEFORE,
                        help="the commit whose per-frame deformation the last table compares "
                             f"with ({PRODUCTS_BEFORE})")
    parser.add_argument("--frames-only", action="store_true",
                        help="only the last table (no binding times, no older bindings)")
    args = parser.parse_args()
    pose = load_track(POSE).frames[0]
    if not args.frames_only:
        binding_table(pose)
    poses = {"fist": load_track(FIST).frames[0], "star (hands untracked)": pose}
    frames = [row for name in sorted(bundled_illustrations()) for mode in SKINNING_MODES
              for row in frame_rows(name, mode, poses, args.before)]
    print(f"A frame's deformation, CPU µs (alternating rounds, load average "
          f"{os.getloadavg()[0]:.1f}): today beside {args.before} over the same pairs, and in "
          f"shape mode beside today's linear blend alone; target <= 100 µs")
    print(table(frames, ["character", "mode", "pose", "rotation points", "deform", args.before,
                         "ratio", "linear only", "max diff px", "products"]))


if __name__ == "__main__":
    sys.exit(main())
