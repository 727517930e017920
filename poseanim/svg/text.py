"""Editing an SVG file's text in place: every byte we do not mean to change stays as written.

Rigging tools touch a handful of attributes (a joint's `cx`) or insert a few groups; rewriting
the whole document through an XML serialiser would also rewrite the author's comments,
namespace prefixes, quoting and layout, which makes diffs unreadable and upsets the editors
the drawing came from. So the text is scanned once for the position of every element's tags
(in document order, the order of `ElementTree.iter()`), and edits are splices of that text.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from poseanim.errors import PoseanimError
from poseanim.svg.document import parse_svg_text, read_svg_bytes

_NAME = re.compile(r"[^\s/>=]+")
_ATTRIBUTE = re.compile(r"\s*([^\s=/>]+)\s*=\s*(\"[^\"]*\"|'[^']*')")
_SPACE = re.compile(r"\s*")
_DECLARED_ENCODING = re.compile(rb"^<\?xml[^>]*encoding\s*=\s*[\"']([\w.:-]+)[\"']")
_BOM = b"\xef\xbb\xbf"


@dataclass
class ElementSpan:
    """Where one element's tags lie in the text.

    start, end: the start tag `<name …>` as text[start:end]. close_start, close_end: the end
    tag `</name>`, equal to `end` for a self-closing element. attributes: raw attribute name
    (as written, `xlink:href`) → (start, end) of its value inside the quotes.
    """

    name: str
    start: int
    end: int
    close_start: int
    close_end: int
    self_closing: bool
    attributes: dict[str, tuple[int, int]]

    @property
    def prefix(self) -> str:
        """The namespace prefix of the tag as written, with its colon (`svg:`), or ''."""
        return self.name[: self.name.index(":") + 1] if ":" in self.name else ""


@dataclass(frozen=True)
class Splice:
    """Replace text[start:end] with `text`."""

    start: int
    end: int
    text: str


def _skip_declaration(text: str, position: int) -> int:
    """The index after a `<!DOCTYPE …>` that starts at `position`, internal subset included."""
    depth, quote = 0, ""
    for index in range(position + 2, len(text)):
        char = text[index]
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
        elif char == ">" and depth <= 0:
            return index + 1
    raise ValueError("unterminated <!…> declaration")


def _skip_to(text: str, position: int, marker: str) -> int:
    found = text.find(marker, position)
    if found < 0:
        raise ValueError(f"missing {marker!r}")
    return found + len(marker)


def scan_elements(text: str) -> list[ElementSpan]:
    """The span of every element of well-formed XML text, in document order.

    Comments, CDATA, processing instructions and the DOCTYPE are stepped over; `>` inside
    quoted attribute values is allowed, as XML allows it.
    """
    spans: list[ElementSpan] = []
    open_elements: list[ElementSpan] = []
    position = 0
    while (position := text.find("<", position)) >= 0:
        if text.startswith("<!--", position):
            position = _skip_to(text, position, "-->")
        elif text.startswith("<![CDATA[", position):
            position = _skip_to(text, position, "]]>")
        elif text.startswith("<?", position):
            position = _skip_to(text, position, "?>")
        elif text.startswith("<!", position):
            position = _skip_declaration(text, position)
        elif text.startswith("</", position):
            end = _skip_to(text, position, ">")
            element = open_elements.pop()
            element.close_start, element.close_end = position, end
            position = end
        else:
            name = _NAME.match(text, position + 1)
            if name is None:
                raise ValueError(f"unreadable tag at character {position}")
            cursor = name.end()
            attributes: dict[str, tuple[int, int]] = {}
            while (attribute := _ATTRIBUTE.match(text, cursor)) is not None:
                attributes[attribute.group(1)] = (attribute.start(2) + 1, attribute.end(2) - 1)
                cursor = attribute.end()
            cursor = _SPACE.match(text, cursor).end()  # type: ignore[union-attr]
            self_closing = text.startswith("/>", cursor)
            if not self_closing and not text.startswith(">", cursor):
                raise ValueError(f"unreadable tag at character {position}")
            end = cursor + (2 if self_closing else 1)
            span = ElementSpan(name.group(), position, end, end, end, self_closing, attributes)
            spans.append(span)
            if not self_closing:
                open_elements.append(span)
            position = end
    return spans


def _attribute_text(value: str) -> str:
    """A value escaped to sit inside either kind of quotes."""
    return escape(value, {'"': "&quot;", "'": "&apos;"})


def apply_splices(text: str, splices: list[Splice]) -> str:
    """The text with non-overlapping splices applied (in any order given)."""
    pieces, cursor = [], 0
    for splice in sorted(splices, key=lambda s: (s.start, s.end)):
        if splice.start < cursor:
            raise ValueError("overlapping edits")
        pieces += [text[cursor:splice.start], splice.text]
        cursor = splice.end
    return "".join(pieces) + text[cursor:]


class SvgSource:
    """An SVG document as text plus its parsed tree, with each element's place in the text.

    `root` is parsed with the same secure parser as every other SVG poseanim reads, so what an
    edit targets is exactly what the reader sees. Build one with `SvgSource.from_bytes`.
    """

    def __init__(self, text: str, source: str, encoding: str = "utf-8", bom: bool = False) -> None:
        self.text = text
        self.source = source
        self.encoding = encoding
        self.bom = bom
        self.root = parse_svg_text(text.encode(encoding), source)
        elements = list(self.root.iter())
        try:
            spans = scan_elements(text)
        except ValueError as error:
            raise PoseanimError(f"{source}: cannot locate its elements in the text ({error})") from None
        if len(spans) != len(elements):
            raise PoseanimError(f"{source}: found {len(spans)} tags for {len(elements)} elements; "
                                "save the file again from a drawing program and retry")
        self._spans = {id(element): span for element, span in zip(elements, spans)}

    @classmethod
    def from_file(cls, path: str | Path) -> SvgSource:
        """Read an SVG file for editing (PoseanimError when it is missing or not SVG)."""
        return cls.from_bytes(read_svg_bytes(path), str(path))

    @classmethod
    def from_bytes(cls, data: bytes, source: str) -> SvgSource:
        """Decode file bytes with the encoding their XML declaration names (UTF-8 by default)."""
        bom = data.startswith(_BOM)
        body = data[len(_BOM):] if bom else data
        declared = _DECLARED_ENCODING.match(body)
        encoding = declared.group(1).decode("ascii").lower() if declared else "utf-8"
        try:
            text = body.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            raise PoseanimError(f"{source} is not valid {encoding} text; save it again as UTF-8 "
                                "SVG") from None
        return cls(text, source, encoding, bom)

    def to_bytes(self, text: str | None = None) -> bytes:
        """`text` (default: this document's) encoded as the file was."""
        encoded = (self.text if text is None else text).encode(self.encoding)
        return _BOM + encoded if self.bom else encoded

    def span(self, element: ET.Element) -> ElementSpan:
        """Where `element` (an element of `self.root`) lies in the text."""
        return self._spans[id(element)]

    def set_attributes(self, element: ET.Element, values: dict[str, str]) -> list[Splice]:
        """Splices that set attributes of `element`: existing values are replaced in place, new
        attributes are added right after the tag name."""
        span = self.span(element)
        splices, added = [], []
        for name, value in values.items():
            if name in span.attributes:
                start, end = span.attributes[name]
                splices.append(Splice(start, end, _attribute_text(value)))
            else:
                added.append(f' {name}="{_attribute_text(value)}"')
        if added:
            after_name = span.start + 1 + len(span.name)
            splices.append(Splice(after_name, after_name, "".join(added)))
        return splices

    def insert_into(self, element: ET.Element, markup: str) -> Splice:
        """A splice that appends `markup` as the last content of `element`."""
        span = self.span(element)
        if not span.self_closing:
            return Splice(span.close_start, span.close_start, markup)
        tail = self.text[span.start:span.end].rstrip("/>").rstrip()
        return Splice(span.start, span.end, f"{tail}>{markup}</{span.name}>")

    def edited(self, splices: list[Splice]) -> SvgSource:
        """A new document: this text with `splices` applied, parsed again."""
        return SvgSource(apply_splices(self.text, splices), self.source, self.encoding, self.bom)
