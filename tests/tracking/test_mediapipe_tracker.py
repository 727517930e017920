"""Real MediaPipe on a real photo: joints land where the person is."""

import numpy as np
import pytest

from poseanim.pose import Pose
from poseanim.rig.tables import CORE_JOINTS, FOOT_JOINTS, KEYPOINT_INDEX, KEYPOINT_NAMES
from poseanim.tracking.mediapipe_tracker import MediaPipeTracker


def test_astronaut_is_tracked_with_face_and_body(tracked_pose, photo_rgb):
    pose = tracked_pose
    assert pose.image_size == (512, 512)
    assert pose.has_face and pose.has_body
    # She faces the camera: her left shoulder is on the viewer's right.
    left, right = pose.position("leftShoulder"), pose.position("rightShoulder")
    assert left[0] > right[0] + 120
    assert 200 < left[1] < 300 and 200 < right[1] < 300
    assert pose.score("leftShoulder") > 0.9
    # The face: nose tip below the eyes, between them, inside the head region of the photo.
    nose = pose.position("nose4")
    eyes = (pose.position("leftEye0") + pose.position("rightEye0")) / 2
    assert nose[1] > eyes[1] and abs(nose[0] - eyes[0]) < 15
    assert 180 < nose[0] < 270 and 90 < nose[1] < 170
    # Hips and legs are out of the picture: the tracker says so with low scores.
    assert pose.score("leftKnee") < 0.3 and pose.score("rightAnkle") < 0.3
    assert len(pose.positions) == len(KEYPOINT_NAMES)
    pose_landmark_rows = [KEYPOINT_INDEX[n] for n in CORE_JOINTS + FOOT_JOINTS]
    assert np.isfinite(pose.positions[pose_landmark_rows]).all()  # heels and toes come from Pose


def test_nobody_in_a_crop_of_the_background(photo_rgb):
    import cv2

    rocket = cv2.resize(photo_rgb[0:300, 360:512], (256, 505))
    with MediaPipeTracker(video=False) as tracker:
        assert tracker.track(rocket) is None


def test_mirrored_pose_swaps_sides(tracked_pose):
    mirrored = tracked_pose.mirrored()
    np.testing.assert_allclose(mirrored.position("leftShoulder")[0],
                               512 - tracked_pose.position("rightShoulder")[0])
    assert mirrored.score("leftEye0") == tracked_pose.score("rightEye0")
    np.testing.assert_allclose(mirrored.mirrored().positions, tracked_pose.positions)


def test_pose_from_joints_rejects_unknown_names():
    from poseanim.errors import PoseanimError

    pose = Pose.from_joints({"nose4": (1, 2), "leftWrist": (3, 4, 0.5)}, (10, 10))
    assert pose.score("leftWrist") == 0.5 and pose.score("nose4") == 1.0
    assert np.isnan(pose.position("rightWrist")).all()
    with pytest.raises(PoseanimError, match="unknown joint 'leftWirst'"):
        Pose.from_joints({"leftWirst": (1, 2)}, (10, 10))


def test_a_stream_tracked_with_both_graphs_at_once_equals_one_after_the_other(photo_rgb):
    from video_factory import warped_frames

    frames = warped_frames(photo_rgb, 12, (320, 320))
    with MediaPipeTracker(video=True) as tracker:
        one_by_one = [tracker.track_picture(frame) for frame in frames]
    with MediaPipeTracker(video=True) as tracker:
        streamed = list(tracker.track_stream(enumerate(frames)))
    assert [key for key, _ in streamed] == list(range(len(frames)))
    assert sum(t.pose is not None for t in one_by_one) == len(frames)
    for alone, (_, together) in zip(one_by_one, streamed):
        # the graphs see the same pictures in the same order, so the numbers are the same
        np.testing.assert_array_equal(alone.pose.positions, together.pose.positions)
        np.testing.assert_array_equal(alone.landmarks, together.landmarks)
        np.testing.assert_array_equal(alone.face_mesh, together.face_mesh)
