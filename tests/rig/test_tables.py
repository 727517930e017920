"""The joint and bone tables: names, sides and the rule that a file has whole hands or none."""

from __future__ import annotations

from poseanim.rig.tables import (
    BONES, CORE_JOINTS, EXTRA_JOINTS, JOINT_NAMES, KEYPOINT_INDEX, KEYPOINT_NAMES, MIRROR_ORDER,
    foot_joints, hand_joints, missing_joint_names, mirrored_name,
)


def test_pose_animators_85_joints_come_first_then_the_extras_then_the_ears():
    assert len(CORE_JOINTS) == 85 and JOINT_NAMES[:85] == CORE_JOINTS
    assert JOINT_NAMES[85:] == EXTRA_JOINTS
    assert KEYPOINT_NAMES[-2:] == ("leftEar", "rightEar")
    assert all(KEYPOINT_INDEX[name] == i for i, name in enumerate(KEYPOINT_NAMES))


def test_every_bone_joins_two_known_joints():
    assert all(bone.joint0 in JOINT_NAMES and bone.joint1 in JOINT_NAMES for bone in BONES)


def test_mirroring_names_swaps_sides_and_is_its_own_inverse():
    assert mirrored_name("leftEye3") == "rightEye3" and mirrored_name("rightHeel") == "leftHeel"
    assert mirrored_name("nose4") == "nose4"
    assert all(mirrored_name(mirrored_name(name)) == name for name in KEYPOINT_NAMES)
    assert all(MIRROR_ORDER[MIRROR_ORDER[i]] == i for i in range(len(KEYPOINT_NAMES)))


def test_a_file_has_whole_hands_or_none():
    core = set(CORE_JOINTS)
    assert missing_joint_names(core) == []
    assert missing_joint_names(core - {"rightWrist"}) == ["rightWrist"]
    one_finger = core | {hand_joints("left")[0]}
    assert set(missing_joint_names(one_finger)) == set(hand_joints("left")[1:])
    assert missing_joint_names(core | set(foot_joints("right"))) == []
