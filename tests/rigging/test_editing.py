"""Writing moved and added joints back into the author's file, whatever element and transform."""

from __future__ import annotations

import numpy as np

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
