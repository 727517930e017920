"""Temporal filtering: One Euro smoothing and the pose stream's tracking-loss rules, on fake clocks.

Properties (hypothesis) for the filter and the hold-then-ease rule; concrete characters for the
steady face while the face mesh is lost.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from poseanim.filters import (
    FACE_EASE_SECONDS, OneEuroFilter, PoseFilter, PoseStream, smoothing_to_cutoff,
)
from poseanim.geometry import as_complex, as_points
from poseanim.illustration import load_illustration
from poseanim.pose import FACE_ROWS, Pose
from poseanim.rig.tables import JOINT_NAMES, KEYPOINT_INDEX, KEYPOINT_NAMES

EARS = [KEYPOINT_INDEX["leftEar"], KEYPOINT_INDEX["rightEar"]]
FPS = 30.0


@pytest.fixture(scope="module", params=["ada", "mira"])
def character(request):
    return load_illustration(request.param)


def person(character, time: float, face: bool) -> Pose:
    """The character's own rest pose as a person would give it: the body drifting right, a
    face 0.7× the drawing's (real heads are smaller than cartoon heads) with its mouth open,
    the ears beside the jaw; without `face` the face mesh has dropped out."""
    rest = character.rest_pose()
    positions, scores = rest.positions.copy(), rest.scores.copy()
    positions += (40 * time, 0)
    centre = positions[FACE_ROWS].mean(axis=0)
    positions[FACE_ROWS] = centre + 0.7 * (positions[FACE_ROWS] - centre)
    for name in ("lowerLipBottomMid", "lowerLipTopMid", "jawMid"):
        positions[KEYPOINT_INDEX[name], 1] += 8
    jaw = positions[[KEYPOINT_INDEX["leftJaw2"], KEYPOINT_INDEX["rightJaw2"]]]
    positions[EARS] = jaw + (jaw - jaw.mean(axis=0)) * 0.15
    scores[EARS] = 0.9
    if not face:
        positions[FACE_ROWS], scores[FACE_ROWS] = np.nan, 0.0
    return Pose(positions, scores, rest.image_size)


def head_size(character, frame) -> float:
    """Diagonal of the box around every point bound mostly to face bones (head, hair, eyes)."""
    b = character.binding
    face_weight = np.bincount(b.pair_point, b.weight * character.skeleton.bone_is_face[b.pair_bone],
                              b.point_count)
    head = frame.points[face_weight > 0.5]
    return float(np.linalg.norm(np.ptp(head, axis=0)))


def test_a_lost_face_keeps_its_size_and_place_and_eases_to_neutral(character):
    stream = PoseStream(character.rest_joints, smoothing=0.0)
    frames = []
    lost = range(10, 10 + int(2 * FACE_EASE_SECONDS * FPS))
    for index in range(lost.stop + 10):
        time = index / FPS
        streamed = stream.step(time, person(character, time, face=index not in lost))
        frames.append((index, streamed, character.pose(streamed.pose, streamed.ears)))
    seen = head_size(character, frames[9][2])
    sizes = np.array([head_size(character, frame) for _, _, frame in frames])
    assert np.abs(sizes / seen - 1).max() < 0.02, sizes / seen  # no swelling, no jump back

    # the lost face rides on the head: its middle keeps its place relative to the ears
    for index, streamed, frame in frames:
        ears = as_complex(streamed.pose.positions[EARS])
        middle = complex(*frame.joints[FACE_ROWS].mean(axis=0))
        relative = (middle - ears[0]) / (ears[1] - ears[0])
        if index == 9:
            before = relative
        elif index in lost:
            assert abs(relative - before) < 0.02

    # long after the loss the expression is the drawing's neutral one (mouth closed), placed
    # where the face was
    settled = frames[lost.stop - 1][2].joints[FACE_ROWS]
    neutral = character.rest_joints[FACE_ROWS]
    fitted = as_complex(neutral) - as_complex(neutral).mean()
    target = as_complex(settled) - as_complex(settled).mean()
    factor = np.vdot(fitted, target) / np.vdot(fitted, fitted)
    assert np.abs(factor * fitted - target).max() < 1e-6 * np.abs(target).max() + 1e-6
    assert abs(abs(factor) - 0.7) < 0.02  # the tracked size, not the drawing's


def test_pose_animators_mode_rebuilds_a_lost_face_from_the_jaw_points():
    character = load_illustration("ada", skinning="pa")
    stream = PoseStream(character.rest_joints, smoothing=0.0)
    stream.step(0.0, person(character, 0.0, face=True))
    streamed = stream.step(1 / FPS, person(character, 1 / FPS, face=False))
    frame = character.pose(streamed.pose, streamed.ears)
    face = frame.joints[FACE_ROWS]
    rest = character.rest_joints[FACE_ROWS]
    # the drawing's own face (neutral), a similarity of it: Pose Animator remembers no expression
    a, b = as_complex(rest) - as_complex(rest).mean(), as_complex(face) - as_complex(face).mean()
    factor = np.vdot(a, b) / np.vdot(a, a)
    np.testing.assert_allclose(as_points(factor * a), as_points(b), atol=1e-6)


# ---- One Euro and hold-then-ease, as properties ---------------------------------------------

K = len(KEYPOINT_NAMES)
SIZE = (640, 480)
coordinates = st.floats(-1000, 1000, allow_nan=False, width=64)
points = arrays(np.float64, (K, 2), elements=coordinates)
steps = st.lists(st.floats(1e-3, 0.5), min_size=1, max_size=20)  # seconds between frames


def pose_at(positions: np.ndarray) -> Pose:
    return Pose(positions, np.ones(len(positions)), SIZE)


def times_from(gaps: list[float], start: float = 10.0) -> list[float]:
    return list(start + np.cumsum([0.0, *gaps]))


@given(st.lists(points, min_size=1, max_size=8), steps)
def test_smoothing_zero_is_the_identity(frames, gaps):
    smoother = PoseFilter(smoothing=0.0)
    for time, positions in zip(times_from(gaps), frames):
        pose = pose_at(positions)
        assert smoother(time, pose) is pose


@given(points, steps, st.floats(0.0, 1.0), st.floats(0.0, 20.0))
def test_a_constant_stays_constant(positions, gaps, smoothing, beta):
    smoother = OneEuroFilter(smoothing_to_cutoff(smoothing), beta)
    for time in times_from(gaps):
        np.testing.assert_allclose(smoother(time, positions), positions, rtol=0, atol=1e-9)


@given(points, points, steps, st.floats(0.0, 1.0))
def test_each_output_lies_between_the_last_output_and_the_new_value(first, second, gaps, smoothing):
    """A low-pass step: never overshoots, never moves away from what it sees."""
    smoother = OneEuroFilter(smoothing_to_cutoff(smoothing), beta=5.0)
    times = times_from(gaps)
    previous = smoother(times[0], first)
    np.testing.assert_array_equal(previous, first)  # the first value passes unfiltered
    for time in times[1:]:
        out = smoother(time, second)
        low, high = np.minimum(previous, second), np.maximum(previous, second)
        assert ((out >= low - 1e-9) & (out <= high + 1e-9)).all()
        previous = out


def test_more_smoothing_lags_more_and_an_untracked_row_restarts():
    step = np.zeros((2, 2)), np.ones((2, 2))
    lag = []
    for smoothing in (0.2, 0.8):
        smoother = OneEuroFilter(smoothing_to_cutoff(smoothing))
        smoother(0.0, step[0])
        lag.append(1.0 - smoother(1 / 30, step[1])[0, 0])
    assert 0 < lag[0] < lag[1] < 1
    smoother = OneEuroFilter(smoothing_to_cutoff(0.8))
    smoother(0.0, np.zeros((2, 2)))
    smoother(0.1, np.array([[np.nan, np.nan], [0.0, 0.0]]))
    back = smoother(0.2, np.array([[5.0, 5.0], [5.0, 5.0]]))
    np.testing.assert_array_equal(back[0], [5.0, 5.0])  # came back: no memory of before
    assert back[1, 0] < 5.0  # tracked all along: smoothed


rest_joints = arrays(np.float64, (len(JOINT_NAMES), 2), elements=st.floats(0, 500, width=64))


@settings(max_examples=40)
@given(st.lists(points, min_size=1, max_size=6), rest_joints, steps)
def test_the_stream_with_smoothing_zero_draws_each_tracked_pose_as_it_came(frames, rest, gaps):
    stream = PoseStream(rest, smoothing=0.0)
    for time, positions in zip(times_from(gaps), frames):
        out = stream.step(time, pose_at(positions))
        assert out.state == "tracking"
        np.testing.assert_array_equal(out.pose.positions, positions)


@settings(max_examples=40)
@given(points, rest_joints, steps, st.floats(0.0, 1.0))
def test_the_stream_keeps_a_person_standing_still_still(positions, rest, gaps, smoothing):
    stream = PoseStream(rest, smoothing=smoothing)
    for time in times_from(gaps):
        out = stream.step(time, pose_at(positions))
        np.testing.assert_allclose(out.pose.positions, positions, rtol=0, atol=1e-9)


@settings(max_examples=40)
@given(points, rest_joints, st.floats(0.1, 2.0), st.floats(0.1, 2.0), st.floats(0.01, 0.04))
def test_a_lost_person_is_held_then_eased_to_rest(positions, rest, hold, ease, frame):
    """On a fake clock: `hold` seconds of the last pose unchanged, then `ease` seconds of
    smoothstep towards the rest pose, then rest; the distance to rest never grows."""
    stream = PoseStream(rest, smoothing=0.0, hold=hold, ease=ease)
    assert stream.step(0.0, None).state == "waiting"
    seen = stream.step(1.0, pose_at(positions))
    assert seen.state == "tracking"
    np.testing.assert_array_equal(seen.pose.positions, positions)
    states, distances, target = [], [], None
    time = 1.0
    while time < 1.0 + hold + ease + 3 * frame:
        time += frame
        out = stream.step(time, None)
        lost_for = time - 1.0
        expected = ("holding" if lost_for <= hold else
                    "easing" if lost_for < hold + ease else "rest")
        assert out.state == expected or np.isclose(lost_for, hold + ease), (lost_for, out.state)
        if out.state == "holding":
            np.testing.assert_array_equal(out.pose.positions, positions)
        else:
            target = stream._rest_target if target is None else target
            distances.append(np.nanmax(np.abs(out.pose.positions - target.positions)))
        states.append(out.state)
    order = [s for i, s in enumerate(states) if i == 0 or states[i - 1] != s]
    assert order[0] == "holding" and order[-1] == "rest"
    assert all(b <= a + 1e-6 for a, b in zip(distances, distances[1:]))
    assert distances[-1] == pytest.approx(0.0, abs=1e-6)


def test_the_person_coming_back_is_tracked_at_once():
    rest = np.zeros((len(JOINT_NAMES), 2))
    stream = PoseStream(rest, smoothing=0.5, hold=0.5, ease=1.0)
    first = pose_at(np.full((K, 2), 100.0))
    stream.step(0.0, first)
    assert stream.step(0.8, None).state == "easing"
    again = pose_at(np.full((K, 2), 300.0))
    back = stream.step(0.9, again)
    assert back.state == "tracking"
    np.testing.assert_array_equal(back.pose.positions, again.positions)  # no smoothing across a loss
