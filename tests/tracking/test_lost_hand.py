"""The lost-hand rule on a real tracked sequence: a raised open hand (a real photo) is covered
while the arm stays in view and moves; MediaPipe in video mode loses the hand but keeps the
forearm, and the pose stream keeps the hand's last shape on the moving forearm, then eases it
into the drawn rest hand, never collapsing, never NaN."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import DATA
from poseanim.extremities import HANDS
from poseanim.filters import PoseStream
from poseanim.illustration import load_illustration
from poseanim.rig.tables import KEYPOINT_INDEX, hand_joints
from poseanim.sources import read_image

FPS = 10.0
SEEN, COVERED = 5, 25
"""Frames with the hand in view, then with it painted over (3 s in all at FPS)."""
HAND = np.array([KEYPOINT_INDEX[name] for name in hand_joints("left")])
LEFT_HAND = next(hand for hand in HANDS if hand.name == "leftHand")


def _shifted(picture: np.ndarray, dx: int) -> np.ndarray:
    """The picture moved `dx` pixels right on a canvas of the background's grey."""
    moved = np.full_like(picture, 120)
    moved[:, dx:] = picture[:, :picture.shape[1] - dx]
    return moved


@pytest.fixture(scope="module")
def sequence():
    """(times, tracked poses, hands found per frame) of the real sequence."""
    from poseanim.tracking.mediapipe_tracker import MediaPipeTracker

    photo = read_image(DATA / "hands" / "open_palm.jpg")
    with MediaPipeTracker(video=False, hands=True) as tracker:
        first = tracker.track_picture(photo).pose
    points = first.positions[HAND]
    wrist, elbow = first.position("leftWrist"), first.position("leftElbow")
    (left, top), (right, _) = points.min(axis=0).astype(int) - 6, points.max(axis=0).astype(int) + 6
    covered = photo.copy()
    covered[max(top, 0):int(wrist[1] - 0.15 * np.linalg.norm(wrist - elbow)), max(left, 0):right] = 120
    frames = [photo] * SEEN + [_shifted(covered, 2 * k) for k in range(1, COVERED + 1)]
    with MediaPipeTracker(video=True, hands=True) as tracker:
        tracked = [found for _, found in tracker.track_stream(enumerate(frames))]
    return np.arange(len(frames)) / FPS, [t.pose for t in tracked], [len(t.hands) for t in tracked]


@pytest.mark.slow
def test_a_hand_lost_on_a_real_sequence_holds_then_eases_to_rest_and_never_collapses(sequence):
    times, poses, hands_found = sequence
    assert all(found == 1 for found in hands_found[:SEEN])  # the premise: seen, then lost
    assert not any(hands_found[SEEN + 1:])
    assert all(pose.score("leftWrist") > 0.5 and pose.score("leftElbow") > 0.5 for pose in poses)
    ada = load_illustration("ada")
    stream = PoseStream(ada.rest_joints, smoothing=0.0)
    out = [stream.step(float(t), pose).pose for t, pose in zip(times, poses)]

    last_seen = LEFT_HAND.shape(poses[SEEN - 1].positions)
    rest = LEFT_HAND.shape(ada.rest_joints)
    spans = []
    for t, pose, posed in zip(times, poses, out):
        assert np.isfinite(posed.positions[HAND]).all(), t
        shape = LEFT_HAND.shape(posed.positions)
        # the hand rides the tracked forearm: its wrist is the tracker's wrist
        np.testing.assert_allclose(posed.position("leftWrist"), pose.position("leftWrist"))
        spans.append(float(np.ptp(shape.real) + np.ptp(shape.imag)))
        lost_for = t - times[SEEN - 1]
        if 0 < lost_for < stream.hold:  # held: the last shape, on the forearm as it moves now
            np.testing.assert_allclose(shape, last_seen, atol=1e-6)
        assert np.isfinite(ada.pose(posed).points).all(), t
    # eased: the rest hand, scaled to the person, at the end (the rest shape up to one scale)
    final = LEFT_HAND.shape(out[-1].positions)
    scale = np.vdot(rest, final).real / np.vdot(rest, rest).real
    np.testing.assert_allclose(final, rest * scale, atol=1e-6 * np.abs(final).max())
    assert scale > 0
    # and between the two it moved by degrees, never shrinking to a point
    middle = LEFT_HAND.shape(out[SEEN + 10].positions)  # 1 s after the loss: halfway
    assert 0 < np.abs(middle - last_seen).max() < np.abs(final - last_seen).max()
    assert min(spans) > 0.5 * min(spans[0], spans[-1])
