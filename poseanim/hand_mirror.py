"""A hand seen from its other side: drawn mirrored, instead of twisted.

A drawing shows each hand from one side (its back, say, with the thumb left of the fingers). A
tracked hand turned over shows the other side, and in the picture its thumb is then on the other
side of its fingers: the palm's bones fan out the other way round. Skinning can only turn and
stretch the drawn hand, never turn it over, so it twists the palm into a bow tie about the
wrist and hooks the thumb back across it (every bundled character's wave, point and fist did).
What a 2D animator does is swap in the hand drawn from the other side; the drawn hand mirrored
about its own axis stands in for that drawing: the hand is posed on its joints reflected across
the line from the wrist through the middle finger's base (which fan the drawn way round again),
and the posed points are reflected back.

Which way round a hand is: the sign of the turn from the wrist→index-base bone to the
wrist→little-finger-base bone. Only shapes drawn wholly on one hand turn over with it (every
point bound to that hand's bones alone); a sleeve or a mitten joined to the forearm keeps its
side, as a mirrored half would tear from the rest.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from poseanim.geometry import as_complex, as_points, turn_signs
from poseanim.rig.tables import KEYPOINT_INDEX, hand_joints
from poseanim.skinning import Binding, Skeleton, binding_of_points, deform

PALM_JOINTS = ("Wrist", "Index1", "Pinky1", "Middle1")
"""Per hand, the joints its side and its axis are read from."""


@dataclass(frozen=True)
class HandMirror:
    """The hands that can be drawn mirrored, as bound.

    palm: (H, 4) int the rows of each hand's `PALM_JOINTS` among the posed joints; fingers:
    (H, 20) int the rows of its finger joints (reflected with it); rest_side: (H,) the sign of
    its palm's turn at rest (+1 or -1); points: per hand, (n,) int the control points that turn
    over with it; bindings: per hand, the binding of those points alone (`binding_of_points`),
    so that posing the hand turned over costs its own points, not the whole drawing's; shapes:
    per hand, (k,) int the shapes of those points, ascending; turned_rank: per hand, (k,) int
    where each of them is painted among them when the hand is seen from its other side
    (`turned_paint_ranks`).
    """

    palm: np.ndarray
    fingers: np.ndarray
    rest_side: np.ndarray
    points: tuple[np.ndarray, ...]
    bindings: tuple[Binding, ...]
    shapes: tuple[np.ndarray, ...]
    turned_rank: tuple[np.ndarray, ...]

    @property
    def empty(self) -> bool:
        return not self.points


def no_hand_mirror() -> HandMirror:
    """No hand turns over (`pa` skinning, drawings without hands)."""
    none = np.zeros((0, 4), dtype=np.intp)
    return HandMirror(none, np.zeros((0, 20), dtype=np.intp), np.zeros(0), (), (), (), ())


def hand_mirror(skeleton: Skeleton, binding: Binding, point_shape: np.ndarray) -> HandMirror:
    """The hands of a binding that can turn over, with the points drawn on them.

    point_shape: (N,) each control point's shape. A hand takes part when its palm joints are
    drawn apart (a side) and some whole shape lies on it."""
    rest_joints, bone_joints = skeleton.rest_joints, skeleton.bone_joints
    pair_point, pair_bone = binding.pair_point, binding.pair_bone
    count = len(point_shape)
    palms, fingers, sides, points, parts = [], [], [], [], []
    for side in ("left", "right"):
        palm = np.array([KEYPOINT_INDEX[f"{side}{name}"] for name in PALM_JOINTS])
        finger = np.array([KEYPOINT_INDEX[name] for name in hand_joints(side)])
        if palm.max() >= len(rest_joints) or not np.isfinite(rest_joints[palm]).all():
            continue
        turn = palm_sides(rest_joints, palm[None])[0]
        hand = np.isin(bone_joints, np.concatenate([palm[:1], finger])).all(axis=1)
        off_hand = np.bincount(pair_point, ~hand[pair_bone], count) > 0
        on_hand = np.bincount(pair_point, hand[pair_bone], count) > 0
        whole = np.bincount(point_shape, off_hand, point_shape.max(initial=-1) + 1) == 0
        rows = np.flatnonzero(on_hand & whole[point_shape])
        if turn != 0 and rows.size:
            palms.append(palm)
            fingers.append(finger)
            sides.append(turn)
            points.append(rows)
            parts.append(turned_paint_ranks(binding, bone_joints, finger, point_shape, rows))
    if not points:
        return no_hand_mirror()
    return HandMirror(np.array(palms), np.array(fingers), np.array(sides, dtype=float),
                      tuple(points), tuple(binding_of_points(binding, skeleton, rows)
                                           for rows in points),
                      tuple(np.unique(point_shape[rows]) for rows in points), tuple(parts))


def turned_paint_ranks(binding: Binding, bone_joints: np.ndarray, finger: np.ndarray,
                       point_shape: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """(k,) where each shape of the points `rows` (ascending) is painted among them when their
    hand is seen from its other side: the hand's parts (each finger, thumb first, and the
    palm) the other way round, so that what the drawing tucks under the palm (a thumb or
    fingers curled across it) lies on top of it. A part is painted where its largest shape is,
    and its own shapes keep their order, so what is drawn on a finger or on the palm (a nail,
    a light, a line) stays on it. A shape is on the part its points weigh most on: a bone
    joining two joints of one finger is that finger's, any other bone of the hand (wrist to a
    finger's base) the palm's."""
    finger_of = np.full(max(int(bone_joints.max(initial=0)), int(finger.max())) + 1, -1)
    finger_of[finger] = np.arange(finger.size) // 4
    ends = finger_of[bone_joints]
    part = np.where((ends[:, 0] == ends[:, 1]) & (ends[:, 0] >= 0), ends[:, 0], 5)
    shapes = np.unique(point_shape[rows])
    pairs = np.isin(binding.pair_point, rows)
    share = np.zeros((shapes.size, 6))
    np.add.at(share, (np.searchsorted(shapes, point_shape[binding.pair_point[pairs]]),
                      part[binding.pair_bone[pairs]]), binding.weight[pairs])
    part = share.argmax(axis=1)
    size = np.bincount(point_shape[rows], minlength=shapes.max() + 1)[shapes]
    place = np.zeros(6)
    for index in np.argsort(size, kind="stable"):  # each part where its largest shape is
        place[part[index]] = index
    order = np.lexsort((np.arange(shapes.size), -place[part]))
    rank = np.empty(shapes.size, dtype=np.intp)
    rank[order] = np.arange(shapes.size)
    return rank


def palm_sides(joints: np.ndarray, palm: np.ndarray) -> np.ndarray:
    """(H,) the sign of each palm's turn from wrist→index base to wrist→little finger base
    (0 where they lie in line or are not finite). joints: (J, 2); palm: (H, 4) rows."""
    z = as_complex(joints[palm])
    return np.nan_to_num(turn_signs(z[:, 1] - z[:, 0], z[:, 2] - z[:, 0]))


@dataclass(frozen=True)
class TurnedOver:
    """The hands turned over in one pose: `joints` is the pose with their fingers reflected
    across each hand's axis; `back` poses their points on it and reflects them to where they
    belong."""

    joints: np.ndarray
    hands: np.ndarray
    axes: tuple[tuple[complex, complex], ...]

    def back(self, mirror: HandMirror, skeleton: Skeleton, scales: tuple[float, float],
             posed: np.ndarray) -> np.ndarray:
        """`posed` (N, 2) with each turned-over hand's points posed on `joints` (by its own
        binding, `HandMirror.bindings`) and reflected back across its axis; scales: the
        frame's (body, face) scales."""
        out = posed.copy()
        for hand, (origin, direction) in zip(self.hands, self.axes):
            mirrored = deform(mirror.bindings[hand], skeleton, self.joints, scales)
            out[mirror.points[hand]] = as_points(_reflect(as_complex(mirrored), origin, direction))
        return out

    def paint_order(self, mirror: HandMirror, order: np.ndarray | None, count: int) -> np.ndarray:
        """The paint order (`order`, None: the drawing's, of `count` shapes) with each
        turned-over hand's own shapes in their order seen from its other side
        (`turned_paint_ranks`), in the places they are painted at; other shapes keep theirs."""
        painted = np.arange(count) if order is None else order.copy()
        for hand in self.hands:
            places = np.flatnonzero(np.isin(painted, mirror.shapes[hand]))
            rank = mirror.turned_rank[hand][np.searchsorted(mirror.shapes[hand], painted[places])]
            painted[places] = painted[places][np.argsort(rank)]
        return painted


def turned_over(mirror: HandMirror, joints: np.ndarray) -> TurnedOver | None:
    """The hands of `mirror` whose palm fans the other way round than drawn, in the posed
    joints (J, 2); None when every hand is the drawn way round (the usual case: no cost)."""
    if mirror.empty:
        return None
    hands = np.flatnonzero(palm_sides(joints, mirror.palm) == -mirror.rest_side)
    if not hands.size:
        return None
    reflected = joints.copy()
    axes = []
    for hand in hands:
        wrist, middle = as_complex(joints[mirror.palm[hand, [0, 3]]])
        direction = (middle - wrist) / max(abs(middle - wrist), 1e-12)
        rows = mirror.fingers[hand]
        reflected[rows] = as_points(_reflect(as_complex(joints[rows]), wrist, direction))
        axes.append((complex(wrist), complex(direction)))
    return TurnedOver(reflected, hands, tuple(axes))


def _reflect(z: np.ndarray, origin: complex, direction: complex) -> np.ndarray:
    """Complex points reflected across the line through `origin` along unit `direction`."""
    return origin + direction ** 2 * np.conj(z - origin)
