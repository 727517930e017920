"""Golden pictures: bundled characters posed from recorded poses, compared with stored PNGs.

Both skinning modes have their own pictures: `pa` must keep drawing what Pose Animator draws,
`shape` is the default. Regenerate after an intended change with `pytest tests/render/test_golden.py --update-goldens`, then
look at every picture in tests/golden/ before committing them.
"""

import numpy as np
import pytest

from conftest import DATA
from poseanim.illustration import bundled_illustrations, load_illustration
from poseanim.render.png import png_to_rgba, render_png
from poseanim.render.svg_writer import svg_text
from poseanim.skinning import SKINNING_MODES
from poseanim.tracking.track_file import load_track

GOLDEN = DATA.parent / "golden"
POSES = ("astronaut_pose", "star_pose")
BEFORE_HANDS = DATA / "before_hands"
"""The bundled characters as they were before they had hand and foot joints: files without
those joints must keep drawing exactly what they drew (goldens in golden/before_hands/, made
before the hands existed and never regenerated)."""


def rendered(name: str, pose_file: str, skinning: str) -> bytes:
    illustration = load_illustration(name, skinning=skinning)
    pose = load_track(DATA / f"{pose_file}.json").frames[0]
    frame = illustration.pose(pose)
    if pose_file == "star_pose":
        frame = frame.fitted()
    return render_png(svg_text(frame), width=300, background="white")


@pytest.mark.parametrize("skinning", SKINNING_MODES)
@pytest.mark.parametrize("pose_file", POSES)
@pytest.mark.parametrize("name", sorted(bundled_illustrations()))
def test_posed_character_matches_golden(name, pose_file, skinning, request):
    png = rendered(name, pose_file, skinning)
    golden = GOLDEN / f"{name}-{pose_file}-{skinning}.png"
    if request.config.getoption("--update-goldens"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_bytes(png)
    assert golden.exists(), f"no golden picture {golden.name}; run with --update-goldens"
    actual, expected = png_to_rgba(png).astype(int), png_to_rgba(golden.read_bytes()).astype(int)
    assert actual.shape == expected.shape
    difference = np.abs(actual - expected).max(axis=2)
    assert difference.mean() < 1.0, f"mean difference {difference.mean():.2f}"
    assert (difference > 64).mean() < 0.003, f"{(difference > 64).mean():.2%} of pixels differ"


@pytest.mark.parametrize("skinning", SKINNING_MODES)
@pytest.mark.parametrize("pose_file", POSES)
@pytest.mark.parametrize("name", ("ada", "bolt", "mira"))
def test_a_file_without_hand_joints_draws_what_it_drew_before_hands(name, pose_file, skinning):
    png = rendered(str(BEFORE_HANDS / f"{name}.svg"), pose_file, skinning)
    golden = GOLDEN / "before_hands" / f"{name}-{pose_file}-{skinning}.png"
    actual, expected = png_to_rgba(png).astype(int), png_to_rgba(golden.read_bytes()).astype(int)
    assert actual.shape == expected.shape
    difference = np.abs(actual - expected).max(axis=2)
    assert difference.mean() < 1.0 and (difference > 64).mean() < 0.003  # as for every golden
