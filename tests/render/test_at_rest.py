"""A drawing painted as drawn, before it has a rig (`render.at_rest`): the cairo painter paints
the whole document's shapes with the pixels cairosvg gives them, and leaves to cairosvg what
only it draws."""

from __future__ import annotations

import numpy as np
import pytest

from poseanim.render.at_rest import RestDrawing, painted, rendered
from poseanim.render.png import render_rgba
from poseanim.svg.document import parse_svg_text
from poseanim.svg.text import SvgSource

NS = 'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
DRAWING = (
    '<defs><linearGradient id="sky" x1="0" x2="1"><stop offset="0" stop-color="#2040c0"/>'
    '<stop offset="1" stop-color="#c0e0ff"/></linearGradient></defs>'
    '<rect x="10" y="10" width="180" height="30" fill="url(#sky)"/>'
    '<g transform="translate(100 90) rotate(20)" style="fill:#c03020;stroke:#202020">'
    '<ellipse rx="40" ry="25" stroke-width="4"/>'
    '<g transform="scale(0.5)"><path d="M -60 60 L 60 60 L 0 110 Z" fill-opacity="0.5"/></g>'
    '<circle cx="0" cy="-40" r="9" display="none"/></g>'
    '<polyline points="20,140 60,120 100,150 140,120" fill="none" stroke="green" '
    'stroke-width="6" stroke-linecap="round" stroke-dasharray="12 6"/>'
)


def document(body: str, box: str = "0 0 200 160"):
    return parse_svg_text(f'<svg {NS} viewBox="{box}" width="400" height="320">{body}</svg>',
                          "drawing.svg")


def test_the_painter_paints_a_document_as_cairosvg_renders_it():
    """Gradients, group styles and transforms, opacity, dashes, a hidden shape: the same
    picture but for antialiased edge pixels (the painter flattens curves to a quarter pixel)."""
    root = document(DRAWING)
    mine = painted(root, "drawing.svg", (0, 0, 200, 160), (400, 320))
    assert mine is not None and mine.shape == (320, 400, 4)
    theirs = render_rgba(f'<svg {NS} viewBox="0 0 200 160" width="400" height="320">{DRAWING}'
                         '</svg>'.encode())
    off = np.abs(mine.astype(int) - theirs.astype(int)).max(axis=2) > 32
    assert off.mean() < 0.002
    assert (mine[..., 3] > 0).mean() == pytest.approx((theirs[..., 3] > 0).mean(), abs=0.003)
    assert mine[5, 5, 3] == 0  # transparent where nothing is drawn


def test_the_canvas_picks_what_is_painted_and_the_root_transform_is_left_out():
    """As the rig reader reads the joints: a pixel maps to user space by the canvas alone."""
    root = document('<rect x="100" y="50" width="20" height="10" fill="#0000ff"/>')
    root.set("transform", "rotate(45)")
    picture = painted(root, "drawing.svg", (100, 50, 40, 20), (80, 40))
    assert picture is not None
    ys, xs = np.nonzero(picture[..., 3] > 128)
    assert (xs.min(), xs.max(), ys.min(), ys.max()) == (0, 39, 0, 19)
    assert tuple(picture[10, 20]) == (0, 0, 255, 255)


def test_a_gradient_whose_stops_come_from_another_is_painted_on_every_shape():
    """cairosvg paints only the first of two shapes sharing such a gradient (the corpus's
    stick figures lost a hand and a foot in `rig init`'s picture); the painter paints both."""
    body = ('<defs><linearGradient id="stops"><stop offset="0" stop-color="#e00000"/>'
            '<stop offset="1" stop-color="#e00000"/></linearGradient>'
            '<radialGradient id="g" xlink:href="#stops"/></defs>'
            '<rect x="10" y="10" width="40" height="40" fill="url(#g)"/>'
            '<rect x="110" y="10" width="40" height="40" fill="url(#g)"/>')
    picture = painted(document(body), "drawing.svg", (0, 0, 200, 160), (200, 160))
    assert picture is not None
    assert tuple(picture[30, 30]) == tuple(picture[30, 130]) == (224, 0, 0, 255)


CLIPPED = (
    '<defs><clipPath id="round" transform="translate(10 0)"><circle cx="60" cy="60" r="45"/>'
    '<rect x="100" y="20" width="40" height="30" transform="rotate(10)"/></clipPath>'
    '<clipPath id="band"><rect x="0" y="40" width="200" height="60"/></clipPath>'
    '<linearGradient id="sky" x1="0" x2="1"><stop offset="0" stop-color="#2040c0"/>'
    '<stop offset="1" stop-color="#c0e0ff"/></linearGradient></defs>'
    '<rect width="200" height="160" fill="#eeeeaa"/>'
    '<g clip-path="url(#band)" transform="translate(0 10)">'
    '<rect x="10" y="10" width="180" height="120" fill="url(#sky)" clip-path="url(#round)"/>'
    '<ellipse cx="150" cy="90" rx="40" ry="50" fill="#c03020" stroke="#000" stroke-width="5"/>'
    '</g><path d="M 20 100 L 180 60" stroke="green" stroke-width="8" '
    'style="clip-path:url(#round)"/>'
)


def test_clip_paths_are_painted_as_cairosvg_clips_them():
    """A clip on a group (in the group's transformed space), a second one inside it on a shape
    (the clips intersect), a clip of two children with transforms of their own and of the
    clipPath, a clip given in `style`: cairosvg's picture but for antialiased edge pixels."""
    mine = painted(document(CLIPPED), "drawing.svg", (0, 0, 200, 160), (400, 320))
    assert mine is not None
    theirs = render_rgba(f'<svg {NS} viewBox="0 0 200 160" width="400" height="320">{CLIPPED}'
                         '</svg>'.encode())
    off = np.abs(mine.astype(int) - theirs.astype(int)).max(axis=2) > 32
    assert off.mean() < 0.002
    backdrop = (0xee, 0xee, 0xaa, 255)
    assert tuple(mine[2 * 130, 2 * 30]) == backdrop  # in the gradient's rect, below the band
    assert tuple(mine[2 * 100, 2 * 20]) == backdrop  # in the rect and the band, not the round
    assert tuple(mine[2 * 80, 2 * 150]) == (0xc0, 0x30, 0x20, 255)  # the ellipse: the band only


@pytest.mark.parametrize("content", [
    '<text x="10" y="20">hello</text>',
    '<circle id="c" r="5"/><use xlink:href="#c" x="50"/>',
    '<style>circle { filter: blur(2px) }</style><circle cx="50" cy="50" r="40"/>',
    '<clipPath id="k" clipPathUnits="objectBoundingBox"><rect width="0.5" height="0.5"/>'
    '</clipPath><circle cx="50" cy="50" r="40" clip-path="url(#k)"/>',
    '<clipPath id="k"><rect width="50" height="50" clip-rule="evenodd"/></clipPath>'
    '<circle cx="50" cy="50" r="40" clip-path="url(#k)"/>',
    '<circle cx="50" cy="50" r="40" clip-path="url(#nowhere)"/>',
])
def test_what_only_cairosvg_draws_is_left_to_it(content):
    assert painted(document(content), "drawing.svg", (0, 0, 200, 160), (200, 160)) is None


def test_a_clip_on_the_root_is_left_to_cairosvg():
    """The shapes are read without the root's transform, the space its clip is in."""
    root = document('<clipPath id="k"><rect width="50" height="50"/></clipPath>'
                    '<circle cx="50" cy="50" r="40"/>')
    root.set("clip-path", "url(#k)")
    assert painted(root, "drawing.svg", (0, 0, 200, 160), (200, 160)) is None


def test_a_pixel_stands_for_the_same_point_whoever_renders_the_document():
    """`rendered` paints with the cairo painter, or gives cairosvg the same canvas and size
    (the root's transform, size and aspect ratio left out): the rectangle lands on the same
    pixels either way (text far off the canvas sends the second document to cairosvg)."""
    rect = '<rect x="100" y="50" width="20" height="10" fill="#0000ff"/>'
    pictures = []
    for extra in ("", '<text x="900" y="900">off the canvas</text>'):
        text = (f'<svg {NS} viewBox="0 0 200 160" width="50" height="300" '
                f'preserveAspectRatio="xMaxYMax slice" transform="rotate(45)">{rect}{extra}</svg>')
        source = SvgSource.from_bytes(text.encode(), "drawing.svg")
        assert (painted(source.root, "drawing.svg", (0, 0, 1, 1), (1, 1)) is None) == bool(extra)
        pictures.append(rendered(source, (90, 40, 40, 30), (80, 60)))
    for picture in pictures:
        assert picture.shape == (60, 80, 4)
        ys, xs = np.nonzero(picture[..., 3] > 128)
        assert (xs.min(), xs.max(), ys.min(), ys.max()) == (20, 59, 20, 39)
    assert np.abs(pictures[0].astype(int) - pictures[1]).max() <= 1


def test_a_document_without_shapes_is_a_transparent_picture():
    picture = painted(document("<g><title>empty</title></g>"), "drawing.svg",
                      (0, 0, 200, 160), (20, 16))
    assert picture is not None and picture.shape == (16, 20, 4) and not picture.any()


def test_every_shape_of_the_document_is_read_in_paint_order_at_its_place():
    drawing = RestDrawing.read(document(DRAWING), "drawing.svg")
    tags = [shape.element.tag.rpartition("}")[2] for shape in drawing.shapes]
    assert tags == ["rect", "ellipse", "path", "polyline"]  # the hidden circle is left out
    assert drawing.rest_points.shape == (sum(
        len(s.points) for shape in drawing.shapes for s in shape.subpaths), 2)
    start, stop, closed = drawing.subpath_ranges[2][0]
    triangle = drawing.rest_points[start:stop]
    assert closed
    # the triangle's first corner (-60, 60) through scale(0.5), rotate(20), translate(100 90)
    angle = np.radians(20)
    expected = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]]) @ [
        -30, 30] + [100, 90]
    np.testing.assert_allclose(triangle[0], expected, atol=1e-9)


def test_a_stroke_under_an_uneven_transform_is_drawn_with_the_elements_pen():
    """SVG strokes in the element's space: under scale(1 4) a 2-unit stroke is 8 units thick
    across its horizontal edges and 2 across its vertical ones (not a round pen of the mean)."""
    body = ('<rect x="50" y="10" width="100" height="30" fill="none" stroke="#000" '
            'stroke-width="2" transform="scale(1 4)"/>')
    root = document(body, "0 0 200 200")
    mine = painted(root, "drawing.svg", (0, 0, 200, 200), (200, 200))
    assert mine is not None
    column, row = mine[:, 100, 3] > 128, mine[100, :, 3] > 128
    assert column.sum() == 16 and row.sum() == 4  # top + bottom edge 8 each, sides 2 each
    theirs = render_rgba(f'<svg {NS} viewBox="0 0 200 200" width="200" height="200">{body}'
                         '</svg>'.encode())
    assert (np.abs(mine.astype(int) - theirs.astype(int)).max(axis=2) > 32).sum() == 0
