"""Reading rigged SVGs: group and joint lookup, transforms, secondary groups, clear errors."""

import numpy as np
import pytest

from poseanim.errors import PoseanimError
from poseanim.rig.reader import read_rigged_tree
from poseanim.svg.document import parse_svg_text
from poseanim.rig.template import template_joints
from svg_factory import HEADER, limb_shapes, rigged_svg, skeleton_group


def read(text: str):
    return read_rigged_tree(parse_svg_text(text, "test.svg"), "test.svg")


def test_template_drawing_reads_all_joints_and_shapes():
    drawing = read(rigged_svg())
    assert drawing.missing_joints == []
    assert len(drawing.joints) == 85
    np.testing.assert_allclose(drawing.joints["nose4"], template_joints()["nose4"], atol=0.01)
    assert len(drawing.shapes) == 12 + 3


def test_groups_and_joints_found_with_editor_suffixes():
    joints = template_joints()
    circles = "".join(f'<circle id="{name}_2_" cx="{x}" cy="{y}" r="2"/>' for name, (x, y) in joints.items())
    text = f'{HEADER}<g id="illustration_1_">{limb_shapes()}</g><g id="skeleton_1_">{circles}</g></svg>'
    drawing = read(text)
    assert drawing.missing_joints == []
    assert drawing.illustration.get("id") == "illustration_1_"


def test_prefix_collisions_are_not_confused():
    joints = template_joints()
    skeleton = skeleton_group(omit=("nose1",)).replace("</g>", '<circle id="nose10" cx="0" cy="0" r="1"/></g>')
    drawing = read(rigged_svg(skeleton=skeleton))
    assert "nose1" in drawing.missing_joints
    np.testing.assert_allclose(drawing.joints["nose0"], joints["nose0"], atol=0.01)


def test_joint_of_any_element_type_uses_its_bbox_centre_after_transforms():
    skeleton = skeleton_group(omit=("leftWrist",)).replace(
        "</g>", '<g transform="translate(100,0)"><rect id="leftWrist" x="315" y="545" width="20" '
                'height="20" transform="scale(1)"/></g></g>')
    drawing = read(rigged_svg(skeleton=skeleton))
    np.testing.assert_allclose(drawing.joints["leftWrist"], [425, 555])


def test_transforms_on_every_ancestor_apply_to_shapes():
    body = '<g transform="translate(10,20)"><g transform="scale(2)"><rect x="1" y="1" width="4" height="4"/></g></g>'
    drawing = read(rigged_svg(body=body))
    points = np.concatenate([s.points for s in drawing.shapes[0].subpaths])
    np.testing.assert_allclose(points.min(axis=0), [12, 22])
    np.testing.assert_allclose(points.max(axis=0), [20, 30])


def test_missing_skeleton_group_message_mentions_inkscape():
    text = f'{HEADER}<g id="illustration">{limb_shapes()}</g></svg>'
    with pytest.raises(PoseanimError, match=r"no 'skeleton' group.*Inkscape.*inkscape:label"):
        read(text)


def test_missing_illustration_group():
    with pytest.raises(PoseanimError, match="no 'illustration' group"):
        read(f'{HEADER}{skeleton_group()}</svg>')


def test_inkscape_layer_found_by_label_with_a_warning():
    ns = 'xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"'
    text = (HEADER.replace("<svg ", f"<svg {ns} ") + f'<g id="layer1" inkscape:label="illustration" '
            f'inkscape:groupmode="layer">{limb_shapes()}</g>{skeleton_group()}</svg>')
    drawing = read(text)
    assert any("Inkscape label" in warning for warning in drawing.warnings)


def test_missing_joints_are_named_and_duplicates_reported():
    skeleton = skeleton_group(omit=("rightWrist", "leftEye2")).replace(
        "</g>", '<circle id="nose4_1_" cx="1" cy="1" r="1"/></g>')
    drawing = read(rigged_svg(skeleton=skeleton))
    assert drawing.missing_joints == ["rightWrist", "leftEye2"]
    assert drawing.duplicate_joints == ["nose4"]


def test_empty_skeleton_is_an_error():
    with pytest.raises(PoseanimError, match="has no joints"):
        read(rigged_svg(skeleton='<g id="skeleton"><circle id="foo" r="1"/></g>'))


def test_ignored_elements_are_listed_with_reasons_and_hidden_ones_skipped():
    body = limb_shapes() + '<text>hi</text><image href="x.png"/><use href="#a"/><rect display="none" width="5" height="5"/>'
    drawing = read(rigged_svg(body=body))
    reasons = [reason for _, reason in drawing.ignored]
    assert len(reasons) == 3 and "Object to Path" in reasons[0]
    assert len(drawing.shapes) == 15


def test_secondary_group_collects_its_own_joint_copies():
    joints = template_joints()
    eye = (f'<g id="eyeGroup"><circle id="leftEye0_1_" cx="{joints["leftEye0"][0]}" cy="{joints["leftEye0"][1]}" r="1"/>'
           f'<circle id="leftEye3_1_" cx="{joints["leftEye3"][0]}" cy="{joints["leftEye3"][1]}" r="1"/>'
           '<ellipse cx="322" cy="147" rx="8" ry="3"/></g>')
    drawing = read(rigged_svg(body=limb_shapes() + eye))
    assert len(drawing.secondary_groups) == 1
    assert set(drawing.secondary_groups[0].joints) == {"leftEye0", "leftEye3"}
    assert drawing.shapes[-1].secondary_group == 0
    assert all(shape.secondary_group is None for shape in drawing.shapes[:-1])


def test_styles_are_computed_through_groups_and_classes():
    body = ('<style>.skin{fill:#f0c0a0}</style><g stroke="#111" stroke-width="3">'
            '<rect class="skin" width="4" height="4"/></g>')
    drawing = read(rigged_svg(body=body))
    assert drawing.shapes[0].style == {"stroke": "#111", "stroke-width": "3", "fill": "#f0c0a0"}
