"""Reading untrusted SVG text safely into an element tree with transforms and styles resolved.

The element tree (not svgelements' object model) is the source of truth, so that a posed file
can be written back with the author's structure, ids, classes and `<defs>` intact. svgelements
is used for what it does well: transform strings, path data and shape geometry.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import svgelements as se
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as defused_fromstring

from poseanim.errors import PoseanimError
from poseanim.input_files import read_input_bytes
from poseanim.limits import (
    MAX_CONTROL_POINTS, MAX_ELEMENTS, MAX_NESTING_DEPTH, MAX_PATH_SEGMENTS, MAX_SHAPES,
    MAX_STYLE_RULES, MAX_SVG_BYTES,
)
from poseanim.types import Affine

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
    """The root's viewBox (x, y, width, height); from width/height when there is none."""
    box = root.get("viewBox")
    if box:
        try:
            values = [float(v) for v in re.split(r"[\s,]+", box.strip()) if v]
        except ValueError:
            values = []
        if len(values) == 4 and all(map(math.isfinite, values)) and values[2] > 0 and values[3] > 0:
            return values[0], values[1], values[2], values[3]
    width = svg_length(root.get("width"), 0.0) or 300.0
    height = svg_length(root.get("height"), 0.0) or 150.0
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


# ---- transforms -------------------------------------------------------------------------------

IDENTITY: Affine = np.eye(3)


def parse_transform(text: str | None) -> Affine:
    """An SVG `transform` attribute as a (3, 3) matrix; identity when absent or unreadable."""
    if not text:
        return IDENTITY
    try:
        m = se.Matrix(text)
        matrix = np.array([[m.a, m.c, m.e], [m.b, m.d, m.f], [0.0, 0.0, 1.0]], dtype=np.float64)
    except (ValueError, IndexError, TypeError, OverflowError, ZeroDivisionError):
        return IDENTITY
    return matrix if np.isfinite(matrix).all() else IDENTITY  # an unreadable transform is ignored


def invertible(matrix: Affine) -> bool:
    """Whether an affine can be undone reliably (finite, not squashing space to a line or a point:
    a shape under `scale(0)` cannot be written back in its own coordinates)."""
    if not np.isfinite(matrix).all():
        return False
    linear = matrix[:2, :2]
    scale = float(np.abs(linear).max())
    return scale > 0 and abs(float(np.linalg.det(linear))) > 1e-12 * scale * scale


def element_transform(element: ET.Element) -> Affine:
    """The element's own transform, including the x/y offset a nested `<svg>` introduces."""
    matrix = parse_transform(element.get("transform"))
    if local_tag(element) == "svg":
        offset = np.array([[1, 0, svg_length(element.get("x"), 0.0)],
                           [0, 1, svg_length(element.get("y"), 0.0)], [0, 0, 1]])
        matrix = offset @ matrix
    return matrix


def apply_affine(matrix: Affine, points: np.ndarray) -> np.ndarray:
    """Apply a (3, 3) affine to (N, 2) points."""
    return points @ matrix[:2, :2].T + matrix[:2, 2]


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


# ---- geometry ---------------------------------------------------------------------------------

MAX_COORDINATE = 1e9
"""User units beyond which a position is treated as unreadable (squaring it for distances
must stay finite, and no drawing is a billion units across)."""


@dataclass
class Subpath:
    """One subpath as cubic Bézier segments.

    points: (1 + 3·S, 2) float64 – start point, then (handle1, handle2, end) per segment.
    closed: whether the subpath ends with `Z`.
    straight: (S,) bool – the segment was a straight line (`L`, `H`, `V`, `Z`, polygon and
    rect edges); Pose Animator keeps such segments straight when posed (FORMAT.md).
    """

    points: np.ndarray
    closed: bool
    straight: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))


def shape_subpaths(element: ET.Element, viewport: tuple[float, float] | None = None
                   ) -> list[Subpath]:
    """The outline of a shape element as cubic subpaths in its own user space.

    Lines become cubics with handles at one and two thirds, so that a straight edge bound
    to a bending limb can bend with it; arcs and quadratics become exact cubics. Geometry that
    cannot be read (malformed numbers, NaN, infinities) gives no subpaths, as a renderer would
    draw nothing; an outline of more than `MAX_PATH_SEGMENTS` segments is a PoseanimError.
    viewport: (width, height) that percentage lengths (`width="50%"`) refer to.
    """
    check_segment_count(element)
    try:
        subpaths = _cubic_subpaths(element, viewport)
    except (ValueError, IndexError, TypeError, OverflowError, ZeroDivisionError, AttributeError):
        return []  # svgelements gave up on this geometry: nothing to draw
    return [s for s in subpaths if np.isfinite(s.points).all()]


_NUMBER = re.compile(rb"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_CLOSE = re.compile(rb"[zZ]")


def check_segment_count(element: ET.Element) -> None:
    """Refuse, before parsing it, an outline with more segments than `MAX_PATH_SEGMENTS`.

    Every segment needs at least one number (or is a `Z`), so counting them in C bounds the
    work svgelements would do in Python.
    """
    text = (element.get("d") or element.get("points") or "").encode("utf-8", "replace")
    if len(text) <= MAX_PATH_SEGMENTS:
        return
    count = len(_NUMBER.findall(text)) + len(_CLOSE.findall(text))
    if local_tag(element) in ("polyline", "polygon"):
        count //= 2
    if count > MAX_PATH_SEGMENTS:
        raise PoseanimError(f"{describe_element(element)} has about {count} segments; outlines "
                            f"of more than {MAX_PATH_SEGMENTS} are refused: simplify it "
                            "(Inkscape: Path > Simplify) or raise POSEANIM_MAX_PATH_SEGMENTS")


def check_control_points(total: int, source: str, shapes: int = 0) -> None:
    """Refuse a drawing whose outlines add up to more than `MAX_CONTROL_POINTS` points, or
    that has more than `MAX_SHAPES` shapes."""
    if shapes > MAX_SHAPES:
        raise PoseanimError(f"{source}: the drawing has more than {MAX_SHAPES} shapes; combine "
                            "shapes that move together (Inkscape: Path > Combine) or raise "
                            "POSEANIM_MAX_SHAPES")
    if total > MAX_CONTROL_POINTS:
        raise PoseanimError(f"{source}: the drawing has more than {MAX_CONTROL_POINTS} Bézier "
                            "control points; simplify its paths (Inkscape: Path > Simplify) or "
                            "raise POSEANIM_MAX_CONTROL_POINTS")


def describe_element(element: ET.Element) -> str:
    """`<path id="arm">` or `<path> (no id)`: how every message names an element (an id
    is cut at 60 characters, so a hostile one cannot flood the line)."""
    identifier = element.get("id")
    return (f'<{local_tag(element)} id="{identifier[:60]}">' if identifier
            else f"<{local_tag(element)}> (no id)")


def _cubic_subpaths(element: ET.Element, viewport: tuple[float, float] | None) -> list[Subpath]:
    shape = _svgelements_shape(element, viewport)
    if shape is None:
        return []
    path = se.Path(shape) if not isinstance(shape, se.Path) else shape
    subpaths: list[Subpath] = []
    current: list[complex] = []
    straight: list[bool] = []
    closed = False

    def finish() -> None:
        if len(current) > 1 or (current and closed):
            array = np.array([[p.real, p.imag] for p in current], dtype=np.float64)
            subpaths.append(Subpath(array, closed, np.array(straight, dtype=bool)))

    for segment in path:
        if isinstance(segment, se.Move):
            finish()
            current, straight, closed = [complex(*segment.end)], [], False
            continue
        if not current:
            current = [complex(*segment.start)]
        if isinstance(segment, se.Close):
            start, end = complex(*segment.start), complex(*segment.end)
            if abs(start - end) > 1e-9:
                current += [start + (end - start) / 3, start + 2 * (end - start) / 3, end]
                straight.append(True)
            closed = True
        elif isinstance(segment, se.Line):
            start, end = complex(*segment.start), complex(*segment.end)
            current += [start + (end - start) / 3, start + 2 * (end - start) / 3, end]
            straight.append(True)
        elif isinstance(segment, se.CubicBezier):
            current += [complex(*segment.control1), complex(*segment.control2), complex(*segment.end)]
            straight.append(False)
        elif isinstance(segment, se.QuadraticBezier):
            start, control, end = (complex(*segment.start), complex(*segment.control),
                                   complex(*segment.end))
            current += [start + 2 / 3 * (control - start), end + 2 / 3 * (control - end), end]
            straight.append(False)
        elif isinstance(segment, se.Arc):
            pieces = max(1, math.ceil(abs(segment.sweep) / (math.pi / 2) - 1e-9))  # ≤ 90° each
            for cubic in segment.as_cubic_curves(min(pieces, 8)):
                current += [complex(*cubic.control1), complex(*cubic.control2), complex(*cubic.end)]
                straight.append(False)
    finish()
    return subpaths


_HORIZONTAL = frozenset({"x", "cx", "rx", "x1", "x2", "width"})
_VERTICAL = frozenset({"y", "cy", "ry", "y1", "y2", "height"})


def _geometry_length(element: ET.Element, name: str, viewport: tuple[float, float] | None) -> float:
    """A geometry attribute in user units (0 when absent or unreadable)."""
    reference = None
    if viewport is not None:  # SVG 1.1 §7.10: percentages of the viewport's side or diagonal
        reference = (viewport[0] if name in _HORIZONTAL else viewport[1] if name in _VERTICAL
                     else math.hypot(*viewport) / math.sqrt(2))
    return svg_length(element.get(name), 0.0, reference)


_COMMAND = re.compile(r"[MmZzLlHhVvCcSsQqTtAa]")


def _path_up_to_error(data: str) -> se.Path:
    """The path `data` describes, drawn up to its first error as SVG says renderers do
    (SVG 1.1 F.2: `M0 0 L9 9 Z 5 5` draws the closed line): the longest prefix that ends at a
    command and parses. Binary search, as every prefix of one that parses parses too."""
    try:
        return se.Path(data)
    except ValueError:
        pass
    ends = sorted({m.start() for m in _COMMAND.finditer(data)}
                  | {m.end() for m in _COMMAND.finditer(data) if m.group() in "Zz"})
    low, high, best = 0, len(ends) - 1, se.Path("")
    while low <= high:
        middle = (low + high) // 2
        try:
            best, low = se.Path(data[: ends[middle]]), middle + 1
        except ValueError:
            high = middle - 1
    return best


def _svgelements_shape(element: ET.Element, viewport: tuple[float, float] | None
                       ) -> se.Shape | None:
    tag = local_tag(element)

    def _number(element: ET.Element, name: str) -> float:
        return _geometry_length(element, name, viewport)

    try:
        if tag == "path":
            return _path_up_to_error(element.get("d") or "")
        if tag == "rect":
            return se.Rect(x=_number(element, "x"), y=_number(element, "y"),
                           width=_number(element, "width"), height=_number(element, "height"),
                           rx=_number(element, "rx") if element.get("rx") else None,
                           ry=_number(element, "ry") if element.get("ry") else None)
        if tag == "circle":
            r = _number(element, "r")
            return se.Circle(cx=_number(element, "cx"), cy=_number(element, "cy"), r=r) if r > 0 else None
        if tag == "ellipse":
            rx, ry = _number(element, "rx"), _number(element, "ry")
            if rx <= 0 or ry <= 0:
                return None
            return se.Ellipse(cx=_number(element, "cx"), cy=_number(element, "cy"), rx=rx, ry=ry)
        if tag == "line":
            return se.Path(f"M{_number(element, 'x1')},{_number(element, 'y1')} "
                           f"L{_number(element, 'x2')},{_number(element, 'y2')}")
        if tag in ("polyline", "polygon"):
            values = [float(v) for v in re.split(r"[\s,]+", (element.get("points") or "").strip()) if v]
            pairs = [f"{values[i]},{values[i + 1]}" for i in range(0, len(values) - 1, 2)]
            if len(pairs) < 2:
                return None
            return se.Path("M" + " L".join(pairs) + (" Z" if tag == "polygon" else ""))
    except (ValueError, IndexError, TypeError, OverflowError, ZeroDivisionError):
        return None
    return None


def _ellipse_corners(element: ET.Element, viewport: tuple[float, float] | None) -> np.ndarray | None:
    """(4, 2) the corners of a circle's or ellipse's box, None for other elements.

    Joints are circles, a drawing has a hundred of them and every read places them all:
    their outline is point-symmetric about (cx, cy), so these four corners, under any
    transform, have the centre of the outline's box. An empty or unreadable one has no box:
    an empty array, as it has no outline.
    """
    tag = local_tag(element)
    if tag not in ("circle", "ellipse"):
        return None
    if tag == "circle":
        rx = ry = _geometry_length(element, "r", viewport)
    else:
        rx, ry = _geometry_length(element, "rx", viewport), _geometry_length(element, "ry", viewport)
    cx, cy = _geometry_length(element, "cx", viewport), _geometry_length(element, "cy", viewport)
    corners = np.array([[cx - rx, cy - ry], [cx + rx, cy - ry], [cx + rx, cy + ry], [cx - rx, cy + ry]])
    if not (rx > 0 and ry > 0) or not np.isfinite(corners).all():
        return np.zeros((0, 2))
    return corners


def bounding_box_centre(element: ET.Element, ctm: Affine,
                        viewport: tuple[float, float] | None = None) -> np.ndarray | None:
    """Centre of an element's bounding box in root user space (how a joint's position is read)."""
    corners = _ellipse_corners(element, viewport)
    if corners is not None:
        if not len(corners):
            return None
        points = apply_affine(ctm, corners)
    else:
        subpaths = shape_subpaths(element, viewport)
        if not subpaths:
            return None
        points = apply_affine(ctm, np.concatenate([s.points for s in subpaths]))
    # The box of the control polygon bounds the curve; for circles and ellipses (the usual
    # joints) the polygon is symmetric, so its centre is the curve's centre.
    centre = points.min(axis=0) / 2 + points.max(axis=0) / 2  # no overflow near 1e308
    return centre if np.isfinite(centre).all() and np.abs(centre).max() < MAX_COORDINATE else None
