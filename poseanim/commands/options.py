"""Options that read the same in every subcommand, and the checks that go with them."""

from __future__ import annotations

import argparse
import math
import sys
from typing import TYPE_CHECKING, Iterable, Iterator, Protocol, TypeVar

from poseanim.errors import PoseanimError
from poseanim.illustration import Illustration, load_illustration
from poseanim.rig.reader import OutsideMode
from poseanim.retarget import PROPORTIONS, Proportions
from poseanim.skinning import SKINNING_MODES, Skinning

if TYPE_CHECKING:
    from poseanim.render.background import Background

DEFAULT_ILLUSTRATION = "ada"


class Timed(Protocol):
    """Anything with a time in its source (a video frame, a `SourceFrame`)."""

    @property
    def time(self) -> float: ...


T = TypeVar("T", bound=Timed)


def add_illustration_option(parser: argparse.ArgumentParser) -> None:
    """`-i/--illustration NAME|FILE.svg`."""
    parser.add_argument("-i", "--illustration", default=DEFAULT_ILLUSTRATION, metavar="NAME|SVG",
                        help=f"bundled illustration name (see `poseanim list`) or a rigged SVG "
                             f"file (default: {DEFAULT_ILLUSTRATION})")


def add_deformation_options(parser: argparse.ArgumentParser, proportions_default: str) -> None:
    """`--skinning shape|pa`, `--proportions drawing|person` and `--outside static|torso`.

    proportions_default: how the command's help describes the default (it may depend on
    other options, as `image --fit` does).
    """
    group = parser.add_argument_group("deformation")
    group.add_argument("--skinning", choices=SKINNING_MODES, default="shape",
                       help="shape: bind each shape to the limbs it covers, with smooth joints "
                            "(default); pa: exactly as Pose Animator binds, for files made for it")
    group.add_argument("--proportions", choices=PROPORTIONS, default=None,
                       help="drawing: keep the character's own bone lengths and head size and "
                            "take the person's angles and placement; person: take the person's "
                            f"proportions too (default: {proportions_default})")
    group.add_argument("--outside", choices=("static", "torso"), default="static",
                       help="what becomes of shapes drawn outside the 'illustration' group: "
                            "static: they stay where they are drawn (default); torso: they "
                            "move with the character's torso")


def load_illustration_reporting(name_or_path: str, skinning: Skinning = "shape",
                                proportions: Proportions = "person",
                                outside: OutsideMode = "static") -> Illustration:
    """Load the illustration and warn on stderr about what in it cannot be animated fully."""
    illustration = load_illustration(name_or_path, outside, skinning, proportions)
    summed_up = ("missing-joint", "ignored-element")  # one line each, below
    for problem in illustration.drawing.problems:
        if problem.severity == "warning" and problem.code not in summed_up:
            print(f"poseanim: warning: {problem.text}", file=sys.stderr)
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


LIVE_HANDS_DEFAULT = None
"""Hand tracking in `poseanim live` is on while the machine keeps up with it: the window
starts with hands on and turns them off when the tracker finishes fewer than 25 frames a second
with them in its first seconds (`poseanim.app.hands_trial`; on the 2-core development machine
it tracked 6–10 fps with hands, so they go off there). --hands / --no-hands decide instead."""


def add_hands_option(parser: argparse.ArgumentParser, default: bool | None) -> None:
    """`--hands/--no-hands`: track the fingers with MediaPipe Hands around the wrists
    (default None: on while the live window measures that the machine keeps up)."""
    said = ("on while the tracker keeps 25 fps with them, measured in the first seconds"
            if default is None else "on" if default else "off")
    parser.add_argument("--hands", action=argparse.BooleanOptionalAction, default=default,
                        help="track hands and fingers (MediaPipe Hands on crops around the "
                             "wrists; characters without hand joints ignore them) "
                             f"(default: {said})")


def add_picture_options(parser: argparse.ArgumentParser) -> None:
    """Size, background and precision of written pictures and SVGs."""
    group = parser.add_argument_group("picture")
    group.add_argument("--width", type=int, metavar="PX", help="PNG width in pixels")
    group.add_argument("--height", type=int, metavar="PX", help="PNG height in pixels")
    group.add_argument("--scale", type=float, default=1.0, help="PNG scale factor (default 1)")
    add_background_option(group, "white in pictures, none in SVG and Lottie")
    group.add_argument("--precision", type=int, default=2, metavar="N",
                       help="decimal places of SVG coordinates (default 2)")


def add_background_option(parser: argparse._ActionsContainer, default: str) -> None:
    """`--background COLOUR|none|IMAGE|VIDEO` (parsed by `parse_background_option`)."""
    parser.add_argument("--background", default=None, metavar="COLOUR|none|IMAGE|VIDEO",
                        help="behind the character: a CSS colour (white, #202830 …), 'none' "
                             "for transparency, a picture (scaled to cover) or a video "
                             f"(played along, looped) (default: {default})")


def add_trim_options(parser: argparse.ArgumentParser) -> None:
    """`--start/--end TIME`: the part of a video (or track) to use."""
    parser.add_argument("--start", metavar="TIME",
                        help="begin at this time of the video: seconds (12.5) or a timecode "
                             "(1:02.5, 0:01:02.5) (default: its start)")
    parser.add_argument("--end", metavar="TIME",
                        help="stop before this time, in the same forms (default: its end)")


def parse_time(text: str, option: str) -> float:
    """Seconds from `12.5`, `1:02.5` (minutes:seconds) or `0:01:02.5` (hours too)."""
    parts = text.strip().split(":")
    try:
        values = [float(part) for part in parts]
    except ValueError:
        values = []
    if not values or len(values) > 3 or any(not value >= 0 for value in values) \
            or any(value >= 60 for value in values[1:]):
        raise PoseanimError(f"{option} '{text}' is not a time; give seconds (12.5) or a "
                            "timecode (1:02.5 or 0:01:02.5)")
    return sum(value * 60 ** power for power, value in enumerate(reversed(values)))


def parse_time_range(args: argparse.Namespace) -> tuple[float | None, float | None]:
    """(start, end) seconds from `--start/--end` (None where not given)."""
    start = parse_time(args.start, "--start") if args.start is not None else None
    end = parse_time(args.end, "--end") if args.end is not None else None
    if start is not None and end is not None and end <= start:
        raise PoseanimError(f"--end ({end:g} s) must come after --start ({start:g} s)")
    return start, end


def time_position(time: float, start: float | None, end: float | None) -> int:
    """-1 before `start`, 0 inside, 1 at or after `end` (half a millisecond of slack, so a
    timecode typed from a frame's display time takes that frame)."""
    if start is not None and time < start - 5e-4:
        return -1
    return 1 if end is not None and time >= end - 5e-4 else 0


def frames_within(frames: Iterable[T], start: float | None, end: float | None) -> Iterator[T]:
    """The video frames (anything with a `time`) between `start` and `end`; reading stops at
    `end`."""
    for frame in frames:
        where = time_position(frame.time, start, end)
        if where > 0:
            return
        if where == 0:
            yield frame


def frame_range(fps: float, start: float | None, end: float | None) -> tuple[int, int | None]:
    """(first, stop) indices of the frames between `start` and `end` (stop None: to the end),
    frame `i` being at `i / fps` as VideoSource times it (`time_position` 0)."""
    def first_at(time: float | None, where: int) -> int:
        index = max(math.floor((time or 0.0) * fps) - 1, 0)
        while time_position(index / fps, start, end) < where:
            index += 1
        return index

    return first_at(start, 0), None if end is None else first_at(end, 1)


def add_jobs_option(parser: argparse.ArgumentParser) -> None:
    """`--jobs N`: track a video file in N processes, one segment of the clip each."""
    parser.add_argument("--jobs", type=int, metavar="N",
                        help="track the video in N processes at once, one segment of the clip "
                             "each (1: one stream; default: one per core for clips long "
                             "enough, the result within a few pixels of one stream)")


def check_jobs(jobs: int | None) -> None:
    """Reject a --jobs below 1."""
    if jobs is not None and not 1 <= jobs <= 64:
        raise PoseanimError(f"--jobs must be between 1 and 64, not {jobs}")


def frames_between(frame_count: int, fps: float, start: float | None,
                   end: float | None) -> int:
    """About how many of a video's frames lie between `start` and `end` (for progress)."""
    length = frame_count / fps
    return max(round((min(end if end is not None else length, length) - (start or 0.0))
                     * fps), 0)


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


def parse_background_option(args: argparse.Namespace, default: str | None) -> Background:
    """`--background` parsed the one way every command shares (`render.background`); the
    same value is accepted or refused with the same line by `image`, `video` and `live`."""
    from poseanim.render.background import parse_background

    return parse_background(args.background, default)
