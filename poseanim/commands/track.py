"""`poseanim track`: record the pose in a photo once, as a JSON track any character can reuse."""

from __future__ import annotations

import argparse
from pathlib import Path

from poseanim.atomic import check_writable
from poseanim.errors import PoseanimError
from poseanim.sources import read_image
from poseanim.tracking.track_file import PoseTrack, save_track


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `track` subcommand."""
    parser = subparsers.add_parser(
        "track", help="record the pose of the person in a photo as a JSON track",
        description="Run the pose and face trackers once and save the joints (the format is in "
                    "the README); every command takes the file with --track.",
        epilog="example: poseanim track photo.jpg -o pose.json", )
    parser.add_argument("input", help="photo of a person")
    parser.add_argument("-o", "--output", required=True, metavar="JSON", help="track file to write")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Track the photo and write the track file."""
    output = check_writable(args.output)
    photo = read_image(args.input)
    from poseanim.tracking.mediapipe_tracker import MediaPipeTracker

    with MediaPipeTracker(video=False) as tracker:
        pose = tracker.track(photo)
    if pose is None:
        raise PoseanimError(f"no person found in {args.input}; nothing was written")
    track = PoseTrack((photo.shape[1], photo.shape[0]), None, [pose], [0.0], Path(args.input).name)
    print(save_track(track, output))
    return 0
