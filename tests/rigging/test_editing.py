"""Writing moved and added joints back into the author's file, whatever element and transform."""

from __future__ import annotations

import numpy as np
import pytest

from poseanim.rigging.editing import RigDocument
from poseanim.rig.reader import read_rigged_tree
from poseanim.svg.document import parse_svg_text
from svg_factory import core_template_joints, HEADER, limb_shapes, skeleton_group

JOINTS = core_template_joints()


def reread(text: str) -> dict[str, np.ndarray]:
    return read_rigged_tree(parse_svg_text(text, "t.svg"), "t.svg").joints


def document(tmp_path, skeleton: str) -> RigDocument:
    path = tmp_path / "rig.svg"
    path.write_text(f'{HEADER}<g id="illustration">{limb_shapes()}</g>{skeleton}</svg>')
    return RigDocument.open(path)


def test_joints_of_every_kind_move_to_the_place_asked_under_any_transform(tmp_path):
    wrist, elbow, knee = JOINTS["leftWrist"], JOINTS["leftElbow"], JOINTS["leftKnee"]
    transformed = (
        skeleton_group(omit=("leftWrist", "leftElbow", "leftKnee")).replace("</g>", "")
        + '<g transform="translate(50,20) rotate(30) scale(2)">'
        f'<circle id="leftWrist" cx="0" cy="0" r="1" transform="translate(3,4)"/></g>'
        f'<rect id="leftElbow_1_" x="{elbow[0] - 2}" y="{elbow[1] - 2}" width="4" height="4"/>'
        f'<path id="leftKnee" d="M{knee[0] - 2},{knee[1]} h4"/></g>')
    doc = document(tmp_path, transformed)
    targets = {"leftWrist": wrist, "leftElbow": elbow + (7, -3), "leftKnee": knee + (-5, 9)}
    joints = {**doc.rest, **targets}
    text = doc.text_with(joints)
    for name, target in targets.items():
        np.testing.assert_allclose(reread(text)[name], target, atol=0.02)
    assert 'id="leftKnee" d="M' in text and 'transform="translate(-5,9)"' in text


def test_added_joints_go_into_the_skeleton_in_its_own_coordinates(tmp_path):
    shifted = {name: (p - (-100, 0)) / 0.5 for name, p in JOINTS.items()}
    skeleton = skeleton_group(shifted, omit=("rightWrist",)).replace(
        '<g id="skeleton">', '<g id="skeleton" transform="translate(-100,0) scale(0.5)">')
    doc = document(tmp_path, skeleton)
    assert "rightWrist" not in doc.rest
    placed = doc.placed_missing(doc.rest)
    assert list(placed) == ["rightWrist"]
    np.testing.assert_allclose(placed["rightWrist"], JOINTS["rightWrist"], atol=0.5)
    text = doc.text_with({**doc.rest, **placed})
    np.testing.assert_allclose(reread(text)["rightWrist"], placed["rightWrist"], atol=0.02)


def test_unmoved_joints_leave_the_text_untouched(tmp_path):
    doc = document(tmp_path, skeleton_group())
    assert doc.text_with(doc.rest) == doc.source.text


@pytest.mark.slow
def test_added_hands_are_fitted_to_the_drawn_hands(tmp_path):
    """Ada with her hand and foot joints taken out: the editor's "Add hands and feet" puts the
    fingers back on her drawn fingers, thumbs on her side (measured: median 0.02 of the
    forearm, thumb tips 0.02), where the template's hand laid on the forearm is far off."""
    import re

    from poseanim.illustration import bundled_illustrations, load_illustration
    from poseanim.rig.tables import EXTRA_JOINTS, hand_joints

    truth = load_illustration("ada").drawing.joints
    text = bundled_illustrations()["ada"].read_text()
    for name in EXTRA_JOINTS:
        text = re.sub(rf'<circle[^>]*id="{name}"[^>]*/>', "", text)
    path = tmp_path / "ada.svg"
    path.write_text(text)
    doc = RigDocument.open(path)
    assert not set(EXTRA_JOINTS) & set(doc.rest)
    fitted, laid = doc.fitted_extremities(doc.rest), doc.placed_extremities(doc.rest)
    assert set(fitted) == set(laid) == set(EXTRA_JOINTS)
    def errors(placed, side):
        forearm = np.linalg.norm(truth[f"{side}Wrist"] - truth[f"{side}Elbow"])
        return {n: np.linalg.norm(placed[n] - truth[n]) / forearm for n in hand_joints(side)}

    for side in ("left", "right"):
        near, far = errors(fitted, side), errors(laid, side)
        assert np.median(list(near.values())) < 0.05 and near[f"{side}Thumb4"] < 0.1, near
        assert np.median(list(far.values())) > 2 * np.median(list(near.values())), far
