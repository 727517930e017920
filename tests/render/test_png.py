"""render_png on documents built to make cairosvg work without end: refused in one line."""

from __future__ import annotations

import base64

import numpy as np
import pytest

from poseanim.errors import PoseanimError
from poseanim.render.png import png_to_rgba, render_png, render_rgba

SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20"><defs>{defs}</defs>{body}</svg>'


def _bomb(kind: str, levels: int, fan: int = 10) -> bytes:
    """Each level draws the one below `fan` times: fan ** levels drawings in all (a pattern
    named in an attribute, in a style sheet, or inherited from a group)."""
    pattern = '<pattern id="l{k}" width="5" height="5" patternUnits="userSpaceOnUse">{inside}</pattern>'
    rect = '<rect width="5" height="5" {paint}/>'
    if kind in ("css", "inherited"):
        css = "".join(f".c{k} {{ fill: url(#l{k}) }}" for k in range(levels + 1))
        defs = [f"<style>{css}</style>", pattern.format(k=0, inside=rect.format(paint='fill="red"'))]
        for k in range(1, levels + 1):
            inside = (rect.format(paint=f'class="c{k - 1}"') * fan if kind == "css" else
                      f'<g fill="url(#l{k - 1})">' + rect.format(paint="") * fan + "</g>")
            defs.append(pattern.format(k=k, inside=inside))
        return SVG.format(defs="".join(defs), body=f'<rect width="20" height="20" class="c{levels}"/>').encode()
    if kind == "use":
        defs = ['<g id="l0"><rect width="5" height="5" fill="red"/></g>']
        defs += [f'<g id="l{k}">' + f'<use href="#l{k - 1}"/>' * fan + "</g>"
                 for k in range(1, levels + 1)]
        body = f'<use href="#l{levels}"/>'
    else:
        defs = [pattern.format(k=0, inside='<rect width="5" height="5" fill="red"/>')]
        defs += [pattern.format(k=k, inside=f'<rect width="5" height="5" fill="url(#l{k - 1})"/>' * fan)
                 for k in range(1, levels + 1)]
        body = f'<rect width="20" height="20" fill="url(#l{levels})"/>'
    return SVG.format(defs="".join(defs), body=body).encode()


@pytest.mark.parametrize("kind", ["use", "pattern", "css", "inherited"])
def test_a_reference_bomb_is_refused_before_drawing(kind):
    with pytest.raises(PoseanimError, match="would draw more than 10,000 elements") as refused:
        render_png(_bomb(kind, 9))
    assert "\n" not in str(refused.value)


@pytest.mark.parametrize("kind", ["use", "pattern"])
def test_ten_thousand_draws_through_references_are_refused_a_thousand_drawn(kind):
    """Each costs cairosvg ~0.4 ms (a tree or a surface of its own): 10⁴ took 4 s, within
    MAX_ELEMENTS (50 000) but not MAX_REFERENCED_ELEMENTS (10 000); 10³ are drawn."""
    with pytest.raises(PoseanimError, match="would draw more than 10,000 elements"):
        render_png(_bomb(kind, 4))
    assert png_to_rgba(render_png(_bomb(kind, 3))).shape == (20, 20, 4)


def test_a_few_levels_of_repeated_uses_still_draw():
    picture = png_to_rgba(render_png(_bomb("use", 2)))
    assert picture[2, 2, 0] == 255 and picture[2, 2, 3] == 255  # the red square, drawn


def test_a_use_that_contains_itself_is_refused():
    cycle = SVG.format(defs="", body='<g id="a"><use href="#a"/></g>').encode()
    with pytest.raises(PoseanimError, match="leads back to an element containing it"):
        render_png(cycle)


@pytest.mark.parametrize("use", ['<use x="8"/>', '<use href="" x="8"/>', '<use id="u" href="#" x="8"/>',
                                 '<g id="g"><use id="u" xlink:href=" #" x="8"/></g>'])
def test_a_use_that_names_no_element_draws_nothing(use):
    """cairosvg would draw the whole document inside such a `<use>`, ~200 copies deep (fuzz
    case 12:3770: 20 s); SVG 2 draws nothing for it, and so do we."""
    square = '<rect width="6" height="6" fill="red"/>'
    plain = SVG.format(defs="", body=square).encode()
    with_use = SVG.format(defs="", body=square + use).replace(
        "<svg ", '<svg xmlns:xlink="http://www.w3.org/1999/xlink" ', 1).encode()
    assert (png_to_rgba(render_png(with_use)) == png_to_rgba(render_png(plain))).all()


@pytest.mark.parametrize("tref", ['<text><tref href="#"/></text>', '<text><tref href="#k"/></text>',
                                  '<text x="2" y="9"><tref href="#words"/></text>'])
def test_a_tref_draws_nothing_as_in_browsers(tref):
    """SVG 2 dropped `<tref>` and browsers ignore it; cairosvg copied the text it names, and
    recursed into an ancestor until Python's limit (seconds for a few hundred lines)."""
    words = '<defs><text id="words">Hello</text></defs>'
    plain = SVG.format(defs="", body=f'<g id="k">{words}<rect width="6" height="6"/></g>')
    with_tref = plain.replace("</g>", tref + "</g>")
    assert (png_to_rgba(render_png(with_tref.encode())) == png_to_rgba(render_png(plain.encode()))).all()


@pytest.mark.parametrize("how", ['marker-mid="url(#m)"', 'style="marker: url(#m)"'])
def test_a_heavy_marker_on_every_vertex_of_a_long_path_is_refused(how):
    marker = '<marker id="m">' + '<rect width="1" height="1"/>' * 100 + "</marker>"
    path = '<path d="M0 0' + " l1 0" * 2000 + f'" stroke="#000" {how}/>'
    with pytest.raises(PoseanimError, match="would draw more than 10,000 elements"):
        render_png(SVG.format(defs=marker, body=path).encode())


def test_a_book_of_text_is_refused_before_layout():
    text = SVG.format(defs="", body='<text y="10">' + "x" * 100_001 + "</text>").encode()
    with pytest.raises(PoseanimError, match="100,001 characters of text"):
        render_png(text)


def _data_uri(mime: str, data: bytes) -> str:
    return f"data:{mime};base64," + base64.b64encode(data).decode()


def _with_picture(inner: bytes) -> bytes:
    uri = _data_uri("image/svg+xml", inner)
    return SVG.format(defs="", body=f'<image width="20" height="20" href="{uri}"/>').encode()


def _picture_drawn(uri: str, uses: int) -> bytes:
    """A drawing that draws one embedded picture `uses` times through <use>."""
    return SVG.format(defs=f'<image id="im" width="20" height="20" href="{uri}"/>',
                      body='<use href="#im"/>' * uses).encode()


@pytest.mark.parametrize("uses, refused", [(200, True), (3, False)])
def test_an_embedded_svg_picture_counts_as_the_elements_it_draws(uses, refused):
    """A thousand <use>s of one 2000-shape picture: 160 KB that cairosvg draws for minutes."""
    inner = ('<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20">'
             + '<rect width="1" height="1" fill="red"/>' * 500 + "</svg>")
    svg = _picture_drawn(_data_uri("image/svg+xml", inner.encode()), uses)
    if refused:
        with pytest.raises(PoseanimError, match="would draw more than 10,000 elements"):
            render_png(svg)
    else:
        assert png_to_rgba(render_png(svg))[0, 0, 0] == 255  # the red picture, drawn


@pytest.mark.parametrize("uses, refused", [(12, True), (2, False)])
def test_an_embedded_photo_counts_its_pixels_each_time_it_is_drawn(uses, refused):
    """cairosvg decodes an embedded picture each time a <use> draws it (0.2 s for 16 Mpx):
    a 9 Mpx picture drawn 12 times is 108 Mpx, over MAX_RASTER_PIXELS."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (3000, 3000), (255, 0, 0)).save(buffer, "PNG")
    svg = _picture_drawn(_data_uri("image/png", buffer.getvalue()), uses)
    if refused:
        with pytest.raises(PoseanimError, match="come to 108,000,000 pixels"):
            render_png(svg)
    else:
        assert png_to_rgba(render_png(svg))[5, 5, 0] == 255  # the red photo, drawn


@pytest.mark.parametrize("path", ["M0 0 A1e308 1 0 0 1 5 5", "M0 0 L5 5 Z 5"])
def test_an_embedded_svg_picture_gets_the_same_care_as_the_drawing(path):
    """cairosvg draws SVG pictures with the same code: on main before this, the first aborted
    the process (cairo-arc.c) and the second never returned."""
    inner = f'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><path d="{path}" stroke="red"/></svg>'
    assert png_to_rgba(render_png(_with_picture(inner.encode()))).shape == (20, 20, 4)


def test_a_gzipped_svg_picture_that_inflates_past_the_file_limit_is_refused():
    import gzip

    from poseanim.limits import MAX_SVG_BYTES

    bomb = gzip.compress(b'<svg xmlns="http://www.w3.org/2000/svg">' + b" " * (MAX_SVG_BYTES + 10))
    with pytest.raises(PoseanimError, match="compressed SVG picture of more than"):
        render_png(_with_picture(bomb))


def test_a_pattern_bomb_through_selectors_poseanim_does_not_match_is_refused():
    """`pattern g rect` is matched by cairosvg, not by poseanim's simple style sheet: such rules'
    references count as if every shape took them."""
    levels = "".join(f'<pattern id="l{k}" width="5" height="5" patternUnits="userSpaceOnUse">'
                     + f'<g class="in{k}">' + '<rect width="5" height="5"/>' * 10 + "</g></pattern>"
                     for k in range(9))
    rules = " ".join(f".in{k + 1} rect {{ fill: url(#l{k}) }}" for k in range(8))
    body = f'<style>{rules}</style><rect width="20" height="20" fill="url(#l8)"/>'
    with pytest.raises(PoseanimError, match="would draw more than 10,000 elements"):
        render_png(SVG.format(defs=levels, body=body).encode())


def test_a_malformed_transform_reaches_cairo_as_poseanim_reads_it():
    """cairosvg read `bogus(…)matrix(--1107.85.8e+22…)` as a huge matrix and cairo spun (fuzz
    case 11:167); poseanim reads a malformed transform as none, and so does the render now."""
    body = ('<circle cx="10" cy="10" r="5" fill="red" transform="bogus(-2800 649)matrix(--1107.85.84'
            '65123489820665e+22-918322213033492984565422305001757809 60-2560626752171353700)"/>')
    picture = png_to_rgba(render_png(SVG.format(defs="", body=body).encode()))
    assert picture[10, 10, 0] == 255 and picture[10, 10, 3] == 255


@pytest.mark.parametrize("background", [None, "white"])
def test_rendered_pixels_equal_the_png_s_pixels_at_every_opacity(background):
    """render_rgba skips the PNG round trip (rig init's 1024 px rendering); its straight
    colours must round exactly as cairo's PNG writer does, at each of the 256 alpha levels."""
    ramp = ('<linearGradient id="g"><stop offset="0" stop-color="#3a7" stop-opacity="0"/>'
            '<stop offset="1" stop-color="#e41" stop-opacity="1"/></linearGradient>')
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="300" height="40">'
           f'<defs>{ramp}</defs><rect x="10" width="256" height="40" fill="url(#g)"/>'
           '<circle cx="150" cy="20" r="15" fill="#25c" opacity="0.4"/></svg>').encode()
    pixels = render_rgba(svg, background=background)
    assert pixels.shape == (40, 300, 4) and pixels.flags.c_contiguous
    assert (pixels == png_to_rgba(render_png(svg, background=background))).all()
    if background is None:
        assert len(np.unique(pixels[..., 3])) > 200  # the ramp went through the alpha levels


SHARED_GRADIENT = (
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
    'width="100" height="50"><defs>'
    '<linearGradient id="stops"><stop offset="0" stop-color="#e00000"/>'
    '<stop offset="1" stop-color="#e00000"/></linearGradient>'
    '<radialGradient id="g" xlink:href="#stops"/>{more}</defs>'
    '<rect x="5" y="5" width="40" height="40" fill="url(#g)"/>'
    '<rect x="55" y="5" width="40" height="40" fill="url(#{second})"/></svg>')


@pytest.mark.parametrize("more, second", [
    ("", "g"),  # Inkscape's way: one gradient of stops, others pointing at it
    ('<radialGradient id="h" xlink:href="#g"/>', "h"),  # a chain of two
])
def test_every_shape_using_a_gradient_that_inherits_its_stops_is_painted(more, second):
    """cairosvg moved the inherited stops onto the gradient at its first use and painted
    every later use with nothing."""
    picture = render_rgba(SHARED_GRADIENT.format(more=more, second=second).encode())
    assert tuple(picture[25, 25]) == tuple(picture[25, 75]) == (224, 0, 0, 255)


def test_a_cycle_of_gradient_references_draws_nothing_and_ends():
    svg = SHARED_GRADIENT.format(
        more='<radialGradient id="a" xlink:href="#b"/><radialGradient id="b" xlink:href="#a"/>',
        second="a").encode()
    picture = render_rgba(svg)
    assert picture[25, 25, 3] == 255 and picture[25, 75, 3] == 0


def test_a_picture_a_billionth_of_a_unit_wide_is_dropped_before_cairo_sees_it():
    """Inside a pattern, cairo aborted the process on it (fuzz case 13:63389); width 0 means
    the picture's own size to cairosvg, and stays."""
    from poseanim.render.png import renderable

    png = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAQAAAADCAAAAACRn/EaAAAADklEQVR4nGNoAAIG"
           "OAEALQ8GAa0C414AAAAASUVORK5CYII=")
    images = "".join(f'<image id="{name}" width="{width}" height="{height}" href="{png}"/>'
                     for name, width, height in [("tiny", "1e-320", "9"), ("low", "9", "-1e-12"),
                                                 ("own", "0", "9"), ("small", "1e-6", "9")])
    kept = renderable(SVG.format(defs="", body=images).encode()).decode()
    assert 'id="tiny"' not in kept and 'id="low"' not in kept
    assert 'id="own"' in kept and 'id="small"' in kept
