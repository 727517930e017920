"""Strokes drawn at most `canvas.MAX_STROKE_PIXELS` wide, by cairosvg as by the cairo painter.

cairo's stroker works harder the wider the pen: its round pens have π·√(r / 2·tolerance)
vertices, fanned along every curve, so a `stroke-width` of 6.4e11 (fuzz case 13:87643, from a
style sheet) kept cairosvg and the cairo painter in C for tens of seconds, and wider ones for
ever (an 8-curve path 1e12 units wide: 2.6 s to paint 96 px wide; 1e13: unfinished after 100 s).
Past a few hundred thousand pixels cairo no longer draws a stroke right either: the wavy curve
of tests/render/test_stroke_bound.py covers the same 87 % of its picture from 10 700 to
213 000 px wide, 96 % at 427 000 and nothing at 700 000. A stroke `MAX_STROKE_PIXELS` wide
still covers the largest picture poseanim draws (16 384 pixels a side, 23 170 across) from any
point of its path less than 26 000 pixels outside it.

cairosvg sets a stroke's width in one place (`Surface.draw`, through its context's
`set_line_width`); `install` makes the context of every cairosvg surface (masks' and patterns'
included) one that bounds it in device pixels.
"""

from __future__ import annotations

import math

import cairocffi as cairo
import cairosvg.surface

from poseanim.render.canvas import MAX_STROKE_PIXELS


class _BoundedStrokes(cairo.Context):
    """A cairo context whose line width stays within `MAX_STROKE_PIXELS` device pixels."""

    def set_line_width(self, width: float) -> None:
        xx, yx, xy, yy, _, _ = self.get_matrix().as_tuple()
        stretch = math.hypot(xx, yx, xy, yy)  # at least the matrix's largest axis scale
        super().set_line_width(min(width, MAX_STROKE_PIXELS / max(stretch, 1e-300)))


def _context(surface: cairosvg.surface.Surface) -> cairo.Context:
    return surface.__dict__["_bounded_context"]


def _set_context(surface: cairosvg.surface.Surface, context: cairo.Context) -> None:
    context.__class__ = _BoundedStrokes  # cairosvg made a plain one; same object, bounded
    surface.__dict__["_bounded_context"] = context


def install() -> None:
    """Make every cairosvg surface draw its strokes bounded (idempotent)."""
    cairosvg.surface.Surface.context = property(_context, _set_context)
