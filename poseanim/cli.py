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
import select
import signal
import sys
import threading
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


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised in the main thread like Ctrl-C's KeyboardInterrupt, so that whatever a
    Ctrl-C unwinds (temporary files, encoder processes, worker threads) unwinds the same way."""


def _terminate(signum: int, frame: object) -> None:
    raise Terminated()


def _say(text: str) -> None:
    """One line on stderr, unless stderr is closed (then there is no one to tell)."""
    try:
        print(text, file=sys.stderr, flush=True)
    except (OSError, ValueError):
        _silence(sys.stderr)


def _silence(stream) -> None:
    """Point a stream whose reader went away at /dev/null, so that the interpreter's last flush
    neither prints 'Exception ignored … BrokenPipeError' nor changes the exit status."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())
    except (OSError, ValueError):
        pass


def _reader_gone(stream) -> bool:
    """Whether `stream` is a pipe whose reading end is closed (poll reports an error on it)."""
    try:
        poller = select.poll()
        poller.register(stream.fileno(), select.POLLOUT)
        return any(events & (select.POLLERR | select.POLLHUP) for _, events in poller.poll(0))
    except (OSError, ValueError, AttributeError):
        return False  # not a pollable descriptor (pytest's captured streams): assume it is fine


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; user errors print one line and return 1, never a traceback.

    Ctrl-C returns 130 and SIGTERM 143 (128 + the signal), both without partial output; a
    closed stdout (`poseanim … | head`) ends quietly with 141, as SIGPIPE would.
    """
    os.environ.setdefault("GLOG_minloglevel", "2")  # keep MediaPipe's C++ logging off the terminal
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    if argv is None:
        argv = sys.argv[1:]
    if sys.stderr is not None and _reader_gone(sys.stderr):
        _silence(sys.stderr)  # nobody reads the warnings: the work must not fail on them
    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminate) if in_main_thread else None
    try:
        return _run(argv)
    except BrokenPipeError:
        if not _reader_gone(sys.stdout):
            raise
        _silence(sys.stdout)
        return 141
    finally:
        if in_main_thread:
            signal.signal(signal.SIGTERM, previous)


def _run(argv: Sequence[str]) -> int:
    parser = build_parser(_command_named(argv))
    args = parser.parse_args(argv)
    if getattr(args, "handler", None) is None:
        parser.print_help()
        return 2
    try:
        return int(args.handler(args) or 0)
    except PoseanimError as error:
        _say(f"poseanim: error: {error}")
        return 1
    except Terminated:
        _say("poseanim: terminated; no partial output was kept")
        return 143
    except KeyboardInterrupt:
        _say("poseanim: interrupted; no partial output was kept")
        return 130


if __name__ == "__main__":
    sys.exit(main())
