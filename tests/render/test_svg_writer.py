"""Posed SVG output: valid, self-contained, faithful to the author's document."""

import re
import xml.etree.ElementTree as ET

import numpy as np

from poseanim.illustration import Illustration
from poseanim.render.png import png_to_rgba, render_png
from poseanim.render.svg_writer import format_number, path_data, svg_text
from poseanim.rig.reader import read_rigged_tree
from poseanim.svg.document import parse_svg_text
from svg_factory import limb_shapes, rigged_svg, skeleton_group

SVG = "{http://www.w3.org/2000/svg}"

RICH_BODY = (
    '<defs><linearGradient id="shirt" x1="0" y1="0" x2="0" y2="1">'
    '<stop offset="0" stop-color="#ff8800"/><stop offset="1" stop-color="#8800ff"/></linearGradient></defs>'
    '<style>.cls-1{fill:#2a9d8f;stroke:#264653;stroke-width:4px}</style>'
    + limb_shapes() +
    '<g transform="translate(300,420) rotate(10)"><g transform="scale(1.5)">'
    '<path class="cls-1" fill-rule="evenodd" d="M-30-30H30V30H-30Z M-15-15H15V15H-15Z"/></g></g>'
    '<rect x="250" y="330" width="100" height="40" fill="url(#shirt)" opacity="0.8"/>'
)


def character(body: str = RICH_BODY) -> Illustration:
    text = rigged_svg(body=body)
    return Illustration(read_rigged_tree(parse_svg_text(text, "t.svg"), "t.svg"), "t")


def test_number_format_and_path_data():
    assert format_number(12.500, 2) == "12.5"
    assert format_number(-0.001, 2) == "0"
    assert format_number(3.0, 0) == "3"
    points = np.array([[0, 0], [1, 0], [2, 0], [3.333, 0]])
    assert path_data([(points, True)], 2) == "M0,0C1,0 2,0 3.33,0Z"


def test_output_is_valid_svg_without_skeleton_and_with_styles_kept():
    illustration = character()
    root = ET.fromstring(svg_text(illustration.pose(illustration.rest_pose())))
    assert root.tag == f"{SVG}svg"
    ids = {el.get("id") for el in root.iter()}
    assert "skeleton" not in ids and "nose4" not in ids
    assert any(el.tag == f"{SVG}linearGradient" for el in root.iter())
    assert next(el for el in root.iter() if el.tag == f"{SVG}style").text.startswith(".cls-1")
    compound = next(el for el in root.iter() if el.get("class") == "cls-1")
    assert compound.tag == f"{SVG}path" and compound.get("fill-rule") == "evenodd"
    assert compound.get("d").count("M") == 2
    assert all(el.tag in (f"{SVG}path", f"{SVG}g") for el in root.iter()
               if el.tag.split("}")[1] in ("rect", "circle", "ellipse", "path"))


def test_rest_pose_output_renders_like_the_original():
    illustration = character()
    hidden_skeleton = skeleton_group().replace('id="skeleton"', 'id="skeleton" display="none"', 1)
    original = png_to_rgba(render_png(rigged_svg(RICH_BODY, hidden_skeleton).encode(),
                                      background="white"))
    posed = png_to_rgba(render_png(svg_text(illustration.pose(illustration.rest_pose())),
                                   background="white"))
    assert original.shape == posed.shape
    difference = np.abs(original.astype(int) - posed.astype(int))
    assert difference.mean() < 0.5 and (difference.max(axis=2) > 40).mean() < 0.002


def test_hidden_shapes_are_left_out_and_precision_is_honoured(tracked_pose):
    illustration = character(limb_shapes())
    frame = illustration.pose(tracked_pose)
    root = ET.fromstring(svg_text(frame, precision=1))
    paths = [el for el in root.iter() if el.tag == f"{SVG}path" or el.tag == f"{SVG}ellipse"]
    assert len(paths) == int(frame.visible.sum())
    decimals = re.findall(r"\.(\d+)", " ".join(p.get("d") for p in paths))
    assert decimals and max(len(d) for d in decimals) == 1
    assert root.get("viewBox") == "0 0 512 512"


def test_external_references_are_never_fetched(tmp_path):
    red = tmp_path / "red.png"
    red.write_bytes(render_png(b'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4">'
                               b'<rect width="4" height="4" fill="red"/></svg>'))
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
           f'width="20" height="20"><image width="20" height="20" xlink:href="file://{red}"/>'
           f'<image width="20" height="20" href="{red}"/></svg>').encode()
    picture = png_to_rgba(render_png(svg, background="white"))
    assert (picture[..., :3] == 255).all()


def test_user_space_gradient_moves_with_its_shape():
    body = ('<defs><linearGradient id="g" gradientUnits="userSpaceOnUse" x1="250" y1="0" x2="350" '
            'y2="0"><stop offset="0" stop-color="#f00"/><stop offset="1" stop-color="#00f"/>'
            '</linearGradient><linearGradient id="h" xlink:href="#g"/></defs>'
            + limb_shapes() + '<rect x="250" y="330" width="100" height="60" fill="url(#h)"/>')
    text = rigged_svg(body=body).replace("<svg ", '<svg xmlns:xlink="http://www.w3.org/1999/xlink" ', 1)
    illustration = Illustration(read_rigged_tree(parse_svg_text(text, "t.svg"), "t.svg"), "t")
    rest = illustration.rest_pose()
    moved = rest.transformed(1.0, (40, 30), rest.image_size)
    before = png_to_rgba(render_png(svg_text(illustration.pose(rest)), background="white"))
    after = png_to_rgba(render_png(svg_text(illustration.pose(moved)), background="white"))
    # The gradient rectangle, shifted by (40, 30), shows the same colours.
    np.testing.assert_allclose(after[370:380, 300:380].astype(int),
                               before[340:350, 260:340].astype(int), atol=3)
    assert "g-posed-0" in svg_text(illustration.pose(moved)).decode()


def test_hidden_pictures_and_shapes_never_reach_the_png():
    """cairosvg paints a display:none <image>; the writer must leave hidden elements out."""
    red = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4"
           "z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC")
    hidden = (f'<image id="sketch" style="display:none" x="0" y="0" width="600" height="900" '
              f'preserveAspectRatio="none" href="{red}"/>'
              '<rect id="note" visibility="hidden" x="0" y="0" width="600" height="40" fill="#f00"/>')
    text = rigged_svg(body=limb_shapes() + hidden).replace(
        "</svg>", f'<image id="outside" display="none" width="600" height="900" href="{red}"/></svg>')
    character = Illustration(read_rigged_tree(parse_svg_text(text, "t.svg"), "t.svg"), "t")
    written = svg_text(character.pose(character.rest_pose()))
    assert b"sketch" not in written and b"note" not in written and b"outside" not in written
    rgba = png_to_rgba(render_png(written))
    reddish = (rgba[..., 0] > 200) & (rgba[..., 1] < 60) & (rgba[..., 2] < 60) & (rgba[..., 3] > 0)
    assert not reddish.any()


def test_a_fade_multiplies_the_authors_opacity_however_it_was_set():
    """An opacity set by a class rule, an inline style or an attribute is multiplied by the
    shape's fade, and the fade wins over the author's declaration (painted by cairosvg)."""
    from dataclasses import replace

    body = (limb_shapes() + '<style>.ghost{opacity:0.8}</style>'
            '<rect class="ghost" x="100" y="20" width="40" height="40" fill="#000"/>'
            '<rect style="fill:#000;opacity:0.8" x="200" y="20" width="40" height="40"/>'
            '<rect opacity="0.8" x="300" y="20" width="40" height="40" fill="#000"/>'
            '<rect x="400" y="20" width="40" height="40" fill="#000"/>')
    illustration = character(body)
    frame = illustration.pose(illustration.rest_pose())
    squares = len(illustration.shapes) - 4 + np.arange(4)
    fade = np.ones(len(illustration.shapes))
    fade[squares] = 0.5
    rgba = png_to_rgba(render_png(svg_text(replace(frame, opacity=fade))))
    alpha = [int(rgba[40, x, 3]) for x in (120, 220, 320, 420)]
    assert all(abs(a - 0.4 * 255) <= 3 for a in alpha[:3]), alpha  # 0.8 × 0.5
    assert abs(alpha[3] - 0.5 * 255) <= 3, alpha
