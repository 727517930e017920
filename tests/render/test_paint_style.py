"""Computed SVG styles resolved once into the paint both raster painters follow."""

from __future__ import annotations

import numpy as np
import pytest

from poseanim.illustration import Illustration
from poseanim.render.paint_style import Gradient, shape_paints, stroke_scale
from poseanim.rig.reader import read_rigged_tree
from poseanim.svg.document import parse_svg_text

from svg_factory import limb_shapes, rigged_svg

EXTRA = ('<defs><linearGradient id="sky" x1="0" y1="0" x2="1" y2="0">'
         '<stop offset="0" stop-color="#000"/><stop offset="1" stop-color="#fff" '
         'stop-opacity="0.5"/></linearGradient>'
         '<linearGradient id="flat" gradientTransform="scale(0)"><stop offset="0" stop-color="red"/>'
         '<stop offset="1" stop-color="blue"/></linearGradient></defs>'
         '<path id="a" d="M300,300 L320,300 L320,320 Z" fill="#ff0000" fill-opacity="0.5" '
         'stroke="blue" stroke-width="3" opacity="0.8" stroke-linecap="round"/>'
         '<path id="b" d="M300,400 L320,400 L320,420 Z" fill="url(#sky)" stroke="none" '
         'fill-rule="evenodd" stroke-dasharray="4 2"/>'
         '<path id="c" d="M300,500 L320,500 L320,520 Z" style="fill:none;stroke:currentColor" '
         'color="lime"/>'
         '<path id="d" d="M300,600 L320,600 L320,620 Z" fill="url(#flat)" stroke="#000"/>')


@pytest.fixture(scope="module")
def illustration() -> Illustration:
    text = rigged_svg(body=limb_shapes() + EXTRA)
    return Illustration(read_rigged_tree(parse_svg_text(text, "t.svg"), "t.svg"), "t")


@pytest.fixture(scope="module")
def paints(illustration):
    ids = [shape.element.get("id") for shape in illustration.shapes]
    return {name: paint for name, paint in zip(ids, shape_paints(illustration)) if name}


def test_colours_opacities_and_stroke_settings(paints):
    paint = paints["a"]
    assert paint.fill == pytest.approx((1.0, 0.0, 0.0, 0.5))
    assert paint.stroke == pytest.approx((0.0, 0.0, 1.0, 1.0))
    assert paint.stroke_width == 3.0 and paint.line_cap == "round" and paint.opacity == 0.8
    assert not paint.even_odd and paint.dash == ()


def test_a_gradient_reference_becomes_its_stops(paints):
    paint = paints["b"]
    assert isinstance(paint.fill, Gradient) and paint.fill.kind == "linear"
    assert [offset for offset, _ in paint.fill.stops] == [0.0, 1.0]
    assert paint.fill.stops[1][1] == pytest.approx((1.0, 1.0, 1.0, 0.5))
    assert paint.stroke is None and paint.even_odd and paint.dash == (4.0, 2.0)


def test_current_colour_and_none(paints):
    assert paints["c"].fill is None
    assert paints["c"].stroke == pytest.approx((0.0, 1.0, 0.0, 1.0))


def test_a_gradient_squashed_flat_paints_nothing_and_the_shape_still_draws(illustration, paints):
    from poseanim.render.cairo_painter import CairoPainter

    assert paints["d"].fill is None and paints["d"].stroke is not None
    frame = illustration.pose(illustration.rest_pose())
    assert CairoPainter(illustration, (120, 180)).paint(frame).min() < 128  # drawn, not refused


def test_a_transform_scales_strokes_by_its_mean_axis_scale():
    assert stroke_scale(np.diag([2.0, 8.0, 1.0])) == pytest.approx(4.0)
    assert stroke_scale(np.array([[0.0, -3.0, 5.0], [3.0, 0.0, 1.0], [0, 0, 1]])) == pytest.approx(3)


def test_gradient_placement_lays_out_each_gradient_as_its_definition_says(tracked_pose):
    """`GradientPlacement` works every pair out at once from what it gathered beforehand; each
    layout is still the definition: a userSpaceOnUse gradient moves with its shape's overall
    motion, an objectBoundingBox one spans the posed shape's box in the shape's local space."""
    from poseanim.illustration import load_illustration
    from poseanim.render.paint_style import GradientPlacement

    mira = load_illustration("mira")  # both kinds of gradient, linear and radial
    pairs = [(index, paint) for index, shape_paint in enumerate(shape_paints(mira))
             for paint in (shape_paint.fill, shape_paint.stroke) if isinstance(paint, Gradient)]
    assert {paint.user_space for _, paint in pairs} == {True, False}
    placement = GradientPlacement(mira, [index for index, _ in pairs], [paint for _, paint in pairs])
    for frame in (mira.pose(mira.rest_pose()), mira.pose(tracked_pose).fitted(600, 600)):
        for (index, paint), layout in zip(pairs, placement.layouts(frame)):
            ctm = mira.shapes[index].ctm
            if paint.user_space:
                expected = frame.shape_motion(index) @ ctm
            else:
                ranges = mira.subpath_ranges[index]
                points = frame.points[ranges[0][0]:ranges[-1][1]]
                local = points @ np.linalg.inv(ctm)[:2, :2].T + np.linalg.inv(ctm)[:2, 2]
                low, high = local.min(axis=0), local.max(axis=0)
                box = np.array([[high[0] - low[0], 0, low[0]], [0, high[1] - low[1], low[1]],
                                [0, 0, 1]])
                expected = ctm @ box
            np.testing.assert_allclose(layout, expected @ paint.transform, rtol=1e-9, atol=1e-9)


def test_opacities_outside_zero_to_one_are_clamped_as_svg_says():
    """`opacity: -1e308` was kept, and became an infinite Lottie key (fuzz 13:39559)."""
    extra = ('<defs><linearGradient id="g"><stop offset="0" stop-color="red" stop-opacity="3"/>'
             '<stop offset="1" stop-color="blue" stop-opacity="-4"/></linearGradient></defs>'
             '<path id="e" d="M300,300 L320,300 L320,320 Z" fill="red" fill-opacity="7" '
             'stroke="blue" stroke-opacity="-2" style="opacity: -1e308"/>'
             '<path id="f" d="M300,400 L320,400 L320,420 Z" fill="url(#g)" opacity="1e308"/>')
    text = rigged_svg(body=limb_shapes() + extra)
    drawn = Illustration(read_rigged_tree(parse_svg_text(text, "t.svg"), "t.svg"), "t")
    paints = {shape.element.get("id"): paint for shape, paint in zip(drawn.shapes, shape_paints(drawn))}
    assert paints["e"].opacity == 0.0 and paints["f"].opacity == 1.0
    assert paints["e"].fill[3] == 1.0 and paints["e"].stroke[3] == 0.0
    assert [colour[3] for _, colour in paints["f"].fill.stops] == [1.0, 0.0]


def test_degenerate_gradient_layouts_invert_to_the_identity():
    """What the cairo painter and the Lottie writer both do with a gradient whose shape was
    posed to a point or a sliver (`gradient_inverses`): the identity, flagged; others exact."""
    from poseanim.render.paint_style import MAX_PATTERN_SCALE, gradient_inverses

    fine = np.array([[2.0, 1.0, 5.0], [0.0, 3.0, -4.0], [0, 0, 1]])
    squashed = np.diag([1.0, 0.0, 1.0])  # exactly singular (numpy's inverse: LinAlgError)
    sliver = np.diag([1.0, 0.5 / MAX_PATTERN_SCALE, 1.0])  # invertible, beyond pixman
    broken = np.full((3, 3), np.nan)
    inverses, degenerate = gradient_inverses(np.array([fine, squashed, sliver, broken]))
    assert degenerate.tolist() == [False, True, True, True]
    np.testing.assert_allclose(inverses[0] @ fine, np.eye(3), atol=1e-12)
    assert (inverses[1:] == np.eye(3)).all()
