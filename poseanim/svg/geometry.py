"""The geometry of SVG elements: transforms, and shapes as cubic Bézier outlines.

`poseanim.svg.document` reads the text into an element tree (safely, with its styles); this
module turns the tree's transforms into matrices and its shapes (`path`, `rect`, `circle`,
`ellipse`, `line`, `polyline`, `polygon`) into cubic subpaths in their own user space, the one
form the rig reader, the deformer and the painters work on. svgelements parses transform
strings and path data; what it cannot read draws nothing, as in a browser.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

import numpy as np
import svgelements as se

from poseanim.errors import PoseanimError
from poseanim.limits import MAX_CONTROL_POINTS, MAX_PATH_SEGMENTS, MAX_SHAPES
from poseanim.svg.document import describe_element, local_tag, svg_length
from poseanim.types import Affine

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
