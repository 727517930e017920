"""Transforms and shape outlines as cubic Béziers (inline SVG strings as fixtures)."""

import xml.etree.ElementTree as ET

import numpy as np
import pytest

from poseanim.svg import document
from poseanim.svg.geometry import apply_affine, bounding_box_centre, parse_transform, shape_subpaths


def element(text: str) -> ET.Element:
    return ET.fromstring(text)


def test_transform_composition_matches_svg_semantics():
    matrix = parse_transform("translate(10,0) scale(2) rotate(90)")
    point = apply_affine(matrix, np.array([[1.0, 0.0]]))
    np.testing.assert_allclose(point, [[10.0, 2.0]], atol=1e-12)
    np.testing.assert_allclose(parse_transform("matrix(1 0 0 1 5 6)")[:2, 2], [5, 6])
    np.testing.assert_allclose(parse_transform(None), np.eye(3))


def test_every_shape_becomes_cubic_subpaths():
    shapes = {
        '<rect x="0" y="0" width="10" height="5"/>': (1, 13, True),
        '<rect x="0" y="0" width="10" height="5" rx="2"/>': (1, None, True),
        '<circle cx="5" cy="5" r="2"/>': (1, 13, True),
        '<ellipse cx="5" cy="5" rx="4" ry="2"/>': (1, 13, True),
        '<line x1="0" y1="0" x2="9" y2="3"/>': (1, 4, False),
        '<polyline points="0,0 10,0 10,10"/>': (1, 7, False),
        '<polygon points="0,0 10,0 10,10"/>': (1, 10, True),
    }
    for text, (count, points, closed) in shapes.items():
        subpaths = shape_subpaths(element(text))
        assert len(subpaths) == count, text
        assert subpaths[0].closed is closed, text
        if points:
            assert len(subpaths[0].points) == points, text
        assert (len(subpaths[0].points) - 1) % 3 == 0


def test_compound_path_keeps_every_subpath_and_relative_moves():
    subpaths = shape_subpaths(element('<path d="M0 0 H10 V10 H0 Z m2 2 h3 v3 h-3 z M20 20 L30 30"/>'))
    assert [s.closed for s in subpaths] == [True, True, False]
    np.testing.assert_allclose(subpaths[1].points[0], [2, 2])
    np.testing.assert_allclose(subpaths[2].points[-1], [30, 30])


def test_arc_and_quadratic_are_exact_at_their_ends():
    arc = shape_subpaths(element('<path d="M30 0 A5 5 0 0 1 40 0"/>'))[0].points
    assert len(arc) == 7  # a half circle → two cubic quarters
    np.testing.assert_allclose(arc[3], [35, -5], atol=1e-9)
    quad = shape_subpaths(element('<path d="M0 0 Q10 10 20 0"/>'))[0].points
    np.testing.assert_allclose(quad, [[0, 0], [20 / 3, 20 / 3], [40 / 3, 20 / 3], [20, 0]])


def test_degenerate_shapes_give_nothing():
    for text in ('<circle cx="1" cy="1" r="0"/>', '<path d=""/>', '<polyline points="1,1"/>',
                 '<ellipse rx="0" ry="3"/>'):
        assert shape_subpaths(element(text)) == [], text


def test_a_path_with_an_error_is_drawn_up_to_it():
    """SVG 1.1 F.2: a renderer draws a path up to the segment in error (cairosvg looped for ever
    on numbers after a close; svgelements refused the whole path)."""
    for garbage in ("5 5", "e", "x L 3 3"):
        closed = shape_subpaths(element(f'<path d="M0 0 L10 0 L10 10 Z {garbage}"/>'))
        assert len(closed) == 1 and closed[0].closed and len(closed[0].points) == 10, garbage
    cut = shape_subpaths(element('<path d="M0 0 L10 0 L10 x L 20 20"/>'))
    assert len(cut) == 1 and np.allclose(cut[0].points[-1], [10, 0])
    assert shape_subpaths(element('<path d="x"/>')) == []


@pytest.mark.parametrize("shape", ['<circle cx="30" cy="40" r="3"/>',
                                   '<ellipse cx="30" cy="40" rx="3" ry="7"/>'])
def test_a_joint_centre_is_its_outline_box_centre_under_any_transform(shape):
    """Joints take the fast way (no outline built); it agrees with the outline's box."""
    ctm = parse_transform("rotate(33) skewX(20) translate(5 -8) scale(2 0.5)")
    fast = bounding_box_centre(element(shape), ctm)
    points = apply_affine(ctm, np.concatenate([s.points for s in shape_subpaths(element(shape))]))
    assert np.allclose(fast, (points.min(axis=0) + points.max(axis=0)) / 2, atol=1e-9)
    for empty in ('<circle cx="1" cy="1" r="0"/>', '<ellipse cx="1" cy="1" rx="2"/>',
                  '<circle cx="1e308" cy="1" r="1e308"/>'):
        assert bounding_box_centre(element(empty), ctm) is None


def test_the_moved_names_are_still_found_in_the_document_module():
    assert document.shape_subpaths is shape_subpaths and document.parse_transform is parse_transform
    with pytest.raises(AttributeError):
        document.no_such_name  # noqa: B018
