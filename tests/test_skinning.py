"""Skinning as docs/format.md states it: binding rules and the properties that must hold."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import first_fast
from float32_tolerance import float32_tolerance

from poseanim.illustration import Illustration
from poseanim.pose import Pose
from poseanim.rig.reader import read_rigged_tree
from poseanim.svg.document import parse_svg_text
from poseanim.rig.tables import FACE_JOINTS, KEYPOINT_INDEX, KEYPOINT_NAMES
from poseanim.rig.template import template_svg
from poseanim.skinning import (
    SKINNING_MODES, bone_weights, build_skeleton, distinct_rows, fewer_products,
    smooth_handle_sources,
)
from svg_factory import limb_shapes, rigged_svg, skeleton_group


@pytest.fixture(scope="module")
def character() -> Illustration:
    drawing = read_rigged_tree(parse_svg_text(rigged_svg(), "t.svg"), "t.svg")
    return Illustration(drawing, "t")


@pytest.fixture(scope="module", params=["limbs", "template with hands and feet"])
def drawn(request, character) -> Illustration:
    """Each property below holds for the plain limbs and for the rig template, a figure with
    drawn fingers and shoes on every optional joint."""
    if request.param == "limbs":
        return character
    return Illustration(read_rigged_tree(parse_svg_text(template_svg(), "template.svg"), "t"), "t")


def test_rest_pose_reproduces_the_drawing(drawn):
    character = drawn
    frame = character.pose(character.rest_pose())
    np.testing.assert_allclose(frame.points, character.rest_points, atol=1e-9)
    assert frame.visible.all()


@settings(max_examples=40, deadline=None)
@given(angle=st.floats(-np.pi, np.pi), scale=st.floats(0.2, 5.0),
       shift=st.tuples(st.floats(-2000, 2000), st.floats(-2000, 2000)))
def test_similarity_of_all_joints_moves_every_point_by_it(drawn, angle, scale, shift):
    character = drawn
    rest = character.rest_pose()
    factor = scale * np.exp(1j * angle)
    z = rest.positions[:, 0] + 1j * rest.positions[:, 1]
    moved = factor * z + complex(*shift)
    pose = Pose(np.stack([moved.real, moved.imag], axis=1), rest.scores, rest.image_size)
    points = character.pose(pose).points
    expected = factor * (character.rest_points[:, 0] + 1j * character.rest_points[:, 1]) + complex(*shift)
    rest_z = character.rest_points[:, 0] + 1j * character.rest_points[:, 1]
    np.testing.assert_allclose(points[:, 0] + 1j * points[:, 1], expected,
                               atol=float32_tolerance(rest_z, expected))


def two_group_skeleton():
    joints = {"leftShoulder": np.array([0.0, 0.0]), "leftElbow": np.array([10.0, 0.0]),
              "leftWrist": np.array([20.0, 0.0]), "rightShoulder": np.array([0.0, 10.0]),
              "leftHip": np.array([0.0, 30.0]), "rightHip": np.array([10.0, 30.0])}
    return build_skeleton(joints, [])


@pytest.mark.parametrize("columns", [0, 1, 7])
def test_distinct_rows_are_numpys_unique_rows(columns):
    """The layout's rows (and so every product and the binding cache's entries) are the same as
    with np.unique: same rows, same order, same place of each point's row."""
    rng = np.random.default_rng(columns)
    matrix = rng.choice([0.0, 0.25, -1.5, 3.0], size=(60, columns))
    matrix[40:] = matrix[:20]  # repeated rows
    distinct, row_of = distinct_rows(matrix)
    expected, expected_row_of = np.unique(matrix, axis=0, return_inverse=True)
    assert np.array_equal(distinct, expected)
    assert np.array_equal(row_of, expected_row_of.reshape(-1))


def test_a_few_points_join_a_product_where_the_big_blocks_stay_apart():
    """The layout's blocks: a wrist's few points (forearm and hand columns) join the hand's
    product, where a call of their own would cost more than their zeros there; the face and the
    hand, whose columns differ, stay two products. Every point is in one block."""
    def touching(columns):
        return np.isin(np.arange(300), columns)

    face = (np.arange(1000), touching(range(100, 300)))
    hand = (np.arange(1000, 1400), touching(range(60)))
    wrist = (np.arange(1400, 1430), touching(range(50, 70)))
    merged = fewer_products([face, hand, wrist])
    assert len(merged) == 2
    assert np.array_equal(np.sort(np.concatenate([points for points, _ in merged])),
                          np.arange(1430))
    joined = next(touched for points, touched in merged if 1410 in points)
    assert np.array_equal(np.flatnonzero(joined), np.arange(70))
    assert 1000 in next(points for points, _ in merged if 1410 in points)


def test_point_binds_to_nearest_group_with_inverse_square_weights():
    skeleton, domains = two_group_skeleton()
    bones = domains[0]
    weights = bone_weights(np.array([[10.0, -2.0]]), skeleton, bones)[0]
    names = [tuple(KEYPOINT_NAMES[j] for j in skeleton.bone_joints[b]) for b in bones]
    arm = [i for i, n in enumerate(names) if "leftElbow" in n]
    assert set(np.flatnonzero(weights)) == set(arm)  # the arm group only, not the torso
    np.testing.assert_allclose(weights[arm], [0.5, 0.5])  # equidistant from both arm bones
    np.testing.assert_allclose(weights.sum(), 1.0)


def test_point_on_a_bone_belongs_to_it_alone():
    skeleton, domains = two_group_skeleton()
    weights = bone_weights(np.array([[15.0, 0.0]]), skeleton, domains[0])[0]
    assert np.count_nonzero(weights) == 1 and weights.max() == 1.0


def test_collinear_handles_take_their_anchors_weights():
    points = np.array([[0, 0], [1, 0], [2, 0], [3, 0], [4, 0], [5, 0], [6, 0]], dtype=float)
    assert smooth_handle_sources(points, closed=False) == [(2, 3), (4, 3)]
    corner = np.array([[0, 0], [1, 0], [2, 0], [3, 0], [3, 1], [3, 2], [3, 3]], dtype=float)
    assert smooth_handle_sources(corner, closed=False) == []


def test_missing_joint_drops_its_bones_and_poses_the_rest():
    from svg_factory import skeleton_group

    svg = rigged_svg(body=limb_shapes(), skeleton=skeleton_group(omit=("rightWrist",)))
    drawing = read_rigged_tree(parse_svg_text(svg, "t.svg"), "t.svg")
    character = Illustration(drawing, "t")
    joint_pairs = {tuple(p) for p in character.skeleton.bone_joints.tolist()}
    assert (KEYPOINT_INDEX["rightElbow"], KEYPOINT_INDEX["rightWrist"]) not in joint_pairs
    frame = character.pose(character.rest_pose())
    np.testing.assert_allclose(frame.points, character.rest_points, atol=1e-9)


def test_face_lost_face_follows_the_ears(character):
    rest = character.rest_pose()
    positions = rest.positions.copy()
    scores = rest.scores.copy()
    positions[KEYPOINT_INDEX["leftEar"]] = positions[KEYPOINT_INDEX["leftJaw2"]] + [40, 0]
    positions[KEYPOINT_INDEX["rightEar"]] = positions[KEYPOINT_INDEX["rightJaw2"]] + [40, 0]
    scores[KEYPOINT_INDEX["leftEar"]] = scores[KEYPOINT_INDEX["rightEar"]] = 0.9
    face = [KEYPOINT_INDEX[n] for n in FACE_JOINTS]
    positions[face] = np.nan
    scores[face] = 0.0
    frame = character.pose(Pose(positions, scores, rest.image_size))
    np.testing.assert_allclose(frame.joints[face], rest.positions[face] + [40, 0], atol=1e-6)
    assert frame.visible.all()


def test_untracked_joints_hide_their_shapes(character, tracked_pose):
    frame = character.pose(tracked_pose)
    legs = [8, 9, 10, 11]  # limb_shapes draws the body bones in bones.tsv order
    assert not frame.visible[legs].any()  # the astronaut's legs are out of the photo
    assert frame.visible[:2].all() and frame.visible[-3:].all()  # shoulders, head and eyes


# --- both skinning modes -------------------------------------------------------------------

def character_in(mode: str, svg: str | None = None) -> Illustration:
    drawing = read_rigged_tree(parse_svg_text(svg or rigged_svg(), "t.svg"), "t.svg")
    return Illustration(drawing, "t", skinning=mode)


@pytest.fixture(scope="module", params=SKINNING_MODES)
def any_mode(request) -> Illustration:
    return character_in(request.param)


def similarity_pose(rest: Pose, factor: complex, shift: complex) -> Pose:
    z = factor * (rest.positions[:, 0] + 1j * rest.positions[:, 1]) + shift
    return Pose(np.stack([z.real, z.imag], axis=1), rest.scores, rest.image_size)


def test_rest_pose_reproduces_the_drawing_in_both_modes(any_mode):
    frame = any_mode.pose(any_mode.rest_pose())
    np.testing.assert_allclose(frame.points, any_mode.rest_points, atol=1e-9)


@settings(max_examples=25, deadline=None)
@given(angle=st.floats(-np.pi, np.pi), scale=st.floats(0.2, 5.0),
       shift=st.tuples(st.floats(-2000, 2000), st.floats(-2000, 2000)))
def test_a_similarity_moves_every_point_by_it_in_both_modes(any_mode, angle, scale, shift):
    factor = scale * np.exp(1j * angle)
    points = any_mode.pose(similarity_pose(any_mode.rest_pose(), factor, complex(*shift))).points
    rest = any_mode.rest_points[:, 0] + 1j * any_mode.rest_points[:, 1]
    expected = factor * rest + complex(*shift)
    np.testing.assert_allclose(points[:, 0] + 1j * points[:, 1], expected,
                               atol=float32_tolerance(rest, expected))


@pytest.mark.parametrize("mode", SKINNING_MODES)
@pytest.mark.parametrize("name", ["ada", "bolt", "mira"])
def test_bundled_characters_keep_both_properties(name, mode):
    from poseanim.illustration import load_illustration

    character = load_illustration(name, skinning=mode)
    rest = character.rest_pose()
    np.testing.assert_allclose(character.pose(rest).points, character.rest_points, atol=1e-9)
    factor, shift = 0.7 * np.exp(0.6j), complex(120, -40)
    points = character.pose(similarity_pose(rest, factor, shift)).points
    rest_z = character.rest_points[:, 0] + 1j * character.rest_points[:, 1]
    expected = factor * rest_z + shift
    np.testing.assert_allclose(points[:, 0] + 1j * points[:, 1], expected,
                               atol=float32_tolerance(rest_z, expected))



@pytest.mark.parametrize("mode", SKINNING_MODES)
def test_the_deform_layout_poses_each_point_as_the_sum_over_its_pairs(mode):
    """The layout (blocks, shared rows, one gather) is only a faster way of writing the sum of
    w·(joint0 + t·vector + s·(along·û + across·n̂)) over a point's pairs, in any pose (plus the
    rotation blend's correction of the hands' points, `poseanim.rotation_blend`, and that of the
    inside of fingers folded flat, `poseanim.fold_inside`)."""
    from poseanim.illustration import load_illustration
    from poseanim.geometry import as_complex, as_points
    from poseanim.fold_inside import inside_correction
    from poseanim.rotation_blend import correction, mean_of_rotations
    from poseanim.skinning import deform, follow_local_joints

    character = load_illustration("ada", skinning=mode)
    skeleton, binding = character.skeleton, character.binding
    joints = np.nan_to_num(skeleton.rest_joints[: len(KEYPOINT_NAMES)])
    joints = follow_local_joints(skeleton, joints + np.random.default_rng(3).normal(0, 25, joints.shape))
    scales = (1.3, 0.8)
    ends = joints[skeleton.bone_joints[binding.pair_bone]]
    vector = ends[:, 1] - ends[:, 0]
    scale = np.where(skeleton.bone_is_face[binding.pair_bone], scales[1], scales[0])
    unit = vector * (scale / np.linalg.norm(vector, axis=1))[:, None]
    normal = np.stack([-unit[:, 1], unit[:, 0]], axis=1)
    moved = binding.weight[:, None] * (ends[:, 0] + binding.t[:, None] * vector
                                       + binding.along[:, None] * unit
                                       + binding.across[:, None] * normal)
    expected = np.zeros((binding.point_count, 2))
    np.add.at(expected, binding.pair_point, moved)
    assert binding.rotation.empty == (mode == "pa")
    if not binding.rotation.empty:  # it adds s·R̂·(p − c) − s·R̄·(p − c), see rotation_blend
        blend = binding.rotation
        rows, columns, coefficient = mean_of_rotations(blend)
        ends = as_complex(joints)[skeleton.bone_joints[blend.bones[columns]]]
        direction = ends[:, 1] - ends[:, 0]
        turned = correction(blend, joints, scales[0])
        np.add.at(turned, rows, coefficient * scales[0] * direction / np.abs(direction))
        expected[blend.points] += as_points(turned)
    under_cap = inside_correction(binding.inside, joints, scales[0])  # folds past 150°
    if under_cap is not None:
        expected[binding.inside.points] += as_points(under_cap)
    assert binding.layout.rows < binding.point_count  # shared rows are computed once
    np.testing.assert_allclose(deform(binding, skeleton, joints, scales), expected, atol=2e-3)

# --- the default: shape-aware binding ------------------------------------------------------

BODY = {"leftShoulder": (340, 200), "rightShoulder": (260, 200), "leftElbow": (362, 300),
        "rightElbow": (238, 300), "leftWrist": (366, 390), "rightWrist": (234, 390),
        "leftHip": (328, 400), "rightHip": (272, 400), "leftKnee": (335, 550),
        "rightKnee": (265, 550), "leftAnkle": (338, 700), "rightAnkle": (262, 700)}
"""A figure standing with its arms hanging close beside the torso, as most are drawn."""


def body_joints() -> dict[str, np.ndarray]:
    return {name: np.array(p, dtype=float) for name, p in BODY.items()}


def polygon(points) -> str:
    return '<path d="M' + " L".join(f"{x:.2f},{y:.2f}" for x, y in points) + ' Z" fill="#48c"/>'


def around(a, b, half_width: float, steps: int = 8) -> list[np.ndarray]:
    """A closed outline around the segment a–b, with `steps` points down each long side."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    direction = (b - a) / np.linalg.norm(b - a)
    normal = np.array([-direction[1], direction[0]]) * half_width
    side = [a + (b - a) * k / steps for k in range(steps + 1)]
    return [p + normal for p in side] + [p - normal for p in reversed(side)]


def hugging_figure(mode: str) -> Illustration:
    """Torso rectangle, each arm drawn right against it (its inner edge nearer the torso's side
    bone than some of its own), and one pair of trousers drawn as a single path."""
    j = BODY
    torso = polygon([(262, 192), (338, 192), (336, 408), (264, 408)])
    arms = "".join(polygon(around(j[f"{s}Shoulder"], j[f"{s}Wrist"], 11, 12))
                   for s in ("left", "right"))
    trousers = polygon([(262, 392), (338, 392), (352, 700), (322, 700), (300, 470), (278, 700),
                        (248, 700)])
    svg = rigged_svg(body=torso + arms + trousers, skeleton=skeleton_group(body_joints()))
    return character_in(mode, svg)


def bone_names(character: Illustration, point: int) -> set[str]:
    b = character.binding
    bones = b.pair_bone[b.pair_point == point]
    return {KEYPOINT_NAMES[j] for bone in bones for j in character.skeleton.bone_joints[bone]}


def shape_points(character: Illustration, shape: int) -> np.ndarray:
    return np.flatnonzero(character.point_shape == shape)


def test_an_arm_drawn_against_the_torso_binds_to_its_arm_alone():
    shaped, pa = hugging_figure("shape"), hugging_figure("pa")
    arm = {"leftShoulder", "leftElbow", "leftWrist"}
    assert all(bone_names(shaped, p) <= arm for p in shape_points(shaped, 1))
    # Pose Animator's nearest-group rule splits the same arm between the arm and the torso
    assert any(not bone_names(pa, p) <= arm for p in shape_points(pa, 1))


def raised_arm_pose(character: Illustration, angle: float) -> tuple[Pose, complex, complex]:
    """The left arm swung rigidly about its shoulder by `angle`; returns (pose, turn, pivot)."""
    rest = character.rest_pose()
    positions = rest.positions.copy()
    pivot = complex(*positions[KEYPOINT_INDEX["leftShoulder"]])
    turn = np.exp(1j * angle)
    for name in ("leftElbow", "leftWrist"):
        z = pivot + turn * (complex(*positions[KEYPOINT_INDEX[name]]) - pivot)
        positions[KEYPOINT_INDEX[name]] = z.real, z.imag
    return Pose(positions, rest.scores, rest.image_size), turn, pivot


def test_a_raised_arm_moves_as_one_piece_and_leaves_no_wedge_on_the_torso():
    for mode, clean in (("shape", True), ("pa", False)):
        character = hugging_figure(mode)
        pose, turn, pivot = raised_arm_pose(character, np.radians(-150))  # arm up over the head
        posed = character.pose(pose).points
        arm = shape_points(character, 1)
        rest = character.rest_points[arm, 0] + 1j * character.rest_points[arm, 1]
        error = np.abs(posed[arm, 0] + 1j * posed[arm, 1] - (pivot + turn * (rest - pivot)))
        assert (error.max() < 1e-3) == clean, (mode, error.max())  # pa: the inner edge stays
        torso = shape_points(character, 0)
        assert np.abs(posed[torso] - character.rest_points[torso]).max() < 1e-6


def stick_figure() -> Illustration:
    """A filled torso, and both arms drawn as ONE open unfilled stroke from wrist to wrist over
    the shoulders: each half a single cubic down its whole arm (as Nicu Buculei's stick figures
    are drawn)."""
    torso = polygon([(262, 192), (338, 192), (336, 408), (264, 408)])
    arms = ('<path d="M366,390 C364,330 358,235 300,203 C242,235 236,330 234,390" fill="none" '
            'stroke="#123" stroke-width="6"/>')
    return character_in("shape", rigged_svg(body=torso + arms,
                                            skeleton=skeleton_group(body_joints())))


def test_a_stick_figures_arm_stroke_follows_both_arms_and_bends_at_the_elbow():
    character = stick_figure()
    stroke = shape_points(character, 1)
    assert len(stroke) > 7  # each half cut at the elbow it passes: two cubics that can bend
    np.testing.assert_allclose(character.pose(character.rest_pose()).points[stroke],
                               character.rest_points[stroke], atol=1e-9)  # the cut draws the same
    pose, turn, pivot = raised_arm_pose(character, np.radians(-150))
    posed = character.pose(pose).points
    ends = {name: pose.positions[KEYPOINT_INDEX[name]] for name in ("leftWrist", "leftElbow")}
    # the hand end goes with the hand (the closed polygon's rule left it on the other arm)
    assert np.linalg.norm(posed[stroke[0]] - ends["leftWrist"]) < 2
    anchors = posed[stroke[::3]]  # an on-curve point was put on the elbow, and goes with it
    assert np.linalg.norm(anchors - ends["leftElbow"], axis=1).min() < 6
    right_half = character.rest_points[stroke, 0] < 290
    np.testing.assert_allclose(posed[stroke[right_half]], character.rest_points[stroke[right_half]],
                               atol=1e-6)  # the other arm stays


def union_outline(polygons: list[list[np.ndarray]], step: int = 4) -> np.ndarray:
    """The outline of the polygons' union, a point every `step` units (one closed path)."""
    import cv2

    mask = np.zeros((800, 600), np.uint8)
    for points in polygons:
        cv2.fillPoly(mask, [np.round(np.asarray(points, float)).astype(np.int32)], (1,))
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    return max(contours, key=cv2.contourArea)[:, 0][::step].astype(float)


def test_one_path_for_a_jacket_and_its_sleeves_weighs_by_the_way_inside_it():
    """The sleeves hang beside the torso with a gap below the armpits, all one outline: along
    it the arm's weight rises smoothly through the armpit and the shoulder (the way inside the
    shape, not a line of sight that flips), and the sleeve below the armpit is the arm's."""
    j = BODY
    garments = [[np.array(p, float) for p in ((262, 192), (338, 192), (336, 408), (264, 408))]]
    garments += [around(j[f"{s}Shoulder"], j[f"{s}Wrist"], 11, 12) for s in ("left", "right")]
    character = character_in("shape", rigged_svg(body=polygon(union_outline(garments)),
                                                 skeleton=skeleton_group(body_joints())))
    anchors = shape_points(character, 0)[::3]
    share = left_arm_share(character, anchors)
    assert np.abs(np.diff(np.r_[share, share[:1]])).max() < 0.15  # sight: 0.62 at the armpit
    rest = character.rest_points[anchors]
    inner_sleeve = (rest[:, 0] > 345) & (rest[:, 0] < 358) & (rest[:, 1] > 340)
    torso_side = (rest[:, 0] < 338) & (rest[:, 0] > 330) & (rest[:, 1] > 300)
    assert inner_sleeve.sum() >= 5 and torso_side.sum() >= 5
    assert (share[inner_sleeve] > 0.99).all() and (share[torso_side] < 0.01).all()


def coat_with_its_sleeve(over: str) -> Illustration:
    """A coat and its left sleeve as ONE path, the sleeve's inner edge touching the coat all
    the way down (no gap in the outline), and `over` drawn on top of it."""
    j = BODY
    coat = [np.array(p, float) for p in ((262, 192), (342, 192), (355, 395), (355, 420), (244, 420))]
    sleeve = around(j["leftShoulder"], j["leftWrist"], 12, 12)
    body = polygon(union_outline([coat, sleeve])) + over
    return character_in("shape", rigged_svg(body=body, skeleton=skeleton_group(body_joints())))


def left_arm_share(character: Illustration, points: np.ndarray) -> np.ndarray:
    """(n,) the weight each point gives the left arm's bones."""
    b = character.binding
    arm = [i for i, (a, c) in enumerate(character.skeleton.bone_joints)
           if {KEYPOINT_NAMES[a], KEYPOINT_NAMES[c]} <= {"leftShoulder", "leftElbow", "leftWrist"}]
    return np.array([b.weight[(b.pair_point == p) & np.isin(b.pair_bone, arm)].sum() for p in points])


def test_a_crease_stroked_over_a_coat_parts_its_sleeve_from_it():
    """The line down the sleeve's inner edge is the only boundary between sleeve and coat:
    the way inside the path does not cross it, so the cuff is the arm's and the hem beside it
    the coat's. A later closed outline (a pocket across the seam) is no wall."""
    crease = '<path d="M335,250 L354.5,393" fill="none" stroke="#000" stroke-width="1.5"/>'
    pocket = ('<path d="M330,330 L360,330 L360,360 L330,360 Z" fill="none" stroke="#000" '
              'stroke-width="1.5"/>')
    shares = {}
    for name, over in (("plain", ""), ("crease", crease), ("pocket", pocket)):
        character = coat_with_its_sleeve(over)
        anchors = shape_points(character, 0)[::3]
        rest = character.rest_points[anchors]
        cuff = (rest[:, 1] > 375) & (rest[:, 0] > 358)
        hem = (rest[:, 1] > 400) & (rest[:, 0] > 330)
        assert cuff.sum() >= 5 and hem.sum() >= 5
        share = left_arm_share(character, anchors)
        shares[name] = share
        if name == "crease":
            assert (share[cuff] > 0.99).all() and (share[hem] < 0.01).all(), (share[cuff], share[hem])
        else:  # without a wall they blend across the seam (0.64-0.76 and up to 0.38)
            assert (share[cuff] < 0.9).all() and share[hem].max() > 0.2
    np.testing.assert_array_equal(shares["pocket"], shares["plain"])


def test_a_forearm_across_the_torso_in_one_path_with_the_shoulders_is_the_arms(monkeypatch):
    """Shoulders, upper arm and a forearm folded across the chest drawn as one path (skin above
    a dress, as the bride of the corpus): the torso's side bone only crosses the forearm, in the
    middle of the bone, so it starts no way there and the hand is the arm's. Started along its
    whole length, as before, it took half of the forearm."""
    import poseanim.inside_distance

    j = body_joints()
    j["leftWrist"] = np.array([296.0, 300.0])
    chest = [np.array(p, float) for p in ((258, 188), (344, 188), (344, 232), (258, 232))]
    arm = around(j["leftShoulder"], j["leftElbow"], 12, 6), around(j["leftElbow"], j["leftWrist"], 11, 6)
    svg = rigged_svg(body=polygon(union_outline([chest, *arm])), skeleton=skeleton_group(j))
    shares = []
    for whole_bone in (False, True):
        if whole_bone:
            monkeypatch.setattr(poseanim.inside_distance, "seed_pieces",
                                lambda mask, scale, offset, bone: bone[None])
        character = character_in("shape", svg)
        anchors = shape_points(character, 0)[::3]
        hand = np.linalg.norm(character.rest_points[anchors] - j["leftWrist"], axis=1) < 40
        assert hand.sum() >= 10
        shares.append(left_arm_share(character, anchors)[hand])
    assert shares[0].min() > 0.9, shares[0]
    assert shares[1].min() < 0.5, shares[1]


def test_a_hand_past_the_wrist_beside_the_thigh_is_the_arms_alone(monkeypatch):
    """A figure without hand joints, its hand drawn below the wrist beside the thigh: as near
    the thigh bone as the forearm, but past the forearm's free end (the wrist), so the arm's
    alone. Without that rule it took the leg too and streaked from hip to hand, arms up."""
    import poseanim.skinning

    j = BODY
    torso = polygon([(262, 192), (338, 192), (336, 408), (264, 408)])
    arm = polygon(around(j["leftShoulder"], j["leftWrist"], 11, 12))
    legs = "".join(polygon(around(j[f"{s}Hip"], j[f"{s}Ankle"], 12, 12)) for s in ("left", "right"))
    turn = np.linspace(0, 2 * np.pi, 16, endpoint=False)
    hand = polygon(np.stack([358 + 12 * np.cos(turn), 415 + 17 * np.sin(turn)], axis=1))
    svg = rigged_svg(body=legs + torso + arm + hand, skeleton=skeleton_group(body_joints()))
    names = []
    for rule in (True, False):
        if not rule:
            monkeypatch.setattr(poseanim.skinning, "free_end_nearest",
                                lambda fraction, joint_of, face: np.zeros(fraction.shape, bool))
        character = character_in("shape", svg)
        names.append(set().union(*(bone_names(character, p) for p in shape_points(character, 4))))
    assert names[0] == {"leftElbow", "leftWrist"}
    assert {"leftHip", "leftKnee"} <= names[1]


def test_one_path_over_both_legs_splits_between_the_legs():
    character = hugging_figure("shape")
    trousers = shape_points(character, 3)
    legs = {side: {f"{side}Hip", f"{side}Knee", f"{side}Ankle"} for side in ("left", "right")}
    below_crotch = character.rest_points[trousers, 1] > 520
    for point, low in zip(trousers, below_crotch):
        names = bone_names(character, point)
        assert "leftShoulder" not in names and "rightShoulder" not in names  # never the chest
        if low:
            x = character.rest_points[point, 0]
            side = "left" if x > 300 else "right"
            assert names <= legs[side], (point, names)


def test_a_joint_blends_smoothly_over_a_width_proportional_to_the_limb():
    j = body_joints()
    sleeve = polygon(around(j["leftShoulder"], j["leftWrist"], 10, 60))
    svg = rigged_svg(body=sleeve, skeleton=skeleton_group(j))
    character = character_in("shape", svg)
    b = character.binding
    forearm = next(i for i, (a, c) in enumerate(character.skeleton.bone_joints)
                   if {KEYPOINT_NAMES[a], KEYPOINT_NAMES[c]} == {"leftElbow", "leftWrist"})
    anchors = np.arange(0, 61 * 3 + 1, 3)[:61]  # one long side of the outline, shoulder to wrist
    share = np.array([b.weight[(b.pair_point == p) & (b.pair_bone == forearm)].sum()
                      for p in anchors])
    assert share[0] == 0 and share[-1] == 1
    assert np.abs(np.diff(share)).max() < 0.12  # no seam: neighbours differ little
    blended = ((share > 0.05) & (share < 0.95)).sum()
    assert 4 <= blended <= 30  # a blend zone a fraction of the limb long, not the whole arm


def silhouette_behind(polygons: list[list[np.ndarray]], rim: int) -> str:
    """A black path of the polygons' union widened by `rim`, its outline a point every 8 units:
    the backing some artists draw first under the garments, to show as their outline."""
    import cv2

    mask = np.zeros((800, 600), np.uint8)
    for points in polygons:
        cv2.fillPoly(mask, [np.round(np.asarray(points, float)).astype(np.int32)], (1,))
    mask = cv2.dilate(mask, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * rim + 1,) * 2))
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    outline = max(contours, key=cv2.contourArea)[:, 0][::8]
    return polygon(outline).replace("#48c", "#000")


def test_a_silhouette_drawn_behind_the_garments_keeps_to_their_edges():
    """Its rim along a raised arm goes up with the arm, and where it borders the torso it stays."""
    j = BODY
    garments = [[np.array(p, float) for p in ((262, 192), (338, 192), (336, 408), (264, 408))]]
    garments += [around(j[f"{s}Shoulder"], j[f"{s}Wrist"], 11, 12) for s in ("left", "right")]
    body = silhouette_behind(garments, 3) + "".join(polygon(points) for points in garments)
    character = character_in("shape", rigged_svg(body=body, skeleton=skeleton_group(body_joints())))
    pose, turn, pivot = raised_arm_pose(character, np.radians(-150))
    posed = character.pose(pose).points
    backing = shape_points(character, 0)
    rest = character.rest_points[backing]
    outer_rim = (rest[:, 0] > 352) & (rest[:, 1] > 230) & (rest[:, 1] < 380)  # the arm's far side
    carried = pivot + turn * (rest[outer_rim, 0] + 1j * rest[outer_rim, 1] - pivot)
    assert outer_rim.sum() >= 10
    np.testing.assert_allclose(posed[backing][outer_rim], np.stack([carried.real, carried.imag], 1),
                               atol=1e-3)  # as the arm over it (the binding before: 60 units off)
    other_side = rest[:, 0] < 255  # the rim of the arm and torso that did not move
    np.testing.assert_allclose(posed[backing][other_side], rest[other_side], atol=1e-6)


def spread_legs_pose(character: Illustration, angle: float) -> Pose:
    """Each leg swung rigidly outwards about its hip by `angle` (a star's legs)."""
    rest = character.rest_pose()
    positions = rest.positions.copy()
    for side, sign in (("left", 1), ("right", -1)):
        hip = complex(*positions[KEYPOINT_INDEX[f"{side}Hip"]])
        for joint in ("Knee", "Ankle"):
            z = hip + np.exp(-1j * sign * angle) * (complex(*positions[KEYPOINT_INDEX[side + joint]])
                                                    - hip)
            positions[KEYPOINT_INDEX[side + joint]] = z.real, z.imag
    return Pose(positions, rest.scores, rest.image_size)


def dressed_figure(mode: str, legs_in_the_dress: bool = False) -> Illustration:
    """Legs drawn under a dress that flares from the shoulders to below the knees, or (with
    `legs_in_the_dress`) one path for the dress and the two legs below its hem."""
    j = BODY
    legs = "".join(polygon(around(j[f"{s}Hip"], j[f"{s}Ankle"], 12, 12)) for s in ("left", "right"))
    hem = [(372, 600), (228, 600)]
    if legs_in_the_dress:
        hem = [(372, 600), (350, 600), (350, 700), (326, 700), (326, 600), (274, 600),
               (274, 700), (250, 700), (250, 600), (228, 600)]
    dress = polygon([(262, 192), (338, 192), (346, 400), *hem, (254, 400)])
    body = dress if legs_in_the_dress else legs + dress
    return character_in(mode, rigged_svg(body=body, skeleton=skeleton_group(body_joints())))


def test_a_dress_hangs_from_the_hips_when_the_legs_spread():
    """In a star, the legs come out from under the dress; the dress does not tent along them."""
    widths = {}
    for mode in ("shape", "pa"):
        character = dressed_figure(mode)
        dress = shape_points(character, 2)
        hem = dress[character.rest_points[dress, 1] > 590]
        posed = character.pose(spread_legs_pose(character, np.radians(35))).points
        widths[mode] = np.ptp(posed[hem, 0]) / np.ptp(character.rest_points[hem, 0])
        legs = np.concatenate([shape_points(character, 0), shape_points(character, 1)])
        ankles = legs[character.rest_points[legs, 1] > 650]
        moved = np.abs(posed[ankles, 0] - character.rest_points[ankles, 0])
        assert moved.min() > 100, mode  # the legs themselves swing out with their bones
    assert widths["shape"] < 1.4, widths  # the dress flares a little, centred on the hips
    assert widths["pa"] > 1.8, widths  # split between the legs, it tents


def test_legs_drawn_in_a_dress_path_below_its_hem_follow_their_own_leg():
    character = dressed_figure("shape", legs_in_the_dress=True)
    points = shape_points(character, 0)
    legs = {side: {f"{side}Hip", f"{side}Knee", f"{side}Ankle"} for side in ("left", "right")}
    below = points[character.rest_points[points, 1] > 640]
    assert len(below) >= 8
    for point in below:
        side = "left" if character.rest_points[point, 0] > 300 else "right"
        assert bone_names(character, point) <= legs[side], point
    skirt = points[character.rest_points[points, 1] == 600]
    assert all(bone_names(character, p) & legs["left"] and bone_names(character, p) & legs["right"]
               for p in skirt)  # the hem follows both legs: their mean


# --- Pose Animator's exact behaviour (`pa`) ------------------------------------------------

def bent_elbow_pose(character: Illustration) -> Pose:
    rest = character.rest_pose()
    positions = rest.positions.copy()
    elbow = positions[KEYPOINT_INDEX["leftElbow"]]
    wrist = positions[KEYPOINT_INDEX["leftWrist"]]
    positions[KEYPOINT_INDEX["leftWrist"]] = elbow + (wrist - elbow) @ np.array([[0, 1], [-1, 0]])
    return Pose(positions, rest.scores, rest.image_size)


def test_pa_keeps_straight_segments_straight():
    j = body_joints()
    svg = rigged_svg(body=polygon(around(j["leftShoulder"], j["leftWrist"], 10, 2)),
                     skeleton=skeleton_group(j))
    for mode in SKINNING_MODES:
        character = character_in(mode, svg)
        points = character.pose(bent_elbow_pose(character)).points
        start, stop, _ = character.subpath_ranges[0][0]
        segments = points[start:stop]
        starts, handles1, handles2, ends = (segments[0:-1:3], segments[1::3], segments[2::3],
                                            segments[3::3])
        zero_length = np.allclose(handles1, starts) and np.allclose(handles2, ends)
        assert zero_length == (mode == "pa")


def test_pa_weighs_a_handle_over_its_anchor_group():
    j = body_joints()
    # a hand-sized blob at the wrist whose outgoing handle reaches over to the torso's side
    x, y = j["leftWrist"]
    blob = (f'<path d="M{x:.1f},{y - 12:.1f} C{x - 60:.1f},{y - 12:.1f} {x - 60:.1f},{y + 12:.1f} '
            f'{x:.1f},{y + 12:.1f} C{x + 15:.1f},{y + 12:.1f} {x + 15:.1f},{y - 12:.1f} '
            f'{x:.1f},{y - 12:.1f} Z" fill="#c84"/>')
    character = character_in("pa", rigged_svg(body=blob, skeleton=skeleton_group(j)))
    arm = {"leftShoulder", "leftElbow", "leftWrist"}
    assert all(bone_names(character, p) <= arm for p in range(len(character.rest_points)))


def test_pa_keeps_stroke_widths_and_shape_scales_them():
    for mode, expected in (("pa", 1.0), ("shape", 2.0)):
        character = character_in(mode)
        frame = character.pose(similarity_pose(character.rest_pose(), 2.0, 0j))
        np.testing.assert_allclose(frame.stroke_scale, expected)


def test_pa_face_lost_scale_is_the_rebuilt_faces():
    """Ears twice as far apart as the jaw points: the rebuilt face, and its scale, double."""
    character = character_in("pa")
    rest = character.rest_pose()
    positions, scores = rest.positions.copy(), rest.scores.copy()
    left, right = positions[KEYPOINT_INDEX["leftJaw2"]], positions[KEYPOINT_INDEX["rightJaw2"]]
    middle = (left + right) / 2
    positions[KEYPOINT_INDEX["leftEar"]] = middle + 2 * (left - middle)
    positions[KEYPOINT_INDEX["rightEar"]] = middle + 2 * (right - middle)
    scores[[KEYPOINT_INDEX["leftEar"], KEYPOINT_INDEX["rightEar"]]] = 1.0
    face = np.array([i for i in range(len(KEYPOINT_NAMES)) if 12 <= i < 85])
    positions[face], scores[face] = np.nan, 0.0
    frame = character.pose(Pose(positions, scores, rest.image_size))
    head = len(character.shapes) - 3  # limb_shapes: the head ellipse, then two eyes
    rows = shape_points(character, head)
    rest_size = np.ptp(character.rest_points[rows], axis=0)
    np.testing.assert_allclose(np.ptp(frame.points[rows], axis=0), 2 * rest_size, rtol=1e-6)


# --- torn and stray ink, judged on painted pixels ------------------------------------------

QUALITY_POSES = ("arms up", "arms crossed", "squat", "star")


@pytest.mark.parametrize("name", first_fast("ada", "bolt", "mira"))
def test_the_default_binding_tears_no_ink_and_is_no_worse_than_pose_animators(name):
    """issue 10's quality measure (`rigging.quality`) on our characters in hard poses: the
    default passes every check, and it flings no more ink from the bones than `pa` does."""
    from poseanim.illustration import load_illustration
    from poseanim.rig.tables import JOINT_NAMES
    from poseanim.rigging.quality import pose_quality
    from poseanim.rigging.sample_poses import pose_named

    characters = {mode: load_illustration(name, skinning=mode) for mode in SKINNING_MODES}
    rest = characters["shape"].rest_joints
    joints = {n: rest[i] for i, n in enumerate(JOINT_NAMES) if np.isfinite(rest[i]).all()}
    for pose_name in QUALITY_POSES:
        pose = pose_named(pose_name, joints, (600, 900))
        shape, pa = (pose_quality(characters[mode], pose) for mode in ("shape", "pa"))
        assert shape.acceptable, (pose_name, shape.problems)
        assert shape.far_share <= pa.far_share + 0.005, (pose_name, shape.far_share, pa.far_share)
        assert shape.sliver_share <= pa.sliver_share + 0.01, (pose_name, shape, pa)


@pytest.mark.parametrize("stroke", [
    'stroke-width="1e300"',  # 1e300 pixels of the silhouette: no C integer
    'stroke-width="1.7e308"',  # times the silhouette's 1.3 pixels a unit: infinite
])
def test_a_stroke_wider_than_any_picture_binds_as_one_covering_the_silhouette(stroke):
    """Fuzz cases 13:23875 and 13:57054: the silhouette raster took such a width to OpenCV."""
    body = limb_shapes().replace('stroke-width="2"', stroke, 1)
    character = character_in("shape", rigged_svg(body))
    assert np.isfinite(character.binding.weight).all()
    frame = character.pose(character.rest_pose())
    np.testing.assert_allclose(frame.points, character.rest_points, atol=1e-9)
