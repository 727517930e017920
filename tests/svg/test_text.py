"""Editing SVG text in place: tags are found where the parser finds elements, edits touch nothing else."""

from __future__ import annotations

import pytest

from poseanim.errors import PoseanimError
from poseanim.svg.document import local_tag
from poseanim.svg.text import SvgSource, scan_elements

TRICKY = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd" [
  <!-- an internal subset with a > inside -->
]>
<!-- <g id="not-an-element"> in a comment -->
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">
  <style><![CDATA[ g > path { fill: red } ]]></style>
  <g id="a" data-note="x > y">
    <path id='p' d="M0,0 L1,1"/>
    <?editor keep this?>
    <circle id="c" cx="1" cy = "2" r="3" />
  </g>
  <g id="empty"/>
</svg>
"""


def test_tags_line_up_with_the_parsed_elements():
    source = SvgSource(TRICKY, "tricky.svg")
    elements = list(source.root.iter())
    assert [local_tag(e) for e in elements] == ["svg", "style", "g", "path", "circle", "g"]
    for element in elements:
        span = source.span(element)
        assert source.text[span.start + 1:].startswith(span.name)
    circle = source.span(elements[4])
    start, end = circle.attributes["cy"]
    assert source.text[start:end] == "2"
    group = source.span(elements[2])
    assert source.text[group.close_start:group.close_end] == "</g>"


def test_attribute_edits_change_only_their_values():
    source = SvgSource(TRICKY, "tricky.svg")
    circle = [e for e in source.root.iter() if e.get("id") == "c"][0]
    edited = source.edited(source.set_attributes(circle, {"cx": "4.5", "cy": "6", "fill": 'a"b'}))
    assert edited.text == TRICKY.replace('<circle id="c" cx="1" cy = "2"',
                                         '<circle fill="a&quot;b" id="c" cx="4.5" cy = "6"')
    assert [e for e in edited.root.iter() if e.get("id") == "c"][0].get("fill") == 'a"b'


def test_inserting_into_open_and_self_closing_elements():
    source = SvgSource(TRICKY, "tricky.svg")
    group, empty = [e for e in source.root.iter() if e.get("id") in ("a", "empty")]
    edited = source.edited([source.insert_into(group, "<rect/>"),
                            source.insert_into(empty, "<line/>")])
    assert '<circle id="c" cx="1" cy = "2" r="3" />\n  <rect/></g>' in edited.text
    assert '<g id="empty"><line/></g>' in edited.text


def test_prefixed_svg_namespace_keeps_its_prefix():
    text = '<svg:svg xmlns:svg="http://www.w3.org/2000/svg"><svg:g/></svg:svg>'
    source = SvgSource(text, "prefixed.svg")
    assert source.span(source.root).prefix == "svg:"


def test_encoding_and_byte_order_mark_survive_a_round_trip():
    latin = '<?xml version="1.0" encoding="ISO-8859-1"?><svg xmlns="http://www.w3.org/2000/svg"><title>café</title></svg>'
    data = latin.encode("iso-8859-1")
    assert SvgSource.from_bytes(data, "latin.svg").to_bytes() == data
    bom = b"\xef\xbb\xbf" + '<svg xmlns="http://www.w3.org/2000/svg"><title>é</title></svg>'.encode()
    assert SvgSource.from_bytes(bom, "bom.svg").to_bytes() == bom


def test_undecodable_text_is_one_clear_error():
    with pytest.raises(PoseanimError, match=r"^bad\.svg is not valid utf-8 text; save it again as UTF-8 SVG$"):
        SvgSource.from_bytes(b'<svg xmlns="http://www.w3.org/2000/svg"><title>\xff</title></svg>',
                             "bad.svg")


def test_scanner_steps_over_gt_inside_quoted_values():
    spans = scan_elements('<a x="1 > 0"><b y=\'<\'/></a>')
    assert [span.name for span in spans] == ["a", "b"]
    assert spans[1].self_closing
