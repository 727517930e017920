"""Files in the shape Pose Animator's own illustrations take, as Adobe Illustrator exports them.

The fixture is written by us and mimics their structure, not their drawing: `skeleton_1_`,
joints with editor suffixes, a joint drawn as a transformed ellipse and one as a path, bone
polylines inside the skeleton, `style` attributes, and feature groups (eyes, mouth, nose) that
carry their own joint copies (`leftEye0_1_` …) and so bind to secondary bones.
"""

import numpy as np
import pytest

from poseanim.illustration import Illustration
from poseanim.rig.reader import read_rigged_tree
from poseanim.svg.document import parse_svg_text
from poseanim.rig.tables import FACE_JOINTS, KEYPOINT_INDEX
from svg_factory import core_template_joints

JOINTS = core_template_joints()


def circle(name: str, suffix: str = "") -> str:
    x, y = JOINTS[name]
    return f'<circle id="{name}{suffix}" cx="{x:.1f}" cy="{y:.1f}" r="0.8"/>'


def feature_group(names: list[str], drawing: str) -> str:
    return "<g>" + drawing + "".join(circle(n, "_1_") for n in names) + "</g>"


def illustrator_file() -> str:
    eye = [f"leftEye{i}" for i in range(6)]
    mouth = ["rightMiddleLip", "upperLipBottomMid", "leftMiddleLip", "lowerLipTopMid",
             "rightUpperLipBottom1", "leftUpperLipBottom1", "rightLowerLipTop0", "leftLowerLipTop0"]
    nose = ["nose0", "nose1", "nose2", "nose3", "nose4", "leftNose0", "leftNose1", "rightNose0",
            "rightNose1"]
    ex, ey = (JOINTS["leftEye0"] + JOINTS["leftEye3"]) / 2
    mx, my = JOINTS["upperLipBottomMid"]
    wx, wy = JOINTS["rightWrist"]
    skeleton = "".join(circle(n) for n in JOINTS if n not in ("rightWrist", "leftMiddleLip"))
    skeleton += (f'<ellipse id="rightWrist" transform="matrix(0.9951 -0.0985 0.0985 0.9951 0 0)" '
                 f'cx="{wx * 0.9951 - wy * 0.0985:.3f}" cy="{wx * 0.0985 + wy * 0.9951:.3f}" rx="8" ry="8"/>')
    lx, ly = JOINTS["leftMiddleLip"]
    skeleton += f'<path id="leftMiddleLip" d="M{lx - 0.8},{ly}a0.8,0.8 0 1,0 1.6,0a0.8,0.8 0 1,0 -1.6,0z"/>'
    skeleton += '<polyline style="fill:none;stroke:#000000;" points="220,300 195,430 175,555"/>'
    head = (JOINTS["leftJaw2"] + JOINTS["rightJaw2"]) / 2
    body = (
        '<path style="fill:#3D527F;" d="M255,560 L345,560 L352,705 L356,850 L244,850 L248,705 Z"/>'
        '<path style="fill:#ABD1D5;" d="M220,300 C260,280 340,280 380,300 L345,560 L255,560 Z"/>'
        '<line style="fill:none;" x1="250" y1="560" x2="350" y2="560"/>'
        f'<ellipse style="fill:#F3AF9D;" cx="{head[0]:.1f}" cy="{head[1] + 8:.1f}" rx="50" ry="62"/>'
        + feature_group(eye, f'<ellipse style="fill:#2C323A;" cx="{ex:.1f}" cy="{ey:.1f}" rx="6" ry="3"/>')
        + feature_group(mouth, f'<path style="fill:#DF7977;stroke:#DF7977;stroke-width:2;" '
                               f'd="M{mx - 12},{my}c0,0 8,-1 12,0s12,0 12,0s-7,4 -12,4C{mx - 6},{my + 4} {mx - 12},{my} {mx - 12},{my}z"/>')
        + feature_group(nose, f'<path style="fill:#2C323A;" d="M{JOINTS["nose4"][0] - 3},{JOINTS["nose4"][1] - 6}'
                              f'c-1,2 -2,5 3,6c1,-2 1,-4 -3,-6z"/>')
    )
    return ('<?xml version="1.0" encoding="utf-8"?>\n<!-- Generator: Adobe Illustrator 24.0.1 -->\n'
            '<svg version="1.1" id="Layer_1" xmlns="http://www.w3.org/2000/svg" '
            'xmlns:xlink="http://www.w3.org/1999/xlink" x="0px" y="0px" width="600px" height="900px" '
            'viewBox="0 0 600 900" style="enable-background:new 0 0 600 900;" xml:space="preserve">'
            f'<g id="illustration">{body}</g><g id="skeleton_1_">{skeleton}</g></svg>')


@pytest.fixture(scope="module")
def character() -> Illustration:
    text = illustrator_file()
    return Illustration(read_rigged_tree(parse_svg_text(text.encode(), "boy-like.svg"), "x"), "x")


def test_every_joint_found_including_transformed_ellipse_and_path(character):
    drawing = character.drawing
    assert drawing.missing_joints == [] and drawing.duplicate_joints == []
    np.testing.assert_allclose(drawing.joints["rightWrist"], JOINTS["rightWrist"], atol=0.1)
    np.testing.assert_allclose(drawing.joints["leftMiddleLip"], JOINTS["leftMiddleLip"], atol=0.01)
    assert drawing.ignored == []


def test_feature_groups_become_secondary_bones(character):
    groups = character.drawing.secondary_groups
    assert [len(g.joints) for g in groups] == [6, 8, 9]
    shapes = character.shapes
    assert [s.secondary_group for s in shapes] == [None, None, None, None, 0, 1, 2]
    pose = character.pose(character.rest_pose())
    np.testing.assert_allclose(pose.points, character.rest_points, atol=1e-9)


def test_blink_closes_the_eye_drawn_in_a_secondary_group(character):
    rest = character.rest_pose()
    lids = {}
    for upper, lower in (("leftEye1", "leftEye5"), ("leftEye2", "leftEye4")):
        lids[upper] = tuple((rest.position(upper) + rest.position(lower)) / 2 + [0, 1])
    closed = character.pose(rest.with_joints(lids))
    start = character.subpath_ranges[4][0][0]
    bottom, top = start + 3, start + 9  # the ellipse's anchors below and above its centre
    height_open = character.rest_points[bottom, 1] - character.rest_points[top, 1]
    height_closed = closed.points[bottom, 1] - closed.points[top, 1]
    assert height_closed < 0.5 * height_open


def test_head_turn_moves_feature_groups_with_the_face(character):
    rest = character.rest_pose()
    shift = np.zeros_like(rest.positions)
    face = [KEYPOINT_INDEX[name] for name in FACE_JOINTS]
    shift[face] = [30.0, -10.0]
    frame = character.pose(type(rest)(rest.positions + shift, rest.scores, rest.image_size))
    nose_shape = character.subpath_ranges[6][0]
    np.testing.assert_allclose(frame.points[nose_shape[0]:nose_shape[1]],
                               character.rest_points[nose_shape[0]:nose_shape[1]] + [30, -10],
                               atol=1e-6)
