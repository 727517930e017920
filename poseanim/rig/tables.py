"""The rig's joint and bone tables (`joints.tsv`, `bones.tsv`), loaded once at import.

Joint order here is the order of every joint-indexed array in poseanim: a `Pose` holds one row
per name in `KEYPOINT_NAMES` (the rig's joints, then the two ears that the face-lost fallback
needs), and a binding refers to joints by these indices.

Pose Animator's rig (12 body and 73 face joints) comes first; the optional hand and foot joints
follow it, so a file without them has exactly the bones, scales and binding it always had.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources
from typing import Collection, Literal

Region = Literal["body", "face", "hand", "foot"]
"""A joint's region says where the tracker finds it (Pose landmark for body and foot, face-mesh
vertex for face, MediaPipe Hands landmark for hand). A bone's region says which scale it takes:
face bones the face scale, every other bone the body scale, which only body bones set."""


@dataclass(frozen=True)
class JointSpec:
    """A joint of the rig: its id prefix in the skeleton group and where the tracker finds it."""

    name: str
    region: Region
    tracker_index: int  # Pose landmark (body, foot), face-mesh vertex (face), hand landmark (hand)


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
HAND_JOINTS: tuple[str, ...] = tuple(j.name for j in JOINTS if j.region == "hand")
FOOT_JOINTS: tuple[str, ...] = tuple(j.name for j in JOINTS if j.region == "foot")
CORE_JOINTS: tuple[str, ...] = tuple(j.name for j in JOINTS if j.region in ("body", "face"))
"""Pose Animator's rig: the joints a complete file has (all but the middle lips are required)."""
EXTRA_JOINTS: tuple[str, ...] = HAND_JOINTS + FOOT_JOINTS
"""Optional joints beyond Pose Animator's rig: a file has a hand or foot's joints, or none."""
BONE_GROUPS: tuple[str, ...] = tuple(dict.fromkeys(bone.group for bone in BONES))
SCALE_REGIONS: frozenset[str] = frozenset({"body", "face"})
"""Bone regions whose lengths set the scales: hands and feet follow the body scale without
setting it, so a fist or a foreshortened foot never shrinks the character."""

FINGERS: tuple[str, ...] = ("Thumb", "Index", "Middle", "Ring", "Pinky")


def hand_joints(side: str) -> tuple[str, ...]:
    """The 20 hand joints of `side` ("left" or "right"), thumb to pinky, base to tip."""
    return tuple(f"{side}{finger}{k}" for finger in FINGERS for k in range(1, 5))


def foot_joints(side: str) -> tuple[str, ...]:
    """The heel and toe of `side`."""
    return (f"{side}Heel", f"{side}Toe")


def mirrored_name(name: str) -> str:
    """The name with left and right swapped (`leftEye0` ↔ `rightEye0`); others unchanged."""
    if name.startswith("left"):
        return "right" + name[4:]
    if name.startswith("right"):
        return "left" + name[5:]
    return name


MIRROR_ORDER: tuple[int, ...] = tuple(KEYPOINT_INDEX[mirrored_name(n)] for n in KEYPOINT_NAMES)
"""`positions[MIRROR_ORDER]` swaps every left/right pair of a keypoint array."""


EXTREMITY_JOINTS: tuple[tuple[str, ...], ...] = tuple(
    joints(side) for joints in (hand_joints, foot_joints) for side in ("left", "right"))
"""The optional joints in the sets a file has whole or not at all: each hand, each foot."""


def missing_joint_names(present: Collection[str]) -> list[str]:
    """The joints a file with joints `present` should have but lacks, in table order: every
    joint of Pose Animator's rig, and the rest of each hand or foot of which it has some."""
    wanted = set(CORE_JOINTS)
    for joints in EXTREMITY_JOINTS:
        if any(name in present for name in joints):
            wanted.update(joints)
    return [name for name in JOINT_NAMES if name in wanted and name not in present]
