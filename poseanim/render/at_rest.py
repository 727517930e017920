"""A drawing painted as it is drawn, before it has a rig: what `rig init` looks at, and what
the rig editor shows of a drawing it cannot bind.

The cairo painter paints any list of shapes (`paint_style.Drawn`), not only a bound
illustration: a document read whole (`rig.reader.document_shapes`: every shape it draws, in
paint order, in root user space) goes through the same calls as a posed character, so
`rig init` judges the pixels that `poseanim image` and `video` paint. A document holding what
only cairosvg draws (`painter.holds_document_content`: text, pictures, `<use>` copies,
markers, masks, filters) is left to cairosvg, and so is one the reader refuses (over the
shape or control-point limits) or one clipped by a clip path it cannot read (`svg.clips`;
the others the painter clips): `painted` answers None for those, and `rendered` hands them
to cairosvg on the same canvas.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

import numpy as np

from poseanim.errors import PoseanimError
from poseanim.render.painter import holds_document_content
from poseanim.render.png import render_rgba
from poseanim.rig.reader import DrawnShape, document_walk
from poseanim.svg.text import SvgSource, apply_splices

MEASURED_TOLERANCE = 0.1
"""Pixels a flattened curve may stray (cairo's default, as cairosvg draws): these pictures are
painted once and measured (bounds, trackers), so they take the accuracy over the speed
frames of a video need (`cairo_painter.FLATTENING_TOLERANCE`)."""


@dataclass(frozen=True)
class Document:
    """A parsed SVG document and the name of where it came from (for messages)."""

    root: ET.Element
    source: str


@dataclass(frozen=True)
class RestDrawing:
    """Every shape of a document at its drawn place, laid out as an `Illustration` lays out
    its control points, so that painters take it for one (`paint_style.Drawn`).

    unread_clips: elements clipped by what the reader cannot read (`svg.clips`): painted
    without, they would show what cairosvg hides.
    """

    drawing: Document
    shapes: list[DrawnShape]
    subpath_ranges: list[list[tuple[int, int, bool]]]
    rest_points: np.ndarray
    unread_clips: list[ET.Element] = field(default_factory=list)

    @classmethod
    def read(cls, root: ET.Element, source: str) -> RestDrawing:
        """The document's shapes; PoseanimError when the reader's limits refuse them."""
        reading = document_walk(root, source)
        shapes = reading.shapes
        ranges: list[list[tuple[int, int, bool]]] = []
        points: list[np.ndarray] = []
        offset = 0
        for shape in shapes:
            ranges.append([])
            for subpath in shape.subpaths:
                ranges[-1].append((offset, offset + len(subpath.points), subpath.closed))
                points.append(subpath.points)
                offset += len(subpath.points)
        rest = np.concatenate(points) if points else np.zeros((0, 2))
        return cls(Document(root, source), shapes, ranges, rest, reading.unread_clips)


@dataclass(frozen=True)
class RestFrame:
    """A `RestDrawing` as a frame (`paint_style.DrawnFrame`): every shape shown where it is
    drawn, on `canvas` (x, y, width, height in root user units)."""

    illustration: RestDrawing
    canvas: tuple[float, float, float, float]

    @property
    def points(self) -> np.ndarray:
        return self.illustration.rest_points

    @property
    def visible(self) -> np.ndarray:
        return np.ones(len(self.illustration.shapes), dtype=bool)

    @property
    def stroke_scale(self) -> np.ndarray:
        return np.ones(len(self.illustration.shapes))

    @property
    def opacity(self) -> None:
        return None

    def paint_order(self) -> np.ndarray:
        return np.arange(len(self.illustration.shapes))

    def shape_motion(self, shape_index: int) -> np.ndarray:
        """Nothing moves at rest: user-space gradients stay where they are drawn."""
        return np.eye(3)


def painted(root: ET.Element, source: str, canvas: tuple[float, float, float, float],
            size: tuple[int, int]) -> np.ndarray | None:
    """(H, W, 4) straight RGBA: the document's `canvas` painted on a transparent `size`
    (width, height) picture, as `canvas.canvas_affine` places it (uniform scale, centred); the
    root's own transform is left out, as the rig reader leaves it out. None when cairosvg must
    draw it (see the module)."""
    from poseanim.render.cairo_painter import CairoPainter

    if holds_document_content(root, clips_read=True):
        return None
    try:
        drawing = RestDrawing.read(root, source)
    except PoseanimError:
        return None
    if drawing.unread_clips:
        return None
    if not drawing.shapes:
        return np.zeros((size[1], size[0], 4), np.uint8)
    painter = CairoPainter(drawing, size, tolerance=MEASURED_TOLERANCE)
    return painter.paint(RestFrame(drawing, canvas), None, alpha=True)


def rendered(source: SvgSource, canvas: tuple[float, float, float, float],
             size: tuple[int, int]) -> np.ndarray:
    """(H, W, 4) straight RGBA of the document's `canvas` on a `size` picture: `painted`, or
    where cairosvg must draw it, cairosvg given the same canvas and size (and no root
    transform), so that a pixel stands for the same user-space point either way: `rig init`
    measures these pixels and the rig editor lays joints over them."""
    rgba = painted(source.root, source.source, canvas, size)
    if rgba is not None:
        return rgba
    values = {"viewBox": " ".join(str(float(value)) for value in canvas),
              "width": str(size[0]), "height": str(size[1]), "preserveAspectRatio": "none"}
    if source.root.get("transform") is not None:
        values["transform"] = ""
    text = apply_splices(source.text, source.set_attributes(source.root, values))
    return render_rgba(source.to_bytes(text))
