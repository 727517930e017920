"""Computed SVG styles → paint instructions that any raster painter (cairo, Qt) can follow.

Resolving colours, opacities and gradient references once per illustration keeps the painters
small and identical in what they show: they only translate `ShapePaint` into their own calls.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

import numpy as np
import svgelements as se

from poseanim.geometry import affine_inverses
from poseanim.limits import MAX_REFERENCE_CHAIN
from poseanim.svg.document import local_tag, own_style, parse_stylesheets, svg_length
from poseanim.svg.geometry import IDENTITY, invertible, parse_transform
from poseanim.types import Affine

if TYPE_CHECKING:
    from poseanim.rig.reader import DrawnShape

RGBA = tuple[float, float, float, float]
"""Red, green, blue, alpha, each in [0, 1]."""


@dataclass(frozen=True)
class Gradient:
    """A linear or radial gradient.

    coords: (x1, y1, x2, y2) for linear, (cx, cy, r, fx, fy) for radial, in the shape's user
    space when `user_space`, else as fractions of its bounding box. stops: (offset, RGBA).
    transform: the gradientTransform.
    """

    kind: str
    coords: tuple[float, ...]
    stops: tuple[tuple[float, RGBA], ...]
    user_space: bool
    transform: Affine = field(default_factory=lambda: IDENTITY)
    spread: str = "pad"


Paint = RGBA | Gradient | None


class _Document(Protocol):
    @property
    def root(self) -> ET.Element: ...


class Drawn(Protocol):
    """What painters read of a drawing: an `Illustration`, or a document at rest
    (`render.at_rest.RestDrawing`, what `rig init` looks at before there is a rig).

    shapes: in paint order. subpath_ranges: per shape, (start, stop, closed) of each subpath
    in the frame's point array. rest_points: (N, 2) those points as drawn. drawing.root: the
    document, where paint servers (gradients) are found.
    """

    @property
    def drawing(self) -> _Document: ...
    @property
    def shapes(self) -> Sequence[DrawnShape]: ...
    @property
    def subpath_ranges(self) -> Sequence[Sequence[tuple[int, int, bool]]]: ...
    @property
    def rest_points(self) -> np.ndarray: ...


class DrawnFrame(Protocol):
    """What painters read of a frame: a `PosedFrame`, or a document at rest
    (`render.at_rest.RestFrame`); the fields are `PosedFrame`'s."""

    @property
    def illustration(self) -> Drawn: ...
    @property
    def points(self) -> np.ndarray: ...
    @property
    def visible(self) -> np.ndarray: ...
    @property
    def canvas(self) -> tuple[float, float, float, float]: ...
    @property
    def stroke_scale(self) -> np.ndarray: ...
    @property
    def opacity(self) -> np.ndarray | None: ...
    def paint_order(self) -> np.ndarray: ...
    def shape_motion(self, shape_index: int) -> np.ndarray: ...


@dataclass(frozen=True)
class ShapePaint:
    """How to fill and stroke one shape (None: don't)."""

    fill: Paint
    stroke: Paint
    stroke_width: float
    line_cap: str
    line_join: str
    miter_limit: float
    even_odd: bool
    opacity: float
    dash: tuple[float, ...] = ()


def _colour(text: str, opacity: float, current_colour: str | None) -> RGBA | None:
    text = text.strip()
    if text == "currentColor":
        text = current_colour or "black"
    if text in ("none", "transparent", ""):
        return None
    try:
        colour = se.Color(text)
    except (ValueError, TypeError):
        return None
    if colour.value is None:
        return None
    return (colour.red / 255, colour.green / 255, colour.blue / 255,
            colour.alpha / 255 * opacity)


def _number(text: str | None, default: float) -> float:
    if text is None:
        return default
    text = text.strip()
    try:
        if text.endswith("%"):
            return float(text[:-1]) / 100
    except ValueError:
        return default
    return svg_length(text, default)


class PaintResolver:
    """Resolves shapes' computed styles against one document's gradients.

    Gradient `href` chains (stops or attributes inherited from another gradient, as
    Illustrator and Inkscape write them) are followed.
    """

    def __init__(self, root: ET.Element) -> None:
        self._by_id = {el.get("id"): el for el in root.iter() if el.get("id")}
        self._rules = parse_stylesheets(root)

    def _chain(self, element: ET.Element) -> list[ET.Element]:
        chain = [element]
        while len(chain) < MAX_REFERENCE_CHAIN:
            href = chain[-1].get("href") or chain[-1].get("{http://www.w3.org/1999/xlink}href")
            target = self._by_id.get(href[1:]) if href and href.startswith("#") else None
            if target is None or target in chain:
                break
            chain.append(target)
        return chain

    def _gradient(self, element: ET.Element, opacity: float) -> Gradient | RGBA | None:
        chain = self._chain(element)

        def attribute(name: str) -> str | None:
            return next((el.get(name) for el in chain if el.get(name) is not None), None)

        stops_owner = next((el for el in chain if any(local_tag(c) == "stop" for c in el)), None)
        stops: list[tuple[float, RGBA]] = []
        for stop in (stops_owner if stops_owner is not None else []):
            if local_tag(stop) != "stop":
                continue
            style = own_style(stop, self._rules)
            style.update({k: v for k, v in stop.attrib.items() if k.startswith("stop-")})
            declared = dict(part.split(":", 1) for part in (stop.get("style") or "").split(";")
                            if ":" in part)
            style.update({k.strip(): v.strip() for k, v in declared.items()})
            stop_opacity = _number(style.get("stop-opacity"), 1.0)
            colour = _colour(style.get("stop-color", "black"), stop_opacity * opacity, None)
            offset = min(max(_number(stop.get("offset"), 0.0), 0.0), 1.0)
            stops.append((offset, colour or (0.0, 0.0, 0.0, 0.0)))
        if not stops:
            return None
        if len(stops) == 1:
            return stops[0][1]
        user_space = attribute("gradientUnits") == "userSpaceOnUse"
        transform = parse_transform(attribute("gradientTransform"))
        if not invertible(transform):
            return None  # a gradient squashed to a line or a point paints nothing
        kind = local_tag(element).replace("Gradient", "")
        if kind == "linear":
            coords = tuple(_number(attribute(n), d) for n, d in
                           (("x1", 0.0), ("y1", 0.0), ("x2", 1.0), ("y2", 0.0)))
        else:
            cx, cy = _number(attribute("cx"), 0.5), _number(attribute("cy"), 0.5)
            coords = (cx, cy, _number(attribute("r"), 0.5),
                      _number(attribute("fx"), cx), _number(attribute("fy"), cy))
        return Gradient(kind, coords, tuple(stops), user_space, transform,
                        attribute("spreadMethod") or "pad")

    def _paint(self, text: str | None, opacity: float, current_colour: str | None) -> Paint:
        if text is None:
            return None
        match = re.match(r"url\(\s*['\"]?#([^'\")\s]+)['\"]?\s*\)\s*(.*)", text)
        if match:
            target = self._by_id.get(match.group(1))
            if target is not None and local_tag(target) in ("linearGradient", "radialGradient"):
                return self._gradient(target, opacity)
            fallback = match.group(2).strip()
            return _colour(fallback, opacity, current_colour) if fallback else None
        return _colour(text, opacity, current_colour)

    def resolve(self, style: dict[str, str]) -> ShapePaint:
        """The paint of a shape with computed style `style` (SVG defaults where unset)."""
        colour = style.get("color")
        dash = tuple(_number(v, 0.0) for v in re.split(r"[\s,]+", style.get("stroke-dasharray", ""))
                     if v and v != "none")
        return ShapePaint(
            fill=self._paint(style.get("fill", "black"), _number(style.get("fill-opacity"), 1.0),
                             colour),
            stroke=self._paint(style.get("stroke"), _number(style.get("stroke-opacity"), 1.0),
                               colour),
            stroke_width=_number(style.get("stroke-width"), 1.0),
            line_cap=style.get("stroke-linecap", "butt"),
            line_join=style.get("stroke-linejoin", "miter"),
            miter_limit=_number(style.get("stroke-miterlimit"), 4.0),
            even_odd=style.get("fill-rule") == "evenodd",
            opacity=_number(style.get("opacity"), 1.0),
            dash=dash if any(dash) and min(dash) >= 0 else (),  # SVG: a negative length voids it
        )


def shape_paints(illustration: Drawn) -> list[ShapePaint]:
    """The paint of every shape of an `Illustration` (or any `Drawn`), in paint order."""
    resolver = PaintResolver(illustration.drawing.root)
    return [resolver.resolve(shape.style) for shape in illustration.shapes]


def stroke_scale(ctm: Affine) -> float:
    """How much a shape's transform scales its stroke width (the mean axis scale)."""
    return float(np.sqrt(abs(np.linalg.det(ctm[:2, :2]))))


def gradient_layout(frame: DrawnFrame, index: int, gradient: Gradient) -> Affine:
    """(3, 3) gradient space → root user space of shape `index` posed in a `PosedFrame`, as
    the posed SVG document lays it out (every painter and writer places gradients alike).

    A userSpaceOnUse gradient follows the shape's overall motion (`shape_motion`); an
    objectBoundingBox gradient spans the posed shape's box in its local space.
    """
    return gradient_layouts(frame, [index], [gradient])[0]


def gradient_layouts(frame: DrawnFrame, shapes: Sequence[int],
                     gradients: Sequence[Gradient]) -> np.ndarray:
    """(G, 3, 3): `gradient_layout` of each (shape, gradient) pair of one frame at once.

    A painter places every gradient of every frame, so the boxes of the objectBoundingBox
    gradients are found in a few whole-array calls rather than a few calls per shape.
    """
    illustration = frame.illustration
    ctms = np.array([illustration.shapes[index].ctm for index in shapes]).reshape(-1, 3, 3)
    layouts = np.empty_like(ctms)
    in_box = np.array([not gradient.user_space for gradient in gradients], dtype=bool)
    for row in np.flatnonzero(~in_box).tolist():
        layouts[row] = frame.shape_motion(shapes[row]) @ ctms[row]
    boxed = np.flatnonzero(in_box)
    if boxed.size:
        spans = [illustration.subpath_ranges[shapes[row]] for row in boxed.tolist()]
        starts = np.array([ranges[0][0] for ranges in spans])
        counts = np.array([ranges[-1][1] for ranges in spans]) - starts
        offsets = np.cumsum(counts) - counts
        points = frame.points[np.repeat(starts - offsets, counts) + np.arange(counts.sum())]
        to_local = np.repeat(affine_inverses(ctms[boxed]), counts, axis=0)
        local = np.einsum("pij,pj->pi", to_local[:, :2, :2], points) + to_local[:, :2, 2]
        low = np.minimum.reduceat(local, offsets, axis=0)
        size = np.maximum(np.maximum.reduceat(local, offsets, axis=0) - low, 1e-9)
        box = np.zeros((len(boxed), 3, 3))
        box[:, 0, 0], box[:, 1, 1], box[:, :2, 2], box[:, 2, 2] = size[:, 0], size[:, 1], low, 1
        layouts[boxed] = ctms[boxed] @ box
    return layouts @ np.array([gradient.transform for gradient in gradients]).reshape(-1, 3, 3)
