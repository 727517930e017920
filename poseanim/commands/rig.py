"""`poseanim rig`: make a drawing animatable – template, check, init (auto-rig) and the editor."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from poseanim.atomic import check_writable, write_bytes_atomic
from poseanim.commands import SUMMARIES
from poseanim.errors import PoseanimError

EXAMPLE = """examples:
  poseanim rig template -o skeleton.svg        the reference skeleton to copy from
  poseanim rig init drawing.svg -o rigged.svg --auto
  poseanim rig check rigged.svg                every problem, each with its fix
  poseanim rig edit rigged.svg                 drag joints, try poses, save
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `rig` and its four sub-subcommands."""
    parser = subparsers.add_parser(
        "rig", help=SUMMARIES["rig"],
        description="Turn any SVG drawing into a character poseanim (and Pose Animator) can "
                    "animate: a skeleton group of joints and an illustration group of shapes.",
        epilog=EXAMPLE, formatter_class=argparse.RawDescriptionHelpFormatter)
    jobs = parser.add_subparsers(dest="rig_command", metavar="JOB", required=True)

    template = jobs.add_parser(
        "template", help="write the reference skeleton (labelled joints, bones, a mannequin)",
        description="Write the reference skeleton: every joint as a labelled circle, the bones "
                    "as lines, the face joints enlarged beside the figure, and a plain mannequin "
                    "as the illustration (so the file itself animates).",
        epilog="example: poseanim rig template -o skeleton.svg")
    template.add_argument("-o", "--output", required=True, metavar="SVG", help="file to write")
    template.set_defaults(handler=run_template)

    check = jobs.add_parser(
        "check", help="list every problem of a rigged SVG, each with its fix",
        description="Check a rigged SVG: missing groups, missing, unknown or duplicated joints, "
                    "zero-length bones, joints off the drawing, shapes no bone moves, ignored "
                    "elements, eyes and mouth that will not blink or open. Exits 0 when the file "
                    "will animate, 1 otherwise.",
        epilog="example: poseanim rig check mine.svg --json")
    check.add_argument("file", help="the rigged SVG")
    check.add_argument("--json", action="store_true", help="print the report as JSON")
    check.set_defaults(handler=run_check)

    init = jobs.add_parser(
        "init", help="add a skeleton to a plain SVG drawing",
        description="Wrap a plain SVG's drawing in an 'illustration' group (it looks the same) "
                    "and add a skeleton: with --auto, where the pose and face trackers find the "
                    "character's joints; otherwise, or when they find nothing, the template "
                    "fitted to the drawing's bounds.",
        epilog="example: poseanim rig init drawing.svg -o rigged.svg --auto")
    init.add_argument("drawing", help="a plain SVG (Inkscape, Illustrator, Figma …)")
    init.add_argument("-o", "--output", required=True, metavar="SVG", help="rigged SVG to write")
    init.add_argument("--auto", action="store_true",
                      help="place the joints with the trackers (human-like characters)")
    init.set_defaults(handler=run_init)

    edit = jobs.add_parser(
        "edit", help="open the rig editor",
        description="Open the rig editor: drag joints, see skinning weights, try sample poses, "
                    "a photo or the webcam, undo, save. A file that `rig check` rejects opens "
                    "anyway with its problems listed; a plain drawing gets a fitted skeleton.",
        epilog="example: poseanim rig edit rigged.svg")
    edit.add_argument("file", help="the SVG to edit (rigged or plain)")
    edit.set_defaults(handler=run_edit)


def run_template(args: argparse.Namespace) -> int:
    """Write the template SVG."""
    from poseanim.rig.template import template_svg

    print(write_bytes_atomic(args.output, template_svg().encode("utf-8")))
    return 0


def run_check(args: argparse.Namespace) -> int:
    """Print the check report; the exit code says whether the file will animate."""
    from poseanim.rigging.check import check_file

    report = check_file(args.file)
    if args.json:
        print(json.dumps(report.as_json(), indent=2, ensure_ascii=False))
    else:
        print(report.text())
    return 0 if report.animates else 1


def run_init(args: argparse.Namespace) -> int:
    """Rig a plain drawing and say how its joints were placed."""
    from poseanim.rigging.auto_rig import rig_drawing

    output = check_writable(args.output)
    if Path(args.drawing).resolve() == output.resolve():
        raise PoseanimError("-o must differ from the drawing: init writes a new file and leaves "
                            "the original as it is")
    result = rig_drawing(args.drawing, auto=args.auto)
    write_bytes_atomic(output, result.document.to_bytes())
    print(f"poseanim: {result.placement}", file=sys.stderr)
    print(output)
    return 0


def run_edit(args: argparse.Namespace) -> int:
    """Run the editor until its window closes."""
    from poseanim.app.rig_editor import run_editor

    return run_editor(args.file)
