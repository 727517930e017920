"""The reference skeleton: every joint of the rig at sensible human proportions.

Positions come from `template.tsv` (a 600×900 canvas; the face is a symmetrised MediaPipe face
mesh of a frontal photo), so that a skeleton copied into a new drawing lines up with what the
trackers report. `template_svg` writes it as a document to copy from: labelled joints, bones
as lines, a face panel drawn four times larger, and a plain mannequin as the illustration so
that the template itself is a character that animates (and that `rig check` accepts).
"""

from __future__ import annotations

import csv
from importlib import resources
from xml.sax.saxutils import escape

import numpy as np

from poseanim.rig.tables import BONES, JOINTS

TEMPLATE_CANVAS = (600.0, 900.0)
SIDE_COLOURS = {"left": "#1f6fd1", "right": "#e0532b", "centre": "#1e9e52"}
"""Joint colours by side (the character's own left and right), used by the template and editor."""

_MANNEQUIN = 'fill="#ece7e1" stroke="#66606e" stroke-width="2" stroke-linejoin="round"'
_FACE_PANEL_SCALE = 4.0
_FACE_PANEL_ORIGIN = np.array([760.0, 60.0])
_CANVAS_WIDTH = 1260.0


def template_joints() -> dict[str, np.ndarray]:
    """Joint name → (2,) position on the 600×900 template canvas, for every joint of the rig
    (Pose Animator's 85, then the optional hands and feet)."""
    text = resources.files("poseanim.rig").joinpath("template.tsv").read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line and not line.startswith("#")]
    return {row["name"]: np.array([float(row["x"]), float(row["y"])])
            for row in csv.DictReader(rows, delimiter="\t")}


def joint_side(name: str) -> str:
    """'left', 'right' or 'centre': which side of the character a joint belongs to."""
    return "left" if name.startswith("left") else "right" if name.startswith("right") else "centre"


def number(value: float) -> str:
    """A coordinate as short text: two decimals at most, no trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def joint_circles(joints: dict[str, np.ndarray], radius: float, prefix: str = "",
                  styled: bool = False, indent: str = "\n  ") -> str:
    """One `<circle id=NAME>` per joint, in joints.tsv order: the skeleton's content.

    styled: fill each circle with its side's colour (for a template meant to be seen);
    otherwise the circles carry no paint and the group's style decides.
    """
    circles = []
    for spec in JOINTS:
        if spec.name not in joints:
            continue
        x, y = joints[spec.name]
        paint = (f' fill="{SIDE_COLOURS[joint_side(spec.name)]}" stroke="#fff" '
                 f'stroke-width="{number(radius / 3)}"' if styled else "")
        circles.append(f'{indent}<{prefix}circle id="{spec.name}" cx="{number(x)}" '
                       f'cy="{number(y)}" r="{number(radius)}"{paint}/>')
    return "".join(circles)


# ---- curves ---------------------------------------------------------------------------------

def smooth_path(points: np.ndarray, closed: bool) -> str:
    """Path data of a Catmull-Rom curve through (N, 2) points, as cubic Béziers."""
    count = len(points)
    if closed:
        before, after = np.roll(points, 1, axis=0), np.roll(points, -1, axis=0)
        targets = after
    else:
        before = np.vstack([points[:1], points[:-1]])
        after = np.vstack([points[1:], points[-1:]])
        targets = points[1:]
    tangents = (after - before) / 6.0
    segments = len(targets)
    parts = [f"M{number(points[0, 0])},{number(points[0, 1])}"]
    for i in range(segments):
        j = (i + 1) % count
        h1, h2, end = points[i] + tangents[i], points[j] - tangents[j], points[j]
        parts.append("C" + " ".join(f"{number(x)},{number(y)}" for x, y in (h1, h2, end)))
    return "".join(parts) + ("Z" if closed else "")


def _capsule(a: np.ndarray, b: np.ndarray, radius: float) -> str:
    """Path data of a limb: a rounded bar of `radius` from joint a to joint b."""
    direction = (b - a) / np.linalg.norm(b - a)
    normal = np.array([-direction[1], direction[0]]) * radius
    r = number(radius)
    (x1, y1), (x2, y2), (x3, y3), (x4, y4) = a + normal, b + normal, b - normal, a - normal
    return (f"M{number(x1)},{number(y1)}L{number(x2)},{number(y2)}A{r},{r} 0 0 0 "
            f"{number(x3)},{number(y3)}L{number(x4)},{number(y4)}A{r},{r} 0 0 0 "
            f"{number(x1)},{number(y1)}Z")


def _chain(joints: dict[str, np.ndarray], *names: str) -> np.ndarray:
    return np.array([joints[name] for name in names])


# ---- the mannequin --------------------------------------------------------------------------

def _body(j: dict[str, np.ndarray]) -> list[str]:
    """Legs, torso, neck and arms, back to front."""
    shapes = []
    for side in ("right", "left"):
        shapes.append(f'<path d="{_capsule(j[side + "Hip"], j[side + "Knee"], 24)}" {_MANNEQUIN}/>')
        shapes.append(f'<path d="{_capsule(j[side + "Knee"], j[side + "Ankle"], 19)}" {_MANNEQUIN}/>')
        shapes.append(_foot(j, side))
    ls, rs, lh, rh = j["leftShoulder"], j["rightShoulder"], j["leftHip"], j["rightHip"]
    centre_x = (ls[0] + rs[0]) / 2
    shapes.append(f'<rect x="{number(centre_x - 17)}" y="{number(j["jawMid"][1] - 20)}" width="34" '
                  f'height="{number(ls[1] - j["jawMid"][1] + 10)}" rx="8" {_MANNEQUIN}/>')
    outline = np.array([
        rs + (-4, -14), (centre_x, rs[1] - 22), ls + (4, -14), ls + (18, 40),
        ((ls[0] + lh[0]) / 2 + 6, (ls[1] + lh[1]) / 2 + 10), lh + (22, 18), (centre_x, lh[1] + 34),
        rh + (-22, 18), ((rs[0] + rh[0]) / 2 - 6, (rs[1] + rh[1]) / 2 + 10), rs + (-18, 40),
    ])
    shapes.append(f'<path d="{smooth_path(outline, True)}" {_MANNEQUIN}/>')
    for side in ("right", "left"):
        shapes.append(f'<path d="{_capsule(j[side + "Shoulder"], j[side + "Elbow"], 19)}" {_MANNEQUIN}/>')
        shapes.append(f'<path d="{_capsule(j[side + "Elbow"], j[side + "Wrist"], 15)}" {_MANNEQUIN}/>')
        shapes += _hand(j, side)
    return shapes


def _tube(chain: np.ndarray, radius: float) -> str:
    """Path data of a finger: a closed smooth tube of `radius` along (N, 2) joint positions,
    rounded at the tip, so that it bends at every joint it passes."""
    step = np.diff(chain, axis=0)
    unit = step / np.linalg.norm(step, axis=1, keepdims=True)
    along = np.vstack([unit[:1], (unit[:-1] + unit[1:]) / 2, unit[-1:]])
    along /= np.linalg.norm(along, axis=1, keepdims=True)
    normal = np.column_stack([-along[:, 1], along[:, 0]]) * radius
    tip = chain[-1] + unit[-1] * radius * 0.9
    outline = np.vstack([chain + normal, tip[None], (chain - normal)[::-1]])
    return smooth_path(outline, True)


_KNUCKLE_SHARE = 0.4
"""A knuckle reaches at most this share of its finger's first bone beyond the finger's base:
a palm covering half of it would bind to the finger too and crumple when the finger folds."""


def _hand(j: dict[str, np.ndarray], side: str) -> list[str]:
    """Five fingers under the back of the hand, which has a rounded knuckle over each finger's
    base; a round mitten when the joints are absent."""
    wrist, elbow = j[side + "Wrist"], j[side + "Elbow"]
    if side + "Index1" not in j:
        centre = wrist + (wrist - elbow) * 0.18
        return [f'<circle cx="{number(centre[0])}" cy="{number(centre[1])}" r="17" {_MANNEQUIN}/>']
    fingers = [f'<path d="{_tube(_chain(j, *(f"{side}{finger}{k}" for k in range(1, 5))), radius)}" '
               f'{_MANNEQUIN}/>'
               for finger, radius in (("Thumb", 5.2), ("Index", 4.6), ("Middle", 4.8),
                                      ("Ring", 4.5), ("Pinky", 3.9))]
    across = j[side + "Index1"] - j[side + "Pinky1"]
    across /= np.linalg.norm(across)
    forward = (wrist - elbow) / np.linalg.norm(wrist - elbow)
    bases: list[np.ndarray] = []
    knuckles: list[np.ndarray] = []
    for finger in ("Pinky", "Ring", "Middle", "Index"):
        base, bone = j[f"{side}{finger}1"], j[f"{side}{finger}2"] - j[f"{side}{finger}1"]
        length = float(np.linalg.norm(bone))
        if bases:  # a shallow dip between two knuckles
            knuckles.append((bases[-1] + base) / 2 + forward * 2)
        bases.append(base)
        knuckles.append(base + bone / length * min(4.5, _KNUCKLE_SHARE * length))
    palm = np.array([wrist - across * 11 - forward * 2, j[side + "Pinky1"] - across * 4.5,
                     *knuckles, j[side + "Index1"] + across * 4.5, _thenar(j, side),
                     wrist + across * 11 - forward * 2])
    return fingers + [f'<path d="{smooth_path(palm, True)}" {_MANNEQUIN}/>']


def _thenar(j: dict[str, np.ndarray], side: str) -> np.ndarray:
    """The palm's corner on the thumb's side: on the palm, a third of the way from the thumb's
    base (CMC) to its knuckle. At the knuckle itself it bound to the thumb, and a raised thumb
    (a thumbs-up) drew the palm out into a wedge after it."""
    return j[side + "Thumb1"] + (j[side + "Thumb2"] - j[side + "Thumb1"]) / 3


def _foot(j: dict[str, np.ndarray], side: str) -> str:
    """A shoe from heel to toe that turns with them; an ellipse when they are absent."""
    ankle = j[side + "Ankle"]
    if side + "Toe" not in j or side + "Heel" not in j:
        forward = 16 if side == "left" else -16
        return (f'<ellipse cx="{number(ankle[0] + forward)}" cy="{number(ankle[1] + 14)}" '
                f'rx="30" ry="12" {_MANNEQUIN}/>')
    heel, toe = j[side + "Heel"], j[side + "Toe"]
    axis = toe - heel
    normal = np.array([-axis[1], axis[0]]) / np.linalg.norm(axis)
    outline = np.array([heel - axis * 0.3 + normal * 6, heel + axis * 0.4 + normal * 12,
                        toe + axis * 0.25 + normal * 4, toe + axis * 0.35 - normal * 5,
                        toe - axis * 0.1 - normal * 11, heel - axis * 0.1 - normal * 11,
                        heel - axis * 0.45])
    return f'<path d="{smooth_path(outline, True)}" {_MANNEQUIN}/>'


def _face(j: dict[str, np.ndarray]) -> list[str]:
    """Head, hair, ears, eyes (lids on the eye joints), brows, nose and a mouth that opens."""
    line = 'fill="none" stroke="#66606e" stroke-linecap="round"'
    outline = _chain(j, "topMid", "leftTop0", "leftTop1", "leftJaw1", "leftJaw2", "leftJaw3",
                     "leftJaw4", "leftJaw5", "leftJaw6", "leftJaw7", "jawMid", "rightJaw7",
                     "rightJaw6", "rightJaw5", "rightJaw4", "rightJaw3", "rightJaw2", "rightJaw1",
                     "rightTop1", "rightTop0")
    top, left_ear, right_ear = j["topMid"], j["leftJaw3"], j["rightJaw3"]
    width = j["leftJaw2"][0] - j["rightJaw2"][0]
    hair = np.array([j["rightJaw0"], j["rightTop1"] + (-4, -12), top + (0, -26),
                     j["leftTop1"] + (4, -12), j["leftJaw0"], top + (0, 2)])
    shapes = [
        f'<ellipse cx="{number(left_ear[0])}" cy="{number(left_ear[1])}" rx="{number(width * 0.07)}" '
        f'ry="{number(width * 0.12)}" {_MANNEQUIN}/>',
        f'<ellipse cx="{number(right_ear[0])}" cy="{number(right_ear[1])}" rx="{number(width * 0.07)}" '
        f'ry="{number(width * 0.12)}" {_MANNEQUIN}/>',
        f'<path d="{smooth_path(outline, True)}" {_MANNEQUIN}/>',
        f'<path d="{smooth_path(hair, True)}" fill="#8a8391" stroke="#66606e" stroke-width="2" '
        'stroke-linejoin="round"/>',
    ]
    for side in ("right", "left"):
        eye = _chain(j, *(f"{side}Eye{k}" for k in range(6)))
        centre = eye.mean(axis=0)
        iris = min(np.ptp(eye[:, 1]) * 0.45, np.ptp(eye[:, 0]) * 0.25)
        shapes += [
            f'<path d="{smooth_path(eye, True)}" fill="#fff" stroke="#66606e" stroke-width="1"/>',
            f'<circle cx="{number(centre[0])}" cy="{number(centre[1])}" r="{number(iris)}" fill="#3d6fb6"/>',
            f'<path d="{smooth_path(_chain(j, *(f"{side}Brow{k}" for k in range(5))), False)}" '
            f'{line} stroke-width="2.5"/>',
        ]
    nose = _chain(j, "rightNose0", "rightNose1", "nose4", "leftNose1", "leftNose0")
    shapes.append(f'<path d="{smooth_path(nose, False)}" {line} stroke-width="1.5"/>')
    inner = _chain(j, "rightMiddleLip", "rightUpperLipBottom1", "upperLipBottomMid",
                   "leftUpperLipBottom1", "leftMiddleLip", "leftLowerLipTop0", "lowerLipTopMid",
                   "rightLowerLipTop0")
    upper = _chain(j, "rightMouthCorner", "rightUpperLipTop0", "rightUpperLipTop1",
                   "upperLipTopMid", "leftUpperLipTop1", "leftUpperLipTop0", "leftMouthCorner",
                   "leftMiddleLip", "leftUpperLipBottom1", "upperLipBottomMid",
                   "rightUpperLipBottom1", "rightMiddleLip")
    lower = _chain(j, "rightMouthCorner", "rightMiddleLip", "rightLowerLipTop0", "lowerLipTopMid",
                   "leftLowerLipTop0", "leftMiddleLip", "leftMouthCorner", "leftLowerLipBottom0",
                   "leftLowerLipBottom1", "lowerLipBottomMid", "rightLowerLipBottom1",
                   "rightLowerLipBottom0")
    lips = 'fill="#c8736c" stroke="#8c4a4a" stroke-width="0.8" stroke-linejoin="round"'
    shapes += [f'<path d="{smooth_path(inner, True)}" fill="#5b2432"/>',
               f'<path d="{smooth_path(upper, True)}" {lips}/>',
               f'<path d="{smooth_path(lower, True)}" {lips}/>']
    return shapes


def mannequin(joints: dict[str, np.ndarray]) -> str:
    """A plain figure drawn on the joints: the template's illustration, fit to be replaced."""
    return "\n  ".join(_body(joints) + _face(joints))


# ---- the skeleton as a guide ----------------------------------------------------------------

def _bone_lines(joints: dict[str, np.ndarray], width: float) -> str:
    lines = []
    for bone in BONES:
        (x1, y1), (x2, y2) = joints[bone.joint0], joints[bone.joint1]
        lines.append(f'<line x1="{number(x1)}" y1="{number(y1)}" x2="{number(x2)}" '
                     f'y2="{number(y2)}"/>')
    return (f'<g stroke="#3c3846" stroke-opacity="0.55" stroke-width="{number(width)}" '
            'stroke-linecap="round">' + "".join(lines) + "</g>")


def _labels(joints: dict[str, np.ndarray], names: list[str], size: float, gap: float) -> str:
    """Joint names beside their joints: left joints to the right (where a front view shows
    them), right joints to the left, centre joints above."""
    texts = []
    for name in names:
        x, y = joints[name]
        side = joint_side(name)
        anchor = {"left": "start", "right": "end", "centre": "middle"}[side]
        dx = {"left": gap, "right": -gap, "centre": 0.0}[side]
        dy = size * 0.35 if side != "centre" else -gap
        texts.append(f'<text x="{number(x + dx)}" y="{number(y + dy)}" text-anchor="{anchor}" '
                     f'fill="{SIDE_COLOURS[side]}">{escape(name)}</text>')
    return (f'<g font-family="DejaVu Sans, Arial, sans-serif" font-size="{number(size)}">'
            + "".join(texts) + "</g>")


def _callouts(points: dict[str, np.ndarray], names: list[str], left: float, right: float,
              size: float) -> str:
    """Names in two columns beside a crowded drawing, each joined to its joint by a thin line.

    Joints left of the middle are named in the left column, the others in the right one;
    each column keeps the joints' top-to-bottom order and never lets two names overlap.
    """
    middle = (left + right) / 2
    columns: dict[bool, list[str]] = {True: [], False: []}
    for name in sorted(names, key=lambda n: points[n][1]):
        x = points[name][0]
        on_left = x < middle - 1e-6 or (abs(x - middle) <= 1e-6
                                        and len(columns[True]) <= len(columns[False]))
        columns[on_left].append(name)
    parts = []
    for on_left, column in columns.items():
        label_x = left - 10 if on_left else right + 10
        y = -np.inf
        for name in column:
            y = max(points[name][1] + size * 0.35, y + size * 1.3)
            px, py = points[name]
            colour = SIDE_COLOURS[joint_side(name)]
            parts.append(f'<line x1="{number(label_x + (2 if on_left else -2))}" '
                         f'y1="{number(y - size * 0.35)}" x2="{number(px)}" y2="{number(py)}" '
                         f'stroke="{colour}" stroke-opacity="0.35" stroke-width="0.6"/>'
                         f'<text x="{number(label_x)}" y="{number(y)}" '
                         f'text-anchor="{"end" if on_left else "start"}" fill="{colour}">'
                         f"{escape(name)}</text>")
    return (f'<g font-family="DejaVu Sans, Arial, sans-serif" font-size="{number(size)}">'
            + "".join(parts) + "</g>")


def _face_panel(joints: dict[str, np.ndarray]) -> str:
    """The face joints enlarged beside the figure, with every name legible."""
    face = [spec.name for spec in JOINTS if spec.region == "face"]
    low = np.min([joints[name] for name in face], axis=0)
    high = np.max([joints[name] for name in face], axis=0)
    big = {name: (joints[name] - low) * _FACE_PANEL_SCALE + _FACE_PANEL_ORIGIN for name in face}
    right = _FACE_PANEL_ORIGIN[0] + (high[0] - low[0]) * _FACE_PANEL_SCALE
    lines = []
    for bone in BONES:
        if bone.region == "face":
            (x1, y1), (x2, y2) = big[bone.joint0], big[bone.joint1]
            lines.append(f'<line x1="{number(x1)}" y1="{number(y1)}" x2="{number(x2)}" '
                         f'y2="{number(y2)}"/>')
    dots = "".join(f'<circle cx="{number(x)}" cy="{number(y)}" r="2.5" '
                   f'fill="{SIDE_COLOURS[joint_side(name)]}"/>' for name, (x, y) in big.items())
    title_x = (_FACE_PANEL_ORIGIN[0] + right) / 2
    return ("<g>"
            f'<text x="{number(title_x)}" y="{number(_FACE_PANEL_ORIGIN[1] - 22)}" '
            'text-anchor="middle" font-family="DejaVu Sans, Arial, sans-serif" font-size="13" '
            f'fill="#3c3846">face joints, ×{_FACE_PANEL_SCALE:g} (move the small circles on the '
            "figure)</text>"
            '<g stroke="#3c3846" stroke-opacity="0.45" stroke-width="1">' + "".join(lines)
            + "</g>" + dots + _callouts(big, face, _FACE_PANEL_ORIGIN[0], right, 8.5) + "</g>")


def template_svg() -> str:
    """The reference skeleton document (`poseanim rig template`).

    The `skeleton` group holds the joint circles (coloured by side), and, as guides that no
    program reads as joints, the bones, the body joints' names and the enlarged face panel.
    The `illustration` group holds the mannequin.
    """
    joints = template_joints()
    body = [spec.name for spec in JOINTS if spec.region == "body"]
    width = _CANVAS_WIDTH
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{number(width)}" height="900" '
        f'viewBox="0 0 {number(width)} 900">\n'
        "<title>poseanim rig template</title>\n"
        "<desc>The Pose Animator rig: copy the group 'skeleton' into your drawing, put your "
        "drawing in a group 'illustration', and move each joint onto the matching place. "
        "Joints are the circles with ids; lines and names are guides. Left and right are the "
        "character's own (its left is on your right).</desc>\n"
        '<g id="illustration">\n  ' + mannequin(joints) + "\n</g>\n"
        '<g id="skeleton">\n'
        + _bone_lines(joints, 1.2) + "\n"
        + _labels(joints, body, 11, 9) + "\n"
        + _face_panel(joints)
        + joint_circles({name: joints[name] for name in body}, 5, styled=True)
        + joint_circles({name: joints[name] for name in joints if name not in body}, 1.2,
                        styled=True)
        + "\n</g>\n</svg>\n"
    )
