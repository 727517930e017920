"""Circles and ellipses drawn as cubic pieces (render.round_shapes) look as cairo's arc draws
them; the pieces exist because cairo's arc spins for ever under an overflowing matrix (the
fixture tests/fuzz/regressions/arc-extreme-matrix-spins-cairo.svg runs that case)."""

from __future__ import annotations

import math

import cairocffi as cairo
import numpy as np

from poseanim.render.png import render_rgba

SIZE = 240
# (cx, cy, rx, ry, stroke width): huge, its edge at 20° crossing the picture's right side (where
# four pieces would be 1.3 px off: the farthest point from a quarter piece's ends), then large,
# small, thin, stroked, mirrored (negative ry)
SHAPES = [(-4468.46, -1590.1, 5000, 5000, 0), (120, 120, 100, 100, 0), (40, 40, 25, 12, 0),
          (200, 40, 3, 30, 2), (60, 190, 40, 40, 6), (180, 180, 45, -20, 3)]


def _svg() -> bytes:
    shapes = "".join(
        f'<circle cx="{cx}" cy="{cy}" r="{rx}" fill="#1f6fd1" stroke="#e0532b" stroke-width="{w}"/>'
        if rx == ry else
        f'<ellipse cx="{cx}" cy="{cy}" rx="{rx}" ry="{ry}" fill="#1f6fd1" stroke="#e0532b" '
        f'stroke-width="{w}"/>'
        for cx, cy, rx, ry, w in SHAPES)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{SIZE}" height="{SIZE}">{shapes}'
            "</svg>").encode()


def _with_cairo_arc() -> np.ndarray:
    """The same shapes drawn the way cairosvg drew them before: cairo's arc, y scaled by ry/rx."""
    surface = cairo.ImageSurface(cairo.FORMAT_ARGB32, SIZE, SIZE)
    context = cairo.Context(surface)
    context.set_source_rgb(1, 1, 1)
    context.paint()
    for cx, cy, rx, ry, width in SHAPES:
        context.new_path()
        context.save()
        context.scale(1, ry / rx)
        context.new_sub_path()
        context.arc(cx, cy / (ry / rx), rx, 0, 2 * math.pi)
        context.close_path()
        context.restore()
        context.set_source_rgb(0x1F / 255, 0x6F / 255, 0xD1 / 255)
        context.fill_preserve()
        if width:
            context.set_line_width(width)
            context.set_source_rgb(0xE0 / 255, 0x53 / 255, 0x2B / 255)
            context.stroke()
    surface.flush()
    bgra = np.ndarray((SIZE, surface.get_stride() // 4, 4), np.uint8, surface.get_data())[:, :SIZE]
    return bgra[..., [2, 1, 0]].astype(int)  # opaque: premultiplied is straight (little-endian)


def test_circles_and_ellipses_draw_as_cairo_arc_draws_them():
    ours = render_rgba(_svg(), background="white")[..., :3].astype(int)
    arc = _with_cairo_arc()
    assert (arc != 255).any(axis=2).mean() > 0.2  # the shapes cover the picture
    differing = (np.abs(ours - arc).max(axis=2) > 32).mean()
    # Eight pieces: none measured (4e-6 of the radius: 0.02 px at 5000); four: 0.4 %.
    assert differing < 1e-4, differing
