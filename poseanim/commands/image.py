"""`poseanim image`: a photo (or a recorded pose) → the character in that pose, as SVG and PNG."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from poseanim.atomic import check_writable
from poseanim.commands import SUMMARIES
from poseanim.commands.options import (
    add_illustration_option, add_mirror_option, add_picture_options, add_track_option,
    check_picture_options, load_illustration_reporting, png_background, svg_background,
)
from poseanim.errors import PoseanimError
from poseanim.pose import Pose
from poseanim.render.debug_view import draw_debug
from poseanim.render.images import photo_data_uri, write_image
from poseanim.render.writers import write_png, write_svg
from poseanim.sources import read_image
from poseanim.tracking.track_file import load_track

EXAMPLE = """examples:
  poseanim image photo.jpg -i ada -o posed.svg          posed.svg and posed.png
  poseanim image photo.jpg -i mine.svg -o posed.png --fit --background none
  poseanim image photo.jpg -o over.svg --overlay --debug landmarks.png
  poseanim image --track pose.json -i bolt -o bolt.svg  reuse a recorded pose
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `image` subcommand."""
    parser = subparsers.add_parser(
        "image", help=SUMMARIES["image"],
        description="Track the person in a photo and write the character in the same pose: an "
                    "SVG and a PNG. The character is drawn where the person is, on a canvas the "
                    "size of the photo (as Pose Animator does), or centred on its own canvas "
                    "with --fit.",
        epilog=EXAMPLE, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("photo", nargs="?", help="photo of a person (optional with --track)")
    add_illustration_option(parser)
    parser.add_argument("-o", "--output", required=True, metavar="OUT.svg|OUT.png",
                        help="output file; .svg also writes a PNG beside it (unless --no-png), "
                             ".png writes only the picture")
    parser.add_argument("--no-png", action="store_true", help="with an .svg output, skip the PNG")
    add_track_option(parser)
    parser.add_argument("--fit", action="store_true",
                        help="centre the posed character on the illustration's own canvas")
    parser.add_argument("--overlay", action="store_true",
                        help="draw the character over the photo")
    parser.add_argument("--debug", metavar="PNG",
                        help="also write the photo with the detected landmarks and bones")
    add_mirror_option(parser, default=False)
    add_picture_options(parser)
    parser.set_defaults(handler=run)


def _pose_from_inputs(args: argparse.Namespace, photo) -> tuple[Pose, object]:
    """The pose (from the track file or the tracker) and the raw landmarks for --debug."""
    if args.track:
        track = load_track(args.track)
        pose = next((p for p in track.frames if p is not None), None)
        if pose is None:
            raise PoseanimError(f"{args.track} has no frame with a person")
        if len(track.frames) > 1:
            print(f"poseanim: {args.track} holds {len(track.frames)} frames; using the first "
                  "with a person (`poseanim video` renders them all)", file=sys.stderr)
        return pose, None
    from poseanim.tracking.mediapipe_tracker import MediaPipeTracker

    with MediaPipeTracker(video=False) as tracker:
        pose = tracker.track(photo)
        landmarks = tracker.last_landmarks
    if pose is None:
        raise PoseanimError(f"no person found in {args.photo}; use a photo in which one person "
                            "is visible at least from the head to the hips")
    if not pose.has_face:
        print("poseanim: warning: no face found; the face follows the ears", file=sys.stderr)
    return pose, landmarks


def run(args: argparse.Namespace) -> int:
    """Pose the illustration and write the requested files."""
    check_picture_options(args)
    output = Path(args.output)
    if output.suffix.lower() not in (".svg", ".png"):
        raise PoseanimError(f"-o must end in .svg or .png, not '{output.suffix or output.name}'")
    if args.photo is None and args.track is None:
        raise PoseanimError("give a photo, or a recorded pose with --track")
    if (args.overlay or args.debug) and args.photo is None:
        raise PoseanimError("--overlay and --debug need the photo as well")
    if args.overlay and args.fit:
        raise PoseanimError("--overlay draws on the photo and --fit on the illustration's canvas; "
                            "choose one")
    outputs = [output] + ([output.with_suffix(".png")] if output.suffix.lower() == ".svg"
                          and not args.no_png else [])
    for path in outputs + ([Path(args.debug)] if args.debug else []):
        check_writable(path)

    illustration = load_illustration_reporting(args.illustration)
    photo = read_image(args.photo) if args.photo else None
    pose, landmarks = _pose_from_inputs(args, photo)
    if photo is not None and args.track and tuple(pose.image_size) != (photo.shape[1], photo.shape[0]):
        raise PoseanimError(f"{args.track} was recorded on a {pose.image_size[0]}×"
                            f"{pose.image_size[1]} image but {args.photo} is "
                            f"{photo.shape[1]}×{photo.shape[0]}")
    frame = illustration.pose(pose.mirrored() if args.mirror else pose)
    if args.fit:
        frame = frame.fitted()
    underlay = photo_data_uri(photo if not args.mirror else photo[:, ::-1]) if args.overlay else None
    written = []
    if output.suffix.lower() == ".svg":
        written.append(write_svg(frame, output, args.precision, svg_background(args), underlay))
    if output.suffix.lower() == ".png" or not args.no_png:
        written.append(write_png(frame, output.with_suffix(".png"), args.width, args.height,
                                 args.scale, png_background(args), underlay))
    if args.debug:
        written.append(write_image(args.debug, draw_debug(photo, pose, landmarks)))
    for path in written:
        print(path)
    return 0
