"""The bundled characters: fully rigged, nothing ignored, and they pose cleanly."""

import numpy as np
import pytest

from poseanim.illustration import bundled_illustrations, load_illustration
from poseanim.rig.tables import JOINT_NAMES

NAMES = sorted(bundled_illustrations())


def test_at_least_three_characters_ship():
    assert len(NAMES) >= 3 and "ada" in NAMES


@pytest.mark.parametrize("name", NAMES)
def test_fully_rigged_and_nothing_ignored(name):
    character = load_illustration(name)
    drawing = character.drawing
    assert drawing.missing_joints == [] and drawing.duplicate_joints == []
    assert set(drawing.joints) == set(JOINT_NAMES)  # with hands and feet
    assert drawing.ignored == [] and drawing.warnings == []
    assert all(block.matrix.size for block in character.binding.layout.blocks) and np.isfinite(character.rest_points).all()


@pytest.mark.parametrize("name", NAMES)
def test_poses_like_the_astronaut_with_face_and_shoulders_shown(name, tracked_pose):
    character = load_illustration(name)
    frame = character.pose(tracked_pose)
    assert np.isfinite(frame.points).all()
    assert frame.visible.mean() > 0.5
    shown = frame.points[character.point_shape_visible(frame.visible)]
    # The character is drawn where she is: inside the photo, centred on her upper body.
    assert shown[:, 0].min() > -60 and shown[:, 0].max() < 572
    nose = frame.joints[JOINT_NAMES.index("nose4")]
    np.testing.assert_allclose(nose, tracked_pose.position("nose4"), atol=1e-6)
