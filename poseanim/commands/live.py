"""`poseanim live`: the webcam (or a video, or a recorded track) animates a character in a window.

With --raster (or --fomm) it animates a photo instead (TPSMM or FOMM); torch is then imported
and the checkpoint loaded before the window opens, so every mistake is one line.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from poseanim.commands import SUMMARIES
from poseanim.commands.options import (
    LIVE_HANDS_DEFAULT, add_background_option, add_deformation_options, add_hands_option,
    add_illustration_option, add_track_option, parse_background_option,
)
from poseanim.commands.raster import add_model_options
from poseanim.errors import PoseanimError

if TYPE_CHECKING:
    from poseanim.app.raster_worker import RasterSettings

EXAMPLE = """examples:
  poseanim live                          default camera, the default character
  poseanim live --camera 1 -i bolt       another camera and character
  poseanim live --video dance.mp4 --loop a video file played like a camera
  poseanim live --track take1.json       replay a recording made in the window (R)
  poseanim live --virtual-camera         also send the character to video calls
  poseanim live --raster me.jpg --checkpoint vox.pth.tar
                                         animate a photo instead (TPSMM, needs torch)
  poseanim live --raster avatars/ --checkpoint vox.pth.tar --virtual-camera
                                         avatars to switch with keys 1-9, to video calls
  poseanim live --fomm me.jpg --checkpoint vox-cpk.pth.tar
                                         animate a photo instead (FOMM, needs torch)

Press F1 in the window for every keyboard shortcut (docs/live.md has them too).
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `live` subcommand."""
    parser = subparsers.add_parser(
        "live", help=SUMMARIES["live"],
        description="Open a window with the camera picture and the character copying the "
                    "person in it, in real time; record it, take screenshots, or send it to a "
                    "virtual camera.",
        epilog=EXAMPLE, formatter_class=argparse.RawDescriptionHelpFormatter)
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--camera", type=int, default=0, metavar="N",
                        help="camera number (default 0, the first camera)")
    source.add_argument("--video", metavar="FILE", help="play a video file as if it were a camera")
    add_track_option(source)
    parser.add_argument("--loop", action="store_true", help="with --video or --track: start "
                                                            "again at the end")
    add_illustration_option(parser)
    add_deformation_options(parser, "drawing")
    parser.add_argument("--mirror", action=argparse.BooleanOptionalAction, default=None,
                        help="mirror the person, as a selfie camera shows them (default: on "
                             "for a camera, off for --video and --track)")
    parser.add_argument("--smoothing", type=float, default=0.5, metavar="0..1",
                        help="how steady the character is: 0 follows every jitter, 1 is very "
                             "steady but lags (default 0.5)")
    add_background_option(parser, "white")
    parser.add_argument("--output-dir", default=".", metavar="DIR",
                        help="folder for recordings and screenshots (default: here)")
    parser.add_argument("--virtual-camera", action="store_true",
                        help="also send the character to a virtual camera (needs pyvirtualcam "
                             "and, on Linux, v4l2loopback)")
    add_hands_option(parser, default=LIVE_HANDS_DEFAULT)
    parser.add_argument("--no-face", action="store_true",
                        help="track the body only (faster on slow machines; the face follows "
                             "the ears)")
    raster = parser.add_argument_group(
        "raster mode (needs the extra: pip install \"poseanim[fomm]\")")
    photos = raster.add_mutually_exclusive_group()
    photos.add_argument("--raster", metavar="PHOTO|FOLDER",
                        help="animate this photo (or the photos of a folder: avatars, keys 1-9) "
                             "with TPSMM or FOMM instead of a character (about 1 frame a second "
                             "on a CPU)")
    photos.add_argument("--fomm", metavar="PHOTO|FOLDER",
                        help="the same with a First Order Motion Model checkpoint")
    add_model_options(raster, required=False)
    raster.add_argument("--mode", default="relative", choices=("relative", "standard", "avd"),
                        help="how the camera's motion moves the photo (see `poseanim raster "
                             "--help`; default relative)")
    parser.set_defaults(handler=run)


def _settings(args: argparse.Namespace):
    """The window's settings, with every option checked before a window opens."""
    from PySide6.QtGui import QColor

    from poseanim.pipeline import SourceSpec, open_frame_source
    from poseanim.app.live_window import LiveSettings
    from poseanim.illustration import load_illustration

    if not 0 <= args.smoothing <= 1:
        raise PoseanimError(f"--smoothing must be between 0 and 1, not {args.smoothing}")
    if args.camera < 0:
        raise PoseanimError(f"--camera must be 0 or more, not {args.camera}")
    output_dir = Path(args.output_dir)
    if not output_dir.is_dir():
        raise PoseanimError(f"--output-dir {output_dir} is not a folder")
    parsed = parse_background_option(args, "white")
    background = (QColor.fromRgbF(*parsed.colour) if parsed.colour is not None
                  else QColor("white") if not parsed.is_colour else None)
    raster = args.raster or args.fomm
    if raster is None and (args.checkpoint or args.config or args.model
                           or args.mode != "relative"):
        raise PoseanimError("--checkpoint, --model, --config and --mode go with --raster PHOTO")
    if raster is not None and args.track:
        raise PoseanimError("--track replays poses, and the raster mode is driven by pictures; "
                            "use --video FILE or a camera with --raster")
    if args.video:
        spec = SourceSpec("video", path=Path(args.video), loop=args.loop)
        open_frame_source(spec).close()  # fail here, with one line, not in the window
    elif args.track:
        spec = SourceSpec("track", path=Path(args.track), loop=args.loop)
        open_frame_source(spec).close()
    else:
        if args.loop:
            raise PoseanimError("--loop goes with --video or --track, not a camera")
        spec = SourceSpec("camera", camera=args.camera)
    illustration = load_illustration(args.illustration, skinning=args.skinning,
                                     proportions=args.proportions or "drawing",
                                     outside=args.outside)
    return LiveSettings(spec, illustration, args.mirror, args.smoothing,
                        background, output_dir, args.virtual_camera, not args.no_face,
                        _raster_settings(args), parsed.picture, hands=args.hands,
                        backdrop_video=parsed.video)


def _raster_settings(args: argparse.Namespace) -> RasterSettings | None:
    """Raster mode's photos and model (None without --raster/--fomm); the slowest check, so
    the last."""
    photos = args.raster or args.fomm
    if photos is None:
        return None
    import poseanim.raster  # noqa: F401  (raises the install hint when torch is missing)

    if args.checkpoint is None:
        raise PoseanimError("--raster needs --checkpoint, the authors' vox.pth.tar (TPSMM) or "
                            "vox-cpk.pth.tar (FOMM), or a body model's (taichi)")
    from poseanim.app.raster_worker import load_raster_settings

    model = "fomm" if args.fomm is not None else args.model
    return load_raster_settings(Path(photos), Path(args.checkpoint), model, args.config,
                                args.mode)


def run(args: argparse.Namespace) -> int:
    """Open the live window; returns 1 if the source failed and no other one was opened."""
    from poseanim.app.live_window import LiveWindow
    from poseanim.app.window import qt_application, run_window

    settings = _settings(args)
    qt_application()
    window = LiveWindow(settings)
    run_window(window)
    return 1 if window.source_error else 0
