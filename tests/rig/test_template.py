"""`poseanim rig template`: the reference skeleton to copy from, which itself checks clean and animates."""

from __future__ import annotations

import numpy as np

from poseanim.illustration import load_illustration
from poseanim.render.png import png_to_rgba, render_png
from poseanim.rig.reader import read_rigged_svg
from poseanim.svg.document import local_tag, read_svg_file
from poseanim.rig.tables import BODY_JOINTS, FACE_JOINTS, JOINT_NAMES
from poseanim.rig.template import SIDE_COLOURS, joint_side, template_joints, template_svg


def test_template_round_trip_checks_clean(run_cli, tmp_path):
    output = tmp_path / "skeleton.svg"
    code, out, err = run_cli("rig", "template", "-o", output)
    assert (code, out.strip(), err) == (0, str(output), "")
    code, out, _ = run_cli("rig", "check", output)
    assert code == 0
    assert out.strip() == f"{output}: will animate, no problems found"


def test_every_joint_is_a_circle_at_its_template_place(tmp_path):
    path = tmp_path / "skeleton.svg"
    path.write_text(template_svg())
    drawing = read_rigged_svg(path)
    assert drawing.missing_joints == [] and drawing.duplicate_joints == []
    expected = template_joints()
    for name in JOINT_NAMES:
        np.testing.assert_allclose(drawing.joints[name], expected[name], atol=0.01)
    circles = {el.get("id"): el for el in drawing.skeleton.iter() if local_tag(el) == "circle"
               and el.get("id")}
    assert set(circles) == set(JOINT_NAMES)
    for name, circle in circles.items():
        assert circle.get("fill") == SIDE_COLOURS[joint_side(name)]


def test_every_joint_is_labelled_and_bones_are_drawn(tmp_path):
    path = tmp_path / "skeleton.svg"
    path.write_text(template_svg())
    root = read_svg_file(path)
    labels = [el.text for el in root.iter() if local_tag(el) == "text"]
    for name in BODY_JOINTS:
        assert labels.count(name) == 1, name  # beside the figure
    for name in FACE_JOINTS:
        assert labels.count(name) == 1, name  # in the enlarged face panel
    lines = [el for el in root.iter() if local_tag(el) == "line"]
    assert len(lines) >= 83  # every bone on the figure, face bones again in the panel


def test_template_renders_with_figure_labels_and_face_panel():
    rgba = png_to_rgba(render_png(template_svg().encode(), background="white"))
    ink = rgba[..., :3].min(axis=2) < 200
    assert rgba.shape[:2] == (900, 1260)
    assert ink[80:880, 150:450].mean() > 0.05  # the mannequin and its joints
    assert ink[40:520, 640:1240].mean() > 0.02  # the face panel with its names
    left = np.all(np.abs(rgba[..., :3].astype(int) - (0x1F, 0x6F, 0xD1)) < 30, axis=2)
    right = np.all(np.abs(rgba[..., :3].astype(int) - (0xE0, 0x53, 0x2B)) < 30, axis=2)
    # the character's left is on the viewer's right
    assert left[:, 300:600].sum() > 100 and left[:, :300].sum() == 0
    assert right[:, :300].sum() > 100 and right[:, 300:600].sum() == 0


def test_template_mannequin_animates_from_a_real_pose(tmp_path, tracked_pose):
    path = tmp_path / "skeleton.svg"
    path.write_text(template_svg())
    illustration = load_illustration(path)
    rest = illustration.pose(illustration.rest_pose())
    np.testing.assert_allclose(rest.points, illustration.rest_points, atol=1e-6)
    posed = illustration.pose(tracked_pose)  # a portrait: head and arms seen, legs not
    nose = illustration.shapes.index(next(s for s in illustration.shapes
                                          if s.element.get("stroke-width") == "1.5"))
    assert posed.visible[nose] and not posed.visible[0]
    nose_points = posed.points[illustration.point_shape == nose]
    tracked_nose = tracked_pose.position("nose4")
    assert np.linalg.norm(nose_points.mean(axis=0) - tracked_nose) < 15
