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
from poseanim.geometry import as_complex, as_points, similarity_fit
from poseanim.illustration import RIG_COUNT, Illustration
from poseanim.pose import FACE_ROWS, Pose
from poseanim.retarget import retarget
from poseanim.rig.reader import find_group, read_rigged_tree
from poseanim.rig.tables import JOINT_NAMES, KEYPOINT_INDEX
from poseanim.rigging.check import CheckReport, check_tree
from poseanim.rigging.quality import FrameQuality, pose_quality
from poseanim.rigging.sample_poses import pose_named
from poseanim.svg.document import parse_svg_text, read_svg_file
from poseanim.svg.text import SvgSource
from poseanim.tracking.track_file import PoseTrack

TRIAL_POSES = ("arms up", "arms crossed", "squat", "star", "walk")
"""The poses every figure is judged in; with a recorded track, `walk` is judged on its frames."""
TORSO = ("leftShoulder", "rightShoulder", "leftHip", "rightHip")


@dataclass
class Trial:
    """What happened to one drawing.

    rigged_by: 'file' (it came rigged), 'auto' (auto-rig placed the joints) or 'failed'.
    placement: auto-rig's sentence on where the joints came from. error: why it failed.
    poses: pose name → its quality; judged: pose name → the pose judged (for a track, its
    worst frame). illustration: the bound character, when one was built.
    """

    source: str
    rigged_by: str
    placement: str = ""
    error: str = ""
    check: CheckReport | None = None
    poses: dict[str, FrameQuality] = field(default_factory=dict)
    judged: dict[str, Pose] = field(default_factory=dict)
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


def track_on_drawing(illustration: Illustration, track: PoseTrack) -> list[Pose]:
    """The track's body poses moved onto the drawing: the person's angles at the drawing's own
    proportions (`retarget`), then placed on the drawing's torso, so that each frame can be
    judged against the drawing at rest in its own coordinates. The face is held as drawn,
    carried by the shoulders: the walk judges the body, and a recorded face of other
    proportions would judge the actor's head instead of the drawing's."""
    rest = illustration.rest_joints
    torso = [KEYPOINT_INDEX[name] for name in TORSO]
    size = (int(illustration.view_box[2]) + 1, int(illustration.view_box[3]) + 1)
    poses = []
    for pose in track.frames:
        if pose is None:
            continue
        positions = pose.positions.copy()
        positions[:RIG_COUNT] = retarget(positions[:RIG_COUNT], rest)
        usable = [row for row in torso if np.isfinite(positions[row]).all()
                  and np.isfinite(rest[row]).all()]
        fit = similarity_fit(positions[usable], rest[usable]) if len(usable) >= 2 else None
        if fit is None:
            continue
        factor, shift = fit
        placed = as_points(factor * as_complex(np.nan_to_num(positions)) + shift)
        placed[~np.isfinite(positions).all(axis=1)] = np.nan
        scores = pose.scores.copy()
        shoulders = [KEYPOINT_INDEX["leftShoulder"], KEYPOINT_INDEX["rightShoulder"]]
        carry = placed[shoulders].mean(axis=0) - rest[shoulders].mean(axis=0)
        face = np.isfinite(rest[FACE_ROWS]).all(axis=1)
        placed[FACE_ROWS] = rest[FACE_ROWS] + carry
        scores[FACE_ROWS] = np.where(face, 1.0, 0.0)
        poses.append(Pose(placed, scores, size))
    return poses


def _worst(qualities: list[FrameQuality]) -> int:
    """The first failing frame, else the frame farthest from the rest area."""
    failing = [i for i, quality in enumerate(qualities) if not quality.acceptable]
    return failing[0] if failing else int(np.argmax([abs(q.ink_ratio - 1) for q in qualities]))


def pose_trials(illustration: Illustration, poses: tuple[str, ...] = TRIAL_POSES,
                track: PoseTrack | None = None) -> dict[str, tuple[FrameQuality, Pose]]:
    """Each named sample pose built from the drawing's own joints, with its quality; with a
    `track`, `walk` is the worst of its frames moved onto the drawing."""
    rest = rest_joint_map(illustration)
    size = (int(illustration.view_box[2]) + 1, int(illustration.view_box[3]) + 1)
    result = {}
    for name in poses:
        frames = track_on_drawing(illustration, track) if name == "walk" and track else []
        frames = frames or [pose_named(name, rest, size)]
        qualities = [pose_quality(illustration, frame) for frame in frames]
        worst = _worst(qualities)
        result[name] = (qualities[worst], frames[worst])
    return result


def try_drawing(path: str | Path, poses: tuple[str, ...] = TRIAL_POSES,
                track: PoseTrack | None = None) -> Trial:
    """Open a drawing; rig it with `rig init --auto` when it has no skeleton; check and pose it
    (`walk` on the recorded `track` when one is given).

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
        trials = pose_trials(trial.illustration, poses, track)
        trial.poses = {name: quality for name, (quality, _) in trials.items()}
        trial.judged = {name: pose for name, (_, pose) in trials.items()}
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
