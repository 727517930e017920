"""Facial features drawn on the face joints, shared by the characters' generators.

Every shape runs through the joints ``place_face`` sets, so eyes blink, brows lift and mouths
open and smile when the face is posed. Functions return path data, not painted elements: the
geometry is shared while each character paints it in its own style (Ada and Bolt with
attributes, Mira with Illustrator-style classes).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from svgkit import (Cubic, Point, add, capsule, catmull, centroid, clip_convex, d_of,
                    ellipse_points, lerp, lines, poly, reverse, sample, simplify, smooth)

# The face joints around the head: from the right temple (the viewer's left) down the jaw,
# up the other side and back over the top of the forehead.
FACE_OUTLINE = ["rightTop1", "rightJaw0", "rightJaw1", "rightJaw2", "rightJaw3", "rightJaw4",
                "rightJaw5", "rightJaw6", "rightJaw7", "jawMid", "leftJaw7", "leftJaw6", "leftJaw5",
                "leftJaw4", "leftJaw3", "leftJaw2", "leftJaw1", "leftJaw0", "leftTop1", "leftTop0",
                "topMid", "rightTop0"]


def face_outline(J: dict[str, Point], centre: Point, fullness: dict[str, float],
                 default: float = 1.0) -> list[Point]:
    """Points around the face, each outline joint pushed away from ``centre`` by its factor.

    Factors a little over 1 (``fullness`` per joint, ``default`` for the rest) give rounder
    cheeks than a real face while the outline still runs next to the joints it binds to.
    """
    return [lerp(centre, J[n], fullness.get(n, default)) for n in FACE_OUTLINE]


# ----------------------------------------------------------------------------- eyes
def eye_ring(J: dict[str, Point], side: str) -> list[Point]:
    """The six eye joints of one side: outer corner eye0, the upper lid to the inner corner
    eye3, then the lower lid back."""
    return [J[f"{side}Eye{i}"] for i in range(6)]


def eye_lids(ring: Sequence[Point]) -> tuple[list[Cubic], list[Cubic]]:
    """Upper lid (outer corner -> inner corner) and lower lid (inner -> outer) through a ring
    ordered like ``eye_ring``."""
    upper = catmull([ring[0], ring[1], ring[2], ring[3]], False)
    lower = catmull([ring[3], ring[4], ring[5], ring[0]], False)
    return upper, lower


def eye_opening(ring: Sequence[Point]) -> list[Point]:
    """The eye opening as a polygon along both lids: what irises and pupils are cut to."""
    upper, lower = eye_lids(ring)
    return sample(upper, 10)[:-1] + sample(lower, 10)[:-1]


def clipped_disc(center: Point, r: float, clip: Sequence[Point], n: int = 48,
                 min_gap: float = 1.2) -> str:
    """A disc cut to the eye opening; its edge runs along the lids so it closes with them."""
    pts = clip_convex(ellipse_points(center, r, r, n), clip)
    if len(pts) < 3:
        return ""
    return poly(simplify(pts, min_gap))


@dataclass(frozen=True)
class Eye:
    """Path data of a cartoon eye: its white, the iris, pupil and highlight cut to the opening,
    and both lid lines (open paths, for strokes)."""
    white: str
    iris: str
    pupil: str
    highlight: str
    upper_lid: str
    lower_lid: str


def cartoon_eye(ring: Sequence[Point], iris: float, pupil: float, iris_drop: float) -> Eye:
    """A round iris with a pupil and a highlight up and back from its centre.

    ``iris`` is the iris radius as a fraction of the eye's width and ``pupil`` the pupil's as a
    fraction of the iris; ``iris_drop`` px lowers the iris so the upper lid covers a little of
    it, which reads as relaxed rather than startled.
    """
    upper, lower = eye_lids(ring)
    clip = eye_opening(ring)
    c = add(centroid(ring), (0, iris_drop))
    r = abs(ring[0][0] - ring[3][0]) * iris
    return Eye(white=d_of(upper + lower),
               iris=clipped_disc(c, r, clip),
               pupil=clipped_disc(c, r * pupil, clip),
               highlight=clipped_disc(add(c, (-0.35 * r, -0.4 * r)), r * 0.28, clip, n=16),
               upper_lid=d_of(upper, closed=False),
               lower_lid=d_of(lower, closed=False))


def brow(J: dict[str, Point], side: str, lift: float, widths: Sequence[float], step: float = 6.0,
         cap_steps: int = 4) -> str:
    """A brow as a tube along the five brow joints, ``lift`` px above them, with half-widths
    ``widths`` from the outer end (brow0) to the inner one (brow4)."""
    pts = [add(J[f"{side}Brow{i}"], (0, -lift)) for i in range(5)]
    return capsule(pts, widths, step=step, cap_steps=cap_steps)


# ----------------------------------------------------------------------------- nose
def nose_line(J: dict[str, Point], wing: float, rise: float, tuck: float, tip: float) -> str:
    """The nose as one open line: from above each nostril wing, in under it and round under
    the tip.

    Its ends hang off points ``wing`` of the way out along each nostril (nose1 -> nose0),
    ``rise`` px above them; ``tuck`` px is how far the line turns in under each wing and
    ``tip`` px how far below the tip it passes.
    """
    wing_r = lerp(J["rightNose1"], J["rightNose0"], wing)
    wing_l = lerp(J["leftNose1"], J["leftNose0"], wing)
    return smooth([add(wing_r, (-1, -rise)), add(wing_r, (tuck, 2.5)), add(J["nose4"], (0, tip)),
                   add(wing_l, (-tuck, 2.5)), add(wing_l, (1, -rise))], False)


def nose_highlight(J: dict[str, Point], drop: float) -> str:
    """A soft lozenge on the nose tip where it catches the light, ``drop`` px below the tip."""
    tip = J["nose4"]
    return smooth([add(tip, (-5, drop - 3)), add(tip, (0, drop - 6)), add(tip, (5, drop - 3)),
                   add(tip, (0, drop))], True)


# ----------------------------------------------------------------------------- mouth
def lip_rings(J: dict[str, Point]) -> dict[str, list[Point]]:
    """Outer and inner lip rings, both from the character's right corner (viewer's left)."""
    upper_outer = [J[n] for n in ("rightMouthCorner", "rightUpperLipTop0", "rightUpperLipTop1",
                                  "upperLipTopMid", "leftUpperLipTop1", "leftUpperLipTop0",
                                  "leftMouthCorner")]
    lower_outer = [J[n] for n in ("rightMouthCorner", "rightLowerLipBottom0", "rightLowerLipBottom1",
                                  "lowerLipBottomMid", "leftLowerLipBottom1", "leftLowerLipBottom0",
                                  "leftMouthCorner")]
    upper_inner = [J[n] for n in ("rightMiddleLip", "rightUpperLipBottom1", "upperLipBottomMid",
                                  "leftUpperLipBottom1", "leftMiddleLip")]
    lower_inner = [J[n] for n in ("rightMiddleLip", "rightLowerLipTop0", "lowerLipTopMid",
                                  "leftLowerLipTop0", "leftMiddleLip")]
    return {"upper_outer": upper_outer, "lower_outer": lower_outer,
            "upper_inner": upper_inner, "lower_inner": lower_inner}


class Mouth:
    """A mouth drawn through the lip rings: outline, opening, lips, teeth and tongue.

    ``k`` is the tension of every lip curve: 0.9 gives soft round lips, 0.6 a flatter,
    more mechanical mouth.
    """

    def __init__(self, J: dict[str, Point], k: float) -> None:
        self.k = k
        self.rings = lip_rings(J)
        self.curves = {name: catmull(pts, False, k) for name, pts in self.rings.items()}

    def outline(self) -> str:
        """Around the outside of both lips."""
        return d_of(self.curves["upper_outer"] + reverse(self.curves["lower_outer"]))

    def opening(self) -> str:
        """Between the lips: it grows as the mouth opens."""
        return d_of(self.curves["upper_inner"] + reverse(self.curves["lower_inner"]))

    def lips(self) -> tuple[str, str]:
        """Upper and lower lip, each between its outer and inner ring; straight pieces join the
        mouth corners to the ends of the inner ring."""
        c, r = self.curves, self.rings
        right = lines([r["upper_outer"][0], r["upper_inner"][0]], closed=False)
        left = lines([r["upper_inner"][-1], r["upper_outer"][-1]], closed=False)
        return (d_of(right + c["upper_inner"] + left + reverse(c["upper_outer"])),
                d_of(right + c["lower_inner"] + left + reverse(c["lower_outer"])))

    def teeth(self, depth: float) -> str:
        """Upper teeth under the upper lip, reaching ``depth`` of the way down the opening."""
        r = self.rings
        edge = [lerp(a, b, depth) for a, b in zip(r["upper_inner"], r["lower_inner"])]
        return d_of(self.curves["upper_inner"] + reverse(catmull(edge, False, self.k)))

    def tongue(self, rise: float) -> str:
        """The tongue on the lower lip, its middle ``rise`` of the way up to the upper lip (its
        sides a fifth), so that it shows once the mouth opens."""
        up, low = self.rings["upper_inner"], self.rings["lower_inner"]
        return smooth([lerp(low[1], up[1], 0.2), lerp(low[2], up[2], rise),
                       lerp(low[3], up[3], 0.2), low[3], low[2], low[1]], True, 0.8)
