"""Strokes drawn at most MAX_STROKE_PIXELS wide (`render.stroke_bound`), by cairosvg and by the
cairo painter: a stroke 6.4e11 wide kept both in cairo's stroker for tens of seconds (fuzz case
13:87643, a hang); bounded, it is drawn as every stroke past the bound is, in moments."""

from __future__ import annotations

import numpy as np
from poseanim.illustration import Illustration
from poseanim.render.cairo_painter import CairoPainter
from poseanim.render.png import render_rgba
from poseanim.rig.reader import read_rigged_tree
from poseanim.svg.document import parse_svg_text

from svg_factory import limb_shapes, rigged_svg

WIDE = 2e6  # units: 213 000 px at 64 px for 600, past MAX_STROKE_PIXELS
HUGE = 6.4e11  # the fuzz case's width


def _document(width: float) -> bytes:
    """A wavy open curve, butt caps and mitred joins (a round pen that wide would cover all)."""
    curve = ('<path id="wave" d="M150,450 C220,300 300,600 380,420 S440,380 470,470" fill="none" '
             f'stroke="red" stroke-linecap="butt" stroke-miterlimit="10" '
             f'style="stroke-width: {width}"/>')
    return rigged_svg(body=limb_shapes() + curve).encode()


def test_cairosvg_draws_a_huge_stroke_as_a_wide_one():
    wide = render_rgba(_document(WIDE), width=64)
    red = (wide[..., 0] > 200) & (wide[..., 1] < 50)
    assert 0.2 < red.mean() < 0.9  # drawn, and not over everything
    np.testing.assert_array_equal(render_rgba(_document(HUGE), width=64), wide)


def test_the_cairo_painter_draws_a_huge_stroke_as_a_wide_one():
    pictures = []
    for width in (WIDE, HUGE):
        text = _document(width)
        drawing = Illustration(read_rigged_tree(parse_svg_text(text, "t.svg"), "t.svg"), "t")
        frame = drawing.pose(drawing.rest_pose())
        pictures.append(CairoPainter(drawing, (64, 96)).paint(frame))
    red = (pictures[0][..., 0] > 200) & (pictures[0][..., 1] < 50)
    assert 0.2 < red.mean() < 0.9
    np.testing.assert_array_equal(pictures[1], pictures[0])
