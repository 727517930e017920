"""The rig's joint and bone tables (`joints.tsv`, `bones.tsv`), loaded once at import.

Joint order here is the order of every joint-indexed array in poseanim: a `Pose` holds one row
per name in `KEYPOINT_NAMES` (the rig's joints, then the two ears that the face-lost fallback
needs), and a binding refers to joints by these indices.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources
from typing import Literal

Region = Literal["body", "face"]


@dataclass(frozen=True)
class JointSpec:
    """A joint of the rig: its id prefix in the skeleton group and where the tracker finds it."""

    name: str
    region: Region
    tracker_index: int  # MediaPipe Pose landmark (body) or face-mesh vertex (face)


@dataclass(frozen=True)
class BoneSpec:
    """A bone between two joints; `group` decides which points may bind to it."""

    joint0: str
    joint1: str
    region: Region
    group: str


def _read_table(filename: str) -> list[dict[str, str]]:
    text = resources.files("poseanim.rig").joinpath(filename).read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line and not line.startswith("#")]
    return list(csv.DictReader(rows, delimiter="\t"))


JOINTS: tuple[JointSpec, ...] = tuple(
    JointSpec(row["name"], row["region"], int(row["tracker_index"]))  # type: ignore[arg-type]
    for row in _read_table("joints.tsv")
)
BONES: tuple[BoneSpec, ...] = tuple(
    BoneSpec(row["joint0"], row["joint1"], row["region"], row["group"])  # type: ignore[arg-type]
    for row in _read_table("bones.tsv")
)

# Pose landmarks the fallback needs beyond the rig: MediaPipe Pose's ears (7 left, 8 right).
EAR_LANDMARKS: dict[str, int] = {"leftEar": 7, "rightEar": 8}

JOINT_NAMES: tuple[str, ...] = tuple(joint.name for joint in JOINTS)
KEYPOINT_NAMES: tuple[str, ...] = JOINT_NAMES + tuple(EAR_LANDMARKS)
KEYPOINT_INDEX: dict[str, int] = {name: i for i, name in enumerate(KEYPOINT_NAMES)}
JOINT_BY_NAME: dict[str, JointSpec] = {joint.name: joint for joint in JOINTS}
BODY_JOINTS: tuple[str, ...] = tuple(j.name for j in JOINTS if j.region == "body")
FACE_JOINTS: tuple[str, ...] = tuple(j.name for j in JOINTS if j.region == "face")
BONE_GROUPS: tuple[str, ...] = tuple(dict.fromkeys(bone.group for bone in BONES))


def mirrored_name(name: str) -> str:
    """The name with left and right swapped (`leftEye0` ↔ `rightEye0`); others unchanged."""
    if name.startswith("left"):
        return "right" + name[4:]
    if name.startswith("right"):
        return "left" + name[5:]
    return name


MIRROR_ORDER: tuple[int, ...] = tuple(KEYPOINT_INDEX[mirrored_name(n)] for n in KEYPOINT_NAMES)
"""`positions[MIRROR_ORDER]` swaps every left/right pair of a keypoint array."""
