"""A drawing that lacks joints still poses to finite coordinates: the bones that need a missing
joint are dropped, in the main skeleton and in every feature group, and nothing turns NaN."""

import numpy as np
import pytest

from poseanim.errors import PoseanimError
from poseanim.illustration import Illustration
from poseanim.rig.reader import read_rigged_tree
from poseanim.svg.document import parse_svg_text
from poseanim.rig.tables import JOINT_NAMES
from poseanim.rig.template import template_joints
from poseanim.render.svg_writer import svg_text
from svg_factory import limb_shapes, rigged_svg, skeleton_group

JOINTS = template_joints()


def illustration(text: str, outside: str = "static") -> Illustration:
    return Illustration(read_rigged_tree(parse_svg_text(text, "t.svg"), "t.svg", outside), "t")


def brow_group(*names: str) -> str:
    """A feature group drawing the left brow with its own copies of some brow joints."""
    copies = "".join(f'<circle id="{name}_1_" cx="{JOINTS[name][0]:.2f}" cy="{JOINTS[name][1]:.2f}" r="1"/>'
                     for name in names)
    a, b = JOINTS["leftBrow0"], JOINTS["leftBrow4"]
    return (f'<g id="browGroup">{copies}<path id="brow" d="M{a[0]:.2f},{a[1]:.2f} '
            f'L{b[0]:.2f},{b[1]:.2f} L{b[0]:.2f},{b[1] - 4:.2f} Z"/></g>')


def moved(character: Illustration):
    """The rest pose with the arms raised and the head turned a little."""
    rest = character.rest_pose()
    joints = {name: tuple(rest.positions[i] + (5.0 * np.sin(i), -20.0 if "Wrist" in name else 3.0))
              for i, name in enumerate(JOINT_NAMES) if np.isfinite(rest.positions[i]).all()}
    return rest.with_joints(joints)


def assert_finite_frame(character: Illustration) -> None:
    for pose in (character.rest_pose(), moved(character)):
        frame = character.pose(pose)
        assert np.isfinite(frame.points).all() and np.isfinite(frame.joints).all()
        assert np.isfinite(frame.fitted().points).all()
        assert b"nan" not in svg_text(frame.fitted()).lower()


def test_feature_group_copy_of_a_joint_the_skeleton_lacks_poses_finite():
    text = rigged_svg(body=limb_shapes() + brow_group("leftBrow0", "leftBrow2", "leftBrow4"),
                      skeleton=skeleton_group(omit=("leftBrow2",)))
    drawing = read_rigged_tree(parse_svg_text(text, "t.svg"), "t.svg")
    assert set(drawing.secondary_groups[0].joints) == {"leftBrow0", "leftBrow4"}
    assert any('id="leftBrow2_1_"' in warning and "lacks" in warning for warning in drawing.warnings)
    assert_finite_frame(Illustration(drawing, "t"))


@pytest.mark.parametrize("missing", ["nose4", "leftBrow2", "leftShoulder", "rightWrist", "jawMid"])
def test_any_single_missing_joint_poses_finite_with_feature_groups(missing):
    body = limb_shapes() + brow_group("leftBrow0", "leftBrow1", "leftBrow2", "leftBrow3", "leftBrow4")
    assert_finite_frame(illustration(rigged_svg(body=body, skeleton=skeleton_group(omit=(missing,)))))


def test_half_the_face_missing_still_poses_finite():
    missing = tuple(name for name in JOINT_NAMES if name.startswith("left") and "Shoulder" not in name)
    assert_finite_frame(illustration(rigged_svg(skeleton=skeleton_group(omit=missing))))


def test_outside_content_bound_to_the_torso_moves_with_it():
    text = rigged_svg().replace("</svg>", '<path id="badge" d="M290,300 L310,300 L300,320 Z"/></svg>')
    character = illustration(text, outside="torso")
    badge = [i for i, shape in enumerate(character.shapes) if shape.element.get("id") == "badge"][0]
    rest = character.rest_pose()
    shifted = rest.with_joints({name: tuple(rest.positions[i] + (40.0, 0.0))
                                for i, name in enumerate(JOINT_NAMES)})
    frame = character.pose(shifted)
    start, stop, _ = character.subpath_ranges[badge][0]
    np.testing.assert_allclose(frame.points[start:stop] - character.rest_points[start:stop],
                               np.tile([40.0, 0.0], (stop - start, 1)), atol=1e-6)
    assert frame.visible[badge]


def test_a_non_finite_posed_coordinate_stops_loudly():
    character = illustration(rigged_svg())
    bound = next(block for block in character.binding.layout.blocks if block.matrix.size)
    bound.matrix[0, 0] = np.nan  # what a binding bug would leave
    with pytest.raises(PoseanimError, match="non-finite coordinates.*bug"):
        character.pose(character.rest_pose())
