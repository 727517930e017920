"""An automatic judge of a posed character: does it still look like the drawing, moved?

Rigs and skinning fail in a few recognisable ways: the frame comes out blank or NaN, ink is
flung far from every bone (a shape bound to the wrong limb), the drawing's area blows up or
shrinks (a head ballooning, limbs stretched), shapes collapse into slivers (folded over a
joint) or are pulled out of shape (a torso edge dragged along a raised arm), a limb's bone
moves without its drawn limb (the bone never lay on it, or the drawing stayed behind), or a
part comes loose from the figure (a hand ball left in the air beside its arm). Each is
measured on pixels painted by the real painter, the posed frame against the rest frame at the
same scale, so the numbers mean the same for every drawing. Thresholds were set by looking at the
pictures of the third-party corpus (`benchmarks/bench_art.py`).

One measure for the whole project: auto-rig, the corpus benchmark and the skinning tests all
judge frames with `frame_quality`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from poseanim.errors import PoseanimError
from poseanim.illustration import Illustration, PosedFrame, stroke_width
from poseanim.pose import Pose
from poseanim.rig.tables import KEYPOINT_INDEX

RASTER_SIDE = 320
"""Pixels of the larger side of the box both frames are painted into."""
INK_ALPHA = 32
"""A pixel whose alpha exceeds this (of 255) is ink."""
MIN_INK_SHARE = 0.2
"""Posed ink under this share of the rest ink is a blank frame."""
AREA_RANGE = (0.6, 1.6)
"""Posed ink over rest ink outside this range is a blow-up or a collapse."""
FAR_FACTOR = 1.6
FAR_SLACK = 0.02
"""Ink is far from the bones beyond FAR_FACTOR × the rest frame's 98th-percentile distance
plus FAR_SLACK × the raster side."""
MAX_FAR_SHARE = 0.04
"""More than this share of the posed ink far from every bone is ink flung away."""
SLIVER_AREA = 0.25
SLIVER_ROUNDNESS = 0.2
"""A shape is a sliver when its area falls under SLIVER_AREA × its rest area, or its
roundness (4πA/P²) under SLIVER_ROUNDNESS × its rest roundness."""
MIN_SHAPE_SHARE = 0.002
"""Shapes smaller than this share of the drawing's area are not judged for slivers."""
MAX_SLIVER_SHARE = 0.05
"""More than this share of the drawing's area in slivers is a visible fault."""
STRETCH_RANGE = (0.7, 1.35)
"""A shape whose outline length changes by more than this (posed over rest) is pulled out of
shape: a torso edge dragged along a raised arm, a skirt spread into a tent. (A pictogram's leg
shortened to 0.72 by the squat's foreshortened thighs looks right: woman01.)"""
MAX_STRETCH_SHARE = 0.08
"""More than this share of the drawing's area in stretched shapes is a visible fault."""
LIMB_BONES = {
    "left upper arm": ("leftShoulder", "leftElbow"), "left forearm": ("leftElbow", "leftWrist"),
    "right upper arm": ("rightShoulder", "rightElbow"),
    "right forearm": ("rightElbow", "rightWrist"),
    "left thigh": ("leftHip", "leftKnee"), "left shin": ("leftKnee", "leftAnkle"),
    "right thigh": ("rightHip", "rightKnee"), "right shin": ("rightKnee", "rightAnkle"),
}
"""The limb bones whose drawn limb must follow them (by their joints' names)."""
LIMB_SPAN = (0.25, 0.95)
"""The part of a limb bone (from its root) whose drawing must follow it: not the root end,
where the body's own ink lies around a shoulder or hip."""
LIMB_BAND = 0.025
"""The drawn limb is the ink within this fraction of the raster side of its bone."""
MIN_LIMB_INK = 0.7
"""A bone with ink around it at rest along less than this share of its span does not lie on
a drawn limb (a floating hand's forearm over a gap, the arm bones of a figure drawn without
arms) and is not judged."""
LIMB_BINS = 10
MIN_FRESH = 0.3
"""Only the carried ink that lands where the rest frame had none tells whether the limb's
drawing came along (over the body, the body's own ink would answer for it); a limb with less
than this share of its ink landing there is not judged."""
MOVED = 0.05
"""A limb bone whose far joint moved by this fraction of the raster side is judged."""
MIN_FOLLOW = 0.5
"""A moved limb whose rest ink, carried rigidly along with its bone, lands on posed ink less
often than this did not take its drawing with it: the drawn arm stayed behind, or the bone
never lay on the drawn arm (a joint placed on the body or off the drawing)."""


LOOSE_GAP = 0.007
"""Pieces of ink closer than twice this fraction of the raster side are one piece. Set by
looking: at 0.004 the hairline breaks of a line-art outline at the shoulders (Rollandin's
dancer, arms up, which looks right) count as 29 % of the ink come loose; at 0.01 the hand balls
of sm_013 in the star (clearly in the air) are joined to the arm. (blueman_203's hand blobs,
2-4 px from the arm's end, pass at 0.007.)"""
MAX_LOOSE_SHARE = 0.008
"""More of the ink than this (posed, over what was already apart at rest) in pieces cut off
from the figure's main piece is a part that came loose: a hand ball or a foot left hanging in
the air beside its limb, a stroke broken at a joint."""


@dataclass(frozen=True)
class FrameQuality:
    """How one posed frame compares with the rest frame.

    ink_ratio: posed ink area over rest ink area. far_share: share of posed ink far from every
    posed bone. sliver_share: share of the drawing's rest area in shapes that collapsed.
    stretch_share: share of the drawing's rest area in shapes pulled out of shape.
    loose_share: share of the posed ink apart from the figure's main piece, over the rest's.
    problems: one sentence per fault found; empty when the frame is acceptable.
    """

    finite: bool
    ink_ratio: float
    far_share: float
    sliver_share: float
    stretch_share: float = 0.0
    problems: tuple[str, ...] = field(default=())
    loose_share: float = 0.0

    @property
    def acceptable(self) -> bool:
        """Whether the frame passes every check."""
        return not self.problems


def _painted_ink(illustration: Illustration, frames: list[PosedFrame]
                 ) -> tuple[list[np.ndarray], float, np.ndarray]:
    """Ink masks (H, W) bool of frames painted into one shared box; (masks, scale, offset)."""
    from poseanim.render.cairo_painter import CairoPainter

    points = np.concatenate([frame.points[illustration.point_shape_visible(frame.visible)]
                             for frame in frames] + [frame.joints for frame in frames])
    points = points[np.isfinite(points).all(axis=1)]
    low, high = points.min(axis=0), points.max(axis=0)
    scale = RASTER_SIDE * 0.9 / max(float((high - low).max()), 1e-9)
    offset = RASTER_SIDE / 2 - (low + high) / 2 * scale
    canvas = (0.0, 0.0, float(RASTER_SIDE), float(RASTER_SIDE))
    painter = CairoPainter(illustration, (RASTER_SIDE, RASTER_SIDE))
    masks = [painter.paint(frame.moved(scale, offset, canvas), background=None, alpha=True)[..., 3]
             > INK_ALPHA for frame in frames]
    return masks, scale, offset


def limb_follow(rest_ink: np.ndarray, posed_ink: np.ndarray, rest: np.ndarray,
                posed: np.ndarray) -> dict[str, float]:
    """Limb name → the share of the ink around its bone at rest that, carried along with the
    bone (`rest` → `posed` joints, raster pixels in KEYPOINT order), lands on posed ink. Only
    limbs whose far joint moved by MOVED and that have ink around them are given."""
    band = LIMB_BAND * RASTER_SIDE
    near = cv2.dilate(posed_ink.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
    ys, xs = np.nonzero(rest_ink)
    pixels = np.column_stack([xs, ys]).astype(float)
    follow = {}
    for limb, (root, end) in LIMB_BONES.items():
        a0, b0, a1, b1 = (joints[KEYPOINT_INDEX[name]] for joints in (rest, posed)
                          for name in (root, end))
        if not np.isfinite([a0, b0, a1, b1]).all() \
                or np.linalg.norm(b1 - b0) < MOVED * RASTER_SIDE:
            continue
        length0, length1 = np.linalg.norm(b0 - a0), np.linalg.norm(b1 - a1)
        if length0 < 1 or length1 < 1:
            continue
        along0 = (b0 - a0) / length0
        t = (pixels - a0) @ along0 / length0
        s = (pixels - a0) @ np.array([-along0[1], along0[0]])
        inside = (t >= LIMB_SPAN[0]) & (t <= LIMB_SPAN[1]) & (np.abs(s) <= band)
        bins = np.floor((t[inside] - LIMB_SPAN[0]) / (LIMB_SPAN[1] - LIMB_SPAN[0]) * LIMB_BINS)
        if len(np.unique(np.clip(bins, 0, LIMB_BINS - 1))) < MIN_LIMB_INK * LIMB_BINS:
            continue
        along1 = (b1 - a1) / length1
        carried = a1 + np.outer(t[inside] * length1, along1) \
            + np.outer(s[inside], np.array([-along1[1], along1[0]]))
        spots = np.round(carried).astype(int)
        spots = spots[((spots >= 0) & (spots < RASTER_SIDE)).all(axis=1)]
        fresh = spots[~rest_ink[spots[:, 1], spots[:, 0]]]
        if len(fresh) < MIN_FRESH * inside.sum():
            continue  # it moved over the drawing itself, where ink says nothing
        follow[limb] = float(near[fresh[:, 1], fresh[:, 0]].mean())
    return follow


def loose_ink(ink: np.ndarray) -> tuple[float, int]:
    """(share of the ink, pieces) apart from the biggest connected piece of ink; pieces closer
    than 2 × LOOSE_GAP count as one (a hairline break in line art's outline at a joint is not a
    part come loose)."""
    reach = max(1, int(round(LOOSE_GAP * RASTER_SIDE)))
    grown = cv2.dilate(ink.astype(np.uint8), np.ones((2 * reach + 1,) * 2, np.uint8))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(grown, connectivity=8)
    if count <= 2:
        return 0.0, 0
    main = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    return float((ink & (labels != main)).sum() / max(int(ink.sum()), 1)), count - 2


def _bone_distance(illustration: Illustration, joints: np.ndarray) -> np.ndarray:
    """(H, W) float32: pixels from each pixel to the nearest bone segment of `joints` (pixels)."""
    canvas = np.full((RASTER_SIDE, RASTER_SIDE), 255, np.uint8)
    for a, b in illustration.skeleton.bone_joints:
        if np.isfinite(joints[[a, b]]).all():
            (x0, y0), (x1, y1) = np.round(joints[[a, b]]).astype(int).tolist()
            cv2.line(canvas, (x0, y0), (x1, y1), (0,), 1)
    return cv2.distanceTransform(canvas, cv2.DIST_L2, 3)


def _shape_geometry(frame: PosedFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per shape (area, roundness 4πA/P², outline length) of its control polygons: enough to
    see a shape collapse or stretch, at a fraction of the cost of flattening the curves.

    Every subpath counts as closed for its area, since a fill closes an open subpath too.
    """
    illustration = frame.illustration
    areas, roundness, lengths = [], [], []
    for ranges in illustration.subpath_ranges:
        area = closed_length = length = 0.0
        for start, stop, _closed in ranges:
            polygon = frame.points[start:stop]
            length += float(np.linalg.norm(np.diff(polygon, axis=0), axis=1).sum())
            if len(polygon) > 2:
                x, y = polygon[:, 0], polygon[:, 1]
                area += abs(0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))))
                closed_length += float(np.linalg.norm(polygon - np.roll(polygon, -1, axis=0),
                                                      axis=1).sum())
        areas.append(area)
        roundness.append(4 * np.pi * area / closed_length ** 2 if closed_length > 0 else 0.0)
        lengths.append(length)
    return np.array(areas), np.array(roundness), np.array(lengths)


def _ink_weight(illustration: Illustration, area: np.ndarray, length: np.ndarray) -> np.ndarray:
    """(S,) about how much ink each shape puts down at rest: its filled area, or for a stroke
    (line art) its length times its width, whichever is more."""
    widths = np.array([stroke_width(shape) for shape in illustration.shapes])
    filled = np.array([shape.style.get("fill", "black") != "none" for shape in illustration.shapes])
    return np.maximum(np.where(filled, area, 0.0), length * widths)


def frame_quality(rest: PosedFrame, posed: PosedFrame) -> FrameQuality:
    """Judge `posed` against `rest`, both frames of one illustration in the same coordinates
    (as `Illustration.pose` gives for the rest pose and a pose built from its joints)."""
    illustration = rest.illustration
    if not (np.isfinite(posed.points).all() and np.isfinite(posed.joints).all()):
        return FrameQuality(False, 0.0, 1.0, 1.0, 1.0, ("the frame has non-finite coordinates",))
    (rest_ink, posed_ink), scale, offset = _painted_ink(illustration, [rest, posed])
    rest_count, posed_count = int(rest_ink.sum()), int(posed_ink.sum())
    problems = []
    if rest_count == 0:
        return FrameQuality(True, 0.0, 0.0, 0.0, 0.0, ("the drawing paints nothing at rest",))
    ink_ratio = posed_count / rest_count
    if ink_ratio < MIN_INK_SHARE:
        problems.append(f"the frame is nearly blank ({ink_ratio:.0%} of the drawing's ink)")
    elif not AREA_RANGE[0] <= ink_ratio <= AREA_RANGE[1]:
        problems.append(f"the drawing's area {'blew up' if ink_ratio > 1 else 'collapsed'} "
                        f"to {ink_ratio:.2f}× its rest area")
    rest_distance = _bone_distance(illustration, rest.joints * scale + offset)[rest_ink]
    posed_distance = _bone_distance(illustration, posed.joints * scale + offset)[posed_ink]
    limit = FAR_FACTOR * float(np.percentile(rest_distance, 98)) + FAR_SLACK * RASTER_SIDE
    far_share = float((posed_distance > limit).mean()) if posed_count else 0.0
    if far_share > MAX_FAR_SHARE:
        problems.append(f"{far_share:.0%} of the ink lies far from every bone")
    follow = limb_follow(rest_ink, posed_ink, rest.joints * scale + offset,
                         posed.joints * scale + offset)
    left_behind = [limb for limb, share in follow.items() if share < MIN_FOLLOW]
    if left_behind:
        limb = min(left_behind, key=follow.__getitem__)
        problems.append(f"the drawn {limb} did not follow its bone (only {follow[limb]:.0%} "
                        "of it came along)")
    (rest_loose, rest_pieces), (posed_loose, posed_pieces) = loose_ink(rest_ink), loose_ink(posed_ink)
    loose_share = max(posed_loose - rest_loose, 0.0)
    if loose_share > MAX_LOOSE_SHARE and posed_pieces > rest_pieces:
        problems.append(f"{posed_pieces - rest_pieces} piece(s) of the drawing came loose "
                        f"({loose_share:.1%} of its ink)")
    rest_area, rest_round, rest_length = _shape_geometry(rest)
    posed_area, posed_round, posed_length = _shape_geometry(posed)
    weight = _ink_weight(illustration, rest_area, rest_length)
    total = max(weight.sum(), 1e-12)
    judged = (weight > MIN_SHAPE_SHARE * total) & posed.visible
    filled = rest_area > 0.5 * weight  # area and roundness say nothing about a stroke
    collapsed = judged & filled & ((posed_area < SLIVER_AREA * rest_area)
                                   | (posed_round < SLIVER_ROUNDNESS * rest_round))
    sliver_share = float(weight[collapsed].sum() / total)
    if sliver_share > MAX_SLIVER_SHARE:
        problems.append(f"{int(collapsed.sum())} shape(s), {sliver_share:.0%} of the drawing, "
                        "collapsed into slivers")
    stretch = posed_length / np.maximum(rest_length, 1e-12)
    stretched = judged & ~collapsed & ((stretch < STRETCH_RANGE[0]) | (stretch > STRETCH_RANGE[1]))
    stretch_share = float(weight[stretched].sum() / total)
    if stretch_share > MAX_STRETCH_SHARE:
        problems.append(f"{int(stretched.sum())} shape(s), {stretch_share:.0%} of the drawing, "
                        "were pulled out of shape")
    return FrameQuality(True, ink_ratio, far_share, sliver_share, stretch_share, tuple(problems),
                        loose_share)


def pose_quality(illustration: Illustration, pose: Pose) -> FrameQuality:
    """Pose the illustration and judge the frame against its rest pose; a pose that fails
    (non-finite coordinates are refused by `Illustration.pose`) is judged not finite."""
    rest = illustration.pose(illustration.rest_pose())
    try:
        posed = illustration.pose(pose)
    except PoseanimError as error:
        return FrameQuality(False, 0.0, 1.0, 1.0, 1.0, (str(error),))
    return frame_quality(rest, posed)
