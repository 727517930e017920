"""`rig init --auto` for the hands and feet: their joints placed on the drawn hands and shoes.

The body's joints are placed first (`auto_rig`); each hand is then looked for beyond its wrist,
each foot beyond its ankle, in a close rendering of the drawing:

1. a hand: MediaPipe Hands on that rendering, in a few framings, turns and blurs (the palm
   detector misses crisp cartoon outlines but finds them softened), kept only when the found
   wrist lies at the drawing's wrist and the landmarks lie on its ink; a foot: Pose's heel and
   toe, kept only when they lie on the drawn foot;
2. else the template's hand or foot fitted to the drawn one's shape: the ink connected beyond
   the wrist (ankle) along the limb, measured along its own axis and across, the template's
   own drawn hand (foot) measured the same way and mapped onto it;
3. else (a stick figure's arm ends at the wrist) its joints are left out, and the sentence
   says so: the hand then rides the forearm as a whole.

A hand drawn as one shape (a mitten, a blob), or as part of a larger one (a sleeve and hand in
one outline, a hand drawn on the coat it lies on), gets no finger joints either: a spread hand
would pull that outline apart five ways, while riding the forearm whole it keeps its look.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from poseanim.rig.reader import DrawnShape
from poseanim.rig.tables import JOINT_BY_NAME, foot_joints, hand_joints
from poseanim.rig.template import number, template_joints, template_svg
from poseanim.rigging.rendering import Raster, render_drawing
from poseanim.svg.text import SvgSource

if TYPE_CHECKING:
    from poseanim.tracking.mediapipe_graphs import HandsGraph

SIDES = ("left", "right")
REACH = {"hand": 0.8, "foot": 0.6}
"""How far beyond the wrist (ankle) a drawn hand (foot) may reach, in forearm (shin) lengths."""
ACROSS = {"hand": 0.4, "foot": 0.55}
"""How far to either side of the limb's line it may spread, in the same units (a shoe seen from
the side reaches forward more than a hand reaches sideways)."""
MAX_START = 0.12
"""The ink must start this near (limb lengths) the wrist (ankle) to be its hand (foot)."""
START_GAP = 0.2
"""Pieces of ink starting within this much (limb lengths) of the nearest one beyond the wrist
are one hand: a claw's prongs, fingers drawn apart, a palm cut by the wrist's line."""
MIN_LENGTH = 0.12
"""Ink reaching less than this far beyond the wrist (limb lengths) is no hand: a line's end."""
HAND_SIDE = 384
"""Pixels of the square picture shown to the hand tracker."""
HAND_WINDOWS = (0.6, 0.9)
"""Half-sides of the tracker's windows, in forearm lengths: the detector wants some arm."""
HAND_BLURS = (15, 31)
"""Gaussian blur kernels (pixels at HAND_SIDE) that soften drawn outlines for the detector."""
MAX_WRIST_GAP = 0.3
"""A tracked hand's wrist must lie this near the drawing's (forearm lengths)."""
MIN_ON_INK = 0.8
"""Share of a tracked hand's landmarks that must lie on the drawing's ink."""
MIN_AGREEING = 2
"""Tracked views that must agree (same thumb side) before their median is trusted."""
MAX_BEND = {"hand": 45.0, "foot": 0.0}
"""Degrees the measured axis may turn from the limb's line towards the ink's middle: a hand
bends at the wrist; a foot's ink lies forward of the shin (and under it when the ankle was
placed low), so its frame keeps the shin's line."""
_LIMBS = {"hand": ("Elbow", "Wrist"), "foot": ("Knee", "Ankle")}


@dataclass(frozen=True)
class InkFrame:
    """The ink of a drawn hand or foot, measured in its own frame.

    origin: the wrist or ankle (user space); axis: unit direction from it through the ink;
    length: how far the ink reaches along the axis; across: (low, high) of the ink to either
    side of the axis (the axis turned a quarter clockwise on screen is positive). window: the
    rendering it was measured on; pixels: (N, 2) int (column, row) of the ink in it.
    """

    origin: np.ndarray
    axis: np.ndarray
    length: float
    across: tuple[float, float]
    window: Raster
    pixels: np.ndarray

    def inked(self, points: np.ndarray) -> np.ndarray:
        """(N,) whether each user-space point lies on drawn ink (False outside the window)."""
        pixels = np.floor((np.asarray(points) - self.window.origin) * self.window.scale).astype(int)
        height, width = self.window.rgba.shape[:2]
        inside = ((pixels >= 0) & (pixels < (width, height))).all(axis=1)
        result = np.zeros(len(pixels), bool)
        rows, columns = pixels[inside, 1], pixels[inside, 0]
        result[inside] = self.window.rgba[rows, columns, 3] > 8
        return result

    def local(self, points: np.ndarray) -> np.ndarray:
        """(N, 2) user-space points → (N, 2) (along, across), each scaled to the ink's extent
        (along: 0 at the origin, 1 at the tip; across: 0 at the low side, 1 at the high)."""
        offset = np.asarray(points, dtype=float) - self.origin
        normal = np.array([-self.axis[1], self.axis[0]])
        low, high = self.across
        return np.column_stack([offset @ self.axis / self.length,
                                (offset @ normal - low) / max(high - low, 1e-9)])

    def user(self, local: np.ndarray) -> np.ndarray:
        """The inverse of `local`."""
        normal = np.array([-self.axis[1], self.axis[0]])
        low, high = self.across
        along = local[:, :1] * self.length
        side = low + local[:, 1:] * (high - low)
        return self.origin + along * self.axis + side * normal


@dataclass
class PlacedExtremities:
    """Hand and foot joints `rig init --auto` placed, and the clause that says how."""

    joints: dict[str, np.ndarray]
    sentence: str


def render_window(source: SvgSource, low: np.ndarray, side: float) -> Raster:
    """The drawing rendered in the square (low, low + side) of its user space."""
    box = " ".join(number(v) for v in (low[0], low[1], side, side))
    return render_drawing(source.edited(source.set_attributes(source.root, {"viewBox": box})))


def _limb(joints: dict[str, np.ndarray], side: str, kind: str) -> tuple[np.ndarray, np.ndarray] | None:
    base, end = (joints.get(side + part) for part in _LIMBS[kind])
    if base is None or end is None or np.linalg.norm(end - base) < 1e-9:
        return None
    return base, end


def ink_frame(source: SvgSource, base: np.ndarray, end: np.ndarray, kind: str) -> InkFrame | None:
    """The ink connected beyond `end` along base → end (a hand beyond the wrist, a foot beyond
    the ankle), measured; None when there is too little of it to be a hand or foot."""
    import cv2

    limb = float(np.linalg.norm(end - base))
    direction = (end - base) / limb
    reach = REACH[kind] * limb
    raster = render_window(source, end - reach, 2 * reach)
    ink = raster.rgba[..., 3] > 8
    ys, xs = np.nonzero(ink)
    points = raster.to_user(np.column_stack([xs, ys]) + 0.5)
    offset = points - end
    along = offset @ direction
    across = offset @ np.array([-direction[1], direction[0]])
    near = (along > 0) & (along < reach) & (np.abs(across) < ACROSS[kind] * limb)
    if near.sum() < 8:
        return None
    mask = np.zeros(ink.shape, np.uint8)
    mask[ys[near], xs[near]] = 1
    count, labels = cv2.connectedComponents(mask, connectivity=8)
    chosen = labels[ys[near], xs[near]]
    distance = np.linalg.norm(offset[near], axis=1)
    if distance.min() > MAX_START * limb:
        return None  # the joint was placed beside the drawn limb, not on it
    closest = np.full(count, np.inf)
    np.minimum.at(closest, chosen, distance)
    kept = closest[chosen] <= distance.min() + START_GAP * limb
    mine = points[near][kept] - end
    axis = direction
    middle = mine.mean(axis=0)
    if np.linalg.norm(middle) > 1e-9:
        bend = np.degrees(np.arccos(np.clip(middle @ direction / np.linalg.norm(middle), -1, 1)))
        if bend <= MAX_BEND[kind]:
            axis = middle / np.linalg.norm(middle)
    length = float(np.percentile(mine @ axis, 98))
    sideways = mine @ np.array([-axis[1], axis[0]])
    if length < MIN_LENGTH * limb:
        return None
    return InkFrame(end, axis, length, (float(np.percentile(sideways, 2)),
                                        float(np.percentile(sideways, 98))), raster,
                    np.column_stack([xs[near][kept], ys[near][kept]]))


@functools.lru_cache(maxsize=1)
def _template_source() -> SvgSource:
    return SvgSource.from_bytes(template_svg().encode(), "template")


@functools.lru_cache(maxsize=4)
def template_extremity(side: str, kind: str) -> tuple[InkFrame, dict[str, np.ndarray]]:
    """The template's drawn hand (foot) of `side` measured as `ink_frame` measures a drawing's,
    and its joints."""
    template = template_joints()
    base, end = (template[side + part] for part in _LIMBS[kind])
    frame = ink_frame(_template_source(), base, end, kind)
    assert frame is not None, f"the template draws its {side} {kind}"
    names = hand_joints(side) if kind == "hand" else foot_joints(side)
    return frame, {name: template[name] for name in names}


def fitted_extremity(source: SvgSource, joints: dict[str, np.ndarray], side: str, kind: str,
                     drawn: InkFrame | None = None) -> dict[str, np.ndarray] | None:
    """The template's hand (foot) joints of `side` mapped from its drawn hand's frame onto the
    drawing's (`drawn`, measured here when not given); None when the drawing has no hand
    (foot) there. A hand is fitted with its thumb on whichever side of the hand's axis the
    drawing's shape matches better (`thumb_side`)."""
    limb = _limb(joints, side, kind)
    if limb is None:
        return None
    drawn = drawn or ink_frame(source, *limb, kind)
    if drawn is None:
        return None
    frame, template = template_extremity(side, kind)
    names = list(template)
    local = frame.local(np.array([template[n] for n in names]))
    if kind == "hand" and thumb_side(frame, drawn) == "mirrored":
        local = _mirrored(local)
    placed = dict(zip(names, drawn.user(local)))
    for base, chain in _chains(side, kind):
        _pulled_onto_ink(placed, joints[base] if base in joints else placed[base], chain, drawn)
    return placed


THUMB_MARGIN = 0.03
"""How much better (in overlap, 0–1) the template's hand reflected across its axis must match
a drawn hand before its thumb goes to the other side: a mitten or a fist matches both alike."""


def _mirrored(local: np.ndarray) -> np.ndarray:
    """Points in an ink frame's local (along, across) scale reflected across the axis's middle."""
    return np.column_stack([local[:, 0], 1.0 - local[:, 1]])


def _matched(source: InkFrame, target: InkFrame, mirrored: bool) -> float:
    """The share of `source`'s ink that lands on `target`'s ink when mapped frame to frame."""
    local = source.local(source.window.to_user(source.pixels + 0.5))
    return float(target.inked(target.user(_mirrored(local) if mirrored else local)).mean())


def thumb_side(template: InkFrame, drawn: InkFrame) -> str:
    """"template" or "mirrored": which way round the template's drawn hand fits the drawn one.

    Each way is scored by how much of each hand's ink lands on the other's (the product of the
    two shares, so that neither a thin hand inside a broad one nor the reverse scores well);
    the thumb, which sticks out on one side near the wrist, is what tells them apart. The
    template's way is kept unless the mirrored one is better by `THUMB_MARGIN`."""
    scores = {way: _matched(template, drawn, way == "mirrored")
              * _matched(drawn, template, way == "mirrored") for way in ("template", "mirrored")}
    return "mirrored" if scores["mirrored"] > scores["template"] + THUMB_MARGIN else "template"


RETRACT = (0.9, 0.8, 0.7, 0.6, 0.5, 0.4)
"""Fractions of its length a fitted finger (heel, toe) is shortened to, in turn, until its tip
lies on the drawing's ink."""


def _chains(side: str, kind: str) -> list[tuple[str, list[str]]]:
    """(base joint, the joints beyond it, tip last) of each finger, or of the heel and toe."""
    if kind == "foot":
        return [(f"{side}Ankle", [name]) for name in foot_joints(side)]
    names = hand_joints(side)
    return [(names[k], list(names[k + 1:k + 4])) for k in range(0, len(names), 4)]


def _pulled_onto_ink(placed: dict[str, np.ndarray], base: np.ndarray, chain: list[str],
                     drawn: InkFrame) -> None:
    """Shorten the chain towards its base, in place, until its tip lies on ink: the template's
    fingers fan wider than many drawn hands, and a finger should end where the drawn one does.
    Left as it is when no shortening puts the tip on ink."""
    points = np.array([placed[name] for name in chain])
    if drawn.inked(points[-1:])[0]:
        return
    for fraction in RETRACT:
        shorter = base + (points - base) * fraction
        if drawn.inked(shorter[-1:])[0]:
            placed.update(zip(chain, shorter))
            return


# ---- the hand tracker ------------------------------------------------------------------------

def _views(raster: Raster) -> list[tuple[np.ndarray, int]]:
    """(picture, quarter turns) shown to the tracker for one window."""
    import cv2

    alpha = raster.rgba[..., 3:4].astype(np.float32) / 255.0
    white = (raster.rgba[..., :3] * alpha + 255.0 * (1.0 - alpha)).astype(np.uint8)
    picture = cv2.resize(white, (HAND_SIDE, HAND_SIDE), interpolation=cv2.INTER_AREA)
    return [(np.ascontiguousarray(np.rot90(cv2.GaussianBlur(picture, (k, k), 0), turns)), turns)
            for k in HAND_BLURS for turns in (0, 2)]


def _unturned(points: np.ndarray, turns: int) -> np.ndarray:
    """Pixels of a picture turned by `turns` quarter turns (0 or 2) back to the unturned one's."""
    return HAND_SIDE - points if turns == 2 else points


def _thumb_side(points: np.ndarray) -> float:
    """Which side of the wrist → middle-finger line the thumb tip lies (sign of the cross)."""
    axis, thumb = points[9] - points[0], points[4] - points[0]
    return float(np.sign(axis[0] * thumb[1] - axis[1] * thumb[0]))


def tracked_hand(graph: HandsGraph, source: SvgSource, joints: dict[str, np.ndarray], side: str
                 ) -> dict[str, np.ndarray] | None:
    """The hand joints of `side` where MediaPipe Hands finds the drawn hand, or None.

    Each view that finds a hand with its wrist at the drawing's wrist and its landmarks on ink
    votes; the views agreeing on the thumb's side win, and each landmark is their median.
    """
    limb = _limb(joints, side, "hand")
    if limb is None:
        return None
    elbow, wrist = limb
    forearm = float(np.linalg.norm(wrist - elbow))
    centre = wrist + (wrist - elbow) * 0.3
    found = []
    for half in HAND_WINDOWS:
        raster = render_window(source, centre - half * forearm, 2 * half * forearm)
        ink = raster.rgba[..., 3] > 8
        to_raster = ink.shape[0] / HAND_SIDE
        for picture, turns in _views(raster):
            hand = graph.hand(picture)
            if hand is None:
                continue
            pixels = _unturned(hand[0], turns) * to_raster
            rows = np.clip(pixels.astype(int), 0, ink.shape[0] - 1)
            points = raster.to_user(pixels)
            if np.linalg.norm(points[0] - wrist) > MAX_WRIST_GAP * forearm:
                continue
            if ink[rows[:, 1], rows[:, 0]].mean() < MIN_ON_INK:
                continue
            found.append(points)
    if not found:
        return None
    sides = np.array([_thumb_side(points) for points in found])
    majority = 1.0 if (sides > 0).sum() >= (sides < 0).sum() else -1.0
    agreeing = [points for points, thumb in zip(found, sides) if thumb == majority]
    if len(agreeing) < MIN_AGREEING:
        return None
    median = np.median(np.array(agreeing), axis=0)
    return {name: median[JOINT_BY_NAME[name].tracker_index] for name in hand_joints(side)}


# ---- the feet from Pose ----------------------------------------------------------------------

def _on_drawn_foot(source: SvgSource, joints: dict[str, np.ndarray], side: str,
                   tracked: dict[str, np.ndarray]) -> bool:
    """Whether Pose's heel and toe of `side` both lie within the drawn foot's ink."""
    limb = _limb(joints, side, "foot")
    if limb is None:
        return False
    drawn = ink_frame(source, *limb, "foot")
    if drawn is None:
        return False
    local = drawn.local(np.array([tracked[name] for name in foot_joints(side)]))
    return bool(((local >= 0) & (local <= 1)).all())


# ---- all of it --------------------------------------------------------------------------------

ONE_PIECE_COVER = 0.8
"""A drawn hand is one piece (a mitten) when one hand-sized shape covers this share of its ink
…"""
PIECE = 0.25
"""… and no other shape covers this much (a palm drawn apart from its fingers covers about
0.25 of the fingers' part, each finger 0.12–0.24 (the bundled hands), a claw's prongs 0.45).
A larger shape covering this much makes the hand part of it."""
HAND_SIZED = 2.5
"""A shape whose box is larger than this many times the hand's is no part of the hand: a
sleeve drawn with it, a coat or body it lies on (measured: 7–80 on the corpus figures whose
posed fingers tore such shapes, at most 1.6 for drawn hands)."""
FINGERS_FROM = 0.3
"""Where along a drawn hand (0 at the wrist, 1 at its tip) the fingers' part begins."""
NO_HAND = "left out (no drawn hand found at the wrist; it rides the forearm)"
MITTEN = ("left out (the drawn hand is one shape, which finger joints would tear apart; it "
          "rides the forearm)")
PART_OF_MORE = ("left out (the drawn hand is part of a larger shape, a sleeve, a coat or the "
                "body, which finger joints would pull out of shape; it rides the forearm)")


def why_no_fingers(drawn: InkFrame, shapes: list[DrawnShape]) -> str | None:
    """MITTEN or PART_OF_MORE when finger joints would tear the drawn hand measured by `drawn`
    (see the constants), else None. Each shape near the hand is weighed by the share of the
    fingers' part of its ink inside the shape's outline (its control polygon, filled) and by
    the size of its box against the hand's."""
    import cv2

    window = drawn.window
    far = drawn.pixels[drawn.local(window.to_user(drawn.pixels + 0.5))[:, 0] >= FINGERS_FROM]
    if len(far) == 0:
        return None
    hand = np.zeros(window.rgba.shape[:2], np.uint8)
    hand[far[:, 1], far[:, 0]] = 1
    low, high = far.min(axis=0), far.max(axis=0)
    hand_box = float(np.prod(high - low + 1)) / window.scale ** 2
    sized: list[float] = []
    larger: list[float] = []
    for shape in shapes:
        outlines = [np.round((subpath.points - window.origin) * window.scale).astype(np.int32)
                    for subpath in shape.subpaths if len(subpath.points) >= 3]
        if not outlines:
            continue
        points = np.concatenate(outlines)
        if (points.max(axis=0) < low).any() or (points.min(axis=0) > high).any():
            continue
        inside = np.zeros_like(hand)
        cv2.fillPoly(inside, outlines, (1,))
        cover = float((inside & hand).sum()) / len(far)
        box = float(np.prod(np.ptp(np.concatenate([s.points for s in shape.subpaths]), axis=0)))
        (larger if box > HAND_SIZED * hand_box else sized).append(cover)
    if any(cover >= PIECE for cover in larger):
        return PART_OF_MORE
    sized.sort(reverse=True)
    if sized and sized[0] >= ONE_PIECE_COVER and (len(sized) == 1 or sized[1] < PIECE):
        return MITTEN
    return None


def place_extremities(source: SvgSource, joints: dict[str, np.ndarray],
                      tracked_feet: dict[str, np.ndarray],
                      shapes: list[DrawnShape]) -> PlacedExtremities:
    """Hand and foot joints for a drawing whose body joints are placed (see the module
    docstring). tracked_feet: the heels and toes Pose found confidently (may be empty).
    shapes: the drawing's shapes; a hand drawn as one of them, or as part of a larger one, gets
    no finger joints (they would pull an outline apart five ways), and rides the forearm whole
    as before."""
    from poseanim.tracking.mediapipe_graphs import HandsGraph

    placed: dict[str, np.ndarray] = {}
    origins: dict[str, list[str]] = {}
    frames = {side: None if (limb := _limb(joints, side, "hand")) is None
              else ink_frame(source, *limb, "hand") for side in SIDES}
    hands: dict[str, tuple[dict[str, np.ndarray] | None, str]] = {}
    for side, drawn in frames.items():
        reason = NO_HAND if drawn is None else why_no_fingers(drawn, shapes)
        if reason is not None:
            hands[side] = (None, reason)
    if len(hands) < len(SIDES):
        graph = HandsGraph(video=False)
        try:
            for side in [side for side in SIDES if side not in hands]:
                found = tracked_hand(graph, source, joints, side)
                if found is None:
                    found = fitted_extremity(source, joints, side, "hand", frames[side])
                    hands[side] = (found, NO_HAND if found is None else "fitted to the drawn hand")
                else:
                    hands[side] = (found, "the hand tracker")
        finally:
            graph.close()
    for side in SIDES:
        hand, how = hands[side]
        placed.update(hand or {})
        origins.setdefault(how, []).append(f"{side} hand")
    for side in SIDES:
        names = foot_joints(side)
        if all(name in tracked_feet for name in names) and _on_drawn_foot(
                source, joints, side, tracked_feet):
            foot: dict[str, np.ndarray] | None = {name: tracked_feet[name] for name in names}
            how = "the pose tracker"
        else:
            foot, how = fitted_extremity(source, joints, side, "foot"), "fitted to the drawn foot"
        if foot is None:
            how = "left out (no drawn foot found at the ankle; it rides the shin)"
        placed.update(foot or {})
        origins.setdefault(how, []).append(f"{side} foot")
    parts = [f"{' and '.join(parts)}: {how}" for how, parts in origins.items()]
    return PlacedExtremities(placed, "hands and feet: " + "; ".join(parts))
