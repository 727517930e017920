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


def _opacity(text: str | None) -> float:
    """An `opacity`, `fill-opacity`, `stroke-opacity` or `stop-opacity`, clamped to 0–1 as
    SVG says: `opacity: -1e308` was kept, and ×100 became an infinite Lottie key (fuzz 13:39559)."""
    return min(max(_number(text, 1.0), 0.0), 1.0)


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
            stop_opacity = _opacity(style.get("stop-opacity"))
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
            fill=self._paint(style.get("fill", "black"), _opacity(style.get("fill-opacity")),
                             colour),
            stroke=self._paint(style.get("stroke"), _opacity(style.get("stroke-opacity")),
                               colour),
            stroke_width=_number(style.get("stroke-width"), 1.0),
            line_cap=style.get("stroke-linecap", "butt"),
            line_join=style.get("stroke-linejoin", "miter"),
            miter_limit=_number(style.get("stroke-miterlimit"), 4.0),
            even_odd=style.get("fill-rule") == "evenodd",
            opacity=_opacity(style.get("opacity")),
            dash=dash if any(dash) and min(dash) >= 0 else (),  # SVG: a negative length voids it
        )


def shape_paints(illustration: Drawn) -> list[ShapePaint]:
    """The paint of every shape of an `Illustration` (or any `Drawn`), in paint order."""
    resolver = PaintResolver(illustration.drawing.root)
    return [resolver.resolve(shape.style) for shape in illustration.shapes]


def stroke_scale(ctm: Affine) -> float:
    """How much a shape's transform scales its stroke width (the mean axis scale)."""
    return float(np.sqrt(abs(np.linalg.det(ctm[:2, :2]))))


MAX_PATTERN_SCALE = 1e4
"""Gradient units per output unit beyond which a gradient is not laid out (its shape is far
under a pixel wide); pixman's fixed point ends at 32 767."""


def gradient_inverses(layouts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(G, 3, 3) gradient → output layouts → (their inverses, which layouts are degenerate).

    A shape posed to a point or to a sliver far under a pixel, or drawn on a canvas scaled to
    nothing, has a singular layout (or one whose inverse lies beyond pixman's fixed point:
    cairo answered "out of memory", fuzz case 13:7355; numpy's inverse raised LinAlgError in
    the Lottie writer, 13:74215). Such a shape covers no pixel worth a gradient, so its
    gradient is laid out unscaled in output space instead: the inverse is the identity, and
    the cairo painter and the Lottie writer treat the same layouts alike.
    """
    inverse = affine_inverses(layouts)
    degenerate = ~np.isfinite(inverse).all(axis=(1, 2)) | (
        np.abs(inverse[:, :2, :2]).max(axis=(1, 2), initial=0.0) > MAX_PATTERN_SCALE)
    inverse[degenerate] = np.eye(3)
    return inverse, degenerate


def gradient_layout(frame: DrawnFrame, index: int, gradient: Gradient) -> Affine:
    """(3, 3) gradient space → root user space of shape `index` posed in a `PosedFrame`, as
    the posed SVG document lays it out (every painter and writer places gradients alike).

    A userSpaceOnUse gradient follows the shape's overall motion (`shape_motion`); an
    objectBoundingBox gradient spans the posed shape's box in its local space.
    """
    return gradient_layouts(frame, [index], [gradient])[0]


def gradient_layouts(frame: DrawnFrame, shapes: Sequence[int],
                     gradients: Sequence[Gradient]) -> np.ndarray:
    """(G, 3, 3): `gradient_layout` of each (shape, gradient) pair of one frame at once."""
    return GradientPlacement(frame.illustration, shapes, gradients).layouts(frame)


class GradientPlacement:
    """`gradient_layouts` of fixed (shape, gradient) pairs, frame after frame.

    A painter places every gradient of every frame: what does not change between frames (the
    shapes' transforms and points, the rest points a userSpaceOnUse gradient's shape is fitted
    from) is gathered once, so that a frame costs a few whole-array calls, not a few per shape.
    """

    def __init__(self, illustration: Drawn, shapes: Sequence[int],
                 gradients: Sequence[Gradient]) -> None:
        self.illustration, self.shapes = illustration, list(shapes)
        ctms = np.array([illustration.shapes[index].ctm for index in shapes]).reshape(-1, 3, 3)
        transforms = np.array([gradient.transform for gradient in gradients]).reshape(-1, 3, 3)
        in_box = np.array([not gradient.user_space for gradient in gradients], dtype=bool)
        self.boxed, self.moving = np.flatnonzero(in_box), np.flatnonzero(~in_box)
        self._box_rows, self._box_starts = self._points(self.boxed)
        to_local = np.repeat(affine_inverses(ctms[self.boxed]), np.diff(
            np.append(self._box_starts, len(self._box_rows))), axis=0)
        self._to_local, self._local_shift = to_local[:, :2, :2], to_local[:, :2, 2]
        self._box_ctms, self._box_transforms = ctms[self.boxed], transforms[self.boxed]
        self._move_rows, self._move_starts = self._points(self.moving)
        counts = np.diff(np.append(self._move_starts, len(self._move_rows)))
        rest = illustration.rest_points[self._move_rows]
        rest = rest[:, 0] + 1j * rest[:, 1]
        self._counts = counts
        self._rest_mean = np.add.reduceat(rest, self._move_starts) / np.maximum(counts, 1) \
            if counts.size else np.zeros(0, complex)
        centred = rest - np.repeat(self._rest_mean, counts)
        self._centred_conj = centred.conj()
        spread = (np.add.reduceat(np.abs(centred) ** 2, self._move_starts) if counts.size
                  else np.zeros(0))
        self._fits = (counts >= 2) & (spread >= 1e-12)  # else the shape only moves along
        self._spread = np.where(self._fits, spread, 1.0)
        self._move_after = ctms[self.moving] @ transforms[self.moving]

    def _points(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(point rows, start of each pair's run in them): the control points of the shapes of
        pairs `rows`, one shape after another."""
        spans = [self.illustration.subpath_ranges[self.shapes[row]] for row in rows.tolist()]
        starts = np.array([ranges[0][0] for ranges in spans], dtype=np.intp)
        counts = np.array([ranges[-1][1] for ranges in spans], dtype=np.intp) - starts
        offsets = np.cumsum(counts) - counts
        return np.repeat(starts - offsets, counts) + np.arange(counts.sum(), dtype=np.intp), offsets

    def layouts(self, frame: DrawnFrame) -> np.ndarray:
        """(G, 3, 3) gradient space → root user space of every pair, posed as in `frame`.

        A userSpaceOnUse gradient follows its shape's overall motion (`PosedFrame.shape_motion`,
        here for all such shapes at once); an objectBoundingBox gradient spans the posed shape's
        box in its local space."""
        layouts = np.empty((len(self.shapes), 3, 3))
        if self.boxed.size:
            points = frame.points[self._box_rows]
            local = np.einsum("pij,pj->pi", self._to_local, points) + self._local_shift
            low = np.minimum.reduceat(local, self._box_starts, axis=0)
            size = np.maximum(np.maximum.reduceat(local, self._box_starts, axis=0) - low, 1e-9)
            box = np.zeros((len(self.boxed), 3, 3))
            box[:, 0, 0], box[:, 1, 1], box[:, :2, 2], box[:, 2, 2] = size[:, 0], size[:, 1], low, 1
            layouts[self.boxed] = self._box_ctms @ box @ self._box_transforms
        if self.moving.size:
            posed = frame.points[self._move_rows]
            if not np.isfinite(posed).all():  # `shape_motion` leaves such points out
                motions = np.array([frame.shape_motion(self.shapes[row])
                                    for row in self.moving.tolist()])
            else:
                now = posed[:, 0] + 1j * posed[:, 1]
                mean = np.add.reduceat(now, self._move_starts) / self._counts
                factor = np.where(self._fits, np.add.reduceat(self._centred_conj * now,
                                                              self._move_starts) / self._spread, 1)
                shift = mean - factor * self._rest_mean
                motions = np.zeros((len(self.moving), 3, 3))
                motions[:, 0, 0] = motions[:, 1, 1] = factor.real
                motions[:, 0, 1], motions[:, 1, 0] = -factor.imag, factor.imag
                motions[:, 0, 2], motions[:, 1, 2], motions[:, 2, 2] = shift.real, shift.imag, 1
            layouts[self.moving] = motions @ self._move_after
        return layouts
