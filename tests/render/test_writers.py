"""A posed frame written as an SVG file and a PNG file: whole, sized as asked, background
or transparent."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np
import pytest

from poseanim.illustration import load_illustration
from poseanim.render.png import png_to_rgba
from poseanim.render.writers import write_png, write_svg


@pytest.fixture(scope="module")
def frame(tracked_pose):
    return load_illustration("ada").pose(tracked_pose).fitted()


def test_the_svg_is_a_document_of_the_frames_canvas_with_its_background(frame, tmp_path):
    path = write_svg(frame, tmp_path / "posed.svg", background="#102030")
    root = ET.parse(path).getroot()
    box = [float(v) for v in root.get("viewBox").split()]
    assert box == pytest.approx(list(frame.canvas), abs=0.01)
    assert b"#102030" in path.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["posed.svg"]


def test_the_png_has_the_asked_width_and_a_white_or_no_background(frame, tmp_path):
    white = png_to_rgba(write_png(frame, tmp_path / "white.png", width=120).read_bytes())
    aspect = frame.canvas[3] / frame.canvas[2]
    assert white.shape[1] == 120 and white.shape[0] == round(120 * aspect)
    assert (white[..., 3] == 255).all() and tuple(white[0, 0, :3]) == (255, 255, 255)
    clear = png_to_rgba(write_png(frame, tmp_path / "clear.png", width=120,
                                  background=None).read_bytes())
    assert clear[0, 0, 3] == 0 and clear[..., 3].max() == 255
    drawn = clear[..., 3] > 0
    assert (white[~drawn][:, :3] == 255).all()  # the same drawing, nothing under it but white
    assert 0.05 < drawn.mean() < 0.95  # the character is there, and not everywhere


def test_scale_sizes_the_png_from_the_canvas(frame, tmp_path):
    picture = png_to_rgba(write_png(frame, tmp_path / "half.png", scale=0.5).read_bytes())
    assert picture.shape[:2] == (round(frame.canvas[3] * 0.5), round(frame.canvas[2] * 0.5))


def test_a_gradient_used_twice_is_painted_twice(tmp_path):
    """Two shapes share a gradient that takes its stops from another (`xlink:href`, as Inkscape
    writes them): cairosvg paints only the first; the PNG's painter paints both."""
    from svg_factory import HEADER, limb_shapes, skeleton_group

    from poseanim.illustration import Illustration
    from poseanim.render.painter import needs_document
    from poseanim.rig.reader import read_rigged_tree
    from poseanim.svg.document import parse_svg_text

    stops = ('<defs><linearGradient id="stops"><stop offset="0" stop-color="#e00000"/>'
             '<stop offset="1" stop-color="#e00000"/></linearGradient><radialGradient id="g" '
             'xlink:href="#stops"/></defs>')
    squares = ''.join(f'<rect x="{x}" y="20" width="60" height="60" fill="url(#g)"/>'
                      for x in (20, 520))
    text = (HEADER.replace("<svg ", '<svg xmlns:xlink="http://www.w3.org/1999/xlink" ')
            + stops + f'<g id="illustration">{limb_shapes()}{squares}</g>{skeleton_group()}</svg>')
    character = Illustration(read_rigged_tree(parse_svg_text(text, "g.svg"), "g.svg"), "g")
    assert not needs_document(character.drawing)
    frame = character.pose(character.rest_pose())
    picture = png_to_rgba(write_png(frame, tmp_path / "two.png").read_bytes())
    for x in (50, 550):
        assert tuple(picture[50, x, :3]) == (224, 0, 0), x


def test_a_drawing_with_text_keeps_its_text_in_the_png(tmp_path):
    from svg_factory import rigged_svg

    from poseanim.illustration import Illustration
    from poseanim.render.painter import needs_document
    from poseanim.rig.reader import read_rigged_tree
    from poseanim.svg.document import parse_svg_text

    label = '<text x="20" y="80" font-size="70" fill="#00a000">HELLO</text>'
    text = rigged_svg().replace('<g id="illustration">', f'{label}<g id="illustration">')
    character = Illustration(read_rigged_tree(parse_svg_text(text, "t.svg"), "t.svg"), "t")
    assert needs_document(character.drawing)
    picture = png_to_rgba(write_png(character.pose(character.rest_pose()),
                                    tmp_path / "text.png").read_bytes())
    green = (picture[..., 1] > 120) & (picture[..., 0] < 60) & (picture[..., 2] < 60)
    assert green[:100, :300].sum() > 300  # the letters, drawn by the document engine


@pytest.mark.parametrize("size", [(200, None), (400, 200)], ids=["canvas aspect", "with bars"])
def test_a_picture_under_the_character_is_painted_as_the_document_engine_paints_it(
        frame, tmp_path, size):
    from poseanim.render.images import photo_data_uri

    ramp = np.linspace(0, 255, 64).astype(np.uint8)
    picture = np.dstack([np.tile(ramp, (48, 1)), np.tile(ramp[:48, None], (1, 64)),
                         np.full((48, 64), 90, np.uint8)])
    width, height = size
    cairo = png_to_rgba(write_png(frame, tmp_path / "cairo.png", width, height,
                                  picture=picture).read_bytes())
    document = png_to_rgba(write_png(frame, tmp_path / "document.png", width, height,
                                     underlay=photo_data_uri(picture)).read_bytes())
    assert cairo.shape == document.shape and (cairo[..., 3] == 255).all()
    apart = np.abs(cairo.astype(int) - document.astype(int)).max(axis=2) > 32
    # cairosvg fades the picture's outermost two pixels into the background (a light frame
    # around every overlay); inside them both engines paint the same
    assert apart[2:-2, 2:-2].mean() < 0.01
    if height is not None:  # white bars beside the canvas, the picture on it
        assert tuple(cairo[100, 2, :3]) == (255, 255, 255)
    assert (cairo[..., 2] == 90).mean() > 0.05  # the picture is there
    clear = png_to_rgba(write_png(frame, tmp_path / "clear.png", width, height, background=None,
                                  picture=picture).read_bytes())
    assert clear.shape == cairo.shape and (clear[..., 3] == 0).any() == (height is not None)
