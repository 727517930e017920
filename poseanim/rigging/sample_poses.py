"""Built-in poses for trying a rig: arms up, wave, squat, head turn, mouth open, eyes closed.

Each pose is built from the drawing's own rest joints, so it fits any proportions: limbs keep
their lengths, the face turns about its own middle, the lids close onto the drawing's own lower
lids. `amount` runs from 0 (the rest pose) to 1 (the pose in full); for the wave it swings the
hand, so playing amount back and forth animates each pose.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from poseanim.extremities import EXTREMITIES
from poseanim.errors import PoseanimError
from poseanim.pose import Pose
from poseanim.rig.tables import FACE_JOINTS, KEYPOINT_INDEX, KEYPOINT_NAMES

Joints = dict[str, np.ndarray]
SIDES = {"left": 1.0, "right": -1.0}
"""Which way is outward for each side, in x, for a character facing the viewer."""


def _outward(vector: np.ndarray, side: str) -> np.ndarray:
    """A vector in the side's own frame (x pointing away from the body); its own inverse."""
    return vector * (SIDES[side], 1.0)


def _angle(vector: np.ndarray) -> float:
    return float(np.arctan2(vector[1], vector[0]))


def _direction(angle: float) -> np.ndarray:
    return np.array([np.cos(angle), np.sin(angle)])


def _swing_limb(joints: Joints, side: str, parts: tuple[str, str, str], upper: float, lower: float,
                amount: float) -> None:
    """Turn a limb (shoulder–elbow–wrist or hip–knee–ankle) from rest towards absolute angles
    (radians, in the side's outward frame: 0 points away from the body, -90° straight up,
    90° straight down), keeping both bone lengths."""
    root, middle, end = (joints[f"{side}{part}"] for part in parts)
    upper_rest, lower_rest = _outward(middle - root, side), _outward(end - middle, side)
    upper_now = _angle(upper_rest) + amount * (upper - _angle(upper_rest))
    lower_now = _angle(lower_rest) + amount * (lower - _angle(lower_rest))
    middle = root + _outward(_direction(upper_now), side) * np.linalg.norm(upper_rest)
    joints[f"{side}{parts[1]}"] = middle
    joints[f"{side}{parts[2]}"] = middle + _outward(_direction(lower_now), side) * np.linalg.norm(lower_rest)


ARM = ("Shoulder", "Elbow", "Wrist")
LEG = ("Hip", "Knee", "Ankle")


def _swing_arm(joints: Joints, side: str, upper: float, fore: float, amount: float) -> None:
    _swing_limb(joints, side, ARM, upper, fore, amount)


def arms_up(joints: Joints, amount: float) -> None:
    """Both arms raised over the head, a little outward."""
    for side in SIDES:
        _swing_arm(joints, side, np.radians(-68), np.radians(-78), amount)


def wave(joints: Joints, amount: float) -> None:
    """The right hand up beside the head, the forearm swinging with `amount`."""
    _swing_arm(joints, "right", np.radians(-40), np.radians(-75 - 40 * amount), 1.0)


def squat(joints: Joints, amount: float) -> None:
    """Seen from the front: hips down by half a thigh (the thighs, pointing at the viewer, look
    shorter), knees a little apart, feet where they were."""
    thigh = min(np.linalg.norm(joints[f"{side}Knee"] - joints[f"{side}Hip"]) for side in SIDES)
    drop = np.array([0.0, amount * 0.5 * thigh])
    for name in joints:
        if "Knee" not in name and "Ankle" not in name:
            joints[name] = joints[name] + drop
    for side, outward in SIDES.items():
        joints[f"{side}Knee"] = joints[f"{side}Knee"] + (outward * amount * 0.2 * thigh, 0.0)


def arms_crossed(joints: Joints, amount: float) -> None:
    """Forearms folded across the chest, the right one over the left."""
    _swing_arm(joints, "right", np.radians(100), np.radians(188), amount)
    _swing_arm(joints, "left", np.radians(100), np.radians(176), amount)


def star(joints: Joints, amount: float) -> None:
    """A star jump: arms out and up, straight, legs spread wide."""
    for side in SIDES:
        _swing_arm(joints, side, np.radians(-30), np.radians(-35), amount)
        _swing_limb(joints, side, LEG, np.radians(62), np.radians(62), amount)


def walk(joints: Joints, amount: float) -> None:
    """A walking step seen from the front: the left knee lifts and bends, the arms swing
    (foreshortened, so they look shorter), the body bobs up a little."""
    thigh = np.linalg.norm(joints["leftKnee"] - joints["leftHip"])
    shin = np.linalg.norm(joints["leftAnkle"] - joints["leftKnee"])
    joints["leftKnee"] = joints["leftKnee"] - (0.0, amount * 0.3 * thigh)
    joints["leftAnkle"] = joints["leftAnkle"] - (0.0, amount * 0.45 * (thigh + shin) * 0.6)
    for side, swing in (("left", 1.0), ("right", -1.0)):
        shoulder = joints[f"{side}Shoulder"]
        for part, share in (("Elbow", 0.08), ("Wrist", 0.18)):
            name = f"{side}{part}"
            joints[name] = shoulder + (joints[name] - shoulder) * (1 - amount * share * (1 + swing) / 2)
    lift = np.array([0.0, -amount * 0.05 * thigh])
    for name in joints:
        if name not in ("rightKnee", "rightAnkle"):
            joints[name] = joints[name] + lift


NOSE_DEPTH = {"nose0": 0.12, "nose1": 0.2, "nose2": 0.28, "nose3": 0.36, "nose4": 0.4,
              "leftNose1": 0.3, "rightNose1": 0.3, "leftNose0": 0.22, "rightNose0": 0.22}
"""How far the nose stands out of the face, as a fraction of the head's radius."""


def head_turn(joints: Joints, amount: float) -> None:
    """The head turned 30° towards the character's left: each face joint turns with a rounded
    head a little wider than the face: the features move towards the turn and the far side
    narrows, while the skull stays over the neck."""
    face = [name for name in FACE_JOINTS if name in joints]
    radius = 0.65 * (joints["leftJaw2"][0] - joints["rightJaw2"][0])
    centre_x = (joints["leftJaw2"][0] + joints["rightJaw2"][0]) / 2
    turn = np.radians(30) * amount
    for name in face:
        x = (joints[name][0] - centre_x) / radius
        depth = np.sqrt(max(1 - x * x, 0.0)) + NOSE_DEPTH.get(name, 0.0)
        turned = x * np.cos(turn) + depth * np.sin(turn)
        joints[name] = np.array([centre_x + turned * radius, joints[name][1]])


MOUTH_DROP = {"lowerLipTopMid": 1.0, "lowerLipBottomMid": 1.0, "leftLowerLipTop0": 0.9,
              "rightLowerLipTop0": 0.9, "leftLowerLipBottom1": 1.0, "rightLowerLipBottom1": 1.0,
              "leftLowerLipBottom0": 0.8, "rightLowerLipBottom0": 0.8, "leftMiddleLip": 0.35,
              "rightMiddleLip": 0.35, "leftMouthCorner": 0.25, "rightMouthCorner": 0.25,
              "jawMid": 0.7, "leftJaw7": 0.6, "rightJaw7": 0.6, "leftJaw6": 0.4, "rightJaw6": 0.4,
              "leftJaw5": 0.15, "rightJaw5": 0.15}
"""How far each joint drops when the mouth opens, as a fraction of the full drop."""


def mouth_open(joints: Joints, amount: float) -> None:
    """The lower lip and the chin drop by a third of the mouth's width."""
    width = np.linalg.norm(joints["leftMouthCorner"] - joints["rightMouthCorner"])
    for name, share in MOUTH_DROP.items():
        if name in joints:
            joints[name] = joints[name] + (0.0, amount * share * 0.35 * width)


EYELIDS = ((1, 5), (2, 4))
"""(upper lid, lower lid) joint numbers facing each other across each eye."""


def eyes_closed(joints: Joints, amount: float) -> None:
    """Each upper lid comes down onto its lower lid, which rises a little to meet it."""
    for side in SIDES:
        for upper, lower in EYELIDS:
            top, bottom = joints[f"{side}Eye{upper}"], joints[f"{side}Eye{lower}"]
            meet = bottom + 0.1 * (top - bottom)
            joints[f"{side}Eye{upper}"] = top + amount * (meet - top)
            joints[f"{side}Eye{lower}"] = bottom + amount * 0.5 * (meet - bottom)


SAMPLE_POSES: dict[str, Callable[[Joints, float], None]] = {
    "arms up": arms_up, "wave": wave, "squat": squat, "head turn": head_turn,
    "mouth open": mouth_open, "eyes closed": eyes_closed, "arms crossed": arms_crossed,
    "star": star, "walk": walk,
}
"""Name → a function that moves rest joints (in place) into the pose by `amount`."""


def pose_named(name: str, rest: Joints, image_size: tuple[int, int], amount: float = 1.0) -> Pose:
    """The named sample pose built from `rest` joints, as a `Pose` an illustration can take.

    Joints `rest` lacks stay untracked, as a tracker would leave them; a pose that needs a
    missing joint (a wave without a right wrist) leaves the drawing at rest. Hands and feet
    that the pose leaves alone while it moves their forearm or shin are left untracked, so the
    drawn hand rides the forearm (the lost-hand rule) instead of staying where it was.
    """
    if name not in SAMPLE_POSES:
        raise PoseanimError(f"no sample pose '{name}' (there are: {', '.join(SAMPLE_POSES)})")
    joints = {joint: np.asarray(place, dtype=float).copy() for joint, place in rest.items()}
    try:
        SAMPLE_POSES[name](joints, float(np.clip(amount, 0.0, 1.0)))
    except KeyError:
        joints = dict(rest)
    for limb in EXTREMITIES:  # a hand the pose did not move rides its forearm, not stays behind
        names = [KEYPOINT_NAMES[row] for row in limb.rows]
        ends = [KEYPOINT_NAMES[limb.base], KEYPOINT_NAMES[limb.end]]
        if all(n in joints and np.array_equal(joints[n], rest[n]) for n in names) and \
                not all(n in joints and np.array_equal(joints[n], rest[n]) for n in ends):
            for n in names:
                del joints[n]
    positions = np.full((len(KEYPOINT_INDEX), 2), np.nan)
    for joint, place in joints.items():
        positions[KEYPOINT_INDEX[joint]] = place
    return Pose(positions, np.isfinite(positions[:, 0]).astype(float), image_size)
