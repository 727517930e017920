"""`poseanim raster`: animate a photo from a driving video with a motion model, FOMM or
TPSMM, picked from the checkpoint file or by --model.

torch is imported only when the command runs, so every other command works without the
`fomm` extra; without it this command says how to install it. `poseanim fomm` is this
command with the model fixed and FOMM's own option names.
"""

from __future__ import annotations

import argparse
import importlib.util
from pathlib import Path

from poseanim.commands import SUMMARIES
from poseanim.errors import PoseanimError

EXAMPLE = """examples:
  poseanim raster --source photo.jpg --driving clip.mp4 --checkpoint vox.pth.tar -o out.mp4
  poseanim raster --source photo.jpg --driving clip.mp4 --checkpoint vox.pth.tar -o out.mp4 \\
      --crop-faces --paste-back --best-frame
  poseanim raster --source dancer.png --driving taichi.mp4 --checkpoint taichi.pth.tar \\
      --mode avd -o out.mp4
  poseanim raster --model fomm --source photo.jpg --driving clip.mp4 \\
      --checkpoint vox-cpk.pth.tar -o out.mp4

Checkpoints are the authors' files: the Thin-Plate Spline Motion Model's vox.pth.tar (faces),
taichi.pth.tar (bodies), ted.pth.tar (talks, 384²), mgif.pth.tar (cartoon animals), or the
First Order Motion Model's vox-cpk.pth.tar and taichi-cpk.pth.tar. They are read with torch's
restricted unpickler, which refuses files that would run code; still take them only from the
authors' release pages. Needs the extra: pip install "poseanim[fomm]".
"""


def add_inputs(parser: argparse.ArgumentParser, required: bool) -> None:
    """--source, --driving and -o: the photo, the video and the output."""
    parser.add_argument("--source", required=required, metavar="PHOTO", help="photo to animate")
    parser.add_argument(
        "--driving", required=required, metavar="VIDEO", help="video whose motion is copied"
    )
    parser.add_argument(
        "-o",
        "--output",
        required=required,
        metavar="OUT",
        help="video to write: .mp4, .webm, .gif, or a folder for PNG frames",
    )


def add_model_options(parser: argparse._ActionsContainer, required: bool) -> None:
    """--checkpoint, --model and --config: the raster model to load (live uses them too)."""
    parser.add_argument(
        "--checkpoint", required=required, metavar="PTH",
        help="the authors' checkpoint, e.g. vox.pth.tar (TPSMM) or vox-cpk.pth.tar (FOMM)",
    )  # fmt: skip
    parser.add_argument(
        "--model", choices=("fomm", "tpsmm"),
        help="the model the checkpoint belongs to (default: told from the file)",
    )  # fmt: skip
    parser.add_argument(
        "--config", metavar="NAME",
        help="its configuration: vox-256 (faces), taichi-256 (bodies), and for TPSMM also "
        "ted-384 (talks) and mgif-256 (cartoon animals) (default: from the checkpoint's "
        "shapes and file name, else vox-256)",
    )  # fmt: skip


def add_animation_options(parser: argparse.ArgumentParser) -> None:
    """--adapt-scale, the face options, --no-audio and --threads (shared with `fomm`)."""
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


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `raster` subcommand."""
    parser = subparsers.add_parser(
        "raster",
        help=SUMMARIES["raster"],
        description="Raster mode: move the face or body in a photo the way the person in a "
        "driving video moves, with the Thin-Plate Spline Motion Model (Zhao & Zhang, 2022) or "
        "the First Order Motion Model (Siarohin et al., 2019) and the authors' published "
        "checkpoints, on the CPU. Writes the model's square frames (256², 384² for ted; the "
        "photo's size with --paste-back) as MP4 with the video's sound, WebM, GIF or PNG "
        "frames.",
        epilog=EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    # without torch the run only explains the extra, so missing options must not stop it first
    needs = importlib.util.find_spec("torch") is not None
    add_inputs(parser, needs)
    add_model_options(parser, needs)
    parser.add_argument(
        "--mode",
        default="relative",
        choices=("relative", "standard", "avd"),
        help="relative: the video's motion since its first (or best) frame moves the photo's "
        "keypoints (default); standard: the photo takes the video's keypoints as they are; "
        "avd: pose from the video, shape from the photo (TPSMM checkpoints with an AVD "
        "network)",
    )
    add_animation_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """`poseanim raster`: animate with the model the checkpoint (or --model) names."""
    return animate(args, args.model, args.config, args.mode)


def animate(args: argparse.Namespace, model: str | None, config: str | None, mode: str) -> int:
    """Check the inputs, find the faces, load the checkpoint, animate and write the output."""
    import poseanim.raster  # raises the install hint when torch is missing
    from poseanim.raster.video import animate_video, frame_faces, output_kind
    from poseanim.sources import read_image
    from poseanim.video_source import VideoSource

    # everything that can fail fast goes before the checkpoint, which takes seconds to load
    output = Path(args.output)
    output_kind(output)
    if args.threads is not None and args.threads < 1:
        raise PoseanimError(f"--threads must be at least 1, not {args.threads}")
    if args.paste_back and not args.crop_faces:
        raise PoseanimError("--paste-back needs --crop-faces")
    photo = read_image(args.source)
    driving = Path(args.driving)
    VideoSource(driving).close()  # says what is wrong with an unreadable video
    if args.threads is not None:
        import torch

        torch.set_num_threads(args.threads)
    loaded = poseanim.raster.load_checkpoint(args.checkpoint, model, config)
    loaded.check_mode(mode)
    framing = frame_faces(
        photo, driving, loaded.config, crop=args.crop_faces, find_best_frame=args.best_frame
    )
    result = animate_video(
        loaded,
        photo,
        driving,
        output,
        mode=mode,
        adapt_scale=args.adapt_scale,
        framing=framing,
        paste_back=args.paste_back,
        keep_audio=args.audio,
    )
    print(f"{result.path} ({result.frames} frames, {result.size[0]}×{result.size[1]})")
    return 0
