"""source → tracker → tracked frames: the one path from an input to poses.

Every input is a `FrameSource` (a photo, a video file, a camera or a recorded track);
`open_frame_source` opens any of them from a `SourceSpec` (the live window, the rig editor's
try-it panel and `live`'s checks go through it; `image`, `video` and `track`, which know
their input's kind, build that source directly). Their frames become `TrackedFrame`s through
`track_frames`, the one place that mirrors (a selfie view, `--mirror`).
Export (`image`, `video`, `track`) drives it as one loop; the live window drives the same
steps (the tracker's two stages, then `tracked_frame`) on threads of its own, where a slow
machine drops frames instead of falling behind.
"""

from __future__ import annotations

import contextlib
import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Generator, Iterable, Literal

import numpy as np

from poseanim.sources import FrameSource, PhotoSource, SourceFrame
from poseanim.tracking.tracker import Tracked, Tracker
from poseanim.video_source import is_video_path

SourceKind = Literal["photo", "camera", "video", "track"]
TRACK_SUFFIXES = frozenset({".json"})


@dataclass(frozen=True)
class SourceSpec:
    """What to read: a photo, a camera index, a video file (looping or not) or a recorded
    pose track.

    loop: a live file starts again at its end. every_frame: a live file hands on every frame,
    waiting for the tracker and the window, instead of dropping what they cannot keep up with
    (so a run does not depend on the machine's speed). Export reads every frame anyway.
    """

    kind: SourceKind
    camera: int = 0
    path: Path | None = None
    loop: bool = False
    every_frame: bool = False

    @classmethod
    def for_path(cls, path: str | Path) -> SourceSpec:
        """The spec of a file by its suffix: a video, a track (.json) or else a photo."""
        path = Path(path)
        if is_video_path(path):
            return cls("video", path=path)
        return cls("track" if path.suffix.lower() in TRACK_SUFFIXES else "photo", path=path)

    def describe(self) -> str:
        """A short name for messages and the status bar."""
        return f"camera {self.camera}" if self.kind == "camera" else str(self.path)


def open_frame_source(spec: SourceSpec) -> FrameSource:
    """The source for `spec`, opened and checked; PoseanimError (one line, what to do) when
    it cannot be read."""
    if spec.kind == "camera":
        from poseanim.camera import CameraSource

        return CameraSource(spec.camera)
    assert spec.path is not None, f"a {spec.kind} source reads a file"
    if spec.kind == "video":
        from poseanim.video_source import VideoSource

        return VideoSource(spec.path)
    if spec.kind == "track":
        from poseanim.tracking.track_file import RecordedSource

        return RecordedSource.open(spec.path)
    return PhotoSource(spec.path)


@dataclass(frozen=True)
class TrackedFrame:
    """A source frame and what was found in it, mirrored when the pipeline was asked to.

    frame: the source frame (its pixels flipped left to right when `mirrored`). tracked: the
    pose and the tracker's raw landmarks, in the same (mirrored) picture; a recorded track's
    pose with no landmarks.
    """

    frame: SourceFrame
    tracked: Tracked
    mirrored: bool = False


def mirrored(frame: SourceFrame, tracked: Tracked, width: int) -> tuple[SourceFrame, Tracked]:
    """The frame and its tracking as in a mirror, in a picture `width` pixels wide.

    The pose swaps left and right (`Pose.mirrored`: the character moves as the user sees
    themselves); the raw landmarks, face mesh and hands only move (x ↦ width − x), keeping
    the tracker's own numbering, so that they still draw on the flipped picture.
    """
    rgb = None if frame.rgb is None else np.ascontiguousarray(frame.rgb[:, ::-1])
    recorded = None if frame.pose is None else frame.pose.mirrored()
    hands = tuple(dataclasses.replace(hand, points=_flipped(hand.points, width),
                                      crop=(width - hand.crop[2], hand.crop[1],
                                            width - hand.crop[0], hand.crop[3]))
                  for hand in tracked.hands)
    return (dataclasses.replace(frame, rgb=rgb, pose=recorded),
            Tracked(None if tracked.pose is None else tracked.pose.mirrored(),
                    _flip_x(tracked.landmarks, width), _flip_x(tracked.face_mesh, width), hands))


def _picture(frame: SourceFrame) -> np.ndarray:
    if frame.rgb is None:
        raise ValueError(f"frame {frame.index} has no picture to track")
    return frame.rgb


def _flip_x(points: np.ndarray | None, width: int) -> np.ndarray | None:
    return None if points is None else _flipped(points, width)


def _flipped(points: np.ndarray, width: int) -> np.ndarray:
    flipped = points.copy()
    flipped[:, 0] = width - flipped[:, 0]
    return flipped


def tracked_frame(frame: SourceFrame, tracked: Tracked, mirror: bool, width: int) -> TrackedFrame:
    """The pipeline's last step: `frame` with what was found in it, mirrored when `mirror`
    (`width`: the picture's, or the recorded track's)."""
    if mirror:
        frame, tracked = mirrored(frame, tracked, width)
    return TrackedFrame(frame, tracked, mirror)


def track_frames(frames: Iterable[SourceFrame], tracker: Tracker | None, *, mirror: bool = False,
                 image_size: tuple[int, int] | None = None
                 ) -> Generator[TrackedFrame, None, None]:
    """Every frame tracked, in order, mirrored when `mirror`.

    tracker: finds the person in each picture (a stream tracker's two stages run at once on
    consecutive frames, `Tracker.track_stream`); None takes each frame's recorded pose (a
    track file, with or without the video's pictures alongside). image_size: the pictures'
    (width, height), needed to mirror frames that carry no picture.
    """
    def width_of(frame: SourceFrame) -> int:
        if frame.rgb is not None:
            return int(frame.rgb.shape[1])
        if image_size is not None:
            return image_size[0]
        if frame.pose is not None:
            return int(frame.pose.image_size[0])
        return 0

    if tracker is None:
        for frame in frames:
            yield tracked_frame(frame, Tracked(frame.pose), mirror, width_of(frame))
        return
    pictures = ((frame, _picture(frame)) for frame in frames)
    with contextlib.closing(tracker.track_stream(pictures)) as results:
        for frame, tracked in results:
            yield tracked_frame(frame, tracked, mirror, width_of(frame))

