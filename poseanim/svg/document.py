"""Reading untrusted SVG text safely into an element tree with its styles resolved.

The element tree (not svgelements' object model) is the source of truth, so that a posed file
can be written back with the author's structure, ids, classes and `<defs>` intact. What the
elements mean as geometry (transforms, outlines as cubic Béziers) is `poseanim.svg.geometry`.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as defused_fromstring

from poseanim.errors import PoseanimError
from poseanim.input_files import read_input_bytes
from poseanim.limits import MAX_ELEMENTS, MAX_NESTING_DEPTH, MAX_SHAPES, MAX_STYLE_RULES, MAX_SVG_BYTES
from poseanim.moved_modules import moved_names

_MOVED_TO_GEOMETRY = frozenset({
    "IDENTITY", "MAX_COORDINATE", "Affine", "Subpath", "apply_affine", "bounding_box_centre",
    "check_control_points", "check_segment_count", "element_transform", "invertible",
    "parse_transform", "shape_subpaths",
})
"""Names that moved to `poseanim.svg.geometry` (2026-12-02); still found here, lazily (the
geometry module imports this one)."""


__getattr__ = moved_names(__name__, _MOVED_TO_GEOMETRY, "poseanim.svg.geometry")


SVG_NS = "http://www.w3.org/2000/svg"
INKSCAPE_LABEL = "{http://www.inkscape.org/namespaces/inkscape}label"

SHAPE_TAGS = frozenset({"path", "rect", "circle", "ellipse", "line", "polyline", "polygon"})
CONTAINER_TAGS = frozenset({"g", "a", "svg", "switch"})
# Properties that children inherit (SVG 1.1 §6.15, the ones that matter for drawing shapes).
INHERITED = frozenset({
    "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-opacity",
    "stroke-linecap", "stroke-linejoin", "stroke-miterlimit", "stroke-dasharray",
    "stroke-dashoffset", "visibility", "color", "clip-rule", "paint-order",
})
NOT_INHERITED = frozenset({"opacity", "display", "clip-path", "mask", "filter"})
STYLE_PROPERTIES = INHERITED | NOT_INHERITED


def local_tag(element: ET.Element) -> str:
    """The tag without its namespace (`{http://www.w3.org/2000/svg}path` → `path`)."""
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def parse_svg_text(text: str | bytes, source: str) -> ET.Element:
    """Parse SVG text with entity expansion and external references refused.

    Raises PoseanimError naming the file and the XML error's position.
    """
    if len(text) > MAX_SVG_BYTES:
        raise PoseanimError(f"{source} is {len(text) // 1_000_000} MB; SVG files over "
                            f"{MAX_SVG_BYTES // 1_000_000} MB are refused")
    try:
        root = defused_fromstring(text, forbid_dtd=False, forbid_entities=True,
                                  forbid_external=True)
    except DefusedXmlException as error:
        raise PoseanimError(f"{source} declares XML entities ({error.__class__.__name__}); "
                            "remove the <!DOCTYPE …> entity declarations and try again") from None
    except ET.ParseError as error:
        raise PoseanimError(f"{source} is not valid XML ({error}); open it in an editor and "
                            "save it again as SVG") from None
    except (LookupError, ValueError, UnicodeError) as error:  # e.g. encoding="no-such-codec"
        raise PoseanimError(f"{source} declares a text encoding poseanim cannot read ({error}); "
                            "save it again as UTF-8") from None
    if local_tag(root) != "svg":
        raise PoseanimError(f"{source} is XML but not SVG (its root element is <{local_tag(root)}>)")
    check_tree_size(root, source)
    return root


def check_tree_size(root: ET.Element, source: str) -> None:
    """Refuse trees with more elements, deeper nesting or more CSS rules than
    `poseanim.limits` allows.

    Walks with an explicit stack: this is the check that makes every recursive walk after it
    (ours, ElementTree's writer, cairosvg's renderer) safe.
    """
    count = rules = shapes = 0
    stack = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        count += 1
        if local_tag(element) in SHAPE_TAGS:
            shapes += 1
            if shapes > MAX_SHAPES:  # before any outline is parsed: each costs milliseconds
                raise PoseanimError(f"{source} has more than {MAX_SHAPES} shapes; combine shapes "
                                    "that move together (Inkscape: Path > Combine) or raise "
                                    "POSEANIM_MAX_SHAPES")
        if element.tag in ("style", f"{{{SVG_NS}}}style") and element.text:
            rules += element.text.count("{")
            if rules > MAX_STYLE_RULES:
                raise PoseanimError(f"{source} has more than {MAX_STYLE_RULES} CSS rules in its "
                                    "<style> elements; save it with presentation attributes "
                                    "(Illustrator: Styling 'Presentation Attributes') or raise "
                                    "POSEANIM_MAX_STYLE_RULES")
        if count > MAX_ELEMENTS:
            raise PoseanimError(f"{source} has more than {MAX_ELEMENTS} elements; simplify the "
                                "drawing (or raise POSEANIM_MAX_ELEMENTS)")
        if depth > MAX_NESTING_DEPTH:
            raise PoseanimError(f"{source} nests elements more than {MAX_NESTING_DEPTH} deep; "
                                "ungroup nested groups (Inkscape: Object > Ungroup) or raise "
                                "POSEANIM_MAX_NESTING_DEPTH")
        stack.extend((child, depth + 1) for child in element)


def read_svg_bytes(path: str | Path) -> bytes:
    """The bytes of an SVG file, with the size bound and clear errors (for tools that edit
    the text in place)."""
    return read_input_bytes(path, "an SVG file", MAX_SVG_BYTES)


def read_svg_file(path: str | Path) -> ET.Element:
    """Read and securely parse an SVG file; a missing or unreadable file is a PoseanimError."""
    return parse_svg_text(read_svg_bytes(path), str(path))


def view_box(root: ET.Element) -> tuple[float, float, float, float]:
    """The root's viewBox (x, y, width, height); from width/height when there is none.

    A viewBox, width or height that is not a size (negative, zero, not a number, or beyond
    `MAX_COORDINATE`: `width="-1e308"` made every writer's scale infinite) is ignored, as
    browsers ignore an invalid one; the sides then fall back to 300 × 150 as theirs do.
    """
    from poseanim.svg.geometry import MAX_COORDINATE  # geometry imports this module

    box = root.get("viewBox")
    if box:
        try:
            values = [float(v) for v in re.split(r"[\s,]+", box.strip()) if v]
        except ValueError:
            values = []
        if (len(values) == 4 and all(abs(v) <= MAX_COORDINATE for v in values)
                and values[2] > 0 and values[3] > 0):
            return values[0], values[1], values[2], values[3]
    sides = (svg_length(root.get(name), 0.0) for name in ("width", "height"))
    width, height = (side if 0 < side <= MAX_COORDINATE else default
                     for side, default in zip(sides, (300.0, 150.0)))
    return 0.0, 0.0, width, height


def stroke_width_number(value: str | None) -> float:
    """A computed `stroke-width` in user units (1 when unset or unreadable)."""
    return svg_length(value, 1.0)


PX_PER_UNIT: dict[str, float] = {
    "": 1.0, "px": 1.0, "in": 96.0, "cm": 96.0 / 2.54, "mm": 96.0 / 25.4, "q": 96.0 / 101.6,
    "pt": 96.0 / 72.0, "pc": 16.0,
}
"""CSS absolute units in px at 96 px per inch (SVG 1.1 §7.10, CSS Values §6.2)."""
FONT_SIZE_PX = 16.0
"""`em` with no font size in sight: the browsers' default font size (and `ex` its half)."""
_LENGTH = re.compile(r"^\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*([a-zA-Z%]*)\s*$")


def svg_length(value: str | None, default: float, percent_of: float | None = None) -> float:
    """An SVG length in user units (px), every unit at 96 px per inch.

    `210mm` is 793.7, `12pt` 16, `2em` 32 (16 px font), `50%` half of `percent_of` (the
    viewport side it refers to); `default` when absent, unreadable, or a percentage with
    nothing to refer to. Old Inkscape and Sodipodi A4 files (`width="210mm"`, no viewBox) depend
    on it: read as 210 px, their drawing would be clipped.
    """
    match = _LENGTH.match(value) if value else None
    if match is None:
        return default
    number, unit = float(match.group(1)), match.group(2).lower()
    if unit == "%":
        return default if percent_of is None else number / 100.0 * percent_of
    if unit in ("em", "rem"):
        length = number * FONT_SIZE_PX
    elif unit == "ex":
        length = number * FONT_SIZE_PX / 2
    else:
        factor = PX_PER_UNIT.get(unit)
        length = default if factor is None else number * factor
    return length if math.isfinite(length) else default  # 1e999, or 1e308em, is no length


# ---- styles -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class CssRule:
    """One simple selector (`.cls-1`, `#id`, `path`, `g .cls-1` is not supported) and its declarations."""

    kind: str  # "class", "id" or "tag"
    name: str
    declarations: dict[str, str]
    specificity: int


def parse_declarations(text: str) -> dict[str, str]:
    """`fill:#fff; stroke : red` → {'fill': '#fff', 'stroke': 'red'}."""
    result: dict[str, str] = {}
    for part in text.split(";"):
        if ":" in part:
            key, value = part.split(":", 1)
            value = value.replace("!important", "").strip()
            if key.strip() and value:
                result[key.strip().lower()] = value
    return result


class Stylesheet(list):
    """The document's CSS rules in document order, indexed by what they select.

    A list of `CssRule` (so callers may iterate it), plus a (kind, name) → rules index that
    lets `own_style` look up an element's rules in constant time: a hostile file with tens of
    thousands of rules must not cost rules × elements.
    """

    def __init__(self, rules: list[CssRule]) -> None:
        super().__init__(rules)
        self.by_selector: dict[tuple[str, str], list[tuple[int, CssRule]]] = {}
        for order, rule in enumerate(rules):
            self.by_selector.setdefault((rule.kind, rule.name), []).append((order, rule))

    def matching(self, element: ET.Element) -> list[CssRule]:
        """Rules that select `element`, by specificity, ties in document order."""
        keys = [("class", name) for name in set((element.get("class") or "").split())]
        keys += [("id", element.get("id") or ""), ("tag", local_tag(element))]
        found = [entry for key in keys for entry in self.by_selector.get(key, ())]
        return [rule for _, rule in sorted(found, key=lambda entry: (entry[1].specificity, entry[0]))]


def parse_stylesheets(root: ET.Element) -> Stylesheet:
    """Rules of every `<style>` element, as Illustrator and Inkscape write them.

    Only simple selectors (class, id, tag, and comma-separated lists of them) are understood;
    that covers what drawing programs export. Rules keep document order, and ties in
    specificity go to the later rule, as in CSS.
    """
    rules: list[CssRule] = []
    for style in root.iter():
        if local_tag(style) != "style" or not style.text:
            continue
        css = re.sub(r"/\*.*?\*/", "", style.text, flags=re.S)
        for selectors, body in re.findall(r"([^{}]+)\{([^}]*)\}", css):
            declarations = parse_declarations(body)
            for selector in selectors.split(","):
                selector = selector.strip()
                if re.fullmatch(r"\.[\w-]+", selector):
                    rules.append(CssRule("class", selector[1:], declarations, 10))
                elif re.fullmatch(r"#[\w-]+", selector):
                    rules.append(CssRule("id", selector[1:], declarations, 100))
                elif re.fullmatch(r"[a-zA-Z]+", selector):
                    rules.append(CssRule("tag", selector, declarations, 1))
    return Stylesheet(rules)


def own_style(element: ET.Element, rules: list[CssRule]) -> dict[str, str]:
    """The style an element sets itself: presentation attributes < CSS rules < `style`."""
    style = {key: value for key, value in element.attrib.items() if key in STYLE_PROPERTIES}
    if not isinstance(rules, Stylesheet):
        rules = Stylesheet(rules)
    for rule in rules.matching(element):
        style.update({k: v for k, v in rule.declarations.items() if k in STYLE_PROPERTIES})
    style.update({k: v for k, v in parse_declarations(element.get("style") or "").items()
                  if k in STYLE_PROPERTIES})
    return style


def inherit_style(parent: dict[str, str], own: dict[str, str]) -> dict[str, str]:
    """The computed style of a child: inherited properties flow down, `inherit` resolves."""
    style = {key: value for key, value in parent.items() if key in INHERITED}
    for key, value in own.items():
        if value == "inherit":
            if key in parent:
                style[key] = parent[key]
        else:
            style[key] = value
    return style


def describe_element(element: ET.Element) -> str:
    """`<path id="arm">` or `<path> (no id)`: how every message names an element (an id
    is cut at 60 characters, so a hostile one cannot flood the line)."""
    identifier = element.get("id")
    return (f'<{local_tag(element)} id="{identifier[:60]}">' if identifier
            else f"<{local_tag(element)}> (no id)")
