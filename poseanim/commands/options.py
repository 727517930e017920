"""Options that read the same in every subcommand, and the checks that go with them."""

from __future__ import annotations

import argparse
import sys

from poseanim.errors import PoseanimError
from poseanim.illustration import Illustration, load_illustration

DEFAULT_ILLUSTRATION = "ada"


def add_illustration_option(parser: argparse.ArgumentParser) -> None:
    """`-i/--illustration NAME|FILE.svg`."""
    parser.add_argument("-i", "--illustration", default=DEFAULT_ILLUSTRATION, metavar="NAME|SVG",
                        help=f"bundled illustration name (see `poseanim list`) or a rigged SVG "
                             f"file (default: {DEFAULT_ILLUSTRATION})")


def load_illustration_reporting(name_or_path: str) -> Illustration:
    """Load the illustration and warn on stderr about what in it cannot be animated fully."""
    illustration = load_illustration(name_or_path)
    for warning in illustration.drawing.warnings:
        print(f"poseanim: warning: {warning}", file=sys.stderr)
    if illustration.drawing.missing_joints:
        missing = illustration.drawing.missing_joints
        print(f"poseanim: warning: {illustration.drawing.source} lacks joint(s) "
              f"{', '.join(missing[:6])}{' …' if len(missing) > 6 else ''}; the bones that need "
              "them are left out (`poseanim rig check` lists every problem)", file=sys.stderr)
    if illustration.drawing.ignored:
        ignored = illustration.drawing.ignored
        print(f"poseanim: warning: {len(ignored)} element(s) of {illustration.drawing.source} "
              f"cannot be deformed and are left out (first: {ignored[0][1]}); "
              "`poseanim rig check` lists them", file=sys.stderr)
    return illustration


def add_track_option(parser: argparse.ArgumentParser) -> None:
    """`--track FILE.json`: use a recorded pose instead of running the tracker."""
    parser.add_argument("--track", metavar="JSON",
                        help="recorded pose track (from `poseanim track`) to use instead of "
                             "tracking the input again")


def add_fomm_model_options(parser: argparse._ActionsContainer, required: bool) -> None:
    """`--checkpoint PTH` and `--config NAME`: the First Order Motion Model to load."""
    parser.add_argument("--checkpoint", required=required, metavar="PTH",
                        help="the authors' checkpoint, e.g. vox-cpk.pth.tar")
    parser.add_argument("--config", default="vox-256", metavar="NAME",
                        help="model the checkpoint belongs to: vox-256 (faces, the default) or "
                             "taichi-256 (bodies)")


def add_mirror_option(parser: argparse.ArgumentParser, default: bool) -> None:
    """`--mirror/--no-mirror`: swap left and right so the character mirrors the person."""
    parser.add_argument("--mirror", action=argparse.BooleanOptionalAction, default=default,
                        help="mirror the person (as a selfie camera shows them) "
                             f"(default: {'on' if default else 'off'})")


def add_picture_options(parser: argparse.ArgumentParser) -> None:
    """Size, background and precision of written pictures and SVGs."""
    group = parser.add_argument_group("picture")
    group.add_argument("--width", type=int, metavar="PX", help="PNG width in pixels")
    group.add_argument("--height", type=int, metavar="PX", help="PNG height in pixels")
    group.add_argument("--scale", type=float, default=1.0, help="PNG scale factor (default 1)")
    group.add_argument("--background", default=None, metavar="COLOUR",
                       help="background colour (CSS: white, #202830 …) or 'none' for "
                            "transparency (default: white in PNGs, none in SVGs)")
    group.add_argument("--precision", type=int, default=2, metavar="N",
                       help="decimal places of SVG coordinates (default 2)")


def check_picture_options(args: argparse.Namespace) -> None:
    """Reject nonsensical sizes before any work is done."""
    for name in ("width", "height"):
        value = getattr(args, name)
        if value is not None and not 1 <= value <= 16384:
            raise PoseanimError(f"--{name} must be between 1 and 16384 pixels, not {value}")
    if not 0 < args.scale <= 16:
        raise PoseanimError(f"--scale must be above 0 and at most 16, not {args.scale}")
    if not 0 <= args.precision <= 6:
        raise PoseanimError(f"--precision must be between 0 and 6, not {args.precision}")


def svg_background(args: argparse.Namespace) -> str | None:
    """The background for SVG output: only an explicitly chosen colour."""
    return None if args.background in (None, "none", "transparent") else args.background


def png_background(args: argparse.Namespace) -> str | None:
    """The background for PNG output: white unless told otherwise; None means transparent."""
    if args.background in ("none", "transparent"):
        return None
    return args.background or "white"
