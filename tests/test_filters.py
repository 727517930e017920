"""The pose stream over time: a steady face while the face mesh is lost."""

import numpy as np
import pytest

from poseanim.filters import FACE_EASE_SECONDS, PoseStream
from poseanim.geometry import as_complex, as_points
from poseanim.illustration import load_illustration
from poseanim.pose import FACE_ROWS, Pose
from poseanim.rig.tables import KEYPOINT_INDEX

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
