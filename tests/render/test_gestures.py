"""The bundled characters and the template making hand gestures: a wave, open palms, a point,
a thumbs-up and a fist (recorded by tools/hands/gestures.py from the tracked hand photos).

Every gesture must pose to finite points with each drawn finger and palm staying about its own
bones (nothing flung off the hand), no hand may cover the face, and a fist must close: its hand
is much smaller than the open hand of the same arm, not a claw of full-length fingers."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from conftest import DATA
from hand_measures import finger_shapes, folded, knuckles
from poseanim.illustration import Illustration, load_illustration
from poseanim.rig.reader import read_rigged_tree
from poseanim.rig.tables import BONES, FACE_JOINTS, KEYPOINT_INDEX, hand_joints
from poseanim.rig.template import template_svg
from poseanim.svg.document import parse_svg_text
from poseanim.tracking.track_file import load_track

GESTURES = {"wave": "left", "open_palms": "right", "point": "right", "thumbs_up": "right",
            "fist": "left"}
"""Gesture → the side of the hand that makes it."""
CHARACTERS = ("ada", "bolt", "mira", "template")


@pytest.fixture(scope="module", params=CHARACTERS)
def character(request) -> Illustration:
    if request.param == "template":
        return Illustration(read_rigged_tree(parse_svg_text(template_svg(), "t"), "t"), "template")
    return load_illustration(request.param)


def gesture(name: str):
    return load_track(DATA / "gestures" / f"{name}.json").frames[0]


def hand_bones(side: str) -> np.ndarray:
    """(B, 2) keypoint rows of the hand's bones: wrist to each finger base, along each finger."""
    names = set(hand_joints(side))
    return np.array([(KEYPOINT_INDEX[b.joint0], KEYPOINT_INDEX[b.joint1]) for b in BONES
                     if b.joint1 in names])


def distance_to_bones(points: np.ndarray, joints: np.ndarray, bones: np.ndarray) -> np.ndarray:
    """(N,) each point's distance to the nearest of the bones (segments between joints)."""
    start, end = joints[bones[:, 0]], joints[bones[:, 1]]
    span = end - start
    t = np.einsum("nbk,bk->nb", points[:, None] - start, span) / np.maximum(
        (span ** 2).sum(axis=1), 1e-12)
    nearest = start + np.clip(t, 0, 1)[..., None] * span
    return np.linalg.norm(points[:, None] - nearest, axis=2).min(axis=1)


def hand_shapes(character: Illustration, side: str) -> list[int]:
    """Shapes drawn on the hand: all their rest points nearer the hand's bones than any other."""
    rest = character.rest_joints
    bones = hand_bones(side)
    hand = set(map(tuple, bones))
    others = np.array([(KEYPOINT_INDEX[b.joint0], KEYPOINT_INDEX[b.joint1]) for b in BONES
                       if (KEYPOINT_INDEX[b.joint0], KEYPOINT_INDEX[b.joint1]) not in hand
                       and np.isfinite(rest[[KEYPOINT_INDEX[b.joint0], KEYPOINT_INDEX[b.joint1]]]).all()])
    shapes = []
    for index, ranges in enumerate(character.subpath_ranges):
        points = character.rest_points[ranges[0][0]:ranges[-1][1]]
        if (distance_to_bones(points, rest, bones) < distance_to_bones(points, rest, others)).all():
            shapes.append(index)
    return shapes


def rows_of(character: Illustration, shapes: list[int]) -> np.ndarray:
    return np.concatenate([np.arange(r[0][0], r[-1][1]) for r in
                           (character.subpath_ranges[s] for s in shapes)])


@pytest.mark.parametrize("name", GESTURES)
def test_a_gesture_poses_finite_and_keeps_every_finger_on_its_hand(character, name):
    side = GESTURES[name]
    shapes = hand_shapes(character, side)
    assert len(shapes) >= 5  # five fingers at least, and the palm
    rows, bones = rows_of(character, shapes), hand_bones(side)
    frame = character.pose(gesture(name))
    assert np.isfinite(frame.points).all() and np.isfinite(frame.joints).all()
    assert frame.visible[shapes].all()
    rest_width = distance_to_bones(character.rest_points[rows], character.rest_joints, bones).max()
    scale = frame.stroke_scale[shapes].max()
    posed = distance_to_bones(frame.points[rows], frame.joints, bones)
    # the drawn hand stays as close to its posed bones as it is drawn around them at rest
    assert posed.max() <= 1.5 * rest_width * scale, (posed.max(), rest_width * scale)


@pytest.mark.parametrize("name", GESTURES)
def test_no_gesture_puts_the_hand_on_the_face(character, name):
    """The characters' heads are bigger than a person's: a hand held by the chin in the photo
    (the thumbs-up as tracked had 4–6 % of the hand's points inside the face) lands on the face."""
    side = GESTURES[name]
    rows = rows_of(character, hand_shapes(character, side))
    frame = character.pose(gesture(name))
    face = frame.joints[[KEYPOINT_INDEX[joint] for joint in FACE_JOINTS]]
    hull = cv2.convexHull(face[np.isfinite(face).all(axis=1)].astype(np.float32))
    inside = [cv2.pointPolygonTest(hull, (float(x), float(y)), False) >= 0
              for x, y in frame.points[rows]]
    assert not any(inside), f"{np.mean(inside):.0%} of the hand on the face"


@pytest.mark.parametrize("name", ["point", "thumbs_up", "fist"])
def test_folded_fingers_keep_round_knuckles(character, name):
    """The outside of every finger joint bent past 90° stays at least half as far from the
    joint as the finger's outline is drawn (hand_measures: measured 0.99–1.04 with the outside
    rotation blended, the inside creased; the linear blend pinched them to 0.01–0.30)."""
    if character.name == "bolt":
        pytest.skip("Bolt's fingers are a rigid segment per bone with a disc at each joint: "
                    "no drawn shape spans a bent joint")
    frame = character.pose(gesture(name))
    bent = folded(knuckles(character, frame, GESTURES[name]))
    assert len(bent) >= 3  # the curled fingers of the gesture
    for knuckle in bent:
        assert knuckle.roundness > 0.5, knuckle


def test_a_fist_closes_the_hand_instead_of_clawing(character):
    shapes = hand_shapes(character, "left")
    rows = rows_of(character, shapes)
    wrist, middle = KEYPOINT_INDEX["leftWrist"], KEYPOINT_INDEX["leftMiddle1"]

    def reach_and_width(name: str) -> tuple[float, float]:
        """How far the drawn hand reaches from the wrist, and how wide it is across the hand's
        axis (wrist to the middle finger's knuckle)."""
        frame = character.pose(gesture(name))
        points = frame.points[rows] - frame.joints[wrist]
        axis = frame.joints[middle] - frame.joints[wrist]
        across = np.array([-axis[1], axis[0]]) / np.linalg.norm(axis)
        return float(np.linalg.norm(points, axis=1).max()), float(np.ptp(points @ across))

    (fist_reach, fist_width), (open_reach, open_width) = (reach_and_width("fist"),
                                                          reach_and_width("wave"))
    assert fist_reach < 0.7 * open_reach  # measured 0.57–0.59
    # fingers folded together, not fanned out each along its own spread line (measured 0.62;
    # a fist folding every finger along its open direction was 0.74–0.75, a claw)
    assert fist_width < 0.68 * open_width


def test_the_template_palm_does_not_follow_a_raised_thumb():
    """The template's palm has its thumb-side corner on the palm, not at the thumb's knuckle:
    there it bound wholly to the thumb, and the thumbs-up drew the palm out into a wedge."""
    template = Illustration(read_rigged_tree(parse_svg_text(template_svg(), "t"), "t"), "t")
    binding, bones = template.binding, template.skeleton.bone_joints
    wrist, thumb = KEYPOINT_INDEX["rightWrist"], [KEYPOINT_INDEX[f"rightThumb{k}"]
                                                  for k in range(1, 4)]
    on_wrist = binding.weight * (bones[binding.pair_bone, 0] == wrist)
    on_thumb = binding.weight * np.isin(bones[binding.pair_bone, 0], thumb)
    palm = int(np.argmax(np.bincount(template.point_shape[binding.pair_point], on_wrist)))
    rows = np.flatnonzero(template.point_shape == palm)
    thumb_share = np.bincount(binding.pair_point, on_thumb, minlength=binding.point_count)[rows]
    assert thumb_share.max() < 0.5, thumb_share.max()  # measured 0.00; 1.00 at the knuckle


def test_the_inside_of_each_finger_creases_and_its_outside_turns():
    """The template's fingers are plain tubes: the points on the side each finger folds towards
    (where its thumb's knuckle lies, for the thumb the little finger's base) keep the linear
    blend, so a fold past 120° creases into the joint instead of looping round it, and those on
    the far side are rotation blended, so the knuckle stays round."""
    from poseanim.skinning import finger_folds, inside_of_folds

    template = Illustration(read_rigged_tree(parse_svg_text(template_svg(), "t"), "t"), "t")
    binding, skeleton = template.binding, template.skeleton
    inside = inside_of_folds(skeleton, finger_folds(skeleton), binding.pair_point,
                             binding.pair_bone, binding.weight, binding.across,
                             binding.point_count)
    blended = np.zeros(binding.point_count, dtype=bool)
    blended[binding.rotation.points] = True
    rest = template.rest_joints
    for finger, towards in (("Index", "Thumb2"), ("Thumb", "Pinky1")):
        rows = np.flatnonzero(template.point_shape == finger_shapes(template, "right", finger)[0])
        base, tip, aside = (rest[KEYPOINT_INDEX[f"right{name}"]] for name in (
            f"{finger}2", f"{finger}4", towards))
        axis, to_side = tip - base, aside - base
        side = np.sign(axis[0] * to_side[1] - axis[1] * to_side[0])
        normal = np.array([-axis[1], axis[0]]) / np.linalg.norm(axis)
        across = (template.rest_points[rows] - base) @ normal * side  # towards the fold: > 0
        assert inside[rows[across > 1.0]].all() and not inside[rows[across < -1.0]].any()
        assert not blended[rows[inside[rows]]].any()
        assert blended[rows[~inside[rows]]].sum() >= 4  # the outside round each bent joint
