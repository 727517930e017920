"""`poseanim fomm`: animate a photo from a driving video with the First Order Motion Model.

torch is imported only when the command runs, so every other command works without the
`fomm` extra; without it this command says how to install it.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time

from poseanim.errors import PoseanimError

EXAMPLE = """examples:
  poseanim fomm --source photo.jpg --driving clip.mp4 --checkpoint vox-cpk.pth.tar -o out.mp4
  poseanim fomm --source photo.jpg --driving clip.mp4 --checkpoint vox-cpk.pth.tar -o out.mp4 \\
      --crop-faces --paste-back --best-frame
  poseanim fomm --source dancer.png --driving taichi.mp4 --checkpoint taichi-cpk.pth.tar \\
      --config taichi-256 --absolute -o out.mp4

Checkpoints are the authors' files (vox-cpk.pth.tar for faces, taichi-cpk.pth.tar for bodies);
they are Python pickles, so use only copies from a source you trust.
Needs the extra: pip install "poseanim[fomm]".
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `fomm` subcommand."""
    parser = subparsers.add_parser(
        "fomm",
        help="animate a photo from a video with the First Order Motion Model (needs torch)",
        description="Raster mode: move the face or body in a photo the way the person in a driving "
        "video moves, with the First Order Motion Model (Siarohin et al., 2019) and the "
        "authors' published checkpoints, on the CPU. Writes a 256×256 MP4 (the photo's "
        "size with --paste-back).",
        epilog=EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    # without torch the run only explains the extra, so missing options must not stop it first
    needs = importlib.util.find_spec("torch") is not None
    parser.add_argument("--source", required=needs, metavar="PHOTO", help="photo to animate")
    parser.add_argument(
        "--driving", required=needs, metavar="VIDEO", help="video whose motion is copied"
    )
    parser.add_argument(
        "--checkpoint",
        required=needs,
        metavar="PTH",
        help="the authors' checkpoint, e.g. vox-cpk.pth.tar",
    )
    parser.add_argument(
        "-o", "--output", required=needs, metavar="OUT.mp4", help="MP4 video to write"
    )
    parser.add_argument(
        "--config",
        default="vox-256",
        metavar="NAME",
        help="model the checkpoint belongs to: vox-256 (faces, the default) or taichi-256 (bodies)",
    )
    motion = parser.add_mutually_exclusive_group()
    motion.add_argument(
        "--relative",
        dest="relative",
        action="store_true",
        default=True,
        help="move the photo's keypoints by the video's motion since its first "
        "(or best) frame (default)",
    )
    motion.add_argument(
        "--absolute",
        dest="relative",
        action="store_false",
        help="put the photo's keypoints where the video's are",
    )
    parser.add_argument(
        "--adapt-scale",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="scale the motion by the size of the photo's keypoint spread "
        "relative to the video's (relative mode; default: on)",
    )
    faces = parser.add_argument_group("faces (vox-256)")
    faces.add_argument(
        "--best-frame",
        action="store_true",
        help="start from the video frame whose face looks most like the photo's "
        "and animate forwards and backwards from there",
    )
    faces.add_argument(
        "--crop-faces",
        action="store_true",
        help="crop a square around the face in the photo and the video first",
    )
    faces.add_argument(
        "--paste-back",
        action="store_true",
        help="with --crop-faces, put the animated face back into the whole photo",
    )
    parser.add_argument(
        "--no-audio",
        dest="audio",
        action="store_false",
        help="do not copy the video's audio (it is copied when ffmpeg is on PATH)",
    )
    parser.add_argument(
        "--threads",
        type=int,
        metavar="N",
        help="CPU threads for torch (default: torch's choice, one per core)",
    )
    parser.set_defaults(handler=run)


class _ProgressLine:
    """One self-overwriting stderr line: stage, frames done (of total) and seconds per frame."""

    def __init__(self) -> None:
        self._stage = ""
        self._stage_started = self._last_call = self._last_shown = time.perf_counter()

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        now = time.perf_counter()
        if stage != self._stage:
            if self._stage:
                sys.stderr.write("\n")
            # the stage began when the previous one reported its last frame
            self._stage, self._stage_started = stage, self._last_call
        self._last_call = now
        if now - self._last_shown < 0.2 and done != total:
            return  # a redraw per frame would flood a slow terminal when frames are fast
        self._last_shown = now
        of_total = f"/{total}" if total else ""
        sys.stderr.write(
            f"\rposeanim fomm: {stage} {done}{of_total}, "
            f"{(now - self._stage_started) / done:.2f} s/frame  "
        )
        sys.stderr.flush()

    def finish(self) -> None:
        """End the line so later messages start on their own."""
        if self._stage:
            sys.stderr.write("\n")


def run(args: argparse.Namespace) -> int:
    """Check the inputs, load the checkpoint, animate the photo and write the MP4."""
    import poseanim.fomm  # raises the install hint when torch is missing
    from poseanim.fomm.video import DrivingVideo, animate_video, check_output
    from poseanim.sources import read_image

    # cheap checks first: loading a checkpoint takes seconds
    check_output(args.output)
    if args.threads is not None and args.threads < 1:
        raise PoseanimError(f"--threads must be at least 1, not {args.threads}")
    photo = read_image(args.source)
    video = DrivingVideo(args.driving)
    if args.threads is not None:
        import torch

        torch.set_num_threads(args.threads)
    model = poseanim.fomm.load_checkpoint(args.checkpoint, args.config)
    progress = _ProgressLine()
    try:
        result = animate_video(
            model,
            photo,
            video,
            args.output,
            relative=args.relative,
            adapt_scale=args.adapt_scale,
            find_best_frame=args.best_frame,
            crop_faces=args.crop_faces,
            paste_back=args.paste_back,
            keep_audio=args.audio,
            progress=progress,
        )
    finally:
        progress.finish()
    if args.audio and not result.audio_copied:
        print(
            "poseanim: note: no ffmpeg on PATH, so the video's audio (if any) was not copied",
            file=sys.stderr,
        )
    print(f"{result.path} ({result.frames} frames, {result.size[0]}×{result.size[1]})")
    return 0
