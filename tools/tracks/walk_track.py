"""Record tests/data/walk_track.json: a walking step cycle as the real tracker sees it.

    python tools/tracks/walk_track.py

No video of a walking person can be fetched where poseanim is built, so the motion is played
by the bundled character Ada (both legs in turn, the arms swinging), painted by the real
painter, and every frame is tracked by MediaPipe Pose and Face Mesh like a video: the track
carries the tracker's own jitter, scores and face, as a recording of a person would.
"""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("GLOG_minloglevel", "2")

import numpy as np  # noqa: E402

from poseanim.illustration import load_illustration  # noqa: E402
from poseanim.render.cairo_painter import CairoPainter  # noqa: E402
from poseanim.rigging.sample_poses import pose_named  # noqa: E402
from poseanim.rigging.trial import rest_joint_map  # noqa: E402
from poseanim.tracking.mediapipe_tracker import MediaPipeTracker  # noqa: E402
from poseanim.tracking.track_file import PoseTrack, save_track  # noqa: E402

OUTPUT = Path(__file__).resolve().parents[2] / "tests" / "data" / "walk_track.json"
FRAMES = 12
SIZE = (480, 720)
FPS = 12.0


def main() -> None:
    ada = load_illustration("ada")
    rest = rest_joint_map(ada)
    painter = CairoPainter(ada, SIZE)
    track = PoseTrack(SIZE, FPS, source="bundled character Ada walking, painted, tracked")
    with MediaPipeTracker(video=True) as tracker:
        for index in range(FRAMES):
            phase = 2 * np.pi * index / FRAMES
            amount = abs(np.sin(phase))
            step = pose_named("walk", rest, (600, 900), amount)
            if np.sin(phase) < 0:  # the other leg: the mirror image of the same step
                step = step.mirrored()
            frame = ada.pose(step).fitted(*SIZE)
            picture = painter.paint(frame)
            track.frames.append(tracker.track(picture))
            track.times.append(index / FPS)
    print(save_track(track, OUTPUT), f"{track.found_count()}/{FRAMES} frames with a person")


if __name__ == "__main__":
    main()
