"""One painter interface, two engines outside the windows: the document engine (posed SVG →
cairosvg, what PNG stills use) and the cairo painter (what video frames use) paint the same
pixels for drawings that hold only posed shapes; `needs_document` finds those that do not."""

from __future__ import annotations

import numpy as np
import pytest
from svg_factory import rigged_svg

from poseanim.illustration import bundled_illustrations, load_illustration
from poseanim.render.painter import ENGINES, css_colour, make_painter, needs_document
from poseanim.rig.reader import RiggedDrawing, read_rigged_svg, read_rigged_tree
from poseanim.svg.document import parse_svg_text


def differing(first: np.ndarray, second: np.ndarray, by: int = 32) -> float:
    """Share of pixels with a channel more than `by` apart."""
    return float((np.abs(first.astype(int) - second.astype(int)).max(axis=2) > by).mean())


@pytest.mark.parametrize("name", ["mira"])  # gradients; all three on white: test_cairo_painter
def test_both_engines_paint_a_bundled_character_alike(name, tracked_pose):
    illustration = load_illustration(name)
    frame = illustration.pose(tracked_pose).fitted()
    size = (180, 300)  # not the canvas's aspect: both centre it the same way
    document, cairo = (make_painter(illustration, size, engine) for engine in ENGINES)
    on_white = document.paint(frame), cairo.paint(frame)
    assert differing(*on_white) < 0.002
    assert (on_white[1].min(axis=2) < 128).mean() > 0.1  # the character is there
    clear = document.paint(frame, None, alpha=True), cairo.paint(frame, None, alpha=True)
    assert clear[0].shape == clear[1].shape == (300, 180, 4)
    assert differing(*clear) < 0.002 and clear[1][0, 0, 3] == 0
    underlay = np.zeros((300, 180, 3), np.uint8)
    underlay[:, :90] = (200, 40, 40)
    over = (document.paint(frame, underlay=underlay), cairo.paint(frame, underlay=underlay))
    assert differing(*over) < 0.002 and tuple(over[1][0, 0]) == (200, 40, 40)


def test_a_wrong_sized_underlay_is_refused(tracked_pose):
    illustration = load_illustration("ada")
    frame = illustration.pose(tracked_pose)
    for engine in ENGINES:
        with pytest.raises(ValueError, match="underlay is 10×10"):
            make_painter(illustration, (40, 60), engine).paint(frame, underlay=np.zeros(
                (10, 10, 3), np.uint8))


def drawing(extra: str, outside: str = "") -> RiggedDrawing:
    text = rigged_svg().replace('<g id="illustration">', f'{outside}<g id="illustration">{extra}')
    return read_rigged_tree(parse_svg_text(text, "t.svg"), "t.svg")


def test_what_only_the_document_engine_draws_is_found():
    assert not any(needs_document(read_rigged_svg(path))
                   for path in bundled_illustrations().values())
    assert not needs_document(drawing(""))
    assert needs_document(drawing('<text x="5" y="5">hi</text>'))
    assert needs_document(drawing('<path d="M0 0 L9 9 Z" clip-path="url(#c)"/>'))
    assert needs_document(drawing('<path d="M0 0 L9 9 Z" style="filter: url(#f)"/>'))
    assert needs_document(drawing("", outside='<rect width="5" height="5"/>'))
    assert needs_document(drawing('<style>.a { mask: url(#m) }</style>'))


def test_a_colour_is_written_as_css():
    assert css_colour(None) is None
    assert css_colour((1.0, 0.5, 0.0, 0.25)) == "rgba(255,128,0,0.25)"


def test_a_foreign_object_no_engine_draws_leaves_the_drawing_to_the_cairo_painter():
    assert not needs_document(drawing('<switch><foreignObject width="5" height="5"/></switch>'))
