"""Track a video file in several processes at once, one segment of the clip each.

Why processes: one tracking stream keeps at most about one and a fifth cores busy (Pose is
the longest stage, and its graph runs on one core whatever else runs beside it), so on a
machine with cores to spare a long clip is cut into segments that are tracked side by side,
each in a process of its own with its own graphs, and read back in order.

Why an overlap: MediaPipe's video mode carries state from frame to frame (the crop it looks at
next comes from the landmarks it found last, and its landmark filters remember the motion), so
a segment started cold at its cut would begin on a fresh detection. Each process therefore
starts `OVERLAP_FRAMES` before its cut and throws those frames away, and by the cut its state
has converged on the single stream's: measured on real pixels of a person seen whole (a clip
of known motion, pose, face and hands), every joint lies within 2.8 px of the single stream's
(0.2 px at the median, 1.3 px at the 95th percentile) and the joints MediaPipe is sure of
within 0.4 px; tests/tracking/test_segments.py checks that. The limit: a joint out of the
picture is a guess, and MediaPipe's guesses depend on its history; on a portrait whose legs
are out of the frame the guessed legs and a hidden wrist differed by up to 160 px after a cut
while the seen joints agreed. `--jobs 1` gives the single stream exactly.

Each process writes its frames to a part file of length-prefixed records as it goes; the
parent reads the first part as it grows and the later ones once their turn comes, so memory
does not grow with the clip and the first frames are ready as soon as the first process has
them (`poseanim video` paints them while the other segments are still being tracked).
"""

from __future__ import annotations

import contextlib
import itertools
import multiprocessing
import os
import pickle
import queue
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any, Generator, Iterable, Iterator

from poseanim.closing import Closing
from poseanim.errors import PoseanimError
from poseanim.pose import Pose
from poseanim.tracking.tracker import Key, Tracked, Tracker
from poseanim.types import RGBImage

if TYPE_CHECKING:
    from poseanim.sources import PictureFrame

OVERLAP_FRAMES = 30
"""Frames tracked before each cut and thrown away (a second at 30 frames/s). Measured on a
real full-body photo under known motion, 480×360, 240 frames cut in four, pose, face and hands:
in the 10 frames after a cut the joints differed from the single stream's by 0.97 / 3.5 /
16 px (median / 95th percentile / max) with no overlap, 0.43 / 2.0 / 9.3 with 10 frames,
0.27 / 1.2 / 6.3 with 20, 0.06 / 0.37 / 6.0 with 30 and 0.00 / 0.20 / 1.6 with 60; 30 frames
cost an eighth more work on the shortest segment (MIN_SEGMENT_SECONDS) and nothing to speak
of on a long clip."""
MIN_SEGMENT_SECONDS = 8.0
"""A segment shorter than this is not worth a process (each one spends about a second of CPU
starting MediaPipe), so shorter clips are tracked as one stream."""
MAX_JOBS = 4
"""Each process holds its own graphs (about 250 MB); more than this gains little."""
_HEADER = struct.Struct("<Q")
_POLL_SECONDS = 0.05


@dataclass(frozen=True)
class Segment:
    """Frames [start, stop) of the clip (stop None: to its end), tracked from `warm_up` on."""

    warm_up: int
    start: int
    stop: int | None


def available_cores() -> int:
    """Cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def job_count(jobs: int | None, frames: int, fps: float) -> int:
    """How many processes to track `frames` frames in: `jobs` when given (1: one stream),
    otherwise one per core up to MAX_JOBS, and never so many that a segment is shorter
    than MIN_SEGMENT_SECONDS (asked for) or than an overlap (given)."""
    if jobs is None:
        longest = int(frames / max(MIN_SEGMENT_SECONDS * fps, 1.0))
        return max(1, min(available_cores(), MAX_JOBS, longest))
    return max(1, min(jobs, frames // OVERLAP_FRAMES))


def plan_segments(first: int, until: int, stop: int | None, jobs: int,
                  overlap: int = OVERLAP_FRAMES) -> list[Segment]:
    """Frames [first, until) cut into `jobs` segments of about equal length; the last one runs
    on to `stop` (None: the end of the clip, whatever the container said its length was)."""
    cuts = [first + round((until - first) * i / jobs) for i in range(jobs)]
    return [Segment(max(start - overlap, first) if i else start, start,
                    cuts[i + 1] if i + 1 < jobs else stop)
            for i, start in enumerate(cuts)]


def stream_tracker(path: str | Path, first: int, stop: int | None, length: int, jobs: int,
                   hands: bool = True) -> Tracker:
    """The tracker for frames [first, stop) of a video file, in order (stop None: to its end;
    `length`: about how many frames that is): MediaPipe in video mode in this process when
    `jobs` is 1, else `SegmentedTracker`."""
    if jobs <= 1:
        from poseanim.tracking.mediapipe_tracker import MediaPipeTracker

        return MediaPipeTracker(video=True, hands=hands)
    return SegmentedTracker(path, first, stop, length, jobs, hands)


class SegmentedTracker(Closing):
    """A `Tracker` for one video file whose stream is tracked in `jobs` processes, one segment
    each (`SegmentedTracking`); the pictures handed to `track_stream` must be that file's
    frames [first, stop) in order (they only say which result goes with which key)."""

    def __init__(self, path: str | Path, first: int, stop: int | None, length: int, jobs: int,
                 hands: bool = True, overlap: int = OVERLAP_FRAMES) -> None:
        self._arguments = (path, first, stop, length, jobs, hands, overlap)


    def close(self) -> None:
        """Nothing to free: each stream's processes end with it."""

    def track_picture(self, rgb: RGBImage) -> Tracked:
        """Not possible: the processes read the file themselves, frame by frame."""
        raise TypeError("a SegmentedTracker tracks its video file's frames in order "
                        "(track_stream), not single pictures")

    def track(self, rgb: RGBImage) -> Pose | None:
        """Not possible (see `track_picture`)."""
        return self.track_picture(rgb).pose

    def track_stream(self, pictures: Iterable[tuple[Key, RGBImage]]
                     ) -> Generator[tuple[Key, Tracked], None, None]:
        """What the processes found in each frame, paired with the keys in order."""
        with SegmentedTracking(*self._arguments) as tracking:
            for (key, _), (_, tracked) in zip(pictures, tracking):
                yield key, tracked


def _write_record(out: IO[bytes], item: Any) -> None:
    payload = pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL)
    out.write(_HEADER.pack(len(payload)) + payload)
    out.flush()


def _track_segment(path: str, segment: Segment, hands: bool, part: str, errors: Any) -> None:
    """One worker process: track the segment and append its own frames to `part`, then None."""
    from poseanim.tracking.mediapipe_tracker import MediaPipeTracker
    from poseanim.video_source import VideoSource

    try:
        with VideoSource(path) as video, MediaPipeTracker(video=True, hands=hands) as tracker, \
                open(part, "wb") as out:
            frames: Iterable[PictureFrame] = video.frames(segment.warm_up)
            if segment.stop is not None:
                stop = segment.stop
                frames = itertools.takewhile(lambda frame: frame.index < stop, frames)
            with contextlib.closing(tracker.track_stream(
                    (frame, frame.rgb) for frame in frames)) as tracked_frames:
                for frame, tracked in tracked_frames:
                    if frame.index >= segment.start:
                        _write_record(out, (frame.index, tracked))
            _write_record(out, None)
    except PoseanimError as error:
        errors.put(str(error))
    except KeyboardInterrupt:
        pass
    except Exception as error:  # noqa: BLE001 - the parent reports it on one line
        errors.put(f"tracking a segment of {path} failed: {error!r}")


class SegmentedTracking:
    """Frames [first, stop) of a video (stop None: to its end) tracked in `jobs` processes,
    read back in order. `length`: how many frames the clip is thought to have past `first`
    (where the cuts go). Use as a context manager (it starts the processes, and stops them and
    removes the part files when left); iterate once."""

    def __init__(self, path: str | Path, first: int, stop: int | None, length: int, jobs: int,
                 hands: bool = True, overlap: int = OVERLAP_FRAMES) -> None:
        self.path = str(path)
        self.segments = plan_segments(first, first + length, stop, jobs, overlap)
        self._hands = hands
        self._context = multiprocessing.get_context("spawn")  # fresh interpreters: no forked graphs
        self._errors = self._context.Queue()
        self._folder: tempfile.TemporaryDirectory[str] | None = None
        self._workers: list[Any] = []
        self._parts: list[Path] = []

    def __enter__(self) -> SegmentedTracking:
        self._folder = tempfile.TemporaryDirectory(prefix="poseanim-segments-")
        self._parts = [Path(self._folder.name) / f"part{i}" for i in range(len(self.segments))]
        for part in self._parts:
            part.touch()
        self._workers = [
            self._context.Process(target=_track_segment, daemon=True, name=f"poseanim-segment{i}",
                                  args=(self.path, segment, self._hands, str(part),
                                        self._errors))
            for i, (segment, part) in enumerate(zip(self.segments, self._parts))]
        try:
            for worker in self._workers:
                worker.start()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        for worker in self._workers:
            if worker.is_alive():
                worker.terminate()
        for worker in self._workers:
            if worker.pid is not None:
                worker.join()
        self._errors.close()
        if self._folder is not None:
            self._folder.cleanup()

    def __iter__(self) -> Iterator[tuple[int, Tracked]]:
        for worker, part in zip(self._workers, self._parts):
            with part.open("rb") as records:
                while (record := self._next_record(records, worker)) is not None:
                    yield record

    def _next_record(self, records: IO[bytes], worker: Any) -> tuple[int, Tracked] | None:
        """The next record of a part file, waiting while its process is still writing it;
        None at the segment's end."""
        while True:
            where = records.tell()
            header = records.read(_HEADER.size)
            if len(header) == _HEADER.size:
                (length,) = _HEADER.unpack(header)
                payload = records.read(length)
                if len(payload) == length:
                    record: tuple[int, Tracked] | None = pickle.loads(payload)
                    return record
            records.seek(where)
            if not worker.is_alive():
                self._raise_failure(worker, records, where)
            worker.join(_POLL_SECONDS)

    def _raise_failure(self, worker: Any, records: IO[bytes], where: int) -> None:
        """The worker has ended: read what it finished writing, or say why it stopped."""
        records.seek(0, os.SEEK_END)
        if records.tell() > where:  # it wrote more just before it ended
            records.seek(where)
            return
        records.seek(where)
        try:
            message = self._errors.get(timeout=1.0)
        except queue.Empty:
            message = (f"a tracking process stopped (exit code {worker.exitcode}) before the "
                       f"end of its segment of {self.path}; nothing was written")
        raise PoseanimError(message)
