"""Clip paths read as outlines in root user space (`svg.clips`), or refused where cairosvg's
reading of them is not what a painter clipping by itself would do."""

from __future__ import annotations

import numpy as np
import pytest

from poseanim.svg.clips import ClipReader
from poseanim.svg.document import parse_stylesheets, parse_svg_text
from poseanim.svg.geometry import parse_transform

NS = 'xmlns="http://www.w3.org/2000/svg"'


def reader(defs: str) -> ClipReader:
    root = parse_svg_text(f'<svg {NS} viewBox="0 0 100 100">{defs}</svg>', "clips.svg")
    return ClipReader(root, parse_stylesheets(root), (100.0, 100.0))


def test_a_clip_lies_in_the_referring_elements_space_then_the_clippaths_then_the_childs():
    clips = reader('<clipPath id="k" transform="scale(2)">'
                   '<rect x="1" y="2" width="3" height="4" transform="translate(10 0)"/></clipPath>')
    clip = clips.read("url(#k)", parse_transform("translate(0 100)"))
    assert clip is not None and len(clip.subpaths) == 1 and clip.subpaths[0].closed
    corners = clip.subpaths[0].points[::3]
    # (1, 2) → child (11, 2) → clipPath (22, 4) → element (22, 104)
    np.testing.assert_allclose(corners[0], (22, 104))
    np.testing.assert_allclose(corners.min(axis=0), (22, 104))
    np.testing.assert_allclose(corners.max(axis=0), (28, 112))


def test_every_child_adds_to_the_one_outline_and_quoted_references_are_found():
    clips = reader('<clipPath id="k"><title>two</title><circle r="5"/>'
                   '<path d="M 0 0 L 10 0 L 10 10 Z M 20 20 L 30 20 L 30 30 Z"/></clipPath>')
    clip = clips.read(" url( '#k' ) ", np.eye(3))
    assert clip is not None and len(clip.subpaths) == 3


@pytest.mark.parametrize("defs, value", [
    ('<clipPath id="k"><rect width="5" height="5"/></clipPath>', "url(#elsewhere)"),
    ('<linearGradient id="k"/>', "url(#k)"),
    ('<clipPath id="k"><rect width="5" height="5"/></clipPath>', "inset(5px)"),
    ('<clipPath id="k" clipPathUnits="objectBoundingBox"><rect width="1" height="1"/></clipPath>',
     "url(#k)"),
    ('<clipPath id="k"><text>clip</text></clipPath>', "url(#k)"),
    ('<clipPath id="k"><g><rect width="5" height="5"/></g></clipPath>', "url(#k)"),
    ('<clipPath id="k" clip-rule="evenodd"><rect width="5" height="5"/></clipPath>', "url(#k)"),
    ('<clipPath id="k"><rect width="5" height="5" visibility="hidden"/></clipPath>', "url(#k)"),
    ('<clipPath id="k"><rect width="5" height="5" style="display:none"/></clipPath>', "url(#k)"),
    ('<clipPath id="j"><rect width="5" height="5"/></clipPath>'
     '<clipPath id="k" clip-path="url(#j)"><rect width="9" height="9"/></clipPath>', "url(#k)"),
    ('<clipPath id="k"><rect width="5" height="5" transform="scale(0)"/></clipPath>', "url(#k)"),
])
def test_what_cairosvg_clips_otherwise_is_not_read(defs, value):
    assert reader(defs).read(value, np.eye(3)) is None
