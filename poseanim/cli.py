"""The `poseanim` command: one entry point, one subcommand per job.

Each subcommand lives in its own module under `poseanim.commands` and exposes
`register(subparsers)`, which adds its parser and sets `handler` to a function taking the
parsed arguments. Adding a job means adding a module name to `COMMANDS`, nothing else.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from typing import Sequence

from poseanim import __version__
from poseanim.errors import PoseanimError

COMMANDS: tuple[str, ...] = ("image", "track", "list", "fomm", "rig", "live", "video")


def build_parser() -> argparse.ArgumentParser:
    """The top-level parser with every subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="poseanim",
        description="Animate rigged SVG characters (Pose Animator convention) from people in photos, "
        "videos and the webcam.",
        epilog="example: poseanim image photo.jpg -i ada -o posed.svg",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"poseanim {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"poseanim.commands.{name}").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; user errors print one line and return 1, never a traceback."""
    os.environ.setdefault("GLOG_minloglevel", "2")  # keep MediaPipe's C++ logging off the terminal
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "handler", None) is None:
        parser.print_help()
        return 2
    try:
        return int(args.handler(args) or 0)
    except PoseanimError as error:
        print(f"poseanim: error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("poseanim: interrupted; no partial output was kept", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
