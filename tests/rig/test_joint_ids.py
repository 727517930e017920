"""Element ids to joint names, as Pose Animator files and editors spell them."""

from __future__ import annotations

import pytest

from poseanim.rig.joint_ids import has_prefix_id, joint_name_for_id


@pytest.mark.parametrize("element_id, name", [
    ("leftEye0", "leftEye0"),
    ("leftEye0_2_", "leftEye0"),       # Illustrator
    ("leftEye0-1", "leftEye0"),        # Inkscape
    ("leftEye0.1", "leftEye0"),
    ("rightShoulder2", "rightShoulder"),  # recent Illustrator's plain-digit de-duplication
    ("nose11", "nose1"),               # the longest name wins: nose1, de-duplicated
    ("leftEyeBrow", None),
    ("noseTip", None),
    ("path845", None),
    ("", None),
    (None, None),
])
def test_joint_names_by_longest_prefix_and_an_editor_suffix(element_id, name):
    assert joint_name_for_id(element_id) == name


def test_groups_are_found_by_prefix():
    assert has_prefix_id("skeleton_1_", "skeleton") and has_prefix_id("illustration-3", "illustration")
    assert not has_prefix_id("myskeleton", "skeleton") and not has_prefix_id(None, "skeleton")
