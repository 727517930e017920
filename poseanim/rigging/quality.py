"""An automatic judge of a posed character: does it still look like the drawing, moved?

Rigs and skinning fail in a few recognisable ways: the frame comes out blank or NaN, ink is
flung far from every bone (a shape bound to the wrong limb), the drawing's area blows up or
shrinks (a head ballooning, limbs stretched), shapes collapse into slivers (folded over a
joint) or are pulled out of shape (a torso edge dragged along a raised arm), a limb's bone
moves without its drawn limb (the bone never lay on it, or the drawing stayed behind), a
part comes loose from the figure (a hand ball left in the air beside its arm), a stroke
breaks and leaves a stray piece, or ink shows that no part of the drawing carried there (a
backing shape stretched into a wedge between a raised arm and the body). Each is
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
from poseanim.pose import FACE_ROWS, Pose
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
STRAY_GAP = 0.004
"""Pieces of ink closer than twice this fraction of the raster side are one piece when stray
pieces are counted: only a real break (a stroke's end left a pixel or more from the rest of
the drawing) makes a new piece."""
STRAY_SIZE = 0.02
MIN_STRAY_SHARE = 0.001
"""A piece of under STRAY_SIZE of the ink is a stray piece; more of them posed than at rest,
together over MIN_STRAY_SHARE of the ink, is a stroke broken off (blueman_203 in arms up: a
dash of its arm line left beside the shoulder, 0.25 % of the ink). Measured on the corpus
(worst frames): no figure that looks right gains a stray piece in any pose."""
CARRY_MARGIN = 0.05
"""Rest ink is carried by every bone it lies within this fraction of the raster side of
being nearest to: ink at a joint may go with either bone, and the shirt under an arm drawn
across it, nearest the arm's bone, stays with the torso too (else the arm, raised, would
bare shirt that nothing carried)."""
CARRIERS = 3
"""At most this many bones carry a pixel (the face's many bones lie within CARRY_MARGIN of
one another)."""
CARRY_REACH = 0.0125
COLOUR_BITS = 3
COLOUR_LEVELS = 2 ** COLOUR_BITS
"""Posed ink is accounted for when rest ink of about its colour (within one of COLOUR_LEVELS
steps a channel: gradients shift a little as shapes turn), carried along with its bone, lands
within CARRY_REACH of the raster side of it."""
MAX_UNCARRIED_SHARE = 0.03
"""More posed ink than this share of the rest ink not accounted for is a shape stretched
into view: nonno's black backing silhouette drawn as wedges between the raised arms and the
torso (arms up 5 %, star 14 %, walk 4 %). Figures that look right stay at 0.5 % or under, Pose
Animator's rigged files at 0.2 % (worst frames of the corpus's trial poses)."""


@dataclass(frozen=True)
class FrameQuality:
    """How one posed frame compares with the rest frame.

    ink_ratio: posed ink area over rest ink area. far_share: share of posed ink far from every
    posed bone. sliver_share: share of the drawing's rest area in shapes that collapsed.
    stretch_share: share of the drawing's rest area in shapes pulled out of shape.
    loose_share: share of the posed ink apart from the figure's main piece, over the rest's.
    stray_pieces: small pieces of ink more than at rest. uncarried_share: posed ink that no
    rest ink carried along with its bone accounts for, over the rest ink.
    problems: one sentence per fault found; empty when the frame is acceptable.
    """

    finite: bool
    ink_ratio: float
    far_share: float
    sliver_share: float
    stretch_share: float = 0.0
    problems: tuple[str, ...] = field(default=())
    loose_share: float = 0.0
    stray_pieces: int = 0
    uncarried_share: float = 0.0

    @property
    def acceptable(self) -> bool:
        """Whether the frame passes every check."""
        return not self.problems


def _painted(illustration: Illustration, frames: list[PosedFrame]
             ) -> tuple[list[np.ndarray], float, np.ndarray]:
    """Frames painted into one shared box as (H, W, 4) straight RGBA; (pictures, scale,
    offset)."""
    from poseanim.render.cairo_painter import CairoPainter

    points = np.concatenate([frame.points[illustration.point_shape_visible(frame.visible)]
                             for frame in frames] + [frame.joints for frame in frames])
    points = points[np.isfinite(points).all(axis=1)]
    low, high = points.min(axis=0), points.max(axis=0)
    scale = RASTER_SIDE * 0.9 / max(float((high - low).max()), 1e-9)
    offset = RASTER_SIDE / 2 - (low + high) / 2 * scale
    canvas = (0.0, 0.0, float(RASTER_SIDE), float(RASTER_SIDE))
    painter = CairoPainter(illustration, (RASTER_SIDE, RASTER_SIDE))
    pictures = [painter.paint(frame.moved(scale, offset, canvas), background=None, alpha=True)
                for frame in frames]
    return pictures, scale, offset


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


def stray_pieces(rest_ink: np.ndarray, posed_ink: np.ndarray) -> tuple[int, float]:
    """(pieces, share of the posed ink) of the small pieces (under STRAY_SIZE of the ink each,
    pieces closer than 2 × STRAY_GAP joined) the posed frame has more than the rest frame: a
    stroke that broke and left a piece of itself beside the figure."""
    def small(ink: np.ndarray) -> tuple[int, int]:
        reach = max(1, int(round(STRAY_GAP * RASTER_SIDE)))
        grown = cv2.dilate(ink.astype(np.uint8), np.ones((2 * reach + 1,) * 2, np.uint8))
        count, labels = cv2.connectedComponents(grown, connectivity=8)
        areas = np.bincount(labels[ink], minlength=count)[1:]
        pieces = areas[areas < STRAY_SIZE * max(int(ink.sum()), 1)]
        return len(pieces), int(pieces.sum())

    (rest_count, _), (posed_count, posed_area) = small(rest_ink), small(posed_ink)
    if posed_count <= rest_count:
        return 0, 0.0
    return posed_count - rest_count, posed_area / max(int(posed_ink.sum()), 1)


def _carried(rest: np.ndarray, posed: np.ndarray, bones: np.ndarray,
             pixels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rest `pixels` (P, 2) int carried along with the bones (B, 2) joint rows of `rest` →
    `posed` joints: each by every bone it is within CARRY_MARGIN of being nearest to, at the
    same share of the bone's length (the bone may change length) and the same offset across
    it (beyond an end, at the same distance past it). (moved (M, 2), which pixel (M,))."""
    ends = rest[bones].astype(np.float32)  # (B, 2 ends, 2)
    along = ends[:, 1] - ends[:, 0]
    dx = pixels[:, None, 0].astype(np.float32) - ends[None, :, 0, 0]  # (P, B)
    dy = pixels[:, None, 1].astype(np.float32) - ends[None, :, 0, 1]
    share = np.clip((dx * along[:, 0] + dy * along[:, 1])
                    / np.maximum((along ** 2).sum(axis=1), 1e-9), 0.0, 1.0)
    distance = np.hypot(dx - share * along[:, 0], dy - share * along[:, 1])
    nearest = (np.argpartition(distance, CARRIERS - 1, axis=1)[:, :CARRIERS]
               if len(bones) > CARRIERS else np.broadcast_to(np.arange(len(bones)), distance.shape))
    close = np.take_along_axis(distance, nearest, axis=1)
    which, slot = np.nonzero(close <= close.min(axis=1, keepdims=True) + CARRY_MARGIN * RASTER_SIDE)
    bone = nearest[which, slot]
    spot = pixels[which, 0] + 1j * pixels[which, 1]
    (start, end), (new_start, new_end) = (
        (ends_of[:, 0, 0] + 1j * ends_of[:, 0, 1], ends_of[:, 1, 0] + 1j * ends_of[:, 1, 1])
        for ends_of in (rest[bones], posed[bones]))
    length, new_length = np.abs(end - start), np.abs(new_end - new_start)  # per bone, (B,)
    unit = np.where(length > 1e-9, (end - start) / np.maximum(length, 1e-9), 1.0)
    turn = np.where(new_length > 1e-9, (new_end - new_start) / np.maximum(new_length, 1e-9), unit)
    length = np.maximum(length, 1e-9)
    local = (spot - start[bone]) / unit[bone]  # along + i·across the rest bone
    t, old, new = local.real / length[bone], length[bone], new_length[bone]
    stretched = np.where(t < 0, local.real, np.where(t > 1, new + local.real - old, t * new))
    moved = new_start[bone] + (stretched + 1j * local.imag) * turn[bone]
    return np.column_stack([moved.real, moved.imag]), which


def carrying_bones(illustration: Illustration) -> np.ndarray:
    """(B, 2) joint rows of the bones that carry ink for `uncarried_ink`: the body's (hands and
    feet included), and the face as one bone from the top of the head to the chin, since the
    trial poses carry the face whole and its many bones would cost more than the body's."""
    face = set(FACE_ROWS.tolist())
    bones = [bone for bone in np.asarray(illustration.skeleton.bone_joints).tolist()
             if not set(bone) <= face]
    head = [KEYPOINT_INDEX["topMid"], KEYPOINT_INDEX["jawMid"]]
    if np.isfinite(illustration.rest_joints[head]).all():
        bones.append(head)
    return np.array(bones, dtype=int).reshape(-1, 2)


def uncarried_ink(rest_picture: np.ndarray, posed_picture: np.ndarray, rest: np.ndarray,
                  posed: np.ndarray, bones: np.ndarray) -> float:
    """Share of the posed opaque ink (over the rest's) that no rest ink of about its colour,
    carried along with its bones (`_carried`), lands near: what a shape stretched into view
    shows (a dark backing silhouette pulled into wedges between raised arms and the body),
    where moving limbs would only have carried the drawing's own parts and colours."""
    usable = np.isfinite(rest[bones]).all(axis=(1, 2)) & np.isfinite(posed[bones]).all(axis=(1, 2))
    solid = [picture[..., 3] > 200 for picture in (rest_picture, posed_picture)]
    if not usable.any() or not solid[0].any():
        return 0.0
    levels, shift = COLOUR_LEVELS, 8 - COLOUR_BITS
    codes = [((picture[..., 0] >> shift).astype(np.int32) * levels
              + (picture[..., 1] >> shift)) * levels + (picture[..., 2] >> shift)
             for picture in (rest_picture, posed_picture)]
    ys, xs = np.nonzero(solid[0])
    moved, which = _carried(rest, posed, bones[usable], np.column_stack([xs, ys]))
    spots = np.round(moved).astype(int)
    inside = ((spots >= 0) & (spots < RASTER_SIDE)).all(axis=1)
    spots, carried = spots[inside], codes[0][ys, xs][which[inside]]
    posed_ys, posed_xs = np.nonzero(solid[1])
    posed_codes, posed_index = np.unique(codes[1][posed_ys, posed_xs], return_inverse=True)
    carried_codes = np.unique(carried)

    def channels(code: np.ndarray) -> np.ndarray:
        return np.stack([code // (levels * levels), code // levels % levels, code % levels], -1)

    alike = (np.abs(channels(posed_codes)[:, None] - channels(carried_codes)[None]) <= 1).all(-1)
    reach = max(1, int(round(CARRY_REACH * RASTER_SIDE)))
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * reach + 1,) * 2)
    by_code = np.argsort(posed_index, kind="stable")  # posed pixels grouped by their colour
    starts = np.searchsorted(posed_index[by_code], np.arange(len(posed_codes) + 1))
    carried_order = np.argsort(carried, kind="stable")
    carried_starts = np.searchsorted(carried[carried_order], carried_codes)
    carried_ends = np.append(carried_starts[1:], len(carried))
    accounted = np.zeros(len(posed_ys), bool)
    for k in range(len(carried_codes)):
        here = spots[carried_order[carried_starts[k]:carried_ends[k]]]
        low, high = here.min(axis=0) - reach, here.max(axis=0) + reach + 1  # its own box only
        landed = np.zeros((high - low)[::-1], np.uint8)
        landed[here[:, 1] - low[1], here[:, 0] - low[0]] = 1
        near = cv2.dilate(landed, kernel)
        members = np.concatenate([by_code[starts[u]:starts[u + 1]]
                                  for u in np.flatnonzero(alike[:, k])] + [np.zeros(0, int)])
        x, y = posed_xs[members] - low[0], posed_ys[members] - low[1]
        inside = (x >= 0) & (x < high[0] - low[0]) & (y >= 0) & (y < high[1] - low[1])
        members, x, y = members[inside], x[inside], y[inside]
        accounted[members[near[y, x] > 0]] = True
    uncarried = int((~accounted).sum())
    return uncarried / int(solid[0].sum())


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
    (rest_picture, posed_picture), scale, offset = _painted(illustration, [rest, posed])
    rest_ink, posed_ink = rest_picture[..., 3] > INK_ALPHA, posed_picture[..., 3] > INK_ALPHA
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
    strays, stray_share = stray_pieces(rest_ink, posed_ink)
    if strays and stray_share > MIN_STRAY_SHARE:
        problems.append(f"a stroke broke: {strays} stray piece(s) of the drawing "
                        f"({stray_share:.1%} of its ink) lie apart from it")
    uncarried = uncarried_ink(rest_picture, posed_picture, rest.joints * scale + offset,
                              posed.joints * scale + offset, carrying_bones(illustration))
    if uncarried > MAX_UNCARRIED_SHARE:
        problems.append(f"{uncarried:.0%} of the ink shows where no part of the drawing was "
                        "carried (a shape stretched into view, such as a wedge between a limb "
                        "and the body)")
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
                        loose_share, strays, uncarried)


def pose_quality(illustration: Illustration, pose: Pose) -> FrameQuality:
    """Pose the illustration and judge the frame against its rest pose; a pose that fails
    (non-finite coordinates are refused by `Illustration.pose`) is judged not finite."""
    rest = illustration.pose(illustration.rest_pose())
    try:
        posed = illustration.pose(pose)
    except PoseanimError as error:
        return FrameQuality(False, 0.0, 1.0, 1.0, 1.0, (str(error),))
    return frame_quality(rest, posed)
