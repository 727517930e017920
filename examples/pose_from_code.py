"""Drive a character from joint positions computed in code: a waving animation as PNG frames.

No camera, no tracker: a `Pose` is just joint positions (and optional scores). Here we start
from the character's own rest pose, lift its right arm and swing the forearm.

    python examples/pose_from_code.py wave-frames
"""

import sys
from pathlib import Path

import numpy as np

import poseanim


def rotate(point: np.ndarray, centre: np.ndarray, degrees: float) -> np.ndarray:
    """`point` turned about `centre` (positive: clockwise on screen, as y points down)."""
    angle = np.radians(degrees)
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    return centre + rotation @ (point - centre)


def main(folder: str = "wave-frames", frames: int = 12) -> None:
    character = poseanim.load_illustration("ada")
    rest = character.rest_pose()
    shoulder, elbow, wrist = (rest.position(n) for n in ("rightShoulder", "rightElbow", "rightWrist"))
    Path(folder).mkdir(exist_ok=True)
    for index in range(frames):
        swing = 25 * np.sin(2 * np.pi * index / frames)
        # The character's right arm is on the viewer's left: turning it clockwise lifts it.
        raised_elbow = rotate(elbow, shoulder, 100)
        raised_wrist = rotate(rotate(wrist, shoulder, 100), raised_elbow, 45 + swing)
        pose = rest.with_joints({"rightElbow": tuple(raised_elbow),
                                 "rightWrist": tuple(raised_wrist)})
        path = f"{folder}/frame-{index:03d}.png"
        print(poseanim.write_png(character.pose(pose), path, width=300))


if __name__ == "__main__":
    main(*sys.argv[1:2])
