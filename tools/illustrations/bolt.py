"""Bolt: a friendly robot in a flat geometric style: no outlines, two-tone shading, glowing face.

Run ``python tools/illustrations/bolt.py`` to rewrite ``illustrations/bolt.svg``.
"""
from __future__ import annotations

from features import Mouth, brow, clipped_disc, eye_lids, eye_opening, eye_ring
from svgkit import (CX, FINGERS, H, W, FaceFrame, add, both_sides, capsule, centroid, clip_convex,
                    d_of, document, ellipse_d, ellipse_points, foot_joints, group, hand_joints,
                    lerp, palm_points, path, place_face, poly, rounded_rect_d,
                    rounded_rect_segments, sample, side_points, simplify, smooth, symmetric_body,
                    symmetric_outline, tube_band, wrist_frame, write)

STEEL, STEEL_LIGHT, STEEL_DARK = "#4f86a8", "#74a9c8", "#36627f"
JOINT, JOINT_DARK = "#2c3b47", "#1f2a33"
ORANGE, ORANGE_DARK, YELLOW = "#f5922f", "#d8731a", "#ffd25a"
SCREEN, GLOW, GLOW_SOFT = "#15222c", "#7ff3ff", "#2f8fa3"
RED = "#ef5a4c"
GREEN = "#6cd38a"

U = FaceFrame(origin=(CX, 178.0), scale=8.4, sx=1.12)  # U(x, y): face units to the page

BODY = symmetric_body({
    "rightShoulder": (202, 342), "rightElbow": (164, 452), "rightWrist": (144, 562),
    "rightHip": (254, 586), "rightKnee": (252, 716), "rightAnkle": (252, 834),
})

# Five-fingered grippers, thumbs towards the body, and boots whose heel and toe are joints.
HANDS = {**hand_joints(BODY, "right", 58, spread=1.15), **hand_joints(BODY, "left", 58, spread=1.15)}
FEET = {**foot_joints(BODY, "right", (2, 36), (-24, 30)), **foot_joints(BODY, "left", (2, 36), (-24, 30))}


def disc(c, r, fill, n=16, **kw) -> str:
    return path(ellipse_d(c, r, r, n), fill=fill, **kw)


def tube(chain, widths, fill, shade, light=None) -> list[str]:
    """A limb tube with a shaded band on the viewer's right and an optional light band."""
    out = [path(capsule(chain, widths, cap_steps=6), fill=fill)]
    down = chain[-1][1] >= chain[0][1]
    out.append(path(smooth(tube_band(chain, widths, 0.35, 0.98, side=-1 if down else 1), True, 0.6),
                    fill=shade))
    if light:
        out.append(path(smooth(tube_band(chain, widths, 0.45, 0.75, side=1 if down else -1), True,
                               0.6), fill=light))
    return out


# ----------------------------------------------------------------------------- limbs
def leg(side: str) -> list[str]:
    hip, knee, ankle = (BODY[f"{side}{j}"] for j in ("Hip", "Knee", "Ankle"))
    thigh = tube([hip, lerp(hip, knee, 0.82)], [17, 16], STEEL, STEEL_DARK)
    shin_top = lerp(knee, ankle, 0.16)
    shin = tube([shin_top, lerp(knee, ankle, 0.98)], [22, 25], STEEL, STEEL_DARK, STEEL_LIGHT)
    stripe = path(poly([add(lerp(knee, ankle, 0.55), (-23.5, 0)), add(lerp(knee, ankle, 0.55), (23.5, 0)),
                        add(lerp(knee, ankle, 0.66), (24, 0)), add(lerp(knee, ankle, 0.66), (-24, 0))]),
                  fill=ORANGE)
    return ([disc(hip, 22, JOINT)] + thigh + [disc(knee, 20, JOINT), disc(add(knee, (4, 4)), 9, JOINT_DARK)]
            + shin + [stripe])


def foot(side: str) -> list[str]:
    ankle = BODY[f"{side}Ankle"]
    boot = [(-26, -6), (26, -6), (29, 14), (36, 26), (36, 34), (-36, 34), (-36, 26), (-29, 14)]
    boot = [add(ankle, p) for p in boot]
    sole = [add(ankle, p) for p in [(-38, 30), (38, 30), (38, 42), (-38, 42)]]
    toe = side_points(ankle, [(-4, 10), (-26, 12), (-32, 26), (-4, 26)], side)
    return [path(smooth(boot, True, 0.35), fill=STEEL_DARK),
            path(smooth(toe, True, 0.4), fill=STEEL),
            path(smooth(sole, True, 0.3), fill=ORANGE)]


def arm(side: str) -> list[str]:
    sh, el, wr = (BODY[f"{side}{j}"] for j in ("Shoulder", "Elbow", "Wrist"))
    # A thin rod: its inner side stays nearer the arm than the torso, so it turns cleanly.
    upper = tube([lerp(sh, el, 0.2), lerp(sh, el, 0.85)], [9, 9], STEEL, STEEL_DARK)
    fore = tube([lerp(el, wr, 0.18), lerp(el, wr, 0.92)], [17, 19], STEEL, STEEL_DARK, STEEL_LIGHT)
    f = wrist_frame(BODY, side)
    cuff = [f(-14, -20), f(-14, 20), f(-4, 20.5), f(-4, -20.5)]
    return ([disc(el, 17, JOINT)] + upper + fore
            + [path(smooth(cuff, True, 0.3), fill=ORANGE)])


def shoulder_pad(side: str) -> list[str]:
    """A round pad centred on the shoulder joint: it looks the same whichever way the arm turns."""
    c = add(BODY[f"{side}Shoulder"], (0, 2))
    pad = ellipse_d(c, 23, 23, 16)
    shade = clip_convex(ellipse_points(c, 23, 23, 32), [(c[0] + 7, 0), (W, 0), (W, H), (c[0] + 7, H)])
    return [path(pad, fill=ORANGE), path(poly(shade), fill=ORANGE_DARK),
            disc(add(c, (-7, -7)), 4, "#ffc27d", 10)]


def hand(side: str) -> list[str]:
    """Segmented steel fingers with orange tips, each on its own bones, under a dark palm plate
    with a bolt head; the knuckles are discs, which look the same however a finger bends."""
    f = wrist_frame(BODY, side)
    out = []
    for finger in FINGERS:
        chain = [HANDS[f"{side}{finger}{k}"] for k in range(1, 5)]
        width = 5.6 if finger == "Thumb" else 4.6 if finger == "Pinky" else 5.2
        out.append(path(capsule(chain, [width, width * 0.95, width * 0.9, width * 0.85], step=6,
                                cap_steps=4), fill=JOINT))
        knuckles = ellipse_d(chain[1], width * 0.7, width * 0.7, 8) + " " + ellipse_d(
            chain[2], width * 0.6, width * 0.6, 8)  # one shape: both ride the same finger
        out += [path(knuckles, fill=STEEL_DARK), disc(chain[3], width * 0.85, ORANGE, 10)]
    palm = palm_points(BODY, HANDS, side, wrist_width=15, pad=4)
    return out + [path(smooth(palm, True, 0.4), fill=JOINT_DARK), disc(f(11, 0), 5, STEEL_LIGHT, 10)]


# ----------------------------------------------------------------------------- torso
CHEST_RIGHT = [(0, 308), (40, 306), (80, 310), (97, 320), (100, 336), (98, 380), (92, 440),
               (84, 500), (76, 532), (40, 540), (0, 541)]
PELVIS = [(CX - 64, 532), (CX + 64, 532), (CX + 56, 584), (CX + 26, 600), (CX - 26, 600),
          (CX - 56, 584)]


def torso() -> list[str]:
    chest = symmetric_outline(CHEST_RIGHT)
    shade = [(CX + 40, 306), (CX + 80, 310), (CX + 97, 320), (CX + 100, 336), (CX + 98, 380),
             (CX + 92, 440), (CX + 84, 500), (CX + 76, 532), (CX + 40, 540), (CX + 52, 520),
             (CX + 66, 440), (CX + 72, 360), (CX + 66, 318)]
    panel = rounded_rect_d(CX - 58, 352, CX + 58, 468, 14)
    core_c = (CX, 404)
    vents = [poly([(CX - 42, y), (CX + 42, y), (CX + 42, y + 5), (CX - 42, y + 5)])
             for y in (484, 496, 508)]
    belt = rounded_rect_d(CX - 70, 528, CX + 70, 548, 8)
    bolts = [disc((x, 538), 4, YELLOW, 8) for x in (CX - 52, CX + 52)]
    collar = rounded_rect_d(CX - 40, 303, CX + 40, 321, 9)
    out = [path(smooth(PELVIS, True, 0.3), fill=STEEL_DARK),
           path(smooth(chest, True, 0.6), fill=STEEL),
           path(smooth(shade, True, 0.6), fill=STEEL_DARK),
           path(panel, fill=STEEL_LIGHT),
           disc(core_c, 30, JOINT, 20),
           disc(core_c, 22, ORANGE, 20),
           disc(core_c, 13, YELLOW, 16),
           disc(add(core_c, (-6, -7)), 4.5, "#fff7d6", 10),
           disc((CX - 34, 448), 6, RED, 10), disc((CX - 16, 448), 6, YELLOW, 10),
           disc((CX + 2, 448), 6, GREEN, 10),
           path(poly([(CX + 20, 444), (CX + 44, 444), (CX + 44, 452), (CX + 20, 452)]), fill=JOINT)]
    out += [path(v, fill=STEEL_DARK) for v in vents]
    out += [path(belt, fill=JOINT_DARK)] + bolts
    out += [path(collar, fill=JOINT)]
    return out


def neck() -> list[str]:
    out = [path(rounded_rect_d(CX - 17, 250, CX + 17, 312, 6), fill=JOINT_DARK)]
    for y in (262, 277, 292):
        out.append(path(ellipse_d((CX, y), 24, 6, 12), fill=JOINT))
    return out


# ----------------------------------------------------------------------------- head
def head(J) -> list[str]:
    box = (U(-10.3, 0)[0], U(0, -12.4)[1], U(10.3, 0)[0], U(0, 10.6)[1])
    shell = rounded_rect_d(*box, 44, 30)
    outline = sample(rounded_rect_segments(*box, 44, 30), 6)
    x_shade = U(7.9, 0)[0]
    shell_shade = clip_convex(outline, [(x_shade, 0), (W, 0), (W, H), (x_shade, H)])
    visor = rounded_rect_d(U(-8.6, 0)[0], U(0, -7.6)[1], U(8.6, 0)[0], U(0, 8.3)[1], 30, 30)
    visor_glare = [U(x, y) for x, y in [(-7.6, -5.4), (-6.4, -6.9), (-3.2, -7.1), (-6.9, -3.6)]]
    top_plate = rounded_rect_d(U(-4.2, 0)[0], U(0, -13.4)[1], U(4.2, 0)[0], U(0, -11.8)[1], 6)
    ant_base, ant_top = U(0, -13.2), U(1.2, -17.4)
    out = [path(capsule([ant_base, ant_top], [2.5, 2]), fill=JOINT),
           disc(ant_top, 8, RED, 14), disc(add(ant_top, (-2.5, -2.5)), 2.5, "#ffd0c8", 8)]
    for s in (-1, 1):
        ear_c = U(s * 10.5, -1.2)
        out += [path(rounded_rect_d(ear_c[0] - 9, ear_c[1] - 20, ear_c[0] + 9, ear_c[1] + 20, 8),
                     fill=ORANGE),
                disc(ear_c, 5, ORANGE_DARK, 10)]
    out += [path(top_plate, fill=ORANGE),
            path(shell, fill=STEEL),
            path(poly(simplify(shell_shade, 3)), fill=STEEL_DARK),
            path(visor, fill=SCREEN),
            path(smooth(visor_glare, True, 0.7), fill="#ffffff", opacity=0.08)]
    for s in (-1, 1):
        out.append(path(rounded_rect_d(U(s * 5.4, 0)[0] - 8, U(0, 1.4)[1] - 4,
                                       U(s * 5.4, 0)[0] + 8, U(0, 1.4)[1] + 4, 4),
                        fill="#ff8f8f", opacity=0.55))
    out += nose(J) + mouth(J)
    for side in ("right", "left"):
        out += eye(J, side)
        out.append(path(brow(J, side, lift=3, widths=[2.6, 3, 3, 3, 2.6], step=8, cap_steps=3),
                        fill=GLOW))
    return out


def eye(J, side: str) -> list[str]:
    """A glowing screen eye in a soft halo: the iris, pupil and glint are sized on the eye's
    width and centred on the eye, not on the iris as a cartoon eye's are."""
    e = eye_ring(J, side)
    upper, lower = eye_lids(e)
    c = centroid(e)
    halo_upper, halo_lower = eye_lids([lerp(c, p, 1.22) for p in e])
    clip = eye_opening(e)
    w = abs(e[0][0] - e[3][0])
    return [path(d_of(halo_upper + halo_lower), fill=GLOW_SOFT, opacity=0.6),
            path(d_of(upper + lower), fill=GLOW),
            path(clipped_disc(add(c, (0, 1)), w * 0.24, clip), fill="#1d9bb0"),
            path(clipped_disc(add(c, (0, 1)), w * 0.12, clip), fill=SCREEN),
            path(clipped_disc(add(c, (-w * 0.1, -w * 0.08)), w * 0.07, clip, n=12), fill="#ffffff")]


def nose(J) -> list[str]:
    tri = [lerp(J["rightNose1"], J["rightNose0"], 0.2), lerp(J["leftNose1"], J["leftNose0"], 0.2),
           add(J["nose4"], (0, 5))]
    return [path(smooth(tri, True, 0.3), fill=ORANGE)]


def mouth(J) -> list[str]:
    """A glowing lip ring around the dark opening; the opening grows as the mouth opens."""
    m = Mouth(J, k=0.6)
    return [path(m.outline(), fill=GLOW), path(m.opening(), fill=SCREEN)]


def build() -> str:
    J = {**BODY, **HANDS, **FEET}
    J.update(place_face(U, eye_scale=(1.65, 4.4),
                        eye_shift=(0.35, 0.25), mouth_scale=(1.25, 1.1), smile=1.1, mouth_gap=2.2,
                        brow_lift=0.6))
    parts = (both_sides(leg) + both_sides(foot) + both_sides(arm) + neck() + torso()
             + both_sides(shoulder_pad, hand) + head(J))
    ill = group("illustration", parts)
    return document("Bolt", ill, J,
                    desc="Bolt, a robot bundled with poseanim. Original artwork, Apache-2.0.")


if __name__ == "__main__":
    write("bolt", build())
