"""Trying a drawing end to end, as a new user would: open, check, auto-rig, pose, judge.

The third-party corpus benchmark (`benchmarks/bench_art.py`) and its regression tests run
every figure through `try_drawing`; a person can do the same to see whether a drawing of
theirs will animate well before opening the editor.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from poseanim.errors import PoseanimError
from poseanim.illustration import Illustration
from poseanim.rig.reader import find_group, read_rigged_tree
from poseanim.rig.tables import JOINT_NAMES
from poseanim.rigging.check import CheckReport, check_tree
from poseanim.rigging.quality import FrameQuality, pose_quality
from poseanim.rigging.sample_poses import pose_named
from poseanim.svg.document import parse_svg_text, read_svg_file
from poseanim.svg.text import SvgSource

TRIAL_POSES = ("arms up", "arms crossed", "squat", "star", "walk")
"""The poses every figure is judged in."""


@dataclass
class Trial:
    """What happened to one drawing.

    rigged_by: 'file' (it came rigged), 'auto' (auto-rig placed the joints) or 'failed'.
    placement: auto-rig's sentence on where the joints came from. error: why it failed.
    poses: pose name → its quality. illustration: the bound character, when one was built.
    """

    source: str
    rigged_by: str
    placement: str = ""
    error: str = ""
    check: CheckReport | None = None
    poses: dict[str, FrameQuality] = field(default_factory=dict)
    illustration: Illustration | None = None
    rigged_text: bytes = b""

    @property
    def good(self) -> bool:
        """Whether the drawing posed acceptably in every trial pose."""
        return bool(self.poses) and all(quality.acceptable for quality in self.poses.values())

    def worst_problem(self) -> str:
        """The first problem of the first failing pose, or the error; '' when good."""
        if self.error:
            return self.error
        for name, quality in self.poses.items():
            if quality.problems:
                return f"{name}: {quality.problems[0]}"
        return ""


def rest_joint_map(illustration: Illustration) -> dict[str, np.ndarray]:
    """Joint name → rest position, for the joints the drawing has."""
    rest = illustration.rest_joints
    return {name: rest[i] for i, name in enumerate(JOINT_NAMES) if np.isfinite(rest[i]).all()}


def pose_trials(illustration: Illustration, poses: tuple[str, ...] = TRIAL_POSES
                ) -> dict[str, FrameQuality]:
    """The quality of each named sample pose built from the drawing's own joints."""
    rest = rest_joint_map(illustration)
    size = (int(illustration.view_box[2]) + 1, int(illustration.view_box[3]) + 1)
    return {name: pose_quality(illustration, pose_named(name, rest, size)) for name in poses}


def try_drawing(path: str | Path, poses: tuple[str, ...] = TRIAL_POSES) -> Trial:
    """Open a drawing; rig it with `rig init --auto` when it has no skeleton; check and pose it.

    Never raises for a bad drawing: what went wrong is in `Trial.error`.
    """
    from poseanim.rigging.auto_rig import rig_source

    source = str(path)
    try:
        root = read_svg_file(path)
        if find_group(root, "skeleton")[0] is not None:
            trial = Trial(source, "file")
            text = Path(path).read_bytes()
        else:
            rigged = rig_source(SvgSource.from_file(path), auto=True)
            trial = Trial(source, "auto", rigged.placement)
            text = rigged.document.to_bytes()
            root = parse_svg_text(text, source)
        trial.rigged_text = text
        trial.check = check_tree(root, source)
        trial.illustration = Illustration(read_rigged_tree(root, source), Path(path).stem)
        trial.poses = pose_trials(trial.illustration, poses)
        return trial
    except PoseanimError as error:
        return Trial(source, "failed", error=str(error))


@dataclass(frozen=True)
class CorpusEntry:
    """One row of a corpus manifest (`tests/data/corpus/manifest.tsv`): where a drawing came
    from, under which licence, made with which editor, and what should become of it."""

    path: Path
    source: str
    licence: str
    creator: str
    editor: str
    view: str
    style: str
    expected: str

    @property
    def front_facing(self) -> bool:
        """Whether the figure counts towards the front-facing target."""
        return self.view == "front"


def read_manifest(path: str | Path) -> list[CorpusEntry]:
    """The entries of a tab-separated manifest (`#` lines are comments, then a header row);
    each file path is relative to the manifest's folder."""
    folder = Path(path).parent
    lines = [line for line in Path(path).read_text(encoding="utf-8").splitlines()
             if line and not line.startswith("#")]
    header = lines[0].split("\t")
    entries = []
    for line in lines[1:]:
        row = dict(zip(header, line.split("\t")))
        entries.append(CorpusEntry(folder / row["file"], row["source"], row["licence"],
                                   row["creator"], row["editor"], row["view"], row["style"],
                                   row["expected"]))
    return entries
