"""The cairo painter draws what cairosvg draws from the posed SVG, without the SVG text."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from poseanim.illustration import Illustration, bundled_illustrations, load_illustration
from poseanim.pose import Pose
from poseanim.render.cairo_painter import CairoPainter
from poseanim.render.canvas import colour_rgba
from poseanim.render.png import png_to_rgba, render_png
from poseanim.render.svg_writer import svg_text
from poseanim.rig.reader import read_rigged_tree
from poseanim.svg.document import parse_svg_text
from svg_factory import limb_shapes, rigged_svg

PAINT_BODY = (
    '<defs>'
    '<linearGradient id="sky" gradientUnits="userSpaceOnUse" x1="250" y1="300" x2="350" y2="300" '
    'gradientTransform="rotate(30 300 300)" spreadMethod="reflect">'
    '<stop offset="0" stop-color="#ff8800"/><stop offset="1" stop-color="#0044ff"/></linearGradient>'
    '<radialGradient id="glow" cx="0.4" cy="0.4" r="0.6">'
    '<stop offset="0" stop-color="white"/><stop offset="1" stop-color="#aa0055" stop-opacity="0.6"/>'
    '</radialGradient></defs>'
    + limb_shapes() +
    '<rect x="240" y="300" width="120" height="80" fill="url(#sky)" stroke="#112233" '
    'stroke-width="3" stroke-dasharray="9 4" stroke-linecap="round"/>'
    '<g transform="translate(300,460) rotate(15) scale(1.4)">'
    '<path fill-rule="evenodd" fill="url(#glow)" stroke="#224" stroke-width="2" '
    'stroke-linejoin="bevel" d="M-40-30H40V30H-40Z M-20-12H20V12H-20Z"/></g>'
    '<ellipse cx="300" cy="560" rx="50" ry="25" fill="#2a9d8f" stroke="#e76f51" '
    'stroke-width="8" opacity="0.5"/>'
    '<polyline points="230,620 260,650 290,620 320,650" fill="none" stroke="#333" '
    'stroke-width="6" stroke-linejoin="miter" stroke-linecap="square"/>'
)


def over_white(rgba: np.ndarray) -> np.ndarray:
    """(H, W, 4) uint8 → (H, W, 3) float: the picture as it looks on white paper."""
    alpha = rgba[..., 3:].astype(float) / 255
    return rgba[..., :3] * alpha + 255 * (1 - alpha)


def cairosvg_rgba(frame, size: tuple[int, int]) -> np.ndarray:
    """The reference: the posed SVG document rendered by cairosvg, transparent background."""
    return png_to_rgba(render_png(svg_text(frame, 3), size[0], size[1], background=None))


def assert_looks_the_same(ours: np.ndarray, reference: np.ndarray) -> None:
    difference = np.abs(over_white(ours) - over_white(reference))
    assert difference.mean() < 0.5, difference.mean()
    assert np.mean(difference > 64) < 0.002  # only antialiased edge pixels may differ
    assert np.abs(ours[..., 3].astype(float) - reference[..., 3]).mean() < 0.5


def moved(pose: Pose, degrees: float, shift: tuple[float, float], scale: float = 1.0) -> Pose:
    """The pose turned about the origin, scaled and shifted: a rigid motion of every joint."""
    angle = np.radians(degrees)
    rotation = scale * np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    return Pose(pose.positions @ rotation.T + shift, pose.scores, pose.image_size)


def paint_character() -> Illustration:
    text = rigged_svg(body=PAINT_BODY)
    return Illustration(read_rigged_tree(parse_svg_text(text, "paint.svg"), "paint.svg"), "paint")


@pytest.mark.parametrize("name", sorted(bundled_illustrations()))
def test_bundled_characters_match_cairosvg(name, tracked_pose):
    illustration = load_illustration(name)
    frame = illustration.pose(tracked_pose).fitted(600, 600)
    ours = CairoPainter(illustration, (600, 600)).paint(frame, None, alpha=True)
    assert_looks_the_same(ours, cairosvg_rgba(frame, (600, 600)))
    assert ours[..., 3].mean() > 20  # the character is really there


@pytest.mark.parametrize("degrees, shift, scale", [(0, (0, 0), 1.0), (25, (80, -40), 0.8)])
def test_gradients_dashes_even_odd_and_opacity_match_cairosvg(degrees, shift, scale):
    illustration = paint_character()
    rest = illustration.rest_pose()
    frame = illustration.pose(moved(rest, degrees, shift, scale))
    ours = CairoPainter(illustration, (300, 450)).paint(frame, None, alpha=True)
    assert_looks_the_same(ours, cairosvg_rgba(frame, (300, 450)))



def test_a_stroke_after_a_translucent_shape_keeps_its_own_width():
    """The painter sets a colour and a stroke style only when they change; a translucent shape
    is drawn in a group, whose end restores cairo's state and takes the group as the source, so
    the next shapes must set their style and colour again (here the group's last colour)."""
    body = ('<ellipse cx="300" cy="560" rx="50" ry="25" fill="#2a9d8f" stroke="#123" '
            'stroke-width="9" opacity="0.5"/>'
            '<rect x="180" y="600" width="40" height="60" fill="#123"/>'
            '<rect x="240" y="600" width="120" height="60" fill="#fc9" stroke="#123" '
            'stroke-width="9"/>' + limb_shapes())
    text = rigged_svg(body=body)
    illustration = Illustration(read_rigged_tree(parse_svg_text(text, "t.svg"), "t.svg"), "t")
    frame = illustration.pose(illustration.rest_pose())
    ours = CairoPainter(illustration, (300, 450)).paint(frame, None, alpha=True)
    assert_looks_the_same(ours, cairosvg_rgba(frame, (300, 450)))

def test_background_colour_transparency_and_underlay():
    illustration = paint_character()
    frame = illustration.pose(illustration.rest_pose())
    painter = CairoPainter(illustration, (120, 180))
    rgb = painter.paint(frame, colour_rgba("#204060"))
    assert rgb.shape == (180, 120, 3) and tuple(rgb[0, 0]) == (32, 64, 96)
    rgba = painter.paint(frame, None, alpha=True)
    assert rgba.shape == (180, 120, 4) and rgba[0, 0, 3] == 0 and rgba[..., 3].max() == 255
    video = np.zeros((180, 120, 3), np.uint8)
    video[..., 1] = 200
    over = painter.paint(frame, underlay=video)
    assert tuple(over[0, 0]) == (0, 200, 0)
    assert not np.array_equal(over, np.broadcast_to(video, over.shape))


def test_canvas_is_fitted_centred_into_other_sizes():
    illustration = paint_character()
    frame = illustration.pose(illustration.rest_pose())  # canvas 600 × 900
    wide = CairoPainter(illustration, (400, 300)).paint(frame, None, alpha=True)
    drawn = np.nonzero(wide[..., 3].any(axis=0))[0]
    assert drawn.min() >= 100 - 1 and drawn.max() <= 300 + 1  # 200 px wide drawing, centred


def test_hidden_shapes_are_not_painted():
    illustration = paint_character()
    frame = illustration.pose(illustration.rest_pose())
    painter = CairoPainter(illustration, (60, 90))
    hidden = dataclasses.replace(frame, visible=np.zeros_like(frame.visible))
    nothing = painter.paint(hidden, None, alpha=True)
    assert nothing[..., 3].max() == 0
