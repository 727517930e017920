"""A recorded track to render without tracking: the astronaut's tracked pose (tests/data)
with both forearms swinging, the left hand lost (score 0) in frames `LOST`."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np

from conftest import DATA
from poseanim.rig.tables import KEYPOINT_INDEX
from poseanim.tracking.track_file import PoseTrack, load_track, save_track

FRAMES = 12
FPS = 12.0
LOST = range(5, 8)


def write_wave_track(path: Path, frames: int = FRAMES, fps: float = FPS,
                     period: int = FRAMES) -> Path:
    """Save the waving track at `path` (frame i at i / fps seconds, one swing every `period`
    frames)."""
    pose = load_track(DATA / "astronaut_pose.json").frames[0]
    poses = []
    for index in range(frames):
        angle = np.radians(30 * np.sin(2 * np.pi * index / period))
        turn = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
        joints = {}
        for elbow, wrist in (("rightElbow", "rightWrist"), ("leftElbow", "leftWrist")):
            centre = pose.position(elbow)
            joints[wrist] = tuple(centre + turn @ (pose.position(wrist) - centre))
        moved = pose.with_joints(joints)
        if index in LOST:
            scores = moved.scores.copy()
            scores[KEYPOINT_INDEX["leftWrist"]] = 0.0
            moved = dataclasses.replace(moved, scores=scores)
        poses.append(moved)
    track = PoseTrack(pose.image_size, fps, poses, [i / fps for i in range(frames)], "wave")
    return save_track(track, path)
