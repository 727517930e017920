"""`poseanim video`: a video of a person (or a recorded track) → the character doing the same.

Stages, one frame at a time: video source → MediaPipe in video mode (or the track file) →
`PoseStream` (One Euro smoothing, hold then ease to rest when the person is lost) → posed
frame → cairo painter (raster outputs) → the writer the output's suffix picks.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import itertools
import math
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import numpy as np

from poseanim.commands import SUMMARIES
from poseanim.commands.options import (
    add_deformation_options, add_hands_option, add_illustration_option, add_jobs_option,
    add_mirror_option, add_picture_options, add_track_option, add_trim_options, check_jobs,
    check_picture_options, frame_range, frames_between, frames_within,
    load_illustration_reporting, parse_background_option, parse_time_range, time_position,
)
from poseanim.errors import PoseanimError
from poseanim.filters import PoseStream
from poseanim.framing import ClipFraming
from poseanim.illustration import Illustration, PosedFrame
from poseanim.pose import Pose
from poseanim.progress import Progress
from poseanim.render.background import Background, VideoBackground, cover, cover_crop
from poseanim.render.canvas import canvas_for, raster_size
from poseanim.render.compositor import FrameCompositor
from poseanim.render.export import ExportSettings, OutputFrame, Writer
from poseanim.render.outputs import WriterKind, check_output, open_writer, writer_kind
from poseanim.pipeline import TrackedFrame, track_frames
from poseanim.sources import SourceFrame
from poseanim.stages import pipelined
from poseanim.tracking.track_file import PoseTrack, RecordedSource, load_track
from poseanim.video_source import VideoSource
from poseanim.visibility import ShapeVisibility

EXAMPLE = """examples:
  poseanim video dance.mp4 -i ada -o ada.mp4              MP4, with the clip's sound
  poseanim video dance.mp4 -o ada.gif --background none --width 320
  poseanim video dance.mp4 -o ada.svg --precision 1       one animated SVG (plays in browsers)
  poseanim video dance.mp4 -o ada.json                    Lottie (lottie-web, Android/iOS, rlottie)
  poseanim video dance.mp4 -o ada.lottie --key-error 0.5  dotLottie, fewer keyframes
  poseanim video dance.mp4 -o frames --frames png         frames/frame_000001.png …
  poseanim video dance.mp4 -o check.mp4 --side-by-side    landmarks beside the character
  poseanim video dance.mp4 -o ada.mp4 --background beach.jpg --start 0:05 --end 0:12.5
  poseanim video dance.mp4 -o ada.webm --background waves.mp4   a video behind (looped)
  poseanim track dance.mp4 -o dance.json                  track once …
  poseanim video --track dance.json -i bolt -o bolt.webm  … render any character from it
"""
MAX_FPS = 240.0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `video` subcommand."""
    parser = subparsers.add_parser(
        "video", help=SUMMARIES["video"],
        description="Track the person in a video frame by frame (MediaPipe in video mode, "
                    "One Euro smoothing; when the person is lost the pose is held, then eased "
                    "back to rest) and write the character doing the same. The output's suffix "
                    "picks the format: .mp4 (keeps the sound), .webm, .gif, .svg (one animated "
                    "SVG), .json (Lottie), .lottie (dotLottie), or a folder of numbered frames "
                    "with --frames png|svg.",
        epilog=EXAMPLE, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("input", nargs="?", help="video of a person (optional with --track)")
    add_illustration_option(parser)
    parser.add_argument("-o", "--output", required=True, metavar="OUT",
                        help="OUT.mp4, OUT.webm, OUT.gif, OUT.svg (animated), OUT.json "
                             "(Lottie), OUT.lottie (dotLottie), or a folder (with --frames)")
    add_track_option(parser)
    parser.add_argument("--frames", choices=("png", "svg"),
                        help="write numbered frames of this type into the folder -o names")
    parser.add_argument("--fps", type=float, metavar="N",
                        help="output frames per second (default: the source's); frames are "
                             "dropped or repeated to match")
    parser.add_argument("--loop", action=argparse.BooleanOptionalAction, default=True,
                        help="GIF and animated SVG play forever (default: on)")
    parser.add_argument("--fit", action="store_true",
                        help="draw on the illustration's own canvas, framed from every frame so "
                             "far so that the character never leaves it (default: where the "
                             "person is in the video)")
    parser.add_argument("--overlay", action="store_true", help="draw the character over the video")
    parser.add_argument("--side-by-side", action="store_true",
                        help="debug view: the video with its landmarks beside the character")
    parser.add_argument("--key-error", type=float, default=0.25, metavar="PX",
                        help="Lottie: leave a keyframe out where the outline between its "
                             "neighbours stays within PX output pixels (default 0.25; 0 keys "
                             "every frame that moves)")
    add_mirror_option(parser, default=False)
    add_hands_option(parser, default=True)
    add_jobs_option(parser)
    add_deformation_options(parser, "drawing")
    parser.add_argument("--smoothing", type=float, default=0.5, metavar="0…1",
                        help="One Euro smoothing: 0 follows every jitter, 1 is very steady "
                             "(default 0.5)")
    add_trim_options(parser)
    add_picture_options(parser)
    parser.set_defaults(handler=run)


def _check_arguments(args: argparse.Namespace, kind: WriterKind) -> Background:
    """Reject contradictory or impossible options before any slow work; returns the parsed
    `--background`."""
    check_picture_options(args)
    check_jobs(args.jobs)
    if args.input is None and args.track is None:
        raise PoseanimError("give a video, or a recorded track with --track")
    if args.fps is not None and not 0 < args.fps <= MAX_FPS:
        raise PoseanimError(f"--fps must be above 0 and at most {MAX_FPS:g}, not {args.fps:g}")
    if not 0 <= args.smoothing <= 1:
        raise PoseanimError(f"--smoothing must be between 0 and 1, not {args.smoothing:g}")
    if (args.overlay or args.side_by_side) and args.input is None:
        raise PoseanimError("--overlay and --side-by-side need the video as well as the track")
    if args.overlay and args.fit:
        raise PoseanimError("--overlay draws on the video and --fit on the illustration's "
                            "canvas; choose one")
    if args.side_by_side and not kind.raster:
        raise PoseanimError(f"--side-by-side draws pixels; {kind.name} is vector output: write "
                            ".mp4, .webm, .gif or --frames png")
    if args.overlay and not kind.raster and not kind.folder:
        raise PoseanimError(f"{kind.name} output cannot hold the video; use --overlay with "
                            ".mp4, .webm, .gif or --frames png|svg")
    if not 0 <= args.key_error <= 100:
        raise PoseanimError(f"--key-error must be between 0 and 100 pixels, not "
                            f"{args.key_error:g}")
    parse_time_range(args)
    background = parse_background_option(args, "white" if kind.raster else None)
    if background.transparent and kind.raster and not kind.alpha and not args.overlay:
        raise PoseanimError(f"{kind.name} cannot be transparent; write .webm, .gif or "
                            "--frames png for --background none")
    if args.overlay and not background.is_colour:
        raise PoseanimError("--overlay puts the video behind the character; give --background "
                            "a colour or none with it, or leave --overlay out")
    if background.video is not None and not kind.raster and not kind.folder:
        raise PoseanimError(f"{kind.name} output cannot play a background video; write .mp4, "
                            ".webm, .gif or --frames png|svg, or give a picture")
    output = Path(args.output).resolve()
    for given in (args.input, args.track):
        if given is not None and Path(given).resolve() == output:
            raise PoseanimError(f"-o {args.output} would overwrite the input; choose another name")
    return background


def _tracked_steps(video: VideoSource, ratio: float, mirror: bool, start: float | None,
                   end: float | None, hands: bool = True, jobs: int | None = None
                   ) -> Iterator[TrackedFrame]:
    """Track every frame that is shown (`_output_frames`) between `start` and `end` with
    MediaPipe in video mode, Pose and Face Mesh at once on consecutive frames
    (`pipeline.track_frames`); when every frame is shown, a long clip in segments, each in a
    process of its own (`tracking.segments`)."""
    from poseanim.tracking.segments import job_count, stream_tracker

    total = frames_between(video.frame_count, video.fps, start, end)
    processes = job_count(jobs, total, video.fps) if ratio >= 1.0 else 1
    shown = (frame for frame in frames_within(video.frames(), start, end)
             if _output_frames(frame.index, ratio) > 0)
    with stream_tracker(video.path, *frame_range(video.fps, start, end), total, processes,
                        hands) as tracker, \
            contextlib.closing(track_frames(shown, tracker, mirror=mirror)) as results:
        yield from results


def _tracked_beforehand(video: VideoSource, ratio: float, start: float | None,
                        end: float | None, hands: bool, jobs: int | None) -> PoseTrack:
    """`video --fit` of a video: a first pass tracks every frame that is shown into a track
    held in memory (its poses, unmirrored; a frame not tracked left empty), so that the second
    draws it as `--track` draws a recorded one: framed once for the whole clip, never leaving
    the canvas and never zooming as the clip plays."""
    poses: list[Pose | None] = []
    with Progress(frames_between(video.frame_count, video.fps, start, end),
                  "tracking") as progress:
        for step in _tracked_steps(video, ratio, False, start, end, hands, jobs):
            poses += [None] * (step.frame.index - len(poses)) + [step.tracked.pose]
            progress.advance(1)
    return PoseTrack(video.image_size, video.fps, poses,
                     [index / video.fps for index in range(len(poses))], str(video.path))


def _recorded_steps(track: PoseTrack, video: VideoSource | None, ratio: float,
                    mirror: bool, start: float | None, end: float | None) -> Iterator[TrackedFrame]:
    """The poses of a track file between `start` and `end`, with the video's frame of the
    same time alongside when they are drawn (a track trimmed when recorded still lines up)."""
    return track_frames(_recorded_frames(track, video, ratio, start, end), None, mirror=mirror,
                        image_size=track.image_size)


def _recorded_frames(track: PoseTrack, video: VideoSource | None, ratio: float,
                     start: float | None, end: float | None) -> Iterator[SourceFrame]:
    """`_recorded_steps` before mirroring."""
    pictures = iter(video.frames()) if video is not None else None
    picture = None
    for frame in RecordedSource(track).frames():
        where = time_position(frame.time, start, end)
        if where > 0:
            break
        if pictures is not None and video is not None:
            while picture is None or picture.time < frame.time - 0.5 / video.fps:
                picture = next(pictures, None)
                if picture is None:
                    return
        if where < 0 or _output_frames(frame.index, ratio) == 0:
            continue
        yield frame if picture is None else dataclasses.replace(frame, rgb=picture.rgb)


def _output_frames(index: int, ratio: float) -> int:
    """How many output frames source frame `index` covers when the rate changes by `ratio`."""
    return math.ceil((index + 1) * ratio - 1e-9) - math.ceil(index * ratio - 1e-9)


def _hidden_frame(illustration: Illustration,
                  canvas: tuple[float, float, float, float]) -> PosedFrame:
    """A frame with nothing shown, for the frames before anyone has been seen."""
    rest = illustration.pose(illustration.rest_pose())
    return dataclasses.replace(rest, visible=np.zeros_like(rest.visible), canvas=canvas)


@dataclass(frozen=True)
class _Plan:
    """The numbers a run is built on, worked out once from the inputs and options.

    fps: output rate; ratio: output frames per source frame; image_size: the source's
    (width, height); canvas: what is drawn, in pose coordinates; size: the character's
    picture in pixels (and an SVG's display size).
    """

    fps: float
    ratio: float
    image_size: tuple[int, int]
    canvas: tuple[float, float, float, float]
    size: tuple[int, int]


def _plan(args: argparse.Namespace, illustration: Illustration, video: VideoSource | None,
          track: PoseTrack | None, kind: WriterKind) -> _Plan:
    """Frame rates, canvas and size for these inputs; PoseanimError where they disagree."""
    if track is not None:
        source_fps, image_size = track.fps or args.fps, track.image_size
        if source_fps is None:
            raise PoseanimError(f"{args.track} has no frame rate (it was recorded from a "
                                "photo); give one with --fps")
        if video is not None and tuple(video.size) != tuple(image_size):
            raise PoseanimError(f"{args.track} was recorded on {image_size[0]}×{image_size[1]} "
                                f"frames but {args.input} is {video.size[0]}×{video.size[1]}")
    else:
        assert video is not None, "_check_arguments asks for a video or a track"
        source_fps, image_size = video.fps, video.size
    fps = args.fps or source_fps
    canvas = ((0.0, 0.0, float(illustration.view_box[2]), float(illustration.view_box[3]))
              if args.fit else (0.0, 0.0, float(image_size[0]), float(image_size[1])))
    size = (_beside_the_pane(canvas, image_size, args, kind.even_size) if args.side_by_side
            else raster_size(canvas, args.width, args.height, args.scale))
    if args.width is not None and args.height is not None and not args.overlay:
        canvas = canvas_for(canvas, size)  # the background covers all of the asked-for size
        if args.fit:
            canvas = (0.0, 0.0, canvas[2], canvas[3])  # where `PosedFrame.fit` places it
    return _Plan(fps, fps / source_fps, (int(image_size[0]), int(image_size[1])), canvas, size)


def _beside_the_pane(canvas: tuple[float, float, float, float], image_size: tuple[int, int],
                     args: argparse.Namespace, even_size: bool) -> tuple[int, int]:
    """The character's size when --side-by-side puts the video pane (as tall as the
    character, `FrameCompositor`) on its left: --width/--height/--scale size the whole picture."""
    pane_aspect = image_size[0] / image_size[1]
    whole = (0.0, 0.0, canvas[2] + canvas[3] * pane_aspect, canvas[3])
    width, height = raster_size(whole, args.width, args.height, args.scale)
    pane = max(round(height * pane_aspect), 1)
    pane += pane % 2 if even_size else 0
    if width - pane < 1:
        raise PoseanimError(f"--width {width} leaves no room for the character beside the "
                            f"{pane} px video pane; give a wider --width")
    return width - pane, height


def _backdrops(background: Background, plan: _Plan, compositor: FrameCompositor | None,
               kind: WriterKind) -> Iterator[np.ndarray] | None:
    """The picture under the character for every output frame (None: a colour or nothing):
    at the character's pixel size for raster output, cropped to the canvas for SVG frames."""
    if background.is_colour:
        return None
    size = compositor.character_size if compositor is not None else plan.size
    if background.video is not None:
        return VideoBackground(background.video, size).frames(plan.fps)
    assert background.picture is not None
    if kind.raster:
        return itertools.repeat(cover(background.picture, size))
    return itertools.repeat(cover_crop(background.picture,
                                       plan.canvas[2] / max(plan.canvas[3], 1e-9)))


def run(args: argparse.Namespace) -> int:
    """Track (or read) the poses, draw the character for each frame and write the output."""
    output = Path(args.output)
    kind = writer_kind(output, args.frames)
    background = _check_arguments(args, kind)
    start, end = parse_time_range(args)
    check_output(output, kind)
    illustration = load_illustration_reporting(args.illustration, args.skinning,
                                               args.proportions or "drawing", args.outside)
    track = load_track(args.track) if args.track else None
    if track is not None and track.found_count() == 0:
        raise PoseanimError(f"{args.track} has no frame with a person; nothing was written")

    with contextlib.ExitStack() as stack:
        video = stack.enter_context(VideoSource(args.input)) if args.input else None
        _warn_about_sources(args, video, track)
        plan = _plan(args, illustration, video, track, kind)
        if track is None and args.fit and video is not None:
            track = _tracked_beforehand(video, plan.ratio, start, end, args.hands, args.jobs)
            video = (stack.enter_context(VideoSource(args.input))  # its frames were read
                     if args.overlay or args.side_by_side else None)
        underlay = args.overlay or not background.is_colour
        compositor = (FrameCompositor(illustration, plan.size, background.colour, underlay,
                                      plan.image_size if args.side_by_side else None,
                                      kind.even_size)
                      if kind.raster else None)
        backdrops = _backdrops(background, plan, compositor, kind)
        still = (cover(background.picture, plan.size)
                 if background.picture is not None and not kind.raster else None)
        settings = ExportSettings(fps=plan.fps, loop=args.loop, precision=args.precision,
                                  svg_background=background.css, svg_size=plan.size,
                                  audio_from=Path(args.input) if args.input else None,
                                  audio_start=start or 0.0, underlay=underlay,
                                  key_error=args.key_error, backdrop=still)
        if track is not None:
            pictures = video if args.overlay or args.side_by_side else None
            steps = _recorded_steps(track, pictures, plan.ratio, args.mirror, start, end)
            total = sum(time_position(time, start, end) == 0 for time in track.times)
            label = "rendering"
            before = (frame for frame in RecordedSource(track).frames()
                      if time_position(frame.time, start, end) < 0)
            warm_up = [(step.frame.time, step.tracked.pose) for step in
                       track_frames(before, None, mirror=args.mirror, image_size=track.image_size)]
            clip = [(step.frame.time, step.tracked.pose) for step in track_frames(
                RecordedSource(track).frames(), None, mirror=args.mirror,
                image_size=track.image_size)]
        else:
            assert video is not None
            steps = _tracked_steps(video, plan.ratio, args.mirror, start, end, args.hands,
                                   args.jobs)
            warm_up = []  # the frames before --start are not tracked
            clip = None  # not fitted (`--fit` tracks the video first: `_tracked_beforehand`)
            total = frames_between(video.frame_count, video.fps, start, end)
            label = "tracking and rendering"
        with open_writer(output, kind, settings) as writer, Progress(total, label) as progress:
            shown, found = _render(steps, illustration, writer, compositor, backdrops, plan,
                                   args, progress, warm_up, clip)
            if shown == 0:
                raise PoseanimError(f"no frames between --start {start or 0:g} s and --end "
                                    f"{'the end' if end is None else f'{end:g} s'}; "
                                    "nothing was written")
            if found == 0:
                raise PoseanimError(f"no person found in any frame of {args.input}; use a video "
                                    "in which one person is visible from the head to the hips; "
                                    "nothing was written")
    print(output)
    return 0


def _warn_about_sources(args: argparse.Namespace, video: VideoSource | None,
                        track: PoseTrack | None) -> None:
    """Say on stderr what poseanim assumed about the inputs."""
    if video is not None and not video.fps_known and track is None and args.fps is None:
        print(f"poseanim: warning: {args.input} does not say its frame rate; assuming "
              f"{video.fps:g} frames/s (set it with --fps)", file=sys.stderr)
    if video is not None and track is not None and video.frame_count and \
            abs(video.frame_count - len(track.frames)) > 1:
        print(f"poseanim: warning: {args.track} holds {len(track.frames)} frames and "
              f"{args.input} {video.frame_count}; the shorter one sets the length",
              file=sys.stderr)


def _clip_framing(illustration: Illustration, plan: _Plan, smoothing: float,
                  clip: list[tuple[float, Pose | None]] | None) -> ClipFraming:
    """The `--fit` framing of the whole clip: every pose of it posed once, through a pose
    stream of its own, before drawing: one framing for every frame, never leaving the canvas,
    no zoom."""
    framing = ClipFraming(plan.canvas[2], plan.canvas[3])
    stream = PoseStream(illustration.rest_joints, smoothing)
    for time, pose in clip or []:
        streamed = stream.step(time, pose)
        if streamed.pose is not None:
            framing.include(illustration.pose(streamed.pose, streamed.ears, streamed.in_front))
    return framing


def _render(steps: Iterator[TrackedFrame], illustration: Illustration, writer: Writer,
            compositor: FrameCompositor | None, backdrops: Iterator[np.ndarray] | None,
            plan: _Plan, args: argparse.Namespace, progress: Progress,
            warm_up: list[tuple[float, Pose | None]],
            clip: list[tuple[float, Pose | None]] | None) -> tuple[int, int]:
    """Feed every step through the pose stream to the writer; returns (steps written, steps
    with a person).

    warm_up: (time, pose) of a track's frames before --start, run through the stream and the
    shapes' visibility (both remember the past: hysteresis, fades, held hands) but not drawn,
    so that a trimmed export shows exactly the frames of the whole one. clip: with `--fit`,
    every (time, pose) of the whole track when they are known before drawing: the clip is then
    framed once, holding all of them (`_clip_framing`; a trimmed export frames as the whole).

    Posing and painting are stages of their own (`pipelined`), so that on two cores the
    character of one frame is drawn while the next is tracked and the one before is encoded.
    """
    stream = PoseStream(illustration.rest_joints, args.smoothing)
    hidden = _hidden_frame(illustration, plan.canvas)
    framing = _clip_framing(illustration, plan, args.smoothing, clip) if args.fit else None

    visibility = ShapeVisibility()

    def posed(step: TrackedFrame) -> tuple[TrackedFrame, PosedFrame, Pose | None]:
        streamed = stream.step(step.frame.time, step.tracked.pose)
        if streamed.pose is None:
            visibility.reset()
            return step, hidden, None
        frame = visibility(step.frame.time, illustration.pose(streamed.pose, streamed.ears,
                                                              streamed.in_front))
        if framing is not None:
            frame = framing.place(frame)
        return step, frame, streamed.pose

    for time, pose in warm_up:
        streamed = stream.step(time, pose)
        if streamed.pose is None:
            visibility.reset()
        else:
            visibility(time, illustration.pose(streamed.pose, streamed.ears, streamed.in_front))

    def painted(item: tuple[TrackedFrame, PosedFrame, Pose | None]
                ) -> tuple[TrackedFrame, OutputFrame]:
        step, frame, pose = item
        # a background video advances with the output frames; a repeated frame shows its first
        repeat = _output_frames(step.frame.index, plan.ratio)
        backdrop = ([next(backdrops) for _ in range(repeat)][0] if backdrops is not None
                    else None)
        video = step.frame.rgb
        pixels = (compositor.compose(frame, video, pose, step.tracked.landmarks, backdrop)
                  if compositor is not None else None)
        return step, OutputFrame(frame, pixels, backdrop if backdrop is not None else video)

    found = 0
    shown = 0
    done: int | None = None
    with contextlib.closing(pipelined(steps, posed, painted, name="poseanim-render")) as frames:
        for step, output in frames:
            index = step.frame.index
            shown += 1
            found += step.tracked.pose is not None
            writer.write(output, _output_frames(index, plan.ratio))
            progress.advance(index + 1 - (index if done is None else done))
            done = index + 1
    return shown, found
