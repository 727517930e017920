"""Real MediaPipe Hands on real photos of hands (tests/data/hands, CC BY-SA 4.0, see README)."""

from pathlib import Path

import numpy as np
import pytest

from poseanim.rig.tables import KEYPOINT_INDEX, hand_joints
from poseanim.sources import read_image
from poseanim.tracking.mediapipe_tracker import MediaPipeTracker

HANDS = Path(__file__).resolve().parents[1] / "data" / "hands"


@pytest.fixture(scope="module")
def tracked():
    """Every photo tracked once with hands: name → (rgb, Tracked)."""
    with MediaPipeTracker(video=False, hands=True) as tracker:
        return {path.stem: (rgb, tracker.track_picture(rgb))
                for path in sorted(HANDS.glob("*.jpg")) for rgb in [read_image(path)]}


def _joint(tracked, side: str, name: str) -> np.ndarray:
    return tracked.pose.position(f"{side}{name}")


def _extended(tracked, side: str, finger: str) -> bool:
    """A finger is straight when its tip is farther from the wrist than every joint before it."""
    wrist = _joint(tracked, side, "Wrist")
    reach = [np.linalg.norm(_joint(tracked, side, f"{finger}{k}") - wrist) for k in range(1, 5)]
    return bool(np.all(np.diff(reach) > 0))


@pytest.mark.parametrize("photo, sides", [
    ("open_palm", {"left"}), ("open_palm_full_body", {"left"}), ("pointing_up", {"right"}),
    ("thumb_down", {"right"}), ("two_hands", {"left", "right"}), ("small_open_palm", {"right"}),
])
def test_hands_are_found_on_the_side_of_the_body_wrist_they_belong_to(tracked, photo, sides):
    rgb, result = tracked[photo]
    assert {hand.side for hand in result.hands} == sides
    for hand in result.hands:
        rows = [KEYPOINT_INDEX[name] for name in hand_joints(hand.side)]
        joints = result.pose.positions[rows]
        assert np.isfinite(joints).all() and (result.pose.scores[rows] > 0.5).all()
        left, top, right, bottom = hand.crop
        assert (joints >= (left - 5, top - 5)).all() and (joints <= (right + 5, bottom + 5)).all()
        # the hand hangs off the body's wrist: the palm bones start where the forearm ends
        wrist = result.pose.position(f"{hand.side}Wrist")
        np.testing.assert_allclose(joints - wrist, hand.points[1:] - hand.points[0], atol=1e-9)
        assert np.linalg.norm(hand.points[0] - wrist) < 0.45 * (right - left)
    for side in {"left", "right"} - sides:
        assert np.isnan(result.pose.positions[[KEYPOINT_INDEX[n] for n in hand_joints(side)]]).all()


def test_an_open_palm_has_every_finger_straight(tracked):
    _, result = tracked["open_palm"]
    assert all(_extended(result, "left", finger) for finger in ("Index", "Middle", "Ring", "Pinky"))
    tips = np.array([_joint(result, "left", f"{finger}4") for finger in ("Index", "Pinky")])
    knuckles = np.array([_joint(result, "left", f"{finger}1") for finger in ("Index", "Pinky")])
    spread = np.linalg.norm(tips[0] - tips[1]) / np.linalg.norm(knuckles[0] - knuckles[1])
    assert spread > 1.2  # fingers fanned out wider than the palm


def test_pointing_up_has_the_index_up_and_the_others_curled(tracked):
    _, result = tracked["pointing_up"]
    assert _extended(result, "right", "Index")
    assert not _extended(result, "right", "Middle") and not _extended(result, "right", "Ring")
    tip, wrist = _joint(result, "right", "Index4"), _joint(result, "right", "Wrist")
    assert tip[1] < wrist[1] - 40  # up, in a 512-pixel picture


def test_thumb_down_points_the_thumb_down(tracked):
    _, result = tracked["thumb_down"]
    tip, base = _joint(result, "right", "Thumb4"), _joint(result, "right", "Thumb2")
    assert tip[1] > base[1] + 15


def test_a_mirrored_picture_gives_the_hand_to_the_other_wrist(tracked):
    rgb, result = tracked["open_palm"]
    with MediaPipeTracker(video=False, hands=True) as tracker:
        flipped = tracker.track_picture(np.ascontiguousarray(rgb[:, ::-1]))
    assert [hand.side for hand in flipped.hands] == ["right"]
    width = rgb.shape[1]
    original = result.pose.positions[[KEYPOINT_INDEX[n] for n in hand_joints("left")]]
    mirrored = flipped.pose.positions[[KEYPOINT_INDEX[n] for n in hand_joints("right")]]
    mirrored[:, 0] = width - mirrored[:, 0]
    assert np.median(np.linalg.norm(original - mirrored, axis=1)) < 12


def test_a_small_hand_is_found_in_its_crop_where_the_whole_picture_misses_it(tracked):
    import mediapipe as mp

    rgb, result = tracked["small_open_palm"]
    with mp.solutions.hands.Hands(static_image_mode=True, max_num_hands=2) as whole:
        assert not whole.process(rgb).multi_hand_landmarks
    assert [hand.side for hand in result.hands] == ["right"]


def test_video_mode_follows_the_hand_frame_after_frame(tracked):
    rgb, still = tracked["open_palm"]
    rows = [KEYPOINT_INDEX[n] for n in hand_joints("left")]
    with MediaPipeTracker(video=True, hands=True) as tracker:
        frames = [tracker.track_picture(rgb) for _ in range(4)]
    for frame in frames:
        assert [hand.side for hand in frame.hands] == ["left"]
        error = np.linalg.norm(frame.pose.positions[rows] - still.pose.positions[rows], axis=1)
        assert np.median(error) < 8


def test_no_hands_in_a_photo_without_hands(tracked_pose, photo_rgb):
    with MediaPipeTracker(video=False, hands=True) as tracker:
        result = tracker.track_picture(photo_rgb)
    for side in ("left", "right"):
        rows = [KEYPOINT_INDEX[n] for n in hand_joints(side)]
        assert np.isnan(result.pose.positions[rows]).all() and (result.pose.scores[rows] == 0).all()
    np.testing.assert_allclose(result.pose.positions, tracked_pose.positions)
