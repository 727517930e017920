"""`poseanim track`: record the pose in a photo or a video once, as a JSON track any character
can reuse (`poseanim image --track`, `poseanim video --track`)."""

from __future__ import annotations

import argparse
import contextlib
from pathlib import Path

from poseanim.atomic import check_writable
from poseanim.commands import SUMMARIES
from poseanim.commands.options import (
    add_hands_option, add_jobs_option, add_trim_options, check_jobs, frame_range, frames_between,
    frames_within, parse_time_range,
)
from poseanim.errors import PoseanimError
from poseanim.progress import Progress
from poseanim.pipeline import track_frames
from poseanim.sources import PhotoSource
from poseanim.tracking.track_file import PoseTrack, save_track, track_writer
from poseanim.video_source import VideoSource, is_video_path

EXAMPLE = """examples:
  poseanim track photo.jpg -o pose.json
  poseanim track dance.mp4 -o dance.json      every frame, with the video's frame rate
  poseanim track dance.mp4 -o part.json --start 4 --end 0:09.5
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `track` subcommand."""
    parser = subparsers.add_parser(
        "track", help=SUMMARIES["track"],
        description="Run the pose and face trackers once and save the joints (the format is in "
                    "the README); every command takes the file with --track. A video is "
                    "tracked frame by frame with MediaPipe's video mode; frames without a "
                    "person are recorded as such.",
        epilog=EXAMPLE, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("input", help="photo or video of a person")
    parser.add_argument("-o", "--output", required=True, metavar="JSON", help="track file to write")
    add_trim_options(parser)
    add_hands_option(parser, default=True)
    add_jobs_option(parser)
    parser.set_defaults(handler=run)


def _track_video(path: str, output: Path, start: float | None, end: float | None,
                 hands: bool = True, jobs: int | None = None) -> None:
    """Every frame of a video between `start` and `end` (times kept as in the video, so the
    track lines up with it), tracked from frame to frame (Pose and Face Mesh at once on
    consecutive frames; a long clip in segments, each in a process of its own,
    `tracking.segments`), written to the track file as it comes, with a progress bar."""
    from poseanim.tracking.segments import job_count, stream_tracker

    with VideoSource(path) as video, \
            track_writer(output, video.size, video.fps, Path(path).name) as writer:
        total = frames_between(video.frame_count, video.fps, start, end)
        processes = job_count(jobs, total, video.fps)
        label = "tracking" if processes == 1 else f"tracking in {processes} processes"
        with stream_tracker(path, *frame_range(video.fps, start, end), total, processes,
                            hands) as tracker, \
                Progress(total, label) as progress, \
                contextlib.closing(track_frames(frames_within(video.frames(), start, end),
                                                tracker)) as results:
            for result in results:
                writer.add(result.tracked.pose, result.frame.time)
                progress.advance()
        if writer.frames == 0:
            raise PoseanimError(f"{path} has no frames between --start {start or 0:g} s and "
                                f"--end {'its end' if end is None else f'{end:g} s'}; "
                                "nothing was written")
        if writer.found == 0:
            raise PoseanimError(f"no person found in any frame of {path}; nothing was written")


def _track_photo(path: str, hands: bool = True) -> PoseTrack:
    """The one pose in a photo, detected afresh."""
    from poseanim.tracking.mediapipe_tracker import MediaPipeTracker

    photo = PhotoSource(path)
    with MediaPipeTracker(video=False, hands=hands) as tracker, \
            contextlib.closing(track_frames(photo.frames(), tracker)) as results:
        pose = next(results).tracked.pose
    return PoseTrack(photo.image_size, None, [pose], [0.0], Path(path).name)


def run(args: argparse.Namespace) -> int:
    """Track the photo or video and write the track file."""
    output = check_writable(args.output)
    start, end = parse_time_range(args)
    check_jobs(args.jobs)
    if is_video_path(args.input):
        _track_video(args.input, output, start, end, args.hands, args.jobs)
    elif start is not None or end is not None:
        raise PoseanimError("--start and --end trim a video; a photo has one pose")
    else:
        track = _track_photo(args.input, args.hands)
        if track.found_count() == 0:
            raise PoseanimError(f"no person found in {args.input}; nothing was written")
        save_track(track, output)
    print(output)
    return 0
