"""The light commands do not import the heavy libraries (what keeps start-up short; the time
itself is measured in benchmarks/bench_startup.py, never asserted here)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from poseanim.commands import SUMMARIES

HEAVY = ("cv2", "mediapipe", "cairocffi", "cairosvg", "PySide6", "torch", "svgelements",
         "numpy")
ADA = str(Path(__file__).resolve().parents[2] / "poseanim" / "illustrations" / "ada.svg")


def imported_after(arguments: list[str]) -> tuple[set[str], str]:
    """(the heavy modules loaded, stdout) when a fresh Python runs `poseanim arguments…`."""
    script = ("import io, json, sys, contextlib\n"
              "from poseanim.cli import main\n"
              "out = io.StringIO()\n"
              "with contextlib.redirect_stdout(out):\n"
              "    try:\n"
              f"        main({arguments!r})\n"
              "    except SystemExit:\n"
              "        pass\n"
              f"print(json.dumps([[m for m in {HEAVY!r} if m in sys.modules], out.getvalue()]))\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True)
    modules, output = json.loads(result.stdout.strip().splitlines()[-1])
    return set(modules), output


def test_help_lists_every_command_without_importing_any_heavy_library() -> None:
    modules, output = imported_after(["--help"])
    assert modules == set()
    words = " ".join(output.split())  # argparse wraps long summaries
    for name, summary in SUMMARIES.items():
        assert f"{name} {summary}" in words


TRACKING_AND_GUI = {"mediapipe", "PySide6", "torch"}


@pytest.mark.parametrize("arguments, unused", [
    (["list"], TRACKING_AND_GUI | {"cv2", "cairocffi", "numpy"}),  # names and titles only
    # binding rasterises with cv2; the poses it tries (arms up, star) are painted with cairo
    (["rig", "check", ADA], TRACKING_AND_GUI),
    (["video", "--help"], TRACKING_AND_GUI),  # the tracker is loaded when tracking starts
])
def test_commands_import_only_what_they_use(arguments: list[str], unused: set[str]) -> None:
    modules, output = imported_after(arguments)
    assert not modules & unused
    assert output.strip()


def test_the_listed_command_parses_its_own_options() -> None:
    from poseanim.cli import build_parser

    args = build_parser(["video"]).parse_args(["video", "in.mp4", "-o", "out.mp4"])
    assert args.command == "video" and args.output == "out.mp4" and callable(args.handler)


@pytest.mark.parametrize("own, expected", [(None, "1"), ("2", "2")])
def test_numpy_gets_one_blas_thread_unless_the_caller_chose(own: str | None, expected: str) -> None:
    """poseanim's products are small: OpenBLAS's spinning threads only slowed them and took the
    pipeline's cores (the figures are in benchmarks/bench_skinning.py)."""
    import os

    environment = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    if own is not None:
        environment["OPENBLAS_NUM_THREADS"] = own
    script = "import os, poseanim, numpy; print(os.environ['OPENBLAS_NUM_THREADS'])"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True, env=environment)
    assert result.stdout.strip() == expected
