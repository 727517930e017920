"""Reading rigged SVGs: group and joint lookup, transforms, secondary groups, clear errors."""

import numpy as np
import pytest

from poseanim.errors import PoseanimError
from poseanim.rig.joint_ids import joint_name_for_id
from poseanim.rig.reader import document_shapes, document_walk, read_rigged_tree
from poseanim.svg.document import parse_svg_text, svg_length, view_box
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
    skeleton = skeleton_group(omit=("nose1",)).replace("</g>", '<circle id="nose1x" cx="0" cy="0" r="1"/></g>')
    drawing = read(rigged_svg(skeleton=skeleton))
    assert "nose1" in drawing.missing_joints
    np.testing.assert_allclose(drawing.joints["nose0"], joints["nose0"], atol=0.01)


@pytest.mark.parametrize("element_id, joint", [
    ("rightShoulder2", "rightShoulder"), ("leftEye01", "leftEye0"), ("nose11", "nose1"),
    ("nose1", "nose1"), ("leftEye0_2_", "leftEye0"), ("nose4-1", "nose4"), ("leftJaw1.3", "leftJaw1"),
    ("leftEyeBrow", None), ("nose1x", None), ("circle123", None), ("", None),
])
def test_joint_ids_as_editors_write_them(element_id, joint):
    assert joint_name_for_id(element_id) == joint


def test_the_longest_joint_name_wins_over_a_digit_remainder():
    names = ("nose10", "nose1")  # were the table to hold both, `nose10` must stay itself
    assert joint_name_for_id("nose10", names) == "nose10"
    assert joint_name_for_id("nose101", names) == "nose10"
    assert joint_name_for_id("nose12", names) == "nose1"


def test_recent_illustrator_digit_suffixes_find_every_joint():
    joints = template_joints()
    circles = "".join(f'<circle id="{name}{1 if name[-1].isdigit() else 2}" cx="{x}" cy="{y}" r="2"/>'
                      for name, (x, y) in joints.items())
    drawing = read(f'{HEADER}<g id="illustration">{limb_shapes()}</g><g id="skeleton">{circles}</g></svg>')
    assert drawing.missing_joints == []
    np.testing.assert_allclose(drawing.joints["leftEye0"], joints["leftEye0"])


@pytest.mark.parametrize("width, expected", [
    ("210mm", 793.7008), ("8.5in", 816.0), ("21cm", 793.7008), ("600pt", 800.0), ("50pc", 800.0),
    ("40em", 640.0), ("300px", 300.0), ("300", 300.0), (" 1.5e2mm ", 566.9291),
])
def test_root_lengths_in_every_unit_at_96_px_per_inch(width, expected):
    assert svg_length(width, 0.0) == pytest.approx(expected, rel=1e-5)
    box = view_box(parse_svg_text(f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" '
                                  'height="10"/>', "t.svg"))
    assert box[2] == pytest.approx(expected, rel=1e-5)


def test_percentages_refer_to_the_viewport_and_bad_lengths_fall_back():
    assert svg_length("50%", 7.0) == 7.0
    assert svg_length("50%", 7.0, 600.0) == 300.0
    assert svg_length("12furlongs", 7.0) == 7.0
    assert svg_length("nan", 7.0) == 7.0
    body = limb_shapes() + '<rect id="band" x="0" y="10%" width="50%" height="1cm"/>'
    drawing = read(rigged_svg(body=body))
    band = np.concatenate([s.points for s in drawing.shapes[-1].subpaths])
    np.testing.assert_allclose(band.min(axis=0), [0, 90])
    np.testing.assert_allclose(band.max(axis=0), [300, 90 + 96 / 2.54])


def test_a_sodipodi_a4_page_without_viewbox_keeps_its_size():
    text = rigged_svg().replace('width="600" height="900" viewBox="0 0 600 900"',
                                'width="210mm" height="297mm"')
    drawing = read(text)
    assert drawing.view_box == pytest.approx((0, 0, 793.7008, 1122.5197), rel=1e-5)


@pytest.mark.parametrize("hiding", [
    'display="none"', 'style="display:none"', 'class="off"', 'visibility="hidden"',
    'style="visibility:collapse"',
])
def test_hidden_elements_are_never_drawn(hiding):
    style = "<style>.off{display:none}</style>"
    body = (limb_shapes() + f'<path id="ghost" {hiding} d="M0,0 L50,0 L50,50 Z"/>'
            f'<image id="sketch" {hiding} width="10" height="10" href="data:,"/>')
    drawing = read(rigged_svg(body=body).replace("<g id=\"illustration\">", style + "<g id=\"illustration\">"))
    assert "ghost" not in [shape.element.get("id") for shape in drawing.shapes]
    assert {element.get("id") for element in drawing.hidden} >= {"ghost", "sketch"}
    assert drawing.ignored == []


def test_a_visible_child_of_a_hidden_group_is_drawn():
    body = limb_shapes() + '<g visibility="hidden"><path id="shown" visibility="visible" d="M0,0 L9,9"/></g>'
    drawing = read(rigged_svg(body=body))
    assert "shown" in [shape.element.get("id") for shape in drawing.shapes]


def test_content_outside_the_illustration_is_reported_and_can_follow_the_torso():
    text = rigged_svg().replace("</svg>", '<path id="hat" d="M260,60 L340,60 L300,20 Z"/>'
                                          '<rect id="off" display="none" width="5" height="5"/></svg>')
    drawing = read(text)
    assert [element.get("id") for element in drawing.outside] == ["hat"]
    assert "off" in [element.get("id") for element in drawing.hidden]
    assert any("outside the 'illustration' group (<path id=\"hat\">)" in w
               and "--outside torso" in w for w in drawing.warnings)
    bound = read_rigged_tree(parse_svg_text(text, "t.svg"), "t.svg", outside="torso")
    hat = [shape for shape in bound.shapes if shape.element.get("id") == "hat"]
    assert len(hat) == 1 and hat[0].outside


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
    with pytest.raises(PoseanimError, match="holds no joints"):
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


def test_a_drawing_read_whole_carries_its_clips_and_counts_them_against_the_limit():
    """Each shape carries the clips around it, outermost first; a clip's points count once where
    it is read and once for every shape it clips (the painter draws it for each), so a clip of
    many points around many shapes meets the control-point limit; a rig's shapes carry none."""
    body = ('<clipPath id="outer"><rect width="50" height="50"/></clipPath>'
            '<clipPath id="inner"><circle cx="20" cy="20" r="10"/></clipPath>'
            '<g clip-path="url(#outer)"><rect id="a" width="9" height="9"/>'
            '<rect id="b" width="9" height="9" clip-path="url(#inner)"/></g>'
            '<g clip-path="url(#missing)"><rect id="c" width="9" height="9"/></g>')
    root = parse_svg_text(f'{HEADER}{body}</svg>', "test.svg")
    reading = document_walk(root, "test.svg")
    clips = {shape.element.get("id"): [clip.element.get("id") for clip in shape.clips]
             for shape in reading.shapes}
    assert clips == {"a": ["outer"], "b": ["outer", "inner"], "c": []}
    assert [element.get("clip-path") for element in reading.unread_clips] == ["url(#missing)"]
    outline = [sum(len(s.points) for s in clip.subpaths) for clip in reading.shapes[1].clips]
    shapes = sum(len(s.points) for shape in reading.shapes for s in shape.subpaths)
    assert reading.point_total == shapes + outline[0] * 3 + outline[1] * 2
    assert read_rigged_tree(parse_svg_text(rigged_svg(body=body), "test.svg"), "test.svg"
                            ).shapes[0].clips == ()


def test_a_drawing_read_whole_sees_the_rigs_shapes_as_the_rig_reads_them():
    """`document_shapes` and the rig reader share one walk: the illustration's shapes come out
    of both with the same points and styles, hidden, ignored and undrawable ones left out alike."""
    body = (limb_shapes() + '<g transform="translate(5,7) scale(2,1)" class="skin">'
            '<path id="hand" d="M10,10 C20,0 30,0 40,10 Z"/><text>hi</text>'
            '<rect id="ghost" visibility="hidden" width="5" height="5"/>'
            '<rect id="flat" transform="scale(0)" width="5" height="5"/></g>')
    text = rigged_svg(body=body).replace('<g id="illustration">',
                                         '<style>.skin{fill:#f0c0a0}</style><g id="illustration">')
    root = parse_svg_text(text, "test.svg")
    rig = read_rigged_tree(root, "test.svg").shapes
    skeleton = {id(element) for element in root.iter() if joint_name_for_id(element.get("id"))}
    whole = [shape for shape in document_shapes(root, "test.svg") if id(shape.element) not in skeleton]
    assert [shape.element for shape in whole] == [shape.element for shape in rig]
    assert "hand" in [shape.element.get("id") for shape in rig]
    for seen, read in zip(whole, rig):
        assert seen.style == read.style
        assert np.array_equal(seen.ctm, read.ctm)
        for a, b in zip(seen.subpaths, read.subpaths, strict=True):
            assert np.array_equal(a.points, b.points) and a.closed == b.closed
