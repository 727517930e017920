"""`poseanim fomm`: animate a photo from a driving video with the First Order Motion Model.

torch is imported only when the command runs, so every other command works without the
`fomm` extra; without it this command says how to install it.
"""

from __future__ import annotations

import argparse
import importlib.util

from poseanim.commands import SUMMARIES
from poseanim.commands.options import add_fomm_model_options

EXAMPLE = """examples:
  poseanim fomm --source photo.jpg --driving clip.mp4 --checkpoint vox-cpk.pth.tar -o out.mp4
  poseanim fomm --source photo.jpg --driving clip.mp4 --checkpoint vox-cpk.pth.tar -o out.mp4 \\
      --crop-faces --paste-back --best-frame
  poseanim fomm --source dancer.png --driving taichi.mp4 --checkpoint taichi-cpk.pth.tar \\
      --config taichi-256 --absolute -o out.mp4

Checkpoints are the authors' files (vox-cpk.pth.tar for faces, taichi-cpk.pth.tar for bodies).
They are read with torch's restricted unpickler, which refuses files that would run code;
still take them only from the authors' release pages.
Needs the extra: pip install "poseanim[fomm]".
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `fomm` subcommand."""
    from poseanim.commands.raster import add_animation_options, add_inputs

    parser = subparsers.add_parser(
        "fomm",
        help=SUMMARIES["fomm"],
        description="Raster mode: move the face or body in a photo the way the person in a driving "
        "video moves, with the First Order Motion Model (Siarohin et al., 2019) and the "
        "authors' published checkpoints, on the CPU. Writes 256×256 frames (the photo's "
        "size with --paste-back) as MP4 with the video's sound, WebM, GIF or PNG frames. "
        "`poseanim raster` does the same with either model.",
        epilog=EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    # without torch the run only explains the extra, so missing options must not stop it first
    needs = importlib.util.find_spec("torch") is not None
    add_inputs(parser, needs)
    add_fomm_model_options(parser, required=needs)
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
    add_animation_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """`poseanim raster --model fomm` under FOMM's option names."""
    import poseanim.fomm  # noqa: F401  (raises the FOMM install hint when torch is missing)
    from poseanim.commands.raster import animate
    from poseanim.fomm.config import get_config

    get_config(args.config)  # an unknown name fails before any work
    return animate(args, "fomm", args.config, "relative" if args.relative else "standard")
