"""The `poseanim` command: one entry point, one subcommand per job.

Each subcommand lives in its own module under `poseanim.commands` and exposes
`register(subparsers)`, which adds its parser and sets `handler` to a function taking the
parsed arguments. Adding a job means adding its module and its line in
`poseanim.commands.SUMMARIES`, nothing else. `main` imports only the module of the command
that runs, so `poseanim --help` and `poseanim list` start in a fraction of a second.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from typing import Iterable, Sequence

from poseanim import __version__
from poseanim.commands import SUMMARIES
from poseanim.errors import PoseanimError

COMMANDS: tuple[str, ...] = tuple(SUMMARIES)


def build_parser(full: Iterable[str] = COMMANDS) -> argparse.ArgumentParser:
    """The top-level parser; the commands in `full` are registered with all their options,
    the others by name and summary only (enough to list them and to pick the one that runs)."""
    parser = argparse.ArgumentParser(
        prog="poseanim",
        description="Animate rigged SVG characters (Pose Animator convention) from people in photos, "
        "videos and the webcam.",
        epilog="example: poseanim image photo.jpg -i ada -o posed.svg",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"poseanim {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    full = set(full)
    for name, summary in SUMMARIES.items():
        if name in full:
            importlib.import_module(f"poseanim.commands.{name}").register(subparsers)
        else:
            subparsers.add_parser(name, help=summary, add_help=False)
    return parser


def _command_named(argv: Sequence[str]) -> list[str]:
    """The command `argv` runs, as a list of at most one name: the top-level parser has only
    flags, so the first word that is not one names it."""
    first = next((word for word in argv if not word.startswith("-")), None)
    return [first] if first in SUMMARIES else []


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; user errors print one line and return 1, never a traceback."""
    os.environ.setdefault("GLOG_minloglevel", "2")  # keep MediaPipe's C++ logging off the terminal
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    if argv is None:
        argv = sys.argv[1:]
    parser = build_parser(_command_named(argv))
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
