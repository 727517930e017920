"""Mira: a soft-shaded character written the way Illustrator exports SVG.

Fills live in a ``<style>`` block as ``.cls-N`` rules, colours come partly from gradients in
``<defs>``, and several shapes are compound paths with holes: the glasses frame and the hoop
earrings (``fill-rule="evenodd"``), the donut badge and the letters on the shirt (nonzero, holes
wound the other way). This makes her the bundled test of those SVG features.

Run ``python tools/illustrations/mira.py`` to rewrite ``illustrations/mira.svg``.
"""
from __future__ import annotations

import math

from features import (Mouth, brow, cartoon_eye, eye_ring, face_outline, nose_highlight,
                      nose_line)
from svgkit import (CX, KAPPA, FaceFrame, add, both_sides, capsule, capsule_points, catmull,
                    centroid, d_of, document, ellipse_d, ellipse_points, finger_paths,
                    foot_joints, fmt, group, hand_joints, horizontal_band, lerp, mirror_x, mul,
                    palm_points, path, perp, place_face, poly, sample, side_points, side_sign,
                    smooth, sub, symmetric_body, symmetric_outline, unit, wrist_frame, write)

U = FaceFrame(origin=(CX, 196.0), scale=9.0, sx=1.05)  # U(x, y): face units to the page

BODY = symmetric_body({
    "rightShoulder": (211, 352), "rightElbow": (180, 466), "rightWrist": (160, 574),
    "rightHip": (252, 590), "rightKnee": (251, 721), "rightAnkle": (250, 842),
})
# Slim open hands, thumbs towards the body; sneakers turning on heel and toe.
HANDS = {**hand_joints(BODY, "right", 52, spread=1.2), **hand_joints(BODY, "left", 52, spread=1.2)}
FEET = {**foot_joints(BODY, "right", (0, 36), (-34, 31)), **foot_joints(BODY, "left", (0, 36), (-34, 31))}


# ----------------------------------------------------------------------------- styles
class Styles:
    """Hands out Illustrator-style class names (cls-1, cls-2, ...) in order of first use."""

    def __init__(self) -> None:
        self.rules: dict[str, str] = {}

    def __call__(self, rule: str) -> str:
        if rule not in self.rules:
            self.rules[rule] = f"cls-{len(self.rules) + 1}"
        return self.rules[rule]

    def css(self) -> str:
        return "".join(f".{name}{{{rule}}}" for rule, name in self.rules.items())


S = Styles()

SKIN = "fill:#b5744e;"
SKIN_SHADE = "fill:#9a5d3c;"
SKIN_LINE = "fill:none;stroke:#7d4429;stroke-linecap:round;stroke-linejoin:round;stroke-width:2.5px;"
HAIR_EDGE = "fill:#2a1810;"
BROW = "fill:#2a1810;"
LASH = "fill:none;stroke:#1c100b;stroke-linecap:round;stroke-linejoin:round;stroke-width:3.4px;"
WHITE = "fill:#fff;"
IRIS = "fill:#5a3418;"
PUPIL = "fill:#1c100b;"
LIP_UP = "fill:#a23355;"
LIP_LOW = "fill:#c0466a;"
MOUTH = "fill:#4b1423;"
TEETH = "fill:#fffaf3;"
TONGUE = "fill:#d9687a;"
BLUSH = "fill:#e0806b;opacity:0.45;"
FRAME = "fill:#1f2a44;"
GOLD = "fill:#f2c14e;"
SHIRT = "fill:#ff7a5c;"
SHIRT_SHADE = "fill:#e8613f;"
LETTERS = "fill:#fff4e0;"
JACKET_RIB = "fill:#3c2a8f;"
JACKET_LINE = "fill:none;stroke:#3c2a8f;stroke-linecap:round;stroke-width:2.5px;"
PANTS_LINE = "fill:none;stroke:#1b2240;stroke-linecap:round;stroke-width:2.5px;"
SHOE = "fill:#ffc93c;"
SHOE_SHADE = "fill:#eba920;"
SOLE = "fill:#fbf7ef;"
LACE = "fill:none;stroke:#fbf7ef;stroke-linecap:round;stroke-width:3px;"
DONUT_DOUGH = "fill:#e9a55b;"
SPRINKLE = "fill:none;stroke-linecap:round;stroke-width:2.5px;"

GRADIENTS = """<linearGradient id="linear-gradient" x1="0" y1="0" x2="0" y2="1">
<stop offset="0" stop-color="#8f73ff"/><stop offset="1" stop-color="#5a3ed8"/></linearGradient>
<linearGradient id="linear-gradient-2" x1="0" y1="0" x2="1" y2="0">
<stop offset="0" stop-color="#9a80ff"/><stop offset="0.55" stop-color="#7558f0"/><stop offset="1" stop-color="#553ac9"/></linearGradient>
<linearGradient id="linear-gradient-3" x1="0" y1="0" x2="0" y2="1">
<stop offset="0" stop-color="#34416e"/><stop offset="1" stop-color="#222a4d"/></linearGradient>
<radialGradient id="radial-gradient" cx="0.42" cy="0.35" r="0.65">
<stop offset="0" stop-color="#4f3222"/><stop offset="0.7" stop-color="#2f1d13"/><stop offset="1" stop-color="#24150e"/></radialGradient>
<radialGradient id="radial-gradient-2" cx="0.45" cy="0.4" r="0.62">
<stop offset="0" stop-color="#c7835a"/><stop offset="0.75" stop-color="#b5744e"/><stop offset="1" stop-color="#a3643f"/></radialGradient>
<radialGradient id="radial-gradient-3" cx="0.35" cy="0.3" r="0.75">
<stop offset="0" stop-color="#ffb3d0"/><stop offset="1" stop-color="#f06a9e"/></radialGradient>
<linearGradient id="linear-gradient-4" x1="0" y1="0" x2="1" y2="1">
<stop offset="0" stop-color="#ffffff" stop-opacity="0.55"/><stop offset="0.5" stop-color="#ffffff" stop-opacity="0.12"/><stop offset="1" stop-color="#ffffff" stop-opacity="0.3"/></linearGradient>"""

EXTRA_DEFS: list[str] = []
JACKET = "fill:url(#linear-gradient);"
SLEEVE = "fill:url(#linear-gradient-2);"
PANTS = "fill:url(#linear-gradient-3);"
FACE_FILL = "fill:url(#radial-gradient-2);"
FROSTING = "fill:url(#radial-gradient-3);"
LENS = "fill:url(#linear-gradient-4);"


def P(d: str, rule: str, **kw) -> str:
    return path(d, cls=S(rule), **kw)


def circle_d(c, r, clockwise=True) -> str:
    """A circle as four exact cubic arcs, wound clockwise on screen (or anticlockwise)."""
    k = KAPPA * r
    pts = [(c[0] + r, c[1]), (c[0], c[1] + r), (c[0] - r, c[1]), (c[0], c[1] - r)]
    if not clockwise:
        pts = [pts[0]] + pts[:0:-1]
    turn = 1 if clockwise else -1
    segs = []
    for i in range(4):
        a, b = pts[i], pts[(i + 1) % 4]
        # Handles along the tangent, pointing the way the circle is wound.
        ta = mul(perp(unit(sub(a, c))), turn)
        tb = mul(perp(unit(sub(b, c))), turn)
        segs.append((a, add(a, mul(ta, k)), sub(b, mul(tb, k)), b))
    return d_of(segs)


def ring_d(c, r_out, r_in) -> str:
    """A ring: outer circle clockwise, inner anticlockwise, so nonzero filling leaves a hole."""
    return circle_d(c, r_out, True) + circle_d(c, r_in, False)


# ----------------------------------------------------------------------------- body
def leg(side: str) -> list[str]:
    hip, knee, ankle = (BODY[f"{side}{j}"] for j in ("Hip", "Knee", "Ankle"))
    sgn = side_sign(side)
    pants = capsule([hip, knee, add(ankle, (0, -6))], [31, 25, 26], end_cap=False)
    crease = [add(hip, (sgn * -4, 40)), add(knee, (sgn * -3, 0)), add(ankle, (sgn * -3, -20))]
    return [P(pants, PANTS), P(smooth(crease, False), PANTS_LINE)]


def shoe(side: str) -> list[str]:
    ankle = BODY[f"{side}Ankle"]
    upper = side_points(ankle, [(-19, -16), (19, -16), (21, 4), (24, 18), (26, 30), (10, 35),
                                (-20, 35), (-38, 33), (-41, 25), (-32, 17), (-21, 8)], side)
    toe = side_points(ankle, [(-41, 25), (-38, 33), (-24, 35), (-19, 28), (-28, 21)], side)
    sole = side_points(ankle, [(-45, 31), (28, 31), (30, 38), (26, 44), (-40, 44), (-46, 38)], side)
    patch = ellipse_d(add(ankle, (side_sign(side) * 13, 2)), 5, 5, 8)
    laces = [side_points(ankle, lace, side)
             for lace in ([(-12, -7), (9, -7)], [(-13, 1), (8, 1)], [(-15, 9), (6, 9)])]
    return ([P(smooth(upper, True, 0.55), SHOE), P(smooth(toe, True, 0.7), SOLE),
             P(smooth(sole, True, 0.5), SOLE), P(patch, SOLE)]
            + [P(poly(l, False), "fill:none;stroke:#c98712;stroke-linecap:round;stroke-width:2.5px;")
               for l in laces])


def arm(side: str) -> list[str]:
    sh, el, wr = (BODY[f"{side}{j}"] for j in ("Shoulder", "Elbow", "Wrist"))
    sleeve = capsule([sh, el, lerp(el, wr, 0.92)], [21, 19.5, 19], cap_steps=8)
    f = wrist_frame(BODY, side)
    cuff = [f(-16, -17), f(-16, 17), f(0, 16), f(0, -16)]
    crease = [lerp(sh, el, 0.75), el, lerp(el, wr, 0.2)]
    crease = [add(p, (side_sign(side) * 6, 0)) for p in crease]
    # A disc on the shoulder joint keeps its shape however the arm turns and fills the fold
    # where the sleeve meets the torso. Its gradient is laid out in user space over the
    # sleeve's box (as Illustrator writes gradients), so the two match at rest.
    shoulder = ellipse_d(sh, 20.5, 20.5, 12)
    xs = [p[0] for p in capsule_points([sh, el, lerp(el, wr, 0.92)], [21, 19.5, 19], cap_steps=8)]
    gid = f"linear-gradient-{5 if side == 'right' else 6}"
    EXTRA_DEFS.append(
        f'<linearGradient id="{gid}" x1="{fmt(min(xs))}" y1="0" x2="{fmt(max(xs))}" y2="0" '
        f'gradientUnits="userSpaceOnUse" xlink:href="#linear-gradient-2"/>')
    return [P(sleeve, SLEEVE), P(shoulder, f"fill:url(#{gid});"),
            P(smooth(cuff, True, 0.4), JACKET_RIB),
            P(smooth(crease, False), JACKET_LINE)]


def hand(side: str) -> list[str]:
    """Fingers (each its own shape on its own bones) under the palm, flat colour as the rest of
    her skin, with a shaded crease where the thumb meets the palm."""
    widths = {"Thumb": 5.2, "Index": 4.4, "Middle": 4.6, "Ring": 4.3, "Pinky": 3.7}
    palm = palm_points(BODY, HANDS, side, wrist_width=12, pad=3)
    crease = [HANDS[f"{side}Thumb1"], lerp(HANDS[f"{side}Thumb2"], HANDS[f"{side}Index1"], 0.5)]
    return ([P(d, SKIN) for d in finger_paths(HANDS, side, widths)]
            + [P(smooth(palm, True, 0.8), SKIN),
               P(smooth(crease, False), SKIN_LINE.replace("2.5px", "1.5px"))])


SHIRT_RIGHT = [(0, 322), (28, 318), (56, 322), (74, 330), (82, 341), (84, 354), (84, 376),
               (82, 412), (78, 452), (74, 500), (71, 545), (69, 580), (36, 588), (0, 589)]


def torso() -> list[str]:
    outline = symmetric_outline(SHIRT_RIGHT)
    # Open bomber jacket: two panels over the shirt, each following the body's side.
    panel_r = [(CX - 20, 320), (CX - 58, 322), (CX - 78, 330), (CX - 86.5, 341), (CX - 88.5, 354),
               (CX - 88.5, 376), (CX - 86, 412), (CX - 82, 452), (CX - 78, 500), (CX - 75, 545),
               (CX - 73, 582), (CX - 50, 588), (CX - 34, 589), (CX - 35, 520), (CX - 38, 430),
               (CX - 33, 372)]
    panel_l = mirror_x(panel_r, CX)
    rib_r = horizontal_band(sample(catmull(panel_r, True, 0.5), 8), 564, 587, n=3)
    rib_l = mirror_x(rib_r, CX)
    collar_r = [(CX - 46, 322), (CX - 26, 317), (CX - 19, 326), (CX - 30, 354), (CX - 36, 384),
                (CX - 44, 372), (CX - 47, 342)]
    collar_l = mirror_x(collar_r, CX)
    neckline = [(CX - 24, 318), (CX - 12, 334), (CX, 337), (CX + 12, 334), (CX + 24, 318)]
    seams = [[(CX - 62, 440), (CX - 60, 500)], [(CX + 62, 440), (CX + 60, 500)]]
    out = [P(smooth(outline, True, 0.9), SHIRT),
           P(smooth(neckline + [(CX, 322)], True, 0.8), SKIN),
           P(smooth(neckline, False), "fill:none;stroke:#e8613f;stroke-linecap:round;stroke-width:3px;"),
           P(letters(), LETTERS),
           P(smooth(panel_r, True, 0.5), JACKET), P(smooth(panel_l, True, 0.5), JACKET),
           P(poly(rib_r), JACKET_RIB), P(poly(rib_l), JACKET_RIB),
           P(smooth(collar_r, True, 0.6), JACKET_RIB), P(smooth(collar_l, True, 0.6), JACKET_RIB)]
    out += [P(smooth(s, False), JACKET_LINE) for s in seams]
    out += donut((CX + 56, 404))
    return out


def letters() -> str:
    """"OK" on the shirt: one compound path; the counter of the O is a hole wound backwards."""
    x0, y0, h = CX - 25, 468, 32
    o_c = (x0 + 11, y0 + h / 2)
    outer = ellipse_points(o_c, 11.5, h / 2, 16)            # clockwise on screen
    hole = list(reversed(ellipse_points(o_c, 5, h / 2 - 6.5, 12)))  # anticlockwise
    k = x0 + 28
    k_pts = [(k, y0), (k + 7, y0), (k + 7, y0 + 12), (k + 16, y0), (k + 24, y0), (k + 13, y0 + 14),
             (k + 25, y0 + h), (k + 17, y0 + h), (k + 7, y0 + 19), (k + 7, y0 + h), (k, y0 + h)]
    return smooth(outer, True) + smooth(hole, True) + poly(k_pts)


def donut(c) -> list[str]:
    """A donut badge: ring paths whose holes are wound the other way (nonzero fill)."""
    sprinkles = []
    colours = ["#fff4e0", "#6fd6ff", "#ffe066", "#7a5cff", "#fff4e0", "#6fd6ff", "#ffe066"]
    for i, col in enumerate(colours):
        a = 2 * math.pi * i / len(colours) + 0.3
        r = 11.5 if i % 2 else 9
        p = (c[0] + r * math.cos(a), c[1] + r * math.sin(a))
        q = (p[0] + 3 * math.cos(a + 1.2), p[1] + 3 * math.sin(a + 1.2))
        sprinkles.append(P(poly([p, q], False), SPRINKLE + f"stroke:{col};"))
    return ([P(ring_d(c, 17, 5.5), DONUT_DOUGH), P(ring_d(add(c, (0, -1)), 14.5, 6.5), FROSTING)]
            + sprinkles)


def crotch() -> list[str]:
    pts = [(CX - 36, 566), (CX + 36, 566), (CX + 37, 600), (CX, 616), (CX - 37, 600)]
    return [P(smooth(pts, True, 0.5), PANTS)]


def neck() -> list[str]:
    pts = [(CX - 20, 250), (CX + 20, 250), (CX + 20, 300), (CX + 22, 330), (CX - 22, 330),
           (CX - 20, 300)]
    shade = [(CX - 20, 262), (CX, 280), (CX + 20, 262), (CX + 20, 292), (CX, 302), (CX - 20, 292)]
    return [P(smooth(pts, True, 0.3), SKIN), P(smooth(shade, True, 0.6), SKIN_SHADE)]


# ----------------------------------------------------------------------------- head
def afro_points(c, rx, ry, bumps=15, depth=0.045, n_per=4):
    out = []
    N = bumps * n_per
    for i in range(N):
        a = 2 * math.pi * i / N - math.pi / 2
        k = 1 + depth * math.cos(2 * math.pi * i / n_per)
        out.append((c[0] + rx * k * math.cos(a), c[1] + ry * k * math.sin(a)))
    return out


def hair_back() -> list[str]:
    c = U(0, -6.7)
    rx, ry = U.size(14.6, 12.4)
    pts = afro_points(c, rx, ry)
    curls = []
    for x, y, a in [(-11.2, -9.5, 0.3), (-7.8, -14.5, 1.1), (-2.6, -16.9, 1.6), (3.6, -16.4, 2.1),
                    (9.2, -13.8, 2.6), (11.6, -7.5, 3.2), (-11.9, -3.4, -0.2), (11.9, -2.6, 3.6),
                    (-10.2, -13.0, 0.8), (0.5, -14.6, 1.7), (10.4, -10.8, 2.9)]:
        cc = U(x, y)
        arc = [(cc[0] + 9 * math.cos(a + t), cc[1] + 9 * math.sin(a + t)) for t in (0, 0.9, 1.8, 2.7)]
        curls.append(P(smooth(arc, False), "fill:none;stroke:#5b3a27;stroke-linecap:round;stroke-width:3px;opacity:0.7;"))
    return [path(smooth(pts, True), fill="url(#radial-gradient)")] + curls


def hair_front(J) -> list[str]:
    """Curly hairline over the top of the forehead, the headband and its bow."""
    edge = [U(x, y) for x, y in [(-8.4, -2.8), (-7.7, -5.5), (-6.2, -7.3), (-3.6, -8.5), (0, -8.9),
                                 (3.6, -8.5), (6.2, -7.3), (7.7, -5.5), (8.4, -2.8)]]
    lower = []
    for i in range(len(edge) - 1):
        a, b = edge[i], edge[i + 1]
        m = lerp(a, b, 0.5)
        nrm = unit((-(b[1] - a[1]), b[0] - a[0]))  # towards the face (down and inwards)
        lower += [a, add(m, mul(nrm, 5.5))]
    lower.append(edge[-1])
    top = [U(x, y) for x, y in [(9.8, -4), (9.4, -8.6), (6.5, -11.6), (0, -12.2), (-6.5, -11.6),
                                (-9.4, -8.6), (-9.8, -4)]]
    band_low = [U(x, y) for x, y in [(-10.3, -3.2), (-9.6, -6.6), (-7.6, -9.2), (-4.2, -10.9), (0, -11.4),
                                     (4.2, -10.9), (7.6, -9.2), (9.6, -6.6), (10.3, -3.2)]]
    band_top = [U(x, y) for x, y in [(11.1, -3.4), (10.7, -7.4), (8.6, -10.6), (4.7, -12.8), (0, -13.4),
                                     (-4.7, -12.8), (-8.6, -10.6), (-10.7, -7.4), (-11.1, -3.4)]]
    loop1 = [U(x, y) for x, y in [(7.3, -10.9), (5.2, -13.6), (6.6, -15.4), (8.9, -13.2)]]
    loop2 = [U(x, y) for x, y in [(7.9, -10.5), (11.3, -12.9), (12.6, -10.9), (10.2, -9.3)]]
    tail = [U(x, y) for x, y in [(7.9, -10.4), (9.4, -7.6), (10.5, -6.4), (10.3, -8.2), (8.9, -10.4)]]
    knot = ellipse_d(U(7.7, -10.8), 8, 7, 10)
    return [path(smooth(lower + top, True, 0.9), fill="url(#radial-gradient)"),
            P(smooth(band_low + band_top, True, 0.8), "fill:#ff7a5c;"),
            P(smooth([U(x, y) for x, y in [(-9.9, -5), (-8.4, -8.6), (-4.5, -11.4), (0, -12.1)]],
                     False), "fill:none;stroke:#ffb199;stroke-linecap:round;stroke-width:2.5px;"),
            P(smooth(tail, True, 0.7), "fill:#e8613f;"),
            P(smooth(loop1, True, 0.9), "fill:#ff7a5c;"), P(smooth(loop2, True, 0.9), "fill:#ff7a5c;"),
            P(knot, "fill:#e8613f;")]


def face_skin(J) -> list[str]:
    fullness = {"rightJaw3": 1.02, "leftJaw3": 1.02, "rightJaw4": 1.02, "leftJaw4": 1.02}
    pts = face_outline(J, U(0, 0), fullness)
    out = []
    for s in (-1, 1):
        ear = [U(s * x, y) for x, y in [(7.4, -3.0), (8.9, -3.6), (9.6, -2), (9.3, 0.4), (8.3, 2),
                                        (7.4, 2)]]
        out.append(P(smooth(ear, True), SKIN))
        out.append(P(smooth([U(s * x, y) for x, y in [(8.5, -2.3), (8.8, -0.8), (8.2, 0.8)]], False),
                     SKIN_LINE))
    out.append(P(smooth(pts, True), FACE_FILL))
    return out


def earrings() -> list[str]:
    """Gold hoops: each one compound path, the hole cut by the even-odd rule."""
    out = []
    for s in (-1, 1):
        c = U(s * 8.7, 3.9)
        r_out, r_in = 13, 10
        d = ellipse_d(c, r_out, r_out, 12) + ellipse_d(c, r_in, r_in, 12)
        out.append(P(d, GOLD, fill_rule="evenodd"))
    return out


def glasses(J) -> list[str]:
    """Round frames: a compound path of four rings' edges, filled even-odd; lenses behind."""
    rims, lenses, inner = [], [], []
    rx, ry = U.size(2.45, 2.2)
    for side, toward_nose in (("right", 1), ("left", -1)):
        c = add(centroid(eye_ring(J, side)), (0, 1.5))
        rims.append(ellipse_d(c, rx + 4, ry + 4, 16))
        rims.append(ellipse_d(c, rx, ry, 16))
        lenses.append(ellipse_d(c, rx, ry, 16))
        inner.append(add(c, (toward_nose * (rx + 1), -3)))
    bridge = [inner[0], lerp(J["nose0"], J["nose1"], 0.3), inner[1]]
    return ([P(d, LENS) for d in lenses]
            + [P("".join(rims), FRAME, fill_rule="evenodd"),
               P(smooth(bridge, False), "fill:none;stroke:#1f2a44;stroke-linecap:round;stroke-width:4px;")])


def face_features(J) -> list[str]:
    out = []
    for s in (-1, 1):
        out.append(P(ellipse_d(U(s * 5.1, 1.9), 14, 8, 10), BLUSH))
    out.append(P(nose_highlight(J, drop=1), "fill:#d08a62;"))
    out.append(P(nose_line(J, wing=0.35, rise=4, tuck=2, tip=4.5), SKIN_LINE))
    out += mouth(J)
    for side in ("right", "left"):
        out += eye(J, side)
        out.append(P(brow(J, side, lift=2.5, widths=[1.4, 2.8, 3.4, 3.6, 3.2]), BROW))
    return out


def mouth(J) -> list[str]:
    m = Mouth(J, k=0.9)
    upper_lip, lower_lip = m.lips()
    gloss = [lerp(J["rightLowerLipBottom1"], J["lowerLipTopMid"], 0.45),
             lerp(J["lowerLipBottomMid"], J["lowerLipTopMid"], 0.55),
             lerp(J["leftLowerLipBottom1"], J["lowerLipTopMid"], 0.45),
             lerp(J["lowerLipBottomMid"], J["lowerLipTopMid"], 0.3)]
    return [P(m.opening(), MOUTH), P(m.tongue(rise=0.3), TONGUE), P(m.teeth(depth=0.5), TEETH),
            P(upper_lip, LIP_UP), P(lower_lip, LIP_LOW),
            P(smooth(gloss, True), "fill:#fff;opacity:0.35;")]


def eye(J, side: str) -> list[str]:
    e = eye_ring(J, side)
    shapes = cartoon_eye(e, iris=0.37, pupil=0.55, iris_drop=0.6)
    outward = -side_sign(side)
    lashes = []
    for t, ln, ang in ((0.0, 8, -0.55), (0.12, 7, -0.8), (0.26, 5.5, -1.05)):
        base = lerp(e[0], e[1], t * 2) if t else e[0]
        tip = add(base, (outward * ln * math.cos(ang), ln * math.sin(ang)))
        side_pt = add(base, (outward * -2.2, 0.6))
        lashes.append(P(poly([add(base, (outward * 0.8, 1.2)), tip, side_pt]), "fill:#1c100b;"))
    return ([P(shapes.white, WHITE),
             P(shapes.iris, IRIS),
             P(shapes.pupil, PUPIL),
             P(shapes.highlight, WHITE),
             P(shapes.upper_lid, LASH)] + lashes)


def build() -> str:
    J = {**BODY, **HANDS, **FEET}
    J.update(place_face(U, eye_scale=(1.45, 2.9),
                        eye_shift=(0.15, 0.1), smile=0.9, mouth_gap=1.6, mouth_scale=(1.08, 1.1),
                        brow_lift=0.3))
    parts = (hair_back() + crotch() + both_sides(leg) + both_sides(shoe) + both_sides(arm)
             + neck() + torso() + both_sides(hand) + face_skin(J) + earrings() + face_features(J)
             + glasses(J) + hair_front(J))
    ill = group("illustration", parts)
    return document("Mira", ill, J, defs=GRADIENTS + "\n" + "\n".join(EXTRA_DEFS),
                    style=S.css(),
                    desc="Mira, a character bundled with poseanim. Original artwork, Apache-2.0.")


if __name__ == "__main__":
    write("mira", build())
