"""Shared fixtures: the real photo of a person, its tracked pose, and the CLI runner."""

from __future__ import annotations

import os
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import settings

# Hypothesis fails an example that takes over 200 ms of wall-clock time by default: a clock
# assertion that a busy machine trips (both cores shared). Speed belongs in benchmarks/.
settings.register_profile("poseanim", deadline=None)
settings.load_profile("poseanim")

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("GLOG_minloglevel", "2")
# no binding cache (poseanim.binding_cache): every test binds as its code says, and nothing is
# written to the user's cache folder; tests/test_binding_cache.py turns it on in a tmp folder
os.environ["POSEANIM_CACHE"] = "off"

# Tests live in folders that mirror the package (tests/render/test_svg_writer.py) and are imported
# by path (pytest's importlib mode, so two folders may hold test files of the same name); the
# shared helpers beside this file (svg_factory, video_factory, …) are found through sys.path.
_TESTS = str(Path(__file__).resolve().parent)
if _TESTS not in sys.path:
    sys.path.insert(0, _TESTS)

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
PHOTO = REPO / "examples" / "photos" / "astronaut.jpg"
"""NASA portrait of astronaut Eileen Collins (public domain, as shipped by scikit-image)."""


SLOW_LIST = Path(__file__).resolve().parent / "slow_tests.tsv"
"""Tests marked slow by their measured CPU (written by `cpu_costs.py`, which says the rule)."""


def measured_slow() -> set[str]:
    """The node ids `SLOW_LIST` names (none with POSEANIM_TESTS_UNLISTED=1, as `cpu_costs.py`
    measures them)."""
    if os.environ.get("POSEANIM_TESTS_UNLISTED") == "1":
        return set()
    lines = SLOW_LIST.read_text(encoding="utf-8").splitlines()
    return {line.split("\t")[0] for line in lines if line.strip() and not line.startswith("#")}


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(config, items):
    """Mark slow the tests `slow_tests.tsv` lists: `make test-fast` leaves them out. A run of
    the whole folder warns of names in the list that no test of a collected module has."""
    listed = measured_slow()
    for item in items:
        if item.nodeid in listed:
            item.add_marker(pytest.mark.slow)
    everything = {Path(REPO, "tests"), REPO}
    if listed and all(Path(arg).resolve() in everything for arg in config.args):
        collected = {item.nodeid for item in items}
        files = {nodeid.split("::")[0] for nodeid in collected}  # a module skipped whole has none
        stale = sorted(name for name in listed - collected if name.split("::")[0] in files)
        if stale:
            warnings.warn(pytest.PytestWarning(
                f"{SLOW_LIST.name} names {len(stale)} test(s) that no longer exist, e.g. "
                f"{stale[0]}: measure again (python tests/cpu_costs.py --write)"), stacklevel=2)


def first_fast(*values):
    """Parameters for `pytest.mark.parametrize`: the first runs everywhere, the others are
    marked slow, so that `make test-fast` checks a behaviour once (on the first character) and
    `make test` on every one."""
    return [values[0], *(pytest.param(value, marks=pytest.mark.slow) for value in values[1:])]


@pytest.fixture(scope="session")
def photo_rgb() -> np.ndarray:
    """The astronaut photo as (512, 512, 3) uint8 RGB."""
    from poseanim.sources import read_image

    return read_image(PHOTO)


@pytest.fixture(scope="session")
def tracked_pose(photo_rgb):
    """The astronaut's pose from the real MediaPipe models (tracked once per session)."""
    from poseanim.tracking.mediapipe_tracker import MediaPipeTracker

    with MediaPipeTracker(video=False) as tracker:
        pose = tracker.track(photo_rgb)
    assert pose is not None
    return pose


@pytest.fixture(scope="session")
def posed_ada():
    """Ada posed like the astronaut's recorded pose (no tracking), fitted to the frame: a real
    posed character for the writers' tests, bound once per session."""
    from poseanim.illustration import load_illustration
    from poseanim.tracking.track_file import load_track

    pose = load_track(DATA / "astronaut_pose.json").frames[0]
    return load_illustration("ada").pose(pose).fitted()


@pytest.fixture(scope="session")
def qt_app():
    """The one QApplication of the test session (offscreen)."""
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication([])


def run_until(app, condition, timeout: float) -> bool:
    """Run the Qt event loop until `condition()` holds or `timeout` seconds pass."""
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            return False
        app.processEvents()
        time.sleep(0.002)
    return True


@pytest.fixture
def run_cli(capsys):
    """Run `poseanim ARGS…` in-process; returns (exit code, stdout, stderr)."""
    from poseanim.cli import main

    def run(*args: str) -> tuple[int, str, str]:
        try:
            code = main([str(a) for a in args])
        except SystemExit as exit_:  # argparse usage errors
            code = exit_.code if isinstance(exit_.code, int) else 1
        out, err = capsys.readouterr()
        return code, out, err

    return run


def pytest_addoption(parser):
    parser.addoption("--update-goldens", action="store_true",
                     help="rewrite tests/golden/*.png from the current code (look at them!)")
