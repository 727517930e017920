"""Secure SVG parsing, view boxes and styles (inline SVG strings as fixtures); transforms and
shape outlines are test_geometry.py."""

import xml.etree.ElementTree as ET

import pytest

from poseanim.errors import PoseanimError
from poseanim.svg.document import (
    own_style, parse_stylesheets, parse_svg_text, read_svg_file, view_box,
)


def element(text: str) -> ET.Element:
    return ET.fromstring(text)


def test_entity_declarations_are_refused():
    billion_laughs = (b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaa">'
                      b'<!ENTITY b "&a;&a;&a;&a;&a;&a;">]><svg xmlns="http://www.w3.org/2000/svg">'
                      b'<text>&b;</text></svg>')
    with pytest.raises(PoseanimError, match="declares XML entities"):
        parse_svg_text(billion_laughs, "laughs.svg")


def test_external_entity_is_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret")
    xxe = (f'<!DOCTYPE svg [<!ENTITY x SYSTEM "file://{secret}">]>'
           '<svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>').encode()
    with pytest.raises(PoseanimError, match="entities"):
        parse_svg_text(xxe, "xxe.svg")


def test_broken_xml_names_file_and_position():
    with pytest.raises(PoseanimError, match=r"broken\.svg is not valid XML \(mismatched tag: line 1"):
        parse_svg_text(b"<svg><g></svg>", "broken.svg")


def test_non_svg_root_is_refused():
    with pytest.raises(PoseanimError, match="not SVG"):
        parse_svg_text(b"<html/>", "page.svg")


def test_oversized_file_is_refused(tmp_path, monkeypatch):
    import poseanim.svg.document as svg_document

    monkeypatch.setattr(svg_document, "MAX_SVG_BYTES", 100)
    path = tmp_path / "big.svg"
    path.write_text("<svg>" + " " * 200 + "</svg>")
    with pytest.raises(PoseanimError, match="refused"):
        read_svg_file(path)


def test_missing_file_and_folder():
    with pytest.raises(PoseanimError, match="no such file"):
        read_svg_file("/nonexistent/x.svg")
    with pytest.raises(PoseanimError, match="is a folder"):
        read_svg_file("/tmp")


def test_view_box_from_attribute_or_size():
    assert view_box(element('<svg viewBox="10 20 300 400" width="3cm"/>')) == (10, 20, 300, 400)
    assert view_box(element('<svg width="200" height="100"/>')) == (0, 0, 200, 100)


@pytest.mark.parametrize("root", ['<svg width="-1e308" height="1e9" viewBox="0 0 -5 5"/>',
                                  '<svg width="nan" height="0" viewBox="0 0 1e308 5"/>',
                                  '<svg width="inf" height="-3" viewBox="0 0 NaN 5"/>'])
def test_a_canvas_that_is_not_a_size_is_ignored(root):
    """Fuzz case 13:2507: width="-1e308" reached the Lottie writer as an infinite scale."""
    x, y, width, height = view_box(element(root))
    assert (x, y) == (0, 0) and width == 300 and 0 < height <= 1e9


def test_style_precedence_attribute_then_class_then_style():
    root = element('<svg><style>.cls-1{fill:#ff0000;stroke:#00f} #x{fill:green} path{opacity:.5}'
                   '</style><path id="x" class="cls-1" fill="black" style="stroke:red"/></svg>')
    rules = parse_stylesheets(root)
    style = own_style(root[1], rules)
    assert style == {"fill": "green", "stroke": "red", "opacity": ".5"}
