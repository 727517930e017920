"""Recorded pose tracks: a versioned JSON file of joint positions per frame.

Tracking is the slow part; a track file lets one recording drive any illustration again, and
lets users write poses from other tools. The format (version 2):

```json
{
  "format": "poseanim-track",
  "version": 2,
  "source": "photo.jpg",          // what was tracked (informational)
  "image_size": [640, 480],       // pixels; all positions refer to this image
  "fps": 30.0,                    // frames per second, null for a single photo
  "frames": [
    {"time": 0.0, "joints": {"leftShoulder": [305.6, 256.2, 0.99], "nose4": [223.8, 127.2, 1.0]}},
    {"time": 0.033, "joints": null}   // nobody found in this frame
  ]
}
```
`joints` maps joint names (those of `joints.tsv`, plus `leftEar` and `rightEar`) to
`[x, y, score]`, x right and y down in pixels, score in [0, 1]; untracked joints are left out.
A body joint may carry a fourth value, its depth (`[x, y, score, depth]`: MediaPipe's z in
pixels, nearer the camera when smaller), so that a recorded track layers an arm crossing in
front of the body as the live tracker does; readers that predate it read the first three.
Version 2 added the optional hand and foot joints (`leftThumb1` … `rightPinky4`, `leftHeel`,
`leftToe`, …); version 1 files, which never hold them, read as they always did.
"""

from __future__ import annotations

import contextlib
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, TextIO

import numpy as np

from poseanim.atomic import atomic_output, write_bytes_atomic
from poseanim.errors import PoseanimError
from poseanim.pose import Pose
from poseanim.rig.tables import KEYPOINT_NAMES
from poseanim.sources import ClosingSource, SourceFrame
from poseanim.video_source import FPS_RANGE

TRACK_FORMAT = "poseanim-track"
TRACK_VERSION = 2
READABLE_VERSIONS = (1, 2)


@dataclass
class PoseTrack:
    """A sequence of poses (None where nobody was found) from one source."""

    image_size: tuple[int, int]
    fps: float | None = None
    frames: list[Pose | None] = field(default_factory=list)
    times: list[float] = field(default_factory=list)
    source: str | None = None

    def found_count(self) -> int:
        """How many frames have a person."""
        return sum(pose is not None for pose in self.frames)


def _joint_value(value: list) -> tuple[float, ...]:
    """A joint's `[x, y]`, `[x, y, score]` or `[x, y, score, depth]` as floats."""
    if len(value) < 2:
        raise ValueError(f"a joint needs at least [x, y], not {value!r}")
    return tuple(float(v) for v in value[:4])


class RecordedSource(ClosingSource):
    """A recorded track as a `FrameSource`: one frame per recorded pose, with no picture.

    Frames without a recorded time (a track written by hand) are spaced at the track's frame
    rate, or 30 frames/s when it has none.
    """

    def __init__(self, track: PoseTrack) -> None:
        self.track = track
        self.image_size = (int(track.image_size[0]), int(track.image_size[1]))
        self.fps = track.fps
        self.frame_count = len(track.frames)

    @classmethod
    def open(cls, path: str | Path) -> RecordedSource:
        """The track file at `path` (`load_track`: one line for every problem)."""
        return cls(load_track(path))

    def frames(self) -> Iterator[SourceFrame]:
        """Every recorded pose at its recorded time."""
        fps = self.track.fps or 30.0
        times = self.track.times or [index / fps for index in range(len(self.track.frames))]
        for index, (pose, time) in enumerate(zip(self.track.frames, times)):
            yield SourceFrame(index, time, None, pose)


def _frame_json(pose: Pose | None, time: float) -> dict:
    if pose is None:
        return {"time": round(time, 4), "joints": None}
    joints = {}
    depth = pose.depth if pose.depth is not None else np.full(len(pose.scores), np.nan)
    for name, (x, y), score, z in zip(KEYPOINT_NAMES, pose.positions, pose.scores, depth):
        if math.isfinite(x) and math.isfinite(y):
            joints[name] = [round(float(x), 2), round(float(y), 2), round(float(score), 3)]
            if math.isfinite(z):
                joints[name].append(round(float(z), 2))
    return {"time": round(time, 4), "joints": joints}


def _head(image_size: tuple[int, int], fps: float | None, source: str | None) -> str:
    header = {"format": TRACK_FORMAT, "version": TRACK_VERSION, "source": source,
              "image_size": list(image_size), "fps": fps}
    return json.dumps(header, indent=2)[:-2] + ',\n  "frames": [\n'


def _frame_line(pose: Pose | None, time: float) -> str:
    return "    " + json.dumps(_frame_json(pose, time), separators=(",", ":"))


_TAIL = "\n  ]\n}\n"


def track_json(track: PoseTrack) -> str:
    """The track as JSON text (one frame per line, so diffs and large files stay readable)."""
    times = track.times or [i / track.fps if track.fps else 0.0 for i in range(len(track.frames))]
    frames = ",\n".join(_frame_line(pose, time) for pose, time in zip(track.frames, times))
    return _head(track.image_size, track.fps, track.source) + frames + _TAIL


def save_track(track: PoseTrack, path: str | Path) -> Path:
    """Write a track file atomically."""
    return write_bytes_atomic(path, track_json(track).encode("utf-8"))


class TrackWriter:
    """Writes a track file frame by frame (`add`), so that recording a long video keeps no
    pose in memory; the file appears, complete, only when the `track_writer` block ends well."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self.frames = 0
        self.found = 0

    def add(self, pose: Pose | None, time: float) -> None:
        """Append one frame (None: nobody was found in it)."""
        self._stream.write((",\n" if self.frames else "") + _frame_line(pose, time))
        self.frames += 1
        self.found += pose is not None


@contextlib.contextmanager
def track_writer(path: str | Path, image_size: tuple[int, int], fps: float | None,
                 source: str | None = None) -> Iterator[TrackWriter]:
    """A `TrackWriter` into a temporary file that replaces `path` when the block ends without
    an error (an error, or Ctrl-C, leaves nothing behind)."""
    try:
        with atomic_output(path) as temporary, temporary.open("w", encoding="utf-8") as stream:
            stream.write(_head(image_size, fps, source))
            yield TrackWriter(stream)
            stream.write(_TAIL)
    except OSError as error:
        raise PoseanimError(f"cannot write {path}: {error.strerror or error}") from None


class _OtherLayout(Exception):
    """The file does not hold one frame per line (written by hand or another tool)."""


def _frames_line_by_line(path: Path) -> tuple[dict, Iterator[dict]]:
    """(header, frames one at a time) of a file in the layout poseanim writes, one frame per
    line: a long track is never in memory as a whole text nor as every frame's dictionaries at
    once. Raises _OtherLayout (possibly part-way) for any other layout."""
    stream = path.open(encoding="utf-8")
    try:
        header_lines = []
        for line in stream:
            if line.strip() == '"frames": [':
                break
            header_lines.append(line)
        else:
            raise _OtherLayout
        try:
            header = json.loads("".join(header_lines) + '"frames": []}')
        except json.JSONDecodeError:
            raise _OtherLayout from None
    except BaseException:
        stream.close()
        raise

    def frames() -> Iterator[dict]:
        with stream:
            for line in stream:
                text = line.strip().removesuffix(",")
                if text == "]":
                    if stream.read().strip() != "}":
                        raise _OtherLayout
                    return
                try:
                    frame = json.loads(text)
                except json.JSONDecodeError:
                    raise _OtherLayout from None
                if not isinstance(frame, dict):
                    raise _OtherLayout
                yield frame
            raise _OtherLayout  # the frames never closed

    return header, frames()


def load_track(path: str | Path) -> PoseTrack:
    """Read and validate a track file; every problem is a one-line PoseanimError.

    A file in poseanim's own layout is read a frame at a time; any other valid JSON is read
    whole (the same checks, the same result).
    """
    path = Path(path)
    try:
        try:
            header, frames = _frames_line_by_line(path)
            return _track(path, header, frames)
        except _OtherLayout:
            data = json.loads(path.read_text(encoding="utf-8"))
            return _track(path, data, None)
    except FileNotFoundError:
        raise PoseanimError(f"{path}: no such track file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise PoseanimError(f"cannot read {path}: {error}") from None
    except json.JSONDecodeError as error:
        raise PoseanimError(f"{path} is not valid JSON ({error.msg} at line {error.lineno}); "
                            "record it again with `poseanim track`") from None


def _check_header(image_size: tuple[int, int], fps: float | None) -> None:
    """Refuse a header that no recording has: an image side under a pixel, or a frame rate
    outside `FPS_RANGE` (NaN and infinities included, which JSON readers accept): exporting
    a track at 1e-6 frames/s to 240 frames/s would copy each frame 2.4e8 times."""
    if min(image_size) < 1:
        raise PoseanimError(f"image_size is {image_size[0]}×{image_size[1]}; "
                            "each side must be at least one pixel")
    if fps is not None and not FPS_RANGE[0] <= fps <= FPS_RANGE[1]:
        raise PoseanimError(f"fps is {fps}; a track's frame rate must be between "
                            f"{FPS_RANGE[0]:g} and {FPS_RANGE[1]:g} frames per second (null for "
                            "a photo)")


def _track(path: Path, data: object, frame_data: Iterator[dict] | None) -> PoseTrack:
    """The track of parsed JSON: its header `data`, its frames from `frame_data` (None: from
    `data["frames"]`)."""
    if not isinstance(data, dict) or data.get("format") != TRACK_FORMAT:
        raise PoseanimError(f"{path} is not a poseanim track file (no \"format\": \"{TRACK_FORMAT}\")")
    if data.get("version") not in READABLE_VERSIONS:
        raise PoseanimError(f"{path} is track format version {data.get('version')}; this poseanim "
                            f"reads versions {', '.join(map(str, READABLE_VERSIONS))} (a newer "
                            "poseanim may read it)")
    frames: list[Pose | None] = []
    times: list[float] = []
    where = "header"
    try:
        width, height = (int(v) for v in data["image_size"])
        fps = None if data.get("fps") is None else float(data["fps"])
        _check_header((width, height), fps)
        for frame in (data["frames"] if frame_data is None else frame_data):
            where = f"frame {len(frames)}"
            times.append(float(frame.get("time", 0.0)))
            if not math.isfinite(times[-1]):
                raise PoseanimError(f"its time is {times[-1]}, not a number of seconds")
            joints = frame.get("joints")
            frames.append(None if joints is None else Pose.from_joints(
                {name: _joint_value(value) for name, value in joints.items()},
                (width, height)))
    except PoseanimError as error:
        raise PoseanimError(f"{path}, {where}: {error}") from None
    except (KeyError, IndexError, TypeError, ValueError, AttributeError, OverflowError) as error:
        raise PoseanimError(f"{path} is malformed near frame {len(frames)} ({error!r}); "
                            "see the format in the README") from None
    if not frames:
        raise PoseanimError(f"{path} has no frames")
    return PoseTrack((width, height), fps, frames, times, data.get("source"))
