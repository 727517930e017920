"""`poseanim list`: the bundled illustrations, by name."""

from __future__ import annotations

import argparse

from poseanim.commands import SUMMARIES
from poseanim.bundled import bundled_illustrations
from poseanim.svg.document import local_tag, read_svg_file


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `list` subcommand."""
    parser = subparsers.add_parser("list", help=SUMMARIES["list"],
                                   description="Names usable with -i, with each drawing's title.")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print name, title and path of each bundled illustration."""
    for name, path in sorted(bundled_illustrations().items()):
        root = read_svg_file(path)
        title = next((el.text.strip() for el in root.iter() if local_tag(el) == "title" and el.text),
                     "")
        print(f"{name:<12} {title:<48} {path}")
    return 0


