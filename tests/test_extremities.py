"""Hands and feet: the optional joints, how drawn hands bind and pose, and the lost-hand rule."""

import numpy as np
import pytest

from poseanim.extremities import HANDS
from poseanim.filters import PoseStream
from poseanim.geometry import as_complex, as_points
from poseanim.illustration import Illustration
from poseanim.pose import Pose
from poseanim.rig.joint_ids import joint_name_for_id
from poseanim.rig.reader import read_rigged_tree
from poseanim.rig.tables import (
    BONES, CORE_JOINTS, EXTRA_JOINTS, KEYPOINT_INDEX, hand_joints, missing_joint_names,
)
from poseanim.rig.template import template_svg
from poseanim.svg.document import parse_svg_text
from float32_tolerance import float32_tolerance
from hand_measures import knuckles
from svg_factory import rigged_svg

LEFT_HAND = [KEYPOINT_INDEX[n] for n in hand_joints("left")]


@pytest.fixture(scope="module")
def mannequin() -> Illustration:
    """The rig template: a figure with drawn fingers and shoes on every optional joint."""
    return Illustration(read_rigged_tree(parse_svg_text(template_svg(), "template.svg"), "t"), "t")


def _rows_of_shapes_near(character: Illustration, joint: str, radius: float) -> np.ndarray:
    centre = character.rest_joints[KEYPOINT_INDEX[joint]]
    return np.flatnonzero(np.linalg.norm(character.rest_points - centre, axis=1) < radius)


def test_the_tables_name_every_finger_joint_and_bone_as_the_issue_gives_them():
    assert len(EXTRA_JOINTS) == 44
    assert hand_joints("right")[:4] == ("rightThumb1", "rightThumb2", "rightThumb3", "rightThumb4")
    groups = {b.group for b in BONES if b.region in ("hand", "foot")}
    assert groups == {f"{side}{part}" for side in ("left", "right")
                      for part in ("Palm", "Thumb", "Index", "Middle", "Ring", "Pinky", "Foot")}
    palm = [(b.joint0, b.joint1) for b in BONES if b.group == "leftPalm"]
    assert palm == [("leftWrist", f"left{f}1") for f in ("Thumb", "Index", "Middle", "Ring", "Pinky")]


@pytest.mark.parametrize("element_id, joint", [
    ("leftIndex1", "leftIndex1"), ("leftIndex1_2_", "leftIndex1"), ("rightPinky4-1", "rightPinky4"),
    ("leftIndex12", "leftIndex1"), ("leftIndexTip", None), ("leftToe.3", "leftToe"), ("leftToes", None), ("leftHeel_1_", "leftHeel"),
])
def test_new_joints_match_by_prefix_like_every_other(element_id, joint):
    assert joint_name_for_id(element_id) == joint


def test_a_file_needs_a_whole_hand_or_none():
    assert missing_joint_names(CORE_JOINTS) == []
    partial = set(CORE_JOINTS) | set(hand_joints("left")[:-1])
    assert missing_joint_names(partial) == ["leftPinky4"]


def _curled(positions: np.ndarray, finger: str, side: str = "left") -> np.ndarray:
    """Positions with one finger bent 90° at each of its joints (towards the palm)."""
    out = positions.copy()
    rows = [KEYPOINT_INDEX[f"{side}{finger}{k}"] for k in range(1, 5)]
    for pivot in range(1, 3):
        centre = as_complex(out[rows[pivot]])
        turned = centre + (as_complex(out[rows[pivot + 1:]]) - centre) * np.exp(0.5j * np.pi)
        out[rows[pivot + 1:]] = as_points(turned)
    return out


def test_a_bent_finger_moves_its_own_shape_and_leaves_the_body_and_its_scale(mannequin):
    rest = mannequin.rest_pose()
    frame = mannequin.pose(Pose(_curled(rest.positions, "Index"), rest.scores, rest.image_size))
    moved = np.linalg.norm(frame.points - mannequin.rest_points, axis=1) > 1e-6
    tip = _rows_of_shapes_near(mannequin, "leftIndex4", 4.0)
    assert moved[tip].all()  # the index tip's outline follows the bent finger
    torso = _rows_of_shapes_near(mannequin, "leftHip", 30.0)
    assert not moved[torso].any()  # hand bones do not set the body scale
    other = _rows_of_shapes_near(mannequin, "leftPinky4", 3.0)
    assert not moved[other].any()  # a finger binds within its own finger


def _folded_index(character: Illustration, degrees: float) -> Pose:
    """The rest pose with the left index finger folded at its middle joint by `degrees`
    towards the palm (positive: the way the thumb's knuckle lies; negative: backwards)."""
    rest = character.rest_pose()
    rows = [KEYPOINT_INDEX[f"leftIndex{k}"] for k in range(1, 5)]
    z = as_complex(rest.positions)
    palm_side = np.sign(np.imag(np.conj(z[rows[1]] - z[rows[0]])
                                * (z[KEYPOINT_INDEX["leftThumb2"]] - z[rows[0]])))
    positions = rest.positions.copy()
    centre = z[rows[1]]
    positions[rows[2:]] = as_points(centre + (z[rows[2:]] - centre)
                                    * np.exp(1j * palm_side * np.radians(degrees)))
    return Pose(positions, rest.scores, rest.image_size)


@pytest.mark.parametrize("degrees", [90, 135, 170, 180])
def test_a_folded_finger_keeps_its_knuckle_round(mannequin, degrees):
    """Folded at its middle joint, the finger stays about as thick round the joint as drawn
    (a linear blend pulls the outer edge onto the joint: 0.70, 0.34, 0.06, 0.00 of the drawn
    distance at 90°, 135°, 170°, 180°; measured with the rotation blend: 0.99, 0.90, 0.76, 0.70)."""
    frame = mannequin.pose(_folded_index(mannequin, degrees))
    knuckle = next(k for k in knuckles(mannequin, frame, "left") if k.joint == "leftIndex2")
    assert knuckle.bend == pytest.approx(degrees, abs=1)
    assert knuckle.roundness > 0.65, knuckle


def test_a_finger_folded_flat_back_does_not_flip_its_knuckle_when_it_jitters(mannequin):
    """Folded about half a turn, a degree either side of it rounds the knuckle on the same
    side (measured the short way round, 179° and 181° would round opposite sides); a finger
    bent backwards past 120° is read as folded past half a turn."""
    points = {d: mannequin.pose(_folded_index(mannequin, d)).points for d in (179, 181, -170, 190)}
    rows = _rows_of_shapes_near(mannequin, "leftIndex2", 8.0)
    assert np.abs(points[179][rows] - points[181][rows]).max() < 0.5
    np.testing.assert_allclose(points[-170][rows], points[190][rows], atol=1e-6)


@pytest.mark.parametrize("gesture", ["fist", "point", "thumbs_up"])
def test_a_similarity_of_a_gesture_moves_the_posed_hand_by_it(gesture):
    """The rotation blend is not linear in the joints, but it keeps the similarity property:
    posing a turned, scaled and shifted gesture gives the posed gesture turned, scaled and
    shifted (fingers folded, so that the blend is at work)."""
    from conftest import DATA
    from poseanim.illustration import load_illustration
    from poseanim.tracking.track_file import load_track

    character = load_illustration("ada")
    pose = load_track(DATA / "gestures" / f"{gesture}.json").frames[0]
    assert pose is not None
    factor, shift = 1.6 * np.exp(2.2j), complex(-300, 90)
    moved = Pose(as_points(factor * as_complex(pose.positions) + shift), pose.scores,
                 pose.image_size)
    before, after = character.pose(pose), character.pose(moved)
    assert not character.binding.rotation.empty
    expected = factor * as_complex(before.points) + shift
    np.testing.assert_allclose(as_complex(after.points), expected,
                               atol=float32_tolerance(as_complex(before.points), expected))


def test_finger_bones_of_no_length_pose_finite(mannequin):
    """A finger bone drawn with no length (`rig check` calls it an error), or tracked with none
    (two landmarks on one pixel), leaves every point finite."""
    root = parse_svg_text(template_svg(), "t.svg")
    circles = {e.get("id"): e for e in root.iter() if e.get("id") in ("leftIndex2", "leftIndex3")}
    circles["leftIndex3"].set("cx", circles["leftIndex2"].get("cx"))
    circles["leftIndex3"].set("cy", circles["leftIndex2"].get("cy"))
    drawn = Illustration(read_rigged_tree(root, "t.svg"), "t")
    for character in (drawn, mannequin):
        rest = character.rest_pose()
        positions = _curled(rest.positions, "Index")
        positions[KEYPOINT_INDEX["leftMiddle3"]] = positions[KEYPOINT_INDEX["leftMiddle2"]]
        frame = character.pose(Pose(positions, rest.scores, rest.image_size))
        assert np.isfinite(frame.points).all()


def test_a_lost_hand_keeps_its_drawn_shape_on_the_forearm(mannequin):
    rest = mannequin.rest_pose()
    positions = rest.positions.copy()
    wrist, elbow = KEYPOINT_INDEX["leftWrist"], KEYPOINT_INDEX["leftElbow"]
    turn = np.exp(-0.6j * np.pi)  # raise the forearm about the elbow
    pivot = as_complex(positions[elbow])
    positions[wrist] = as_points(pivot + (as_complex(positions[wrist]) - pivot) * turn)
    scores = rest.scores.copy()
    positions[LEFT_HAND], scores[LEFT_HAND] = np.nan, 0.0
    frame = mannequin.pose(Pose(positions, scores, rest.image_size))
    hand_rest = as_complex(rest.positions[LEFT_HAND]) - as_complex(rest.positions[wrist])
    hand_now = as_complex(frame.joints[LEFT_HAND]) - as_complex(frame.joints[wrist])
    np.testing.assert_allclose(hand_now, hand_rest * turn, atol=1e-6)
    assert frame.visible.all() and np.isfinite(frame.points).all()


def test_a_file_without_hands_poses_the_same_whatever_the_tracker_says_of_hands():
    character = Illustration(read_rigged_tree(parse_svg_text(rigged_svg(), "t.svg"), "t.svg"), "t")
    rest = character.rest_pose()
    with_hands = rest.positions.copy()
    with_hands[LEFT_HAND] = with_hands[KEYPOINT_INDEX["leftWrist"]] + np.arange(40).reshape(20, 2)
    scores = np.where(np.isfinite(with_hands[:, 0]), 1.0, 0.0)
    plain, handed = character.pose(rest), character.pose(Pose(with_hands, scores, rest.image_size))
    np.testing.assert_array_equal(plain.points, handed.points)
    np.testing.assert_array_equal(plain.visible, handed.visible)


def _person(shift: float = 0.0) -> Pose:
    """A tracked person (the template's joints, in pixels) with a hand, moved right by `shift`."""
    joints = {name: (x + shift, y) for name, (x, y) in _template_positions().items()}
    return Pose.from_joints(joints, (1000, 1000))


def _template_positions() -> dict[str, tuple[float, float]]:
    drawing = read_rigged_tree(parse_svg_text(template_svg(), "template.svg"), "t")
    return {name: (float(p[0]), float(p[1])) for name, p in drawing.joints.items()}


def test_a_hand_lost_in_a_stream_holds_its_last_shape_then_eases_to_rest():
    rest = _person().positions[:len(CORE_JOINTS) + len(EXTRA_JOINTS)]
    stream = PoseStream(rest_joints=rest, smoothing=0.0, hold=0.5, ease=1.0)
    fist = _person()
    for finger in ("Index", "Middle", "Ring", "Pinky"):
        fist = Pose(_curled(fist.positions, finger), fist.scores, fist.image_size)
    stream.step(0.0, fist)
    hand = HANDS[0]
    held_shape = hand.shape(fist.positions)
    lost = Pose(np.where(np.isin(np.arange(len(fist.scores)), LEFT_HAND)[:, None], np.nan,
                         fist.positions), np.where(np.isin(np.arange(len(fist.scores)), LEFT_HAND),
                                                   0.0, fist.scores), fist.image_size)
    holding = stream.step(0.3, lost).pose
    np.testing.assert_allclose(hand.shape(holding.positions), held_shape, atol=1e-9)
    assert (holding.scores[LEFT_HAND] > 0.3).all()
    halfway = hand.shape(stream.step(1.0, lost).pose.positions)
    rest_shape = hand.shape(rest)
    assert 0 < np.abs(halfway - held_shape).max() < np.abs(rest_shape - held_shape).max()
    np.testing.assert_allclose(hand.shape(stream.step(2.0, lost).pose.positions), rest_shape,
                               atol=1e-6)
    # the person walks on: the rested hand stays on the forearm, and a found hand is taken again
    walked = stream.step(3.0, Pose(lost.positions + (50, 0), lost.scores, lost.image_size)).pose
    np.testing.assert_allclose(walked.positions[LEFT_HAND], rest[LEFT_HAND] + (50, 0), atol=1e-6)
    found = stream.step(3.1, fist).pose
    np.testing.assert_allclose(found.positions[LEFT_HAND], fist.positions[LEFT_HAND])


def test_a_hand_drawn_as_one_mitten_bends_where_its_fingers_are():
    from poseanim.rig.template import template_joints
    from svg_factory import limb_shapes, skeleton_group

    joints = template_joints()
    wrist, tip = joints["leftWrist"], joints["leftMiddle4"]
    centre = (wrist + tip) / 2
    angle = np.degrees(np.arctan2(*(tip - wrist)[::-1]))
    mitten = (f'<ellipse cx="{centre[0]:.2f}" cy="{centre[1]:.2f}" rx="{np.linalg.norm(tip - wrist) / 2 + 4:.2f}" '
              f'ry="24" transform="rotate({angle:.2f} {centre[0]:.2f} {centre[1]:.2f})" fill="#fc9"/>')
    svg = rigged_svg(body=limb_shapes() + mitten, skeleton=skeleton_group(joints))
    character = Illustration(read_rigged_tree(parse_svg_text(svg, "m.svg"), "m.svg"), "m")
    rest = character.rest_pose()
    curled = rest.positions
    for finger in ("Index", "Middle", "Ring", "Pinky"):
        curled = _curled(curled, finger)
    frame = character.pose(Pose(curled, rest.scores, rest.image_size))
    last = character.subpath_ranges[-1][0]
    rest_points, posed = character.rest_points[last[0]:last[1]], frame.points[last[0]:last[1]]
    moved = np.linalg.norm(posed - rest_points, axis=1)
    near_tip = np.linalg.norm(rest_points - tip, axis=1) < 15
    near_wrist = np.linalg.norm(rest_points - wrist, axis=1) < 15
    assert np.isfinite(posed).all() and frame.visible[-1]
    assert moved[near_tip].min() > 5 and moved[near_wrist].max() < 1.0


def test_the_inside_of_a_finger_folded_flat_runs_under_its_cap():
    """Folded flat (the template's fist: every finger's middle joint at half a turn), the
    inside of each fold stays as far from its joint as drawn, on the cap the outside rounds
    (poseanim/fold_inside.py), where the linear crease ran through the joint itself (the "^"
    in every knuckle cap); a fold short of `START` (the thumbs-up's 147°) is left as it was."""
    from conftest import DATA
    from poseanim.fold_inside import inside_correction
    from poseanim.skinning import deform, linearly_blended, region_scales
    from poseanim.tracking.track_file import load_track

    character = Illustration(read_rigged_tree(parse_svg_text(template_svg(), "t.svg"), "t"), "t")
    skeleton, binding = character.skeleton, character.binding
    inside = binding.inside
    fist = character.pose(load_track(DATA / "gestures" / "fist.json").frames[0])
    scale = region_scales(skeleton, fist.joints)[0]
    middle = np.array([KEYPOINT_INDEX[f"left{finger}2"] for finger in ("Index", "Middle", "Ring")])
    ends = skeleton.bone_joints[binding.pair_bone]
    at_joint = np.isin(ends, middle).all(axis=1) | (np.isin(ends, middle).any(axis=1)
                                                     & (binding.weight < 1))
    rest = as_complex(character.rest_points)
    for joint in middle:
        pairs = np.isin(ends, joint).any(axis=1) & at_joint
        rows = np.intersect1d(inside.points, binding.pair_point[pairs])
        near = rows[np.abs(rest[rows] - as_complex(skeleton.rest_joints[joint:joint + 1])[0])
                    < 0.5 * np.abs(rest[rows] - rest[rows].mean()).max()]
        assert near.size
        drawn = np.abs(rest[near] - as_complex(skeleton.rest_joints[joint:joint + 1])[0]) * scale
        posed = np.abs(as_complex(fist.points[near]) - as_complex(fist.joints[joint:joint + 1])[0])
        linear = deform(linearly_blended(binding, skeleton), skeleton, fist.joints, (scale, 1.0))
        creased = np.abs(as_complex(linear[near]) - as_complex(fist.joints[joint:joint + 1])[0])
        assert (posed > 0.6 * drawn).all() and (creased < 0.6 * drawn).any()
    thumbs_up = character.pose(load_track(DATA / "gestures" / "thumbs_up.json").frames[0])
    assert inside_correction(inside, thumbs_up.joints, 1.0) is None


@pytest.mark.parametrize("degrees", [0, 90, 119.9999999, 120, 121, 147, 149.99, 150.01, 170,
                                     180, 210, 235, 239.99, 240.01, -119.9999999, -120.0000001,
                                     -125, -130])
def test_the_fold_inside_stops_early_only_where_reading_every_fold_would_stop(mannequin, degrees,
                                                                                monkeypatch):
    """`inside_correction` gives up on the turns along a finger before it reads the rest: what it
    gives is what reading every turn gives, to the bit, round `NEAREST` (120° either way) and
    round `START` and `END`, and the frames short of `NEAREST` stop there."""
    import poseanim.fold_inside as fold_inside

    inside = mannequin.binding.inside
    joints = mannequin.pose(_folded_index(mannequin, degrees)).joints
    early, gate = fold_inside.inside_correction(inside, joints, 1.3), fold_inside.CLEARLY_NEAREST
    monkeypatch.setattr(fold_inside, "CLEARLY_NEAREST", 2.0)  # no early stop: cos ≤ 1
    full = fold_inside.inside_correction(inside, joints, 1.3)
    assert (early is None) == (full is None)
    assert early is None or np.array_equal(early, full)
    folded = degrees % 360  # bent back past 120°: read as folded past half a turn
    if abs(folded - 150) > 1 and abs(folded - 240) > 1:
        assert (full is not None) == (150 < folded < 240)
    bend = np.radians(degrees)
    if abs(np.remainder(bend + np.pi, 2 * np.pi) - np.pi) < fold_inside.NEAREST - 1e-6:
        turn = np.arctan2(*np.diff(joints[inside.ends], axis=0)[0].T[::-1]) - inside.rest_angle
        along = np.cos(turn[inside.along[1]] - turn[inside.along[0]])
        assert along.min() > gate  # it stopped at the turns along a finger
