"""A hand seen from its other side is drawn mirrored (poseanim/hand_mirror.py), not twisted."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import DATA
from poseanim.geometry import as_complex, as_points
from poseanim.hand_mirror import palm_sides, turned_over
from poseanim.illustration import load_illustration
from poseanim.pose import Pose
from poseanim.rig.tables import KEYPOINT_INDEX, hand_joints
from poseanim.skinning import deform, region_scales
from poseanim.tracking.track_file import load_track


@pytest.fixture(scope="module")
def ada():
    return load_illustration("ada")


def reflected(points: np.ndarray, origin: np.ndarray, through: np.ndarray) -> np.ndarray:
    """(n, 2) points reflected across the line from `origin` through `through`."""
    axis = as_complex(through - origin)
    axis /= abs(axis)
    z = as_complex(points - origin)
    return origin + as_points(axis ** 2 * np.conj(z))


def test_a_hand_turned_over_is_the_drawn_hand_mirrored(ada):
    """The rest pose with the left hand's fingers reflected across its axis is that hand seen
    from its other side: the drawn hand comes out as its mirror image, every point bound to no
    bone of the hand as drawn (skinning alone would twist the palm about the wrist)."""
    rest = ada.rest_pose()
    wrist, middle = (rest.positions[KEYPOINT_INDEX[f"left{name}"]] for name in ("Wrist", "Middle1"))
    rows = [KEYPOINT_INDEX[name] for name in hand_joints("left")]
    positions = rest.positions.copy()
    positions[rows] = reflected(positions[rows], wrist, middle)
    frame = ada.pose(Pose(positions, rest.scores, rest.image_size))
    (left,) = [points for points, palm in zip(ada._hand_mirror.points, ada._hand_mirror.palm)
               if palm[0] == KEYPOINT_INDEX["leftWrist"]]
    assert left.size > 100  # Ada's palm, thumb and four fingers
    np.testing.assert_allclose(frame.points[left], reflected(ada.rest_points[left], wrist, middle),
                               atol=1e-6)
    on_hand = np.isin(ada.skeleton.bone_joints, [KEYPOINT_INDEX["leftWrist"], *rows]).all(axis=1)
    touched = np.unique(ada.binding.pair_point[on_hand[ada.binding.pair_bone]])
    others = np.setdiff1d(np.arange(len(ada.rest_points)), touched)
    np.testing.assert_allclose(frame.points[others], ada.rest_points[others], atol=1e-6)


def test_only_whole_shapes_on_the_hand_turn_over(ada):
    """A point that turns over is bound to its hand's bones alone (a cuff or a sleeve bound to
    the forearm too keeps its side), and so is every other point of its shape."""
    bones, binding = ada.skeleton.bone_joints, ada.binding
    for palm, points, fingers in zip(ada._hand_mirror.palm, ada._hand_mirror.points,
                                     ada._hand_mirror.fingers):
        hand = np.isin(bones, np.concatenate([palm[:1], fingers])).all(axis=1)
        pairs = np.isin(binding.pair_point, points)
        assert hand[binding.pair_bone[pairs]].all()
        shapes = np.unique(ada.point_shape[points])
        assert np.isin(np.flatnonzero(np.isin(ada.point_shape, shapes)), points).all()


def test_the_drawn_way_round_costs_nothing(ada):
    assert turned_over(ada._hand_mirror, ada.rest_joints) is None


def test_the_recorded_wave_is_the_other_side_of_adas_hand(ada):
    """Ada's hands are drawn hanging, seen from the back; the tracked wave shows its palm: the
    palm fans the other way round, so the hand is drawn mirrored."""
    wave = load_track(DATA / "gestures" / "wave.json").frames[0]
    frame = ada.pose(wave)
    palm = ada._hand_mirror.palm
    assert (palm_sides(frame.joints, palm) != palm_sides(ada.rest_joints, palm)).any()
    assert turned_over(ada._hand_mirror, frame.joints) is not None


@pytest.mark.parametrize("name", ["wave", "open_palms", "point", "fist"])  # Ada's other side
def test_a_turned_over_hand_is_posed_on_its_own_points_as_by_the_whole_binding(ada, name):
    """The turned-over hand is posed a second time by the binding of its own points alone, not
    the whole drawing's: every point of the frame is where posing the whole binding on the
    mirrored joints and keeping that hand's points put it (the products are the same rows, in
    float32, over fewer columns: equal here bit for bit)."""
    frame = ada.pose(load_track(DATA / "gestures" / f"{name}.json").frames[0])
    mirror = ada._hand_mirror
    turned = turned_over(mirror, frame.joints)
    assert turned is not None
    scales = region_scales(ada.skeleton, frame.joints)
    expected = deform(ada.binding, ada.skeleton, frame.joints, scales)
    whole = deform(ada.binding, ada.skeleton, turned.joints, scales)
    for hand, (origin, direction) in zip(turned.hands, turned.axes):
        rows = mirror.points[hand]
        assert mirror.bindings[hand].point_count == rows.size < ada.binding.point_count // 4
        z = as_complex(whole[rows]) - origin
        expected[rows] = as_points(origin + direction ** 2 * np.conj(z))
    np.testing.assert_allclose(frame.points, expected, rtol=0, atol=1e-4)


def test_a_turned_over_hand_paints_its_parts_the_other_way_round(ada):
    """Seen from its other side, the thumb the drawing tucks under Ada's palm is painted over
    it (the recorded wave curls it across the palm); the line drawn on the palm stays on it, and
    every shape off that hand keeps its place."""
    wave = load_track(DATA / "gestures" / "wave.json").frames[0]
    frame = ada.pose(wave)
    layered = ada._layering.order(wave.depth, wave.positions)  # an arm in front of the body
    drawn = np.arange(len(ada.shapes)) if layered is None else layered
    (hand,) = turned_over(ada._hand_mirror, frame.joints).hands
    shapes = ada._hand_mirror.shapes[hand]
    painted = list(frame.paint_order())
    filled = np.array([ada.shapes[shape].style.get("fill") != "none" for shape in shapes])
    palm_bones = [("leftWrist", f"left{finger}1") for finger in ("Index", "Middle", "Ring", "Pinky")]
    palm, line = (shape_most_on(ada, shapes[kind], palm_bones) for kind in (filled, ~filled))
    thumb = shape_most_on(ada, shapes, [(f"leftThumb{k}", f"leftThumb{k + 1}") for k in (1, 2, 3)])
    assert list(drawn).index(thumb) < list(drawn).index(palm)
    assert painted.index(thumb) > painted.index(palm)
    assert line != palm and painted.index(line) == painted.index(palm) + 1
    off_hand = ~np.isin(drawn, shapes)
    np.testing.assert_array_equal(np.asarray(painted)[off_hand], drawn[off_hand])


def shape_most_on(character, shapes: np.ndarray, bones: list[tuple[str, str]]) -> int:
    """Of `shapes`, the one whose points weigh most, on average, on the bones named (joint
    pairs)."""
    ends = {tuple(sorted(KEYPOINT_INDEX[name] for name in pair)) for pair in bones}
    chosen = np.array([tuple(sorted(pair)) in ends for pair in character.skeleton.bone_joints])
    binding = character.binding
    pairs = chosen[binding.pair_bone]
    weight = np.bincount(character.point_shape[binding.pair_point[pairs]], binding.weight[pairs],
                         len(character.shapes))
    counts = np.bincount(character.point_shape, minlength=len(character.shapes))
    return int(shapes[np.argmax((weight / np.maximum(counts, 1))[shapes])])
