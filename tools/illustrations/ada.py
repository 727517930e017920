"""Ada: the default character, a friendly flat-colour cartoon with ink outlines.

Run ``python tools/illustrations/ada.py`` to rewrite ``illustrations/ada.svg``.
"""
from __future__ import annotations

from features import (Mouth, brow, cartoon_eye, eye_ring, face_outline, nose_highlight,
                      nose_line)
from svgkit import (CX, FaceFrame, add, both_sides, capsule, catmull, d_of, document, ellipse_d,
                    finger_paths, foot_joints, group, hand_joints, horizontal_band, palm_points,
                    path, place_face, poly, sample, side_points, side_sign, smooth, sub,
                    symmetric_body, symmetric_outline, unit, wrist_frame, write)

INK = "#3b2c35"
SKIN, SKIN_SHADE, SKIN_LINE = "#f6c9a8", "#e9a987", "#c97f62"
HAIR, HAIR_DARK, HAIR_LIGHT = "#8e3f2c", "#6b2c20", "#b25a3d"
SWEATER, SWEATER_DARK, STRIPE = "#f3b63f", "#d9952a", "#3f9c94"
JEANS, JEANS_DARK, JEANS_LIGHT = "#40609a", "#2f4a7a", "#7f9cc9"
SHOE, SOLE = "#e4574b", "#fbf3e6"
IRIS, PUPIL = "#4f8f6a", "#1f1a24"
LIP_UP, LIP_LOW, MOUTH, TONGUE = "#cf6166", "#e58488", "#5e2231", "#e07b7f"
BLUSH = "#f39a8c"

U = FaceFrame(origin=(CX, 180.0), scale=9.4, sx=1.06)  # U(x, y): face units to the page

BODY = symmetric_body({
    "rightShoulder": (208, 345), "rightElbow": (176, 462), "rightWrist": (156, 572),
    "rightHip": (250, 585), "rightKnee": (252, 718), "rightAnkle": (250, 843),
})

# Hands: an open relaxed hand, thumbs towards the body; feet: the heel under the ankle, the
# toe at the shoe's tip, so the shoes turn with the feet.
HANDS = {**hand_joints(BODY, "right", 54, knuckles=1.2), **hand_joints(BODY, "left", 54, knuckles=1.2)}
FEET = {**foot_joints(BODY, "right", (1, 37), (-36, 32)), **foot_joints(BODY, "left", (1, 37), (-36, 32))}
FINGER_WIDTHS = {"Thumb": 5.8, "Index": 5.2, "Middle": 5.4, "Ring": 5.1, "Pinky": 4.5}
FINGER_STEP = 3.0
"""Spine spacing of the finger tubes (px; the other characters' is 6). A node and its handles
take one set of weights, so along a finger the weights change in steps of a node. Ada's finger
bones are short (middle finger 13, 8, 6.5 px), and at 6 px the middle finger's weight on its
first bone went 1, 0.81, 0.5, 0.37 and then 0 past its middle joint: folded flat (her fist,
her point), the rotation blend turned that last step of 0.37 into a third of a half turn, and
the outline jumped across the folded finger, a slanted line in each. At 3 px (a third more
nodes) it goes 0.99, 0.55, 0.5, 0.48, 0.19, 0: the line is gone from the sheet."""

OUTLINE = dict(stroke=INK, stroke_width=3, stroke_linejoin="round", stroke_linecap="round")
THIN = dict(stroke=INK, stroke_width=2, stroke_linejoin="round", stroke_linecap="round")


# ----------------------------------------------------------------------------- body
def crotch() -> list[str]:
    """Jeans between the legs, bound to the hips; the legs are drawn over it."""
    pts = [(CX - 34, 562), (CX + 34, 562), (CX + 36, 598), (CX, 614), (CX - 36, 598)]
    return [path(smooth(pts, True, 0.5), fill=JEANS, **OUTLINE),
            path(smooth([(CX, 586), (CX, 612)], False), fill="none", stroke=JEANS_DARK,
                 stroke_width=2)]


def leg(side: str) -> list[str]:
    J = BODY
    hip, knee, ankle = J[f"{side}Hip"], J[f"{side}Knee"], J[f"{side}Ankle"]
    foot_tip = add(ankle, (0, 10))
    out = [path(capsule([hip, knee, ankle, foot_tip], [30, 24, 21, 21], end_cap=False,
                        start_cap=True), fill=JEANS, **OUTLINE)]
    # Rolled-up cuff and a seam that shows the knee bend.
    cuff = side_points(ankle, [(-21, -6), (21, -6), (22, 8), (-22, 8)], side)
    out.append(path(smooth(cuff, True, 0.3), fill=JEANS_LIGHT, **OUTLINE))
    sgn = side_sign(side)
    seam = [add(hip, (-sgn * 12, 30)), add(knee, (-sgn * 9, 0)), add(ankle, (-sgn * 8, -14))]
    out.append(path(smooth(seam, False), fill="none", stroke=JEANS_DARK, stroke_width=2,
                    stroke_linecap="round"))
    return out


def shoe(side: str) -> list[str]:
    ankle = BODY[f"{side}Ankle"]
    upper = side_points(ankle, [(0, 3), (-21, 10), (-30, 20), (-40, 27), (-40, 35), (-30, 40),
                                (0, 40), (18, 39), (24, 32), (22, 18), (17, 8)], side)
    sole = side_points(ankle, [(-42, 31), (-40, 38), (-30, 42), (0, 42), (19, 41), (25, 34),
                               (25, 31), (0, 33)], side)
    lace = side_points(ankle, [(-6, 14), (-12, 21)], side)
    lace2 = side_points(ankle, [(4, 15), (-4, 23)], side)
    return [path(smooth(upper, True, 0.9), fill=SHOE, **OUTLINE),
            path(smooth(sole, True, 0.6), fill=SOLE, **OUTLINE),
            path(poly(lace, False), fill="none", stroke=SOLE, stroke_width=3, stroke_linecap="round"),
            path(poly(lace2, False), fill="none", stroke=SOLE, stroke_width=3, stroke_linecap="round")]


def arm(side: str) -> list[str]:
    sh, el, wr = BODY[f"{side}Shoulder"], BODY[f"{side}Elbow"], BODY[f"{side}Wrist"]
    sleeve = capsule([sh, el, wr], [19, 17.5, 15.5], cap_steps=8)
    f = wrist_frame(BODY, side)
    cuff = [f(-12, -17), f(-12, 17), f(2, 17.5), f(2, -17.5)]
    sgn = side_sign(side)
    fold = [f(-70, 0), f(-58, sgn * 6), f(-46, sgn * 4)]
    # A disc on the shoulder joint, inside the sleeve's outline: it keeps its shape however the
    # arm turns and fills the fold where the sleeve meets the torso.
    shoulder = ellipse_d(sh, 17, 17, 12)
    return [path(sleeve, fill=SWEATER, **OUTLINE),
            path(shoulder, fill=SWEATER),
            path(smooth(cuff, True, 0.35), fill=SWEATER_DARK, **OUTLINE),
            path(smooth(fold, False), fill="none", stroke=SWEATER_DARK, stroke_width=2.5,
                 stroke_linecap="round")]


def hand(side: str) -> list[str]:
    """Five fingers, each its own shape on its own bones, under a palm that hides their bases."""
    palm = palm_points(BODY, HANDS, side, wrist_width=11, pad=6, reach=5.5)
    knuckles = [HANDS[f"{side}{finger}1"] for finger in ("Index", "Middle", "Ring")]
    return ([path(d, fill=SKIN, **THIN) for d in finger_paths(HANDS, side, FINGER_WIDTHS, FINGER_STEP)]
            + [path(smooth(palm, True, 0.6), fill=SKIN, **THIN),
               path(smooth(knuckles, False), fill="none", stroke=SKIN_LINE, stroke_width=1.5,
                    stroke_linecap="round")])


# The sweater's right half as (distance from the centre line, y), neck to hem. Near the
# shoulder its side stays inside the torso bone so that it binds to the torso, not the arm.
TORSO_RIGHT = [(0, 318), (30, 314), (60, 318), (80, 325), (88, 334), (90.5, 347), (90.5, 372),
               (88, 410), (84, 450), (80.5, 500), (77, 545), (73, 577), (36, 584), (0, 585)]


def torso() -> list[str]:
    curves = catmull(symmetric_outline(TORSO_RIGHT), True, 0.9)
    # Stripes and hem run along the curved sides; the outline is inked again over their ends.
    dense = sample(curves, 6)
    hem = horizontal_band(dense, 557, 581, n=4, inset=0.5)
    stripe1 = horizontal_band(dense, 425, 441, n=3, inset=0.5)
    stripe2 = horizontal_band(dense, 451, 459, n=2, inset=0.5)
    hem_line = [(CX - 76, 557), (CX, 559), (CX + 76, 557)]
    collar_outer = [(CX - 38, 313), (CX - 20, 337), (CX, 342), (CX + 20, 337), (CX + 38, 313),
                    (CX + 22, 310), (CX, 311), (CX - 22, 310)]
    collar_inner = [(CX - 27, 313), (CX - 13, 328), (CX, 331), (CX + 13, 328), (CX + 27, 313)]
    folds = [[(CX - 58, 528), (CX - 40, 538)], [(CX + 58, 528), (CX + 40, 538)]]
    return [path(d_of(curves), fill=SWEATER, **OUTLINE),
            path(poly(stripe1), fill=STRIPE),
            path(poly(stripe2), fill=STRIPE),
            path(poly(hem), fill=SWEATER_DARK),
            path(smooth(hem_line, False), fill="none", stroke=INK, stroke_width=2),
            path(d_of(curves), fill="none", **OUTLINE),
            path(smooth(collar_outer, True), fill=SWEATER_DARK, **OUTLINE),
            path(smooth(collar_inner, False), fill="none", stroke=INK, stroke_width=2),
            ] + [path(smooth(f, False), fill="none", stroke=SWEATER_DARK, stroke_width=2.5,
                         stroke_linecap="round") for f in folds]


def neck() -> list[str]:
    pts = [(CX - 21, 236), (CX + 21, 236), (CX + 21, 290), (CX + 23, 322), (CX - 23, 322),
           (CX - 21, 290)]
    shade = [(CX - 21, 250), (CX, 266), (CX + 21, 250), (CX + 21, 282), (CX, 292), (CX - 21, 282)]
    return [path(smooth(pts, True, 0.3), fill=SKIN, **OUTLINE),
            path(smooth(shade, True, 0.6), fill=SKIN_SHADE)]


# ----------------------------------------------------------------------------- head
def hair_back() -> str:
    pts = [(0, -14.4), (-6.1, -13.5), (-10.1, -10.6), (-11.6, -6), (-11.3, -1), (-10.8, 3.2),
           (-11.2, 5.8), (-9.6, 7.4), (-7.4, 6.8), (-5, 5), (0, 3.5), (5, 5), (7.8, 7),
           (10.3, 8.4), (12.5, 7.5), (12.3, 4.2), (12.2, 0), (11.9, -6), (10.4, -10.6),
           (6.3, -13.5)]
    return path(smooth([U(x, y) for x, y in pts], True), fill=HAIR_DARK, **OUTLINE)


def hair_front() -> list[str]:
    pts = [(0, -14.6), (6.3, -13.7), (10.5, -10.7), (12.2, -5.6), (12.3, -0.5), (12.3, 4.3),
           (12.8, 6.7), (11.2, 8.0), (9.6, 7.6), (10.4, 6.6), (9.3, 5.4), (8.7, 2.6), (8.2, -1.5),
           (7.4, -4.4), (5.7, -5.3), (4.3, -5.95), (3.1, -5.4), (1.9, -6.35), (0.3, -7.1),
           (-1.6, -8.2), (-3.3, -9.7), (-4.9, -8.9), (-6.8, -7.3), (-7.9, -5.2), (-8.4, -3.2),
           (-9.3, -4.4), (-10.2, -7.6), (-9.6, -10.6), (-6.1, -13.7)]
    shine = [(-7.2, -10.6), (-4.9, -12.3), (-2, -12.9), (-2.9, -12), (-5.2, -11.2), (-7.6, -8.9)]
    strands = [[(-3.3, -9.7), (1.4, -11.2), (6.8, -10.2)], [(-2.1, -9.9), (3, -8.9), (7.6, -6.9)],
               [(-4.6, -11.9), (-7.7, -9.5), (-8.9, -5.6)], [(10.4, -4.5), (10.6, 1.2), (11.2, 5.8)],
               [(3.8, -12.9), (8.2, -11), (10.4, -7.2)]]
    clip = [(5.2, -9.3), (8.4, -10.4), (8.9, -9.4), (5.6, -8.3)]
    out = [path(smooth([U(x, y) for x, y in pts], True), fill=HAIR, **OUTLINE),
           path(smooth([U(x, y) for x, y in shine], True), fill=HAIR_LIGHT)]
    out += [path(smooth([U(x, y) for x, y in s], False), fill="none", stroke=HAIR_DARK,
                 stroke_width=2.5, stroke_linecap="round") for s in strands]
    out.append(path(smooth([U(x, y) for x, y in clip], True, 0.4), fill=STRIPE, **OUTLINE))
    return out


def face_skin(J) -> list[str]:
    # Slightly fuller cheeks than a real jaw; the jaw line runs through the jaw joints.
    fullness = {"rightJaw3": 1.025, "leftJaw3": 1.025, "rightJaw4": 1.025, "leftJaw4": 1.025,
                "rightJaw5": 1.0, "leftJaw5": 1.0, "rightJaw6": 1.0, "leftJaw6": 1.0,
                "rightJaw7": 1.0, "leftJaw7": 1.0, "jawMid": 1.0}
    pts = face_outline(J, U(0, 0), fullness, default=1.02)
    ear = [U(x, y) for x, y in [(-7.3, -3.2), (-8.7, -3.9), (-9.6, -2.4), (-9.3, 0.2), (-8.4, 2),
                                (-7.4, 2.1)]]
    ear_in = [U(x, y) for x, y in [(-8.6, -2.4), (-8.9, -1), (-8.3, 0.8)]]
    ring_c = U(-8.5, 3.1)
    return [path(smooth(ear, True), fill=SKIN, **OUTLINE),
            path(smooth(ear_in, False), fill="none", stroke=SKIN_LINE, stroke_width=2,
                 stroke_linecap="round"),
            path(ellipse_d(ring_c, 3.2, 3.2, 8), fill=STRIPE, **THIN),
            path(smooth(pts, True), fill=SKIN, **OUTLINE)]


def face_features(J) -> list[str]:
    out = []
    # Cheeks and freckles.
    for sgn in (-1, 1):
        out.append(path(ellipse_d(U(sgn * 4.9, 1.6), 15, 9, 10), fill=BLUSH, opacity=0.55))
        for x, y in [(2.3, -0.3), (3.1, 0.3), (3.9, -0.2), (2.9, -1.0)]:
            out.append(path(ellipse_d(U(sgn * x, y), 1.4, 1.4, 6), fill=SKIN_LINE, opacity=0.7))
    # Nose: a soft hook along the bridge and a little smile under the tip.
    out.append(path(nose_highlight(J, drop=0), fill="#ffffff", opacity=0.35))
    out.append(path(nose_line(J, wing=0.3, rise=5, tuck=2.5, tip=5), fill="none", stroke=SKIN_LINE,
                    stroke_width=2.5, stroke_linecap="round"))
    out += mouth(J)
    for side in ("right", "left"):
        out += eye(J, side)
        out.append(path(brow(J, side, lift=3, widths=[1.6, 2.7, 3.3, 3.5, 3.1]), fill=HAIR_DARK))
    return out


def mouth(J) -> list[str]:
    m = Mouth(J, k=0.9)
    upper_lip, lower_lip = m.lips()
    return [path(m.opening(), fill=MOUTH),
            path(m.tongue(rise=0.35), fill=TONGUE),
            path(m.teeth(depth=0.45), fill="#ffffff"),
            path(upper_lip, fill=LIP_UP),
            path(lower_lip, fill=LIP_LOW),
            path(m.opening(), fill="none", stroke="#7a2f3b", stroke_width=1.5),
            path(m.outline(), fill="none", stroke="#9b4650", stroke_width=1.8)]


def eye(J, side: str) -> list[str]:
    e = eye_ring(J, side)
    shapes = cartoon_eye(e, iris=0.36, pupil=0.5, iris_drop=0.5)
    # The upper lid is a thick lash line with a flick past the outer corner.
    outward = -side_sign(side)
    d_out = unit(sub(e[0], e[1]))
    flick = [add(e[0], (d_out[0] * 2, d_out[1] * 2 - 1)), add(e[0], (outward * 7, -6)),
             add(e[0], (outward * 3, 1))]
    return [path(shapes.white, fill="#ffffff"),
            path(shapes.iris, fill=IRIS),
            path(shapes.pupil, fill=PUPIL),
            path(shapes.highlight, fill="#ffffff"),
            path(shapes.lower_lid, fill="none", stroke=INK, stroke_width=1.5,
                 stroke_linecap="round", opacity=0.6),
            path(shapes.upper_lid, fill="none", stroke=INK, stroke_width=3.2,
                 stroke_linecap="round"),
            path(smooth(flick, True, 0.5), fill=INK)]


def build() -> str:
    J = {**BODY, **HANDS, **FEET}
    J.update(place_face(U, eye_scale=(1.5, 3.0), eye_shift=(0.2, 0.1), smile=0.8, mouth_gap=1.5,
                        mouth_scale=(1.05, 1.05), brow_lift=0.35))
    parts = ([hair_back()] + crotch() + both_sides(leg) + both_sides(shoe) + both_sides(arm)
             + neck() + torso() + both_sides(hand) + face_skin(J) + face_features(J) + hair_front())
    ill = group("illustration", parts)
    return document("Ada", ill, J,
                    desc="Ada, the poseanim default character. Original artwork, Apache-2.0.")


if __name__ == "__main__":
    write("ada", build())
