"""Geometry and SVG helpers shared by the generators of the bundled characters.

Every character is written as a Pose Animator rig: a ``skeleton`` group with one circle per
joint and an ``illustration`` group with the drawing. Shapes are built from joint positions so
that the drawing and the joints always coincide.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Sequence

Point = tuple[float, float]
# A cubic Bezier segment: start, first handle, second handle, end.
Cubic = tuple[Point, Point, Point, Point]
# Maps (along, across) coordinates in a local frame, such as a forearm's, to the page.
Frame = Callable[[float, float], Point]

# Every character stands on the same canvas, facing the viewer, symmetric about x = CX, so
# that one can replace another in a scene without moving the camera.
W, H = 600, 900
CX = W / 2
ILLUSTRATIONS = Path(__file__).resolve().parents[2] / "illustrations"

BODY_JOINTS = [
    "leftShoulder", "rightShoulder", "leftElbow", "rightElbow", "leftWrist", "rightWrist",
    "leftHip", "rightHip", "leftKnee", "rightKnee", "leftAnkle", "rightAnkle",
]

# x, y of the MediaPipe canonical face model vertex each face joint tracks (joints.tsv),
# y pointing down, in the model's centimetres; origin a little above the nose tip.
CANONICAL_FACE: dict[str, Point] = {
    "topMid": (0.00, -8.26),
    "rightTop0": (-3.52, -8.01),
    "rightTop1": (-6.28, -6.62),
    "leftTop0": (3.52, -8.01),
    "leftTop1": (6.28, -6.62),
    "rightJaw0": (-7.09, -5.43),
    "rightJaw1": (-7.56, -4.11),
    "rightJaw2": (-7.74, -2.36),
    "rightJaw3": (-7.66, -0.67),
    "rightJaw4": (-7.27, 2.89),
    "rightJaw5": (-5.94, 6.22),
    "rightJaw6": (-4.07, 7.99),
    "rightJaw7": (-2.31, 8.97),
    "jawMid": (0.00, 9.40),
    "leftJaw7": (2.31, 8.97),
    "leftJaw6": (4.07, 7.99),
    "leftJaw5": (5.94, 6.22),
    "leftJaw4": (7.27, 2.89),
    "leftJaw3": (7.66, -0.67),
    "leftJaw2": (7.74, -2.36),
    "leftJaw1": (7.56, -4.11),
    "leftJaw0": (7.09, -5.43),
    "rightBrow0": (-5.25, -3.88),
    "rightBrow1": (-4.59, -4.30),
    "rightBrow2": (-3.73, -4.51),
    "rightBrow3": (-2.64, -4.52),
    "rightBrow4": (-1.22, -4.14),
    "leftBrow4": (1.22, -4.14),
    "leftBrow3": (2.64, -4.52),
    "leftBrow2": (3.73, -4.51),
    "leftBrow1": (4.59, -4.30),
    "leftBrow0": (5.25, -3.88),
    "nose0": (0.00, -2.47),
    "nose1": (0.00, -1.73),
    "nose2": (0.00, -1.06),
    "nose3": (0.00, -0.37),
    "rightNose0": (-1.61, 0.94),
    "rightNose1": (-0.92, 0.53),
    "nose4": (0.00, 0.46),
    "leftNose1": (0.92, 0.53),
    "leftNose0": (1.61, 0.94),
    "rightEye0": (-4.45, -2.66),
    "rightEye1": (-3.67, -2.93),
    "rightEye2": (-2.72, -2.96),
    "rightEye3": (-1.86, -2.59),
    "rightEye4": (-2.72, -2.32),
    "rightEye5": (-3.67, -2.36),
    "leftEye3": (1.86, -2.59),
    "leftEye2": (2.72, -2.96),
    "leftEye1": (3.67, -2.93),
    "leftEye0": (4.45, -2.66),
    "leftEye5": (3.67, -2.36),
    "leftEye4": (2.72, -2.32),
    "rightMouthCorner": (-2.46, 4.34),
    "rightUpperLipTop0": (-1.91, 3.80),
    "rightUpperLipTop1": (-0.71, 3.33),
    "upperLipTopMid": (0.00, 3.41),
    "leftUpperLipTop1": (0.71, 3.33),
    "leftUpperLipTop0": (1.91, 3.80),
    "leftMouthCorner": (2.46, 4.34),
    "leftLowerLipBottom0": (1.84, 4.83),
    "leftLowerLipBottom1": (0.70, 5.29),
    "lowerLipBottomMid": (0.00, 5.37),
    "rightLowerLipBottom1": (-0.70, 5.29),
    "rightLowerLipBottom0": (-1.84, 4.83),
    "rightMiddleLip": (-2.15, 4.28),
    "rightUpperLipBottom1": (-1.02, 3.99),
    "upperLipBottomMid": (0.00, 3.99),
    "leftUpperLipBottom1": (1.02, 3.99),
    "leftMiddleLip": (2.15, 4.28),
    "leftLowerLipTop0": (1.10, 4.46),
    "lowerLipTopMid": (0.00, 4.54),
    "rightLowerLipTop0": (-1.10, 4.46),
}
FACE_JOINTS = list(CANONICAL_FACE)

# The optional hand and foot joints, in joints.tsv order: per side thumb 1-4 (CMC, MCP, IP, tip),
# then index, middle, ring and pinky 1-4 (MCP, PIP, DIP, tip); then heel and toe per side.
FINGERS = ["Thumb", "Index", "Middle", "Ring", "Pinky"]
HAND_JOINTS = [f"{side}{finger}{k}" for side in ("left", "right") for finger in FINGERS
               for k in range(1, 5)]
FOOT_JOINTS = [f"{side}{part}" for side in ("left", "right") for part in ("Heel", "Toe")]
EXTRA_JOINTS = HAND_JOINTS + FOOT_JOINTS

# A relaxed open hand as (along the forearm, across it) per joint, in units of the hand's
# length (wrist to middle fingertip), the thumb on the +across side. Proportions of an adult
# hand: palm a little under half the length and about as wide as 0.45 of it, fingers fanned
# a few degrees.
HAND_LAYOUT: dict[str, list[Point]] = {
    "Thumb": [(0.10, 0.17), (0.25, 0.30), (0.37, 0.38), (0.48, 0.43)],
    "Index": [(0.46, 0.17), (0.68, 0.19), (0.81, 0.21), (0.92, 0.22)],
    "Middle": [(0.48, 0.055), (0.725, 0.06), (0.87, 0.06), (0.99, 0.06)],
    "Ring": [(0.46, -0.06), (0.69, -0.076), (0.83, -0.086), (0.94, -0.094)],
    "Pinky": [(0.42, -0.165), (0.59, -0.195), (0.69, -0.21), (0.79, -0.23)],
}


# ----------------------------------------------------------------------------- numbers
def fmt(v: float) -> str:
    """At most two decimals, no trailing zeros."""
    s = f"{v:.2f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "", "-") else s


def add(a: Point, b: Point) -> Point:
    return (a[0] + b[0], a[1] + b[1])


def sub(a: Point, b: Point) -> Point:
    return (a[0] - b[0], a[1] - b[1])


def mul(a: Point, k: float) -> Point:
    return (a[0] * k, a[1] * k)


def lerp(a: Point, b: Point, t: float) -> Point:
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)


def length(a: Point) -> float:
    return math.hypot(a[0], a[1])


def dist(a: Point, b: Point) -> float:
    return length(sub(a, b))


def unit(a: Point) -> Point:
    n = length(a) or 1.0
    return (a[0] / n, a[1] / n)


def perp(a: Point) -> Point:
    """The vector turned a quarter turn clockwise on screen (y down)."""
    return (-a[1], a[0])


def centroid(pts: Sequence[Point]) -> Point:
    return (sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts))


def frame(origin: Point, direction: Point) -> Frame:
    """A function mapping (along, across) in the frame of ``direction`` to the page."""
    d = unit(direction)
    n = perp(d)
    return lambda u, v: (origin[0] + d[0] * u + n[0] * v, origin[1] + d[1] * u + n[1] * v)


def mirror_x(pts: Iterable[Point], cx: float) -> list[Point]:
    return [(2 * cx - x, y) for x, y in pts]


def ellipse_points(c: Point, rx: float, ry: float, n: int = 16, start: float = 0.0,
                   rot: float = 0.0) -> list[Point]:
    cr, sr = math.cos(rot), math.sin(rot)
    out = []
    for i in range(n):
        a = start + 2 * math.pi * i / n
        x, y = rx * math.cos(a), ry * math.sin(a)
        out.append((c[0] + x * cr - y * sr, c[1] + x * sr + y * cr))
    return out


def arc_points(c: Point, r: float, a0: float, a1: float, n: int) -> list[Point]:
    """n+1 points on a circle from angle a0 to a1 (radians, y down)."""
    return [(c[0] + r * math.cos(a0 + (a1 - a0) * i / n), c[1] + r * math.sin(a0 + (a1 - a0) * i / n))
            for i in range(n + 1)]


# ----------------------------------------------------------------------------- curves
def catmull(pts: Sequence[Point], closed: bool, k: float = 1.0) -> list[Cubic]:
    """Cubic Beziers through every point (Catmull-Rom, tension k: 1 = classic, 0 = straight)."""
    n = len(pts)
    if closed:
        get = lambda i: pts[i % n]
        count = n
    else:
        ext = [sub(mul(pts[0], 2), pts[1])] + list(pts) + [sub(mul(pts[-1], 2), pts[-2])]
        get = lambda i: ext[i + 1]
        count = n - 1
    segs = []
    for i in range(count):
        p0, p1, p2, p3 = get(i - 1), get(i), get(i + 1), get(i + 2)
        c1 = add(p1, mul(sub(p2, p0), k / 6))
        c2 = sub(p2, mul(sub(p3, p1), k / 6))
        segs.append((p1, c1, c2, p2))
    return segs


def lines(pts: Sequence[Point], closed: bool) -> list[Cubic]:
    """Straight segments written as cubics (handles on the line)."""
    n = len(pts)
    count = n if closed else n - 1
    segs = []
    for i in range(count):
        a, b = pts[i], pts[(i + 1) % n]
        segs.append((a, lerp(a, b, 1 / 3), lerp(a, b, 2 / 3), b))
    return segs


def reverse(segs: Sequence[Cubic]) -> list[Cubic]:
    return [(d, c, b, a) for a, b, c, d in reversed(segs)]


def d_of(segs: Sequence[Cubic], closed: bool = True) -> str:
    """Path data of consecutive cubics; straight ones are written as L."""
    if not segs:
        return ""
    p = segs[0][0]
    out = [f"M{fmt(p[0])} {fmt(p[1])}"]
    for a, b, c, d in segs:
        if _straight(a, b, c, d):
            out.append(f"L{fmt(d[0])} {fmt(d[1])}")
        else:
            out.append("C" + " ".join(f"{fmt(q[0])} {fmt(q[1])}" for q in (b, c, d)))
    if closed:
        out.append("Z")
    return "".join(out)


def _straight(a, b, c, d) -> bool:
    ab, ad = sub(b, a), sub(d, a)
    l = length(ad)
    if l < 1e-9:
        return length(ab) < 1e-9 and length(sub(c, a)) < 1e-9
    for q in (b, c):
        aq = sub(q, a)
        if abs(aq[0] * ad[1] - aq[1] * ad[0]) / l > 0.01:
            return False
    return True


def smooth(pts: Sequence[Point], closed: bool = True, k: float = 1.0) -> str:
    return d_of(catmull(pts, closed, k), closed)


def ellipse_d(c: Point, rx: float, ry: float, n: int = 16) -> str:
    """An ellipse as a smooth curve through ``n`` points on it: like every other shape it has
    points all round to bind to the bones, so it bends a little when posed."""
    return smooth(ellipse_points(c, rx, ry, n), True)


def poly(pts: Sequence[Point], closed: bool = True) -> str:
    out = "M" + " L".join(f"{fmt(x)} {fmt(y)}" for x, y in pts)
    return out + ("Z" if closed else "")


def bezier_point(s: Cubic, t: float) -> Point:
    a, b, c, d = s
    u = 1 - t
    return (u ** 3 * a[0] + 3 * u * u * t * b[0] + 3 * u * t * t * c[0] + t ** 3 * d[0],
            u ** 3 * a[1] + 3 * u * u * t * b[1] + 3 * u * t * t * c[1] + t ** 3 * d[1])


def sample(segs: Sequence[Cubic], per: int = 8) -> list[Point]:
    out = []
    for s in segs:
        out.extend(bezier_point(s, i / per) for i in range(per))
    out.append(segs[-1][3])
    return out


# ----------------------------------------------------------------------------- shapes
def _spine(chain: Sequence[Point], widths: Sequence[float],
           step: float) -> tuple[list[Point], list[float], list[Point]]:
    """The chain split every ``step`` px, with its half-width and unit normal at each point.

    Tube outlines and the bands along them are both offset from this one spine, so a band
    follows its tube's edge exactly and the outline has points all along each bone to bind.
    """
    pts, ws = [chain[0]], [widths[0]]
    for i in range(len(chain) - 1):
        a, b = chain[i], chain[i + 1]
        n = max(1, math.ceil(dist(a, b) / step))
        for j in range(1, n + 1):
            pts.append(lerp(a, b, j / n))
            ws.append(widths[i] + (widths[i + 1] - widths[i]) * j / n)
    normals = []
    for i in range(len(pts)):
        d0 = unit(sub(pts[i], pts[i - 1])) if i > 0 else None
        d1 = unit(sub(pts[i + 1], pts[i])) if i < len(pts) - 1 else None
        normals.append(perp(unit(add(d0 or d1, d1 or d0))))
    return pts, ws, normals


def capsule_points(chain: Sequence[Point], widths: Sequence[float], step: float = 16.0,
                   cap_steps: int = 6, start_cap: bool = True, end_cap: bool = True) -> list[Point]:
    """Outline of a tube along ``chain`` with half-width ``widths[i]`` at chain[i], round ends."""
    pts, ws, normals = _spine(chain, widths, step)
    left = [add(p, mul(n, w)) for p, n, w in zip(pts, normals, ws)]
    right = [sub(p, mul(n, w)) for p, n, w in zip(pts, normals, ws)]
    out = list(left)
    if end_cap:
        a0 = math.atan2(normals[-1][1], normals[-1][0])
        out += arc_points(pts[-1], ws[-1], a0, a0 - math.pi, cap_steps)[1:-1]
    out += list(reversed(right))
    if start_cap:
        a0 = math.atan2(-normals[0][1], -normals[0][0])
        out += arc_points(pts[0], ws[0], a0, a0 - math.pi, cap_steps)[1:-1]
    return out


def capsule(chain: Sequence[Point], widths: Sequence[float], **kw) -> str:
    return smooth(capsule_points(chain, widths, **kw), True)


def clip_convex(subject: Sequence[Point], clip: Sequence[Point]) -> list[Point]:
    """Sutherland-Hodgman: the part of polygon ``subject`` inside the convex polygon ``clip``."""
    def inside(p, a, b, sign):
        return sign * ((b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0])) >= 0

    def cross_pt(p, q, a, b):
        x1, y1, x2, y2 = p[0], p[1], q[0], q[1]
        x3, y3, x4, y4 = a[0], a[1], b[0], b[1]
        den = (x1 - x2) * (y3 - y4) - (y1 - y2) * (x3 - x4)
        t = ((x1 - x3) * (y3 - y4) - (y1 - y3) * (x3 - x4)) / den
        return (x1 + t * (x2 - x1), y1 + t * (y2 - y1))

    area = sum(clip[i][0] * clip[(i + 1) % len(clip)][1] - clip[(i + 1) % len(clip)][0] * clip[i][1]
               for i in range(len(clip)))
    sign = 1 if area > 0 else -1
    out = list(subject)
    for i in range(len(clip)):
        a, b = clip[i], clip[(i + 1) % len(clip)]
        src, out = out, []
        for j in range(len(src)):
            p, q = src[j - 1], src[j]
            if inside(q, a, b, sign):
                if not inside(p, a, b, sign):
                    out.append(cross_pt(p, q, a, b))
                out.append(q)
            elif inside(p, a, b, sign):
                out.append(cross_pt(p, q, a, b))
        if not out:
            break
    return out


def simplify(pts: Sequence[Point], min_gap: float) -> list[Point]:
    """Drop points closer than ``min_gap`` to the previous kept one."""
    out = [pts[0]]
    for p in pts[1:]:
        if dist(p, out[-1]) >= min_gap:
            out.append(p)
    return out


# ----------------------------------------------------------------------------- rig layout
def symmetric_body(right: dict[str, Point]) -> dict[str, Point]:
    """The body joints of a character standing square on: the right side (the viewer's left)
    as given, the left side its mirror image about the centre line."""
    body = dict(right)
    for name, (x, y) in right.items():
        body[name.replace("right", "left")] = (2 * CX - x, y)
    return body


def symmetric_outline(right_half: Sequence[Point]) -> list[Point]:
    """A closed outline symmetric about the centre line, from its right half (on the viewer's
    left) given as (distance from the centre line, y), from the centre line round to it again.

    The two points on the centre line are not repeated by the mirrored half.
    """
    right = [(CX - dx, y) for dx, y in right_half]
    return right + list(reversed(mirror_x(right[1:-1], CX)))


def side_sign(side: str) -> int:
    """+1 for the character's right side, -1 for its left.

    Parts are drawn for the right side (on the viewer's left) and this sign mirrors their x
    offsets onto the left side; outward from the centre line is ``-side_sign(side)``.
    """
    return 1 if side == "right" else -1


def side_points(origin: Point, offsets: Iterable[Point], side: str) -> list[Point]:
    """``origin`` plus each offset: offsets drawn for the right side, mirrored for the left."""
    s = side_sign(side)
    return [add(origin, (s * x, y)) for x, y in offsets]


def wrist_frame(J: dict[str, Point], side: str) -> Frame:
    """(along the forearm, across it) at the wrist to the page: cuffs and hands drawn in this
    frame turn with the forearm."""
    el, wr = J[f"{side}Elbow"], J[f"{side}Wrist"]
    return frame(wr, sub(wr, el))


def wrist_points(J: dict[str, Point], side: str, offsets: Iterable[Point]) -> list[Point]:
    """Points at (along the forearm, across it) offsets from the wrist, drawn for the right
    hand (across > 0 is its outer side) and mirrored across the forearm for the left."""
    f = wrist_frame(J, side)
    s = side_sign(side)
    return [f(a, s * c) for a, c in offsets]


def hand_joints(J: dict[str, Point], side: str, size: float, thumb: int = -1,
                spread: float = 1.0, knuckles: float = 1.0) -> dict[str, Point]:
    """The 20 finger joints of one hand of ``size`` px (wrist to middle fingertip), hanging
    off the forearm in the wrist frame. ``thumb`` -1 puts the thumb on the side facing the
    body (the back of the hand towards the viewer), +1 on the outer side; ``spread`` widens
    the fan of the fingers; ``knuckles`` widens the row of knuckles (a broader palm), each
    finger moved across with its knuckle."""
    joints = {}
    for finger, chain in HAND_LAYOUT.items():
        base_across = chain[0][1]
        shift = base_across * (knuckles - 1) if finger != "Thumb" else 0.0
        offsets = [(a * size, (base_across + (c - base_across) * spread + shift) * size * thumb)
                   for a, c in chain]
        for k, point in enumerate(wrist_points(J, side, offsets), 1):
            joints[f"{side}{finger}{k}"] = point
    return joints


def finger_paths(H: dict[str, Point], side: str, widths: dict[str, float],
                 step: float = 6.0) -> list[str]:
    """Path data of one tube per finger along its four joints, thumb first: each finger is its
    own shape, so it binds to its own bones and bends at its own joints. step: the spacing of
    the tube's spine samples (px), which sets how many nodes its outline has (see Ada's hands)."""
    return [capsule([H[f"{side}{finger}{k}"] for k in range(1, 5)],
                    [widths[finger] * t for t in (1.0, 0.95, 0.9, 0.85)], step=step, cap_steps=5)
            for finger in FINGERS]


KNUCKLE_SHARE = 0.4
"""A knuckle reaches at most this share of its finger's first bone beyond the finger's base:
the back of the hand covering half of it would bind to the finger too (and crumple in a fist)."""


def palm_points(J: dict[str, Point], H: dict[str, Point], side: str, wrist_width: float,
                pad: float, reach: float | None = None) -> list[Point]:
    """The back of the hand's outline: across the wrist, out over the ball of the thumb, as wide
    at the knuckles as the fingers' outer edges (``reach`` px beside the index's and little
    finger's bases, ``pad`` by default), over a rounded knuckle ``pad`` px beyond each finger's
    base with a shallow dip between them, and back down the little finger's side. Drawn over
    the fingers, the knuckles hide where each finger starts and, in a fist, where it folds
    under the hand. Each knuckle stays under half its finger's first bone (`KNUCKLE_SHARE`),
    so that the back of the hand binds to the palm's bones (and a little the thumb's first),
    not the fingers', and keeps its shape when they fold."""
    reach = pad if reach is None else reach
    wrist, elbow = J[f"{side}Wrist"], J[f"{side}Elbow"]
    forward = unit(sub(wrist, elbow))
    across = unit(sub(H[f"{side}Index1"], H[f"{side}Pinky1"]))
    def at(p: Point, a: float, c: float) -> Point:
        return add(p, add(mul(forward, a), mul(across, c)))
    names = ("Index", "Middle", "Ring", "Pinky")
    bases = [H[f"{side}{finger}1"] for finger in names]
    knuckles = []
    for k, finger in enumerate(names):
        bone = sub(H[f"{side}{finger}2"], bases[k])
        depth = min(pad, KNUCKLE_SHARE * dist(bases[k], H[f"{side}{finger}2"]))
        knuckles.append(add(bases[k], mul(unit(bone), depth)))
        if k < 3:
            knuckles.append(add(lerp(bases[k], bases[k + 1], 0.5), mul(forward, pad * 0.55)))
    pinky_corner, wrist_corner = at(bases[3], 0, -reach), at(wrist, -2, -wrist_width)
    return ([at(wrist, -2, wrist_width), at(H[f"{side}Thumb2"], -3, -1.5),
             at(bases[0], pad * 0.2, reach)] + knuckles
            + [pinky_corner, add(lerp(pinky_corner, wrist_corner, 0.5), mul(across, -1.5)),
               wrist_corner])


def foot_joints(J: dict[str, Point], side: str, heel: Point, toe: Point) -> dict[str, Point]:
    """Heel and toe at offsets from the ankle, given for the right foot (mirrored for the left)."""
    ankle = J[f"{side}Ankle"]
    h, t = side_points(ankle, [heel, toe], side)
    return {f"{side}Heel": h, f"{side}Toe": t}


def foot_frame(J: dict[str, Point], side: str) -> Frame:
    """(along heel → toe, across it) from the heel to the page: a shoe drawn in it turns with
    the foot. Across > 0 is the sole's side (downward on a foot standing flat)."""
    heel, toe = J[f"{side}Heel"], J[f"{side}Toe"]
    f = frame(heel, sub(toe, heel))
    s = side_sign(side)
    return lambda u, v: f(u, -s * v)


def both_sides(*parts: Callable[[str], list[str]]) -> list[str]:
    """The right side's shapes, then the left's; on each side ``parts`` in turn, later on top."""
    return [shape for side in ("right", "left") for draw in parts for shape in draw(side)]


@dataclass(frozen=True)
class FaceFrame:
    """Where the canonical face model sits on a character's head.

    ``origin`` is the page point of the model's origin, ``scale`` the px per model unit and
    ``sx`` a sideways stretch for a rounder cartoon head. Hair, ears and accessories are drawn
    in the same face units as the joints, so they stay on the face when it is tuned.
    """
    origin: Point
    scale: float
    sx: float = 1.0

    def __call__(self, x: float, y: float) -> Point:
        """The page point at face units (x, y)."""
        return add(self.origin, self.size(x, y))

    def size(self, w: float, h: float) -> Point:
        """A width and height in face units as page px: radii of shapes that scale with the face."""
        return (w * self.scale * self.sx, h * self.scale)


def place_face(face: FaceFrame, eye_scale: Point = (1.0, 1.0), eye_shift: Point = (0.0, 0.0),
               mouth_scale: Point = (1.0, 1.0), smile: float = 0.0, mouth_gap: float = 1.0,
               brow_lift: float = 0.0) -> dict[str, Point]:
    """Face joints on a character's head: the canonical face model placed by ``face``.

    Cartoon touches stay small so that a tracked real face still fits the drawing: eyes grow
    about their centres (``eye_scale``, shifted outward/down by ``eye_shift`` units), the
    mouth about its centre, corners raised by ``smile`` units, ``mouth_gap`` scales the
    opening between the inner lip rings.
    """
    f = {n: (x * face.sx, y) for n, (x, y) in CANONICAL_FACE.items()}
    for side, sgn in (("right", -1), ("left", 1)):
        ring = [f"{side}Eye{i}" for i in range(6)]
        c = centroid([f[n] for n in ring])
        for n in ring:
            x, y = f[n]
            f[n] = (c[0] + (x - c[0]) * eye_scale[0] + sgn * eye_shift[0],
                    c[1] + (y - c[1]) * eye_scale[1] + eye_shift[1])
        for i in range(5):
            n = f"{side}Brow{i}"
            f[n] = (f[n][0] + sgn * eye_shift[0] * (0.4 + 0.15 * (4 - i)), f[n][1] - brow_lift)
    mouth = [n for n in f if "Lip" in n or "Mouth" in n]
    c = centroid([f[n] for n in mouth])
    inner_mid = (f["upperLipBottomMid"][1] + f["lowerLipTopMid"][1]) / 2
    for n in mouth:
        x, y = f[n]
        if n in ("rightUpperLipBottom1", "upperLipBottomMid", "leftUpperLipBottom1",
                 "rightLowerLipTop0", "lowerLipTopMid", "leftLowerLipTop0"):
            y = inner_mid + (y - inner_mid) * mouth_gap
        x, y = c[0] + (x - c[0]) * mouth_scale[0], c[1] + (y - c[1]) * mouth_scale[1]
        w = abs(x - c[0]) / (abs(f["leftMouthCorner"][0] - c[0]) * mouth_scale[0] or 1)
        y -= smile * w ** 2
        f[n] = (x, y)
    return {n: (face.origin[0] + x * face.scale, face.origin[1] + y * face.scale)
            for n, (x, y) in f.items()}


# ----------------------------------------------------------------------------- document
def attrs(**kw) -> str:
    parts = []
    for k, v in kw.items():
        if v is None:
            continue
        k = {"cls": "class", "href": "xlink:href"}.get(k, k.rstrip("_").replace("_", "-"))
        if isinstance(v, float):
            v = fmt(v)
        parts.append(f'{k}="{v}"')
    return " ".join(parts)


def el(tag: str, **kw) -> str:
    return f"<{tag} {attrs(**kw)}/>"


def path(d: str, **kw) -> str:
    return el("path", d=d, **kw) if d else ""


def group(gid: str | None, children: Iterable[str], **kw) -> str:
    body = "\n".join(c for c in children if c)
    head = f"<g {attrs(id=gid, **kw)}>" if (gid or kw) else "<g>"
    return f"{head}\n{body}\n</g>"


def skeleton(joints: dict[str, Point], r: float = 3.0) -> str:
    """The joints group: every body joint, then every face joint, then the hand and foot
    joints the character has, in joints.tsv order."""
    missing = [n for n in BODY_JOINTS + FACE_JOINTS if n not in joints]
    if missing:
        raise ValueError(f"joints missing: {missing}")
    names = BODY_JOINTS + FACE_JOINTS + [n for n in EXTRA_JOINTS if n in joints]
    circles = [el("circle", id=n, cx=fmt(joints[n][0]), cy=fmt(joints[n][1]), r=fmt(r))
               for n in names]
    return group("skeleton", circles, fill="none")


def document(title: str, illustration: str, joints: dict[str, Point], defs: str = "",
             style: str = "", desc: str = "") -> str:
    xlink = ' xmlns:xlink="http://www.w3.org/1999/xlink"' if "xlink:" in defs + illustration else ""
    head = (f'<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<svg xmlns="http://www.w3.org/2000/svg"{xlink} version="1.1" width="{W}" '
            f'height="{H}" viewBox="0 0 {W} {H}">\n<title>{title}</title>\n')
    if desc:
        head += f"<desc>{desc}</desc>\n"
    if style or defs:
        inner = (f"<style>{style}</style>\n" if style else "") + defs
        head += f"<defs>\n{inner}\n</defs>\n"
    return head + illustration + "\n" + skeleton(joints) + "\n</svg>\n"


def write(name: str, svg: str) -> None:
    """Write ``illustrations/<name>.svg`` and say where: what running a generator does."""
    out = ILLUSTRATIONS / f"{name}.svg"
    out.write_text(svg)
    print(f"wrote {out}")


def horizontal_band(outline: Sequence[Point], y0: float, y1: float, n: int = 6,
                    inset: float = 0.0) -> list[Point]:
    """The part of a closed outline between heights y0 and y1, as a polygon along its sides."""
    def span(y):
        xs = []
        for i in range(len(outline)):
            a, b = outline[i - 1], outline[i]
            if (a[1] - y) * (b[1] - y) <= 0 and a[1] != b[1]:
                xs.append(a[0] + (b[0] - a[0]) * (y - a[1]) / (b[1] - a[1]))
        return min(xs) + inset, max(xs) - inset
    ys = [y0 + (y1 - y0) * i / n for i in range(n + 1)]
    spans = [span(y) for y in ys]
    return [(s[0], y) for s, y in zip(spans, ys)] + [(s[1], y) for s, y in reversed(list(zip(spans, ys)))]


def tube_band(chain: Sequence[Point], widths: Sequence[float], inner: float, outer: float = 1.0,
              side: int = 1, step: float = 16.0) -> list[Point]:
    """A strip along one side of a tube: from ``inner`` to ``outer`` (fractions of the half-width).

    side=+1 is the tube's left-hand side walking along the chain (on screen, the viewer's left
    for a chain drawn downwards); -1 the other side.
    """
    pts, ws, normals = _spine(chain, widths, step)
    edge = [add(p, mul(n, side * w * outer)) for p, n, w in zip(pts, normals, ws)]
    mid = [add(p, mul(n, side * w * inner)) for p, n, w in zip(pts, normals, ws)]
    return edge + list(reversed(mid))


KAPPA = 0.5523


def rounded_rect_segments(x0: float, y0: float, x1: float, y1: float, r: float,
                          edge_step: float = 40.0) -> list[Cubic]:
    """A rounded rectangle as exact cubic corners and straight edges split every ``edge_step``.

    The edges carry intermediate points so the shape can bend a little when it is posed.
    """
    r = min(r, (x1 - x0) / 2, (y1 - y0) / 2)
    k = KAPPA * r
    corners = [  # (edge end point, corner end point, handle 1, handle 2)
        ((x1 - r, y0), (x1, y0 + r), (x1 - r + k, y0), (x1, y0 + r - k)),
        ((x1, y1 - r), (x1 - r, y1), (x1, y1 - r + k), (x1 - r + k, y1)),
        ((x0 + r, y1), (x0, y1 - r), (x0 + r - k, y1), (x0, y1 - r + k)),
        ((x0, y0 + r), (x0 + r, y0), (x0, y0 + r - k), (x0 + r - k, y0)),
    ]
    segs: list[Cubic] = []
    cur = (x0 + r, y0)
    for edge_end, corner_end, h1, h2 in corners:
        n = max(1, math.ceil(dist(cur, edge_end) / edge_step))
        pts = [lerp(cur, edge_end, i / n) for i in range(n + 1)]
        segs += lines(pts, closed=False) if dist(cur, edge_end) > 1e-6 else []
        segs.append((edge_end, h1, h2, corner_end))
        cur = corner_end
    return segs


def rounded_rect_d(x0: float, y0: float, x1: float, y1: float, r: float,
                   edge_step: float = 40.0) -> str:
    return d_of(rounded_rect_segments(x0, y0, x1, y1, r, edge_step), True)
