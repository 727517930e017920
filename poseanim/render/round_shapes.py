"""Circles and ellipses for cairosvg as eight cubic pieces, never through cairo's `arc`.

cairosvg draws an ellipse by scaling y by ry/rx and calling cairo's `arc`; cairo's arc
decides how many pieces to draw from the matrix, and once that matrix squared overflows a
double (`<ellipse rx="1e-320" ry="7e-30">`, a circle under 18 nested `scale(1,1e9)`, a stroked
circle 10²⁷ px wide) it spins for ever in C, where no alarm reaches it (fuzz case 13:18867).
Cubic curves under the same matrices draw at once. Eight pieces stay within 4e-6 of the
radius of the true curve (four would be 2.7e-4: visible on a large circle).

`install()` puts these drawers in cairosvg's shape table (`cairosvg.surface.TAGS`), which its
surfaces, masks, patterns and markers all draw through, so every circle cairosvg draws in
this process takes them.
"""

from __future__ import annotations

import math

import cairosvg.surface
from cairosvg.helpers import size

_PIECES = 8
_KAPPA = 4 / 3 * math.tan(math.pi / (2 * _PIECES))  # control-point distance for a unit circle
_UNIT = [(math.cos(2 * math.pi * i / _PIECES), math.sin(2 * math.pi * i / _PIECES))
         for i in range(_PIECES + 1)]


def _outline(context, cx: float, cy: float, rx: float, ry: float) -> None:
    """An ellipse's outline from angle 0 the way cairo's arc goes (positive angles), closed.

    A radius rx ≤ 0 is drawn as cairo draws a non-positive arc radius: a line to the centre.
    A negative ry mirrors the outline, as cairosvg's negative y scale does.
    """
    context.new_sub_path()
    if rx <= 0:
        context.line_to(cx, cy)
    else:
        context.move_to(cx + rx, cy)
        for (c0, s0), (c1, s1) in zip(_UNIT, _UNIT[1:]):
            context.curve_to(cx + rx * (c0 - _KAPPA * s0), cy + ry * (s0 + _KAPPA * c0),
                             cx + rx * (c1 + _KAPPA * s1), cy + ry * (s1 - _KAPPA * c1),
                             cx + rx * c1, cy + ry * s1)
    context.close_path()


def circle(surface, node) -> None:
    """Draw a `<circle>` (cairosvg's `shapes.circle`, without `arc`)."""
    r = size(surface, node.get("r"))
    if not r:
        return
    _outline(surface.context, size(surface, node.get("cx"), "x"),
             size(surface, node.get("cy"), "y"), r, r)


def ellipse(surface, node) -> None:
    """Draw an `<ellipse>` (cairosvg's `shapes.ellipse`, without `arc` or its y scale)."""
    rx = size(surface, node.get("rx"), "x")
    ry = size(surface, node.get("ry"), "y")
    if not rx or not ry:
        return
    _outline(surface.context, size(surface, node.get("cx"), "x"),
             size(surface, node.get("cy"), "y"), rx, ry)


def install() -> None:
    """Make cairosvg draw circles and ellipses with these drawers (idempotent)."""
    cairosvg.surface.TAGS["circle"] = circle
    cairosvg.surface.TAGS["ellipse"] = ellipse
