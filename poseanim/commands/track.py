"""`poseanim track`: record the pose in a photo or a video once, as a JSON track any character
can reuse (`poseanim image --track`, `poseanim video --track`)."""

from __future__ import annotations

import argparse
import contextlib
from pathlib import Path

from poseanim.atomic import check_writable
from poseanim.commands import SUMMARIES
from poseanim.errors import PoseanimError
from poseanim.pose import Pose
from poseanim.progress import Progress
from poseanim.sources import read_image
from poseanim.tracking.track_file import PoseTrack, save_track
from poseanim.video_source import VideoSource, is_video_path

EXAMPLE = """examples:
  poseanim track photo.jpg -o pose.json
  poseanim track dance.mp4 -o dance.json      every frame, with the video's frame rate
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
    parser.set_defaults(handler=run)


def _track_video(path: str) -> PoseTrack:
    """Every frame of a video, tracked from frame to frame (Pose and Face Mesh at once on
    consecutive frames), with a progress bar."""
    from poseanim.tracking.mediapipe_tracker import MediaPipeTracker

    poses: list[Pose | None] = []
    times: list[float] = []
    with VideoSource(path) as video, MediaPipeTracker(video=True) as tracker, \
            Progress(video.frame_count, "tracking") as progress, \
            contextlib.closing(tracker.track_stream(
                (frame.time, frame.rgb) for frame in video.frames())) as tracked_frames:
        for time, tracked in tracked_frames:
            poses.append(tracked.pose)
            times.append(time)
            progress.advance()
    return PoseTrack(video.size, video.fps, poses, times, Path(path).name)


def _track_photo(path: str) -> PoseTrack:
    """The one pose in a photo, detected afresh."""
    from poseanim.tracking.mediapipe_tracker import MediaPipeTracker

    photo = read_image(path)
    with MediaPipeTracker(video=False) as tracker:
        pose = tracker.track(photo)
    return PoseTrack((photo.shape[1], photo.shape[0]), None, [pose], [0.0], Path(path).name)


def run(args: argparse.Namespace) -> int:
    """Track the photo or video and write the track file."""
    output = check_writable(args.output)
    track = _track_video(args.input) if is_video_path(args.input) else _track_photo(args.input)
    if track.found_count() == 0:
        where = "any frame of " if len(track.frames) > 1 else ""
        raise PoseanimError(f"no person found in {where}{args.input}; nothing was written")
    print(save_track(track, output))
    return 0
