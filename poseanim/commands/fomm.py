"""`poseanim fomm`: animate a photo from a driving video with the First Order Motion Model.

torch is imported only when the command runs, so every other command works without the
`fomm` extra; without it this command says how to install it.
"""

from __future__ import annotations

import argparse
import importlib.util
from pathlib import Path

from poseanim.commands import SUMMARIES
from poseanim.commands.options import add_fomm_model_options
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
        help=SUMMARIES["fomm"],
        description="Raster mode: move the face or body in a photo the way the person in a driving "
        "video moves, with the First Order Motion Model (Siarohin et al., 2019) and the "
        "authors' published checkpoints, on the CPU. Writes 256×256 frames (the photo's "
        "size with --paste-back) as MP4 with the video's sound, WebM, GIF or PNG frames.",
        epilog=EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    # without torch the run only explains the extra, so missing options must not stop it first
    needs = importlib.util.find_spec("torch") is not None
    parser.add_argument("--source", required=needs, metavar="PHOTO", help="photo to animate")
    parser.add_argument(
        "--driving", required=needs, metavar="VIDEO", help="video whose motion is copied"
    )
    add_fomm_model_options(parser, required=needs)
    parser.add_argument(
        "-o",
        "--output",
        required=needs,
        metavar="OUT",
        help="video to write: .mp4, .webm, .gif, or a folder for PNG frames",
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
        help="leave out the driving video's audio (MP4 and WebM keep it by default)",
    )
    parser.add_argument(
        "--threads",
        type=int,
        metavar="N",
        help="CPU threads for torch (default: torch's choice, one per core)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Check the inputs, find the faces, load the checkpoint, animate and write the output."""
    import poseanim.fomm  # raises the install hint when torch is missing
    from poseanim.fomm.config import get_config
    from poseanim.fomm.video import animate_video, frame_faces, output_kind
    from poseanim.sources import read_image
    from poseanim.video_source import VideoSource

    # everything that can fail fast goes before the checkpoint, which takes seconds to load
    output = Path(args.output)
    output_kind(output)
    if args.threads is not None and args.threads < 1:
        raise PoseanimError(f"--threads must be at least 1, not {args.threads}")
    if args.paste_back and not args.crop_faces:
        raise PoseanimError("--paste-back needs --crop-faces")
    config = get_config(args.config)
    photo = read_image(args.source)
    driving = Path(args.driving)
    VideoSource(driving).close()  # says what is wrong with an unreadable video
    framing = frame_faces(
        photo, driving, config, crop=args.crop_faces, find_best_frame=args.best_frame
    )
    if args.threads is not None:
        import torch

        torch.set_num_threads(args.threads)
    model = poseanim.fomm.load_checkpoint(args.checkpoint, args.config)
    result = animate_video(
        model,
        photo,
        driving,
        output,
        relative=args.relative,
        adapt_scale=args.adapt_scale,
        framing=framing,
        paste_back=args.paste_back,
        keep_audio=args.audio,
    )
    print(f"{result.path} ({result.frames} frames, {result.size[0]}×{result.size[1]})")
    return 0
