"""`poseanim image`: a photo (or a recorded pose) → the character in that pose, as SVG and PNG."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from poseanim.atomic import check_writable
from poseanim.commands import SUMMARIES
from poseanim.commands.options import (
    add_deformation_options, add_hands_option, add_illustration_option, add_mirror_option,
    add_picture_options, add_track_option, check_picture_options, load_illustration_reporting,
    parse_background_option,
)
from poseanim.errors import PoseanimError
from poseanim.pose import Pose
from poseanim.render.canvas import canvas_for, raster_size
from poseanim.render.debug_view import draw_debug
from poseanim.render.export import OutputFrame
from poseanim.render.images import photo_data_uri, write_image
from poseanim.render.outputs import STILL_SUFFIXES, StillSettings, still_kind, write_still
from poseanim.pipeline import TrackedFrame, track_frames
from poseanim.sources import PhotoSource, SourceFrame
from poseanim.tracking.track_file import load_track

if TYPE_CHECKING:
    from poseanim.illustration import Proportions
    from poseanim.render.background import Background
    from poseanim.tracking.tracker import Tracker

EXAMPLE = """examples:
  poseanim image photo.jpg -i ada -o posed.svg          posed.svg and posed.png
  poseanim image photo.jpg -i mine.svg -o posed.png --fit --background none
  poseanim image photo.jpg -o over.svg --overlay --debug landmarks.png
  poseanim image --track pose.json -i bolt -o bolt.svg  reuse a recorded pose
  poseanim image photo.jpg -o posed.png --background beach.jpg   a picture behind (cover)
  poseanim image shoot/ -i mira -o posed/                every photo of a folder, one model load
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
    parser.add_argument("photos", nargs="*", metavar="PHOTO",
                        help="photo of a person (optional with --track); several photos or a "
                             "folder pose the character like each, into the -o folder")
    add_illustration_option(parser)
    parser.add_argument("-o", "--output", required=True, metavar="OUT.svg|OUT.png|FOLDER",
                        help="output file; .svg also writes a PNG beside it (unless --no-png), "
                             ".png writes only the picture; with several photos, the folder "
                             "that gets NAME.svg and NAME.png for each photo NAME")
    parser.add_argument("--no-png", action="store_true", help="with an .svg output, skip the PNG")
    add_track_option(parser)
    parser.add_argument("--fit", action="store_true",
                        help="centre the posed character on the illustration's own canvas "
                             "(default: the photo's canvas, grown where the character overhangs "
                             "it)")
    parser.add_argument("--overlay", action="store_true",
                        help="draw the character over the photo")
    parser.add_argument("--debug", metavar="PNG",
                        help="also write the photo with the detected landmarks and bones")
    add_mirror_option(parser, default=False)
    add_hands_option(parser, default=True)
    add_deformation_options(parser, "drawing with --fit, else person, so that the character "
                                    "lies over the person in the photo")
    add_picture_options(parser)
    parser.set_defaults(handler=run)


def _recorded_pose(track_path: str) -> Pose:
    """The first pose with a person in a track file."""
    track = load_track(track_path)
    pose = next((p for p in track.frames if p is not None), None)
    if pose is None:
        raise PoseanimError(f"{track_path} has no frame with a person")
    if len(track.frames) > 1:
        print(f"poseanim: {track_path} holds {len(track.frames)} frames; using the first "
              "with a person (`poseanim video` renders them all)", file=sys.stderr)
    return pose


def _tracked_photo(tracker: Tracker, photo: PhotoSource, mirror: bool) -> TrackedFrame:
    """The photo, the pose in it and MediaPipe's raw landmarks (for --debug), mirrored when
    `mirror` (`pipeline.track_frames`)."""
    with contextlib.closing(track_frames(photo.frames(), tracker, mirror=mirror)) as results:
        result = next(results)
    if result.tracked.pose is None:
        raise PoseanimError(f"no person found in {photo.path}; use a photo in which one person "
                            "is visible at least from the head to the hips")
    if not result.tracked.pose.has_face:
        print(f"poseanim: warning: no face found in {photo.path}; the face follows the ears",
              file=sys.stderr)
    return result


def _batch_inputs(names: list[str]) -> list[Path]:
    """Photos named on the command line, a folder standing for the pictures in it (sorted)."""
    from poseanim.render.background import IMAGE_SUFFIXES

    photos: list[Path] = []
    for name in names:
        path = Path(name)
        if path.is_dir():
            found = sorted(entry for entry in path.iterdir()
                           if entry.is_file() and entry.suffix.lower() in IMAGE_SUFFIXES)
            if not found:
                raise PoseanimError(f"{path} holds no pictures ({', '.join(IMAGE_SUFFIXES)})")
            photos += found
        else:
            photos.append(path)
    return photos


def _batch_names(photos: list[Path]) -> list[str]:
    """Output stems: each photo's own, its suffix added where two photos share a stem."""
    stems = [photo.stem for photo in photos]
    return [f"{photo.stem}-{photo.suffix.lstrip('.').lower()}" if stems.count(photo.stem) > 1
            else photo.stem for photo in photos]


def _check_arguments(args: argparse.Namespace, batch: bool) -> Path:
    """Reject contradictory options before any work; returns the output path."""
    check_picture_options(args)
    output = Path(args.output)
    if batch:
        if args.track or args.debug:
            raise PoseanimError("--track and --debug go with one photo; several photos or a "
                                "folder are each tracked and written into the -o folder")
        if output.suffix.lower() in STILL_SUFFIXES and not output.is_dir():
            raise PoseanimError(f"with several photos -o names a folder (e.g. "
                                f"{output.with_suffix('')}), not the file {output}")
    else:
        still_kind(output)
    if not args.photos and args.track is None:
        raise PoseanimError("give a photo, or a recorded pose with --track")
    if (args.overlay or args.debug) and not args.photos:
        raise PoseanimError("--overlay and --debug need the photo as well")
    if args.overlay and args.fit:
        raise PoseanimError("--overlay draws on the photo and --fit on the illustration's canvas; "
                            "choose one")
    return output


def run(args: argparse.Namespace) -> int:
    """Pose the illustration like one photo (or track), or like each of several photos."""
    photos = _batch_inputs(args.photos)
    batch = len(photos) > 1 or any(Path(name).is_dir() for name in args.photos)
    output = _check_arguments(args, batch)
    background = parse_background_option(args, None)
    if args.overlay and not background.is_colour:
        raise PoseanimError("--overlay puts the photo behind the character; give --background "
                            "a colour or none with it, or leave --overlay out")
    proportions: Proportions = args.proportions or ("drawing" if args.fit else "person")
    illustration = load_illustration_reporting(args.illustration, args.skinning, proportions,
                                               args.outside)
    if batch:
        return _run_batch(args, illustration, photos, output, background)
    outputs = [output] + ([output.with_suffix(".png")] if output.suffix.lower() == ".svg"
                          and not args.no_png else [])
    for path in outputs + ([Path(args.debug)] if args.debug else []):
        check_writable(path)
    photo = PhotoSource(photos[0]) if photos else None
    if args.track:
        pose = _recorded_pose(args.track)
        if photo is not None and tuple(pose.image_size) != photo.image_size:
            raise PoseanimError(f"{args.track} was recorded on a {pose.image_size[0]}×"
                                f"{pose.image_size[1]} image but {photos[0]} is "
                                f"{photo.image_size[0]}×{photo.image_size[1]}")
        recorded = SourceFrame(0, 0.0, None if photo is None else photo.rgb, pose)
        result = next(track_frames([recorded], None, mirror=args.mirror,
                                   image_size=pose.image_size))
    else:
        from poseanim.tracking.mediapipe_tracker import MediaPipeTracker

        assert photo is not None, "_check_arguments asks for a photo or a track"
        with MediaPipeTracker(video=False, hands=args.hands) as tracker:
            result = _tracked_photo(tracker, photo, args.mirror)
    found, picture = result.tracked.pose, result.frame.rgb
    assert found is not None, "a recorded pose or a person found"
    written = _write_posed(args, illustration, found, picture, output, background)
    if args.debug:
        assert picture is not None, "_check_arguments asks for the photo with --debug"
        written.append(write_image(args.debug,
                                   draw_debug(picture, found, result.tracked.landmarks)))
    for path in written:
        print(path)
    return 0


def _run_batch(args: argparse.Namespace, illustration, photos: list[Path], folder: Path,
               background: Background) -> int:
    """Every photo through one tracker (one model load) and one progress bar; a photo that
    fails is reported and skipped, and the exit status says whether any did."""
    from poseanim.progress import Progress
    from poseanim.tracking.mediapipe_tracker import MediaPipeTracker

    if folder.exists() and not folder.is_dir():
        raise PoseanimError(f"-o {folder} is a file; give a folder for several photos")
    folder.mkdir(parents=True, exist_ok=True)
    check_writable(folder / ".probe.svg")
    failures: list[str] = []
    written: list[Path] = []
    with MediaPipeTracker(video=False, hands=args.hands) as tracker, \
            Progress(len(photos), "posing", unit="photos") as progress:
        for photo_path, stem in zip(photos, _batch_names(photos)):
            try:
                result = _tracked_photo(tracker, PhotoSource(photo_path), args.mirror)
                assert result.tracked.pose is not None, "_tracked_photo found a person"
                written += _write_posed(args, illustration, result.tracked.pose,
                                        result.frame.rgb, folder / f"{stem}.svg", background)
            except PoseanimError as error:
                failures.append(f"{photo_path}: {error}")
            progress.advance()
    for path in written:
        print(path)
    for failure in failures:
        print(f"poseanim: error: {failure}", file=sys.stderr)
    if failures:
        print(f"poseanim: {len(failures)} of {len(photos)} photos failed; the others were "
              "written", file=sys.stderr)
        return 1
    return 0


def _write_posed(args: argparse.Namespace, illustration, pose: Pose, photo, output: Path,
                 background: Background) -> list[Path]:
    """The SVG and/or PNG of the character in `pose` (mirrored already, as `photo` is), over
    `background`."""
    frame = illustration.pose(pose)
    if args.fit:
        frame = frame.fitted()
    elif not args.overlay:
        frame = frame.uncropped()  # the photo's canvas, grown where the character overhangs it
    if args.width is not None and args.height is not None and not args.overlay:
        # exactly the asked-for size, the background covering all of it
        canvas = canvas_for(frame.canvas, raster_size(frame.canvas, args.width, args.height))
        frame = (frame.fitted(canvas[2], canvas[3]) if args.fit
                 else dataclasses.replace(frame, canvas=canvas))
    picture = None  # under the character: the photo, or a background picture
    if args.overlay:
        picture = photo
    elif not background.is_colour:
        picture = _still(background, frame.canvas)
    underlay = photo_data_uri(picture) if picture is not None else None
    paths = [output] + ([output.with_suffix(".png")]
                        if output.suffix.lower() != ".png" and not args.no_png else [])
    still = StillSettings(args.precision, background.css, underlay, args.width, args.height,
                          args.scale, picture)
    png = dataclasses.replace(still, background="white" if args.background is None
                              else background.css)  # the PNG default: white
    return [write_still(OutputFrame(frame), path, png if path.suffix.lower() == ".png"
                        else still) for path in paths]


def _still(background: Background, canvas: tuple[float, float, float, float]):
    """The background picture (a video's first frame) cropped to cover the canvas."""
    from poseanim.render.background import cover_crop
    from poseanim.video_source import VideoSource

    picture = background.picture
    if picture is None:
        assert background.video is not None, "a background that is no colour is a picture or video"
        with VideoSource(background.video) as video:
            picture = next(iter(video.frames())).rgb
    return cover_crop(picture, canvas[2] / max(canvas[3], 1e-9))
