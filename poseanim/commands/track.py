"""`poseanim track`: record the pose in a photo or a video once, as a JSON track any character
can reuse (`poseanim image --track`, `poseanim video --track`)."""

from __future__ import annotations

import argparse
import contextlib
from pathlib import Path

from poseanim.atomic import check_writable
from poseanim.commands import SUMMARIES
from poseanim.errors import PoseanimError
from poseanim.progress import Progress
from poseanim.sources import read_image
from poseanim.tracking.track_file import PoseTrack, save_track, track_writer
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


def _track_video(path: str, output: Path) -> None:
    """Every frame of a video, tracked from frame to frame (Pose and Face Mesh at once on
    consecutive frames), written to the track file as it comes, with a progress bar."""
    from poseanim.tracking.mediapipe_tracker import MediaPipeTracker

    with VideoSource(path) as video, MediaPipeTracker(video=True) as tracker, \
            track_writer(output, video.size, video.fps, Path(path).name) as writer, \
            Progress(video.frame_count, "tracking") as progress, \
            contextlib.closing(tracker.track_stream(
                (frame.time, frame.rgb) for frame in video.frames())) as tracked_frames:
        for time, tracked in tracked_frames:
            writer.add(tracked.pose, time)
            progress.advance()
        if writer.found == 0:
            raise PoseanimError(f"no person found in any frame of {path}; nothing was written")


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
    if is_video_path(args.input):
        _track_video(args.input, output)
    else:
        track = _track_photo(args.input)
        if track.found_count() == 0:
            raise PoseanimError(f"no person found in {args.input}; nothing was written")
        save_track(track, output)
    print(output)
    return 0
