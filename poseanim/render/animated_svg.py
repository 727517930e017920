"""One SVG file that plays the whole animation on its own, in any browser (SMIL).

The document is the illustration posed for the first frame (the author's structure, styles
and ids kept, see `svg_writer.posed_tree`); each shape's `<path>` gets an
`<animate attributeName="d">` whose `values` are its outlines frame by frame, with
`calcMode="discrete"` and `keyTimes` at the source frame rate, so every frame shows exactly as
drawn. Shapes hidden in some frames animate `visibility`; strokes that grow and shrink with
the character animate `stroke-width`; a gradient in user space (userSpaceOnUse) follows its
shape, as in the posed SVG of each frame, through an `<animateTransform>` chain on a copy of
it. A value equal to the one before it is left out (with discrete timing it holds anyway),
which keeps held poses and still shapes from costing bytes.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from poseanim.errors import PoseanimError
from poseanim.illustration import Illustration, PosedFrame
from poseanim.render.images import photo_data_uri
from poseanim.render.paint_style import Gradient, shape_paints
from poseanim.render.svg_writer import format_number, posed_tree, shape_path_data
from poseanim.render.video_writers import ExportSettings, OutputFrame, svg_bytes
from poseanim.svg.document import local_tag, parse_declarations, stroke_width_number

KEY_TIME_PRECISION = 6
TRANSFORM_PRECISION = 4
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"


@dataclass(frozen=True)
class _MovingGradient:
    """A shape's fill or stroke that refers to a userSpaceOnUse gradient.

    target: the id the shape's paint refers to; transform: (3, 3) the gradient's own
    gradientTransform (resolved along its href chain).
    """

    shape: int
    prop: str
    target: str
    transform: np.ndarray


def _moving_gradients(illustration: Illustration) -> list[_MovingGradient]:
    """Every (shape, fill|stroke) painted with a gradient laid out in user space."""
    found = []
    for index, (shape, paint) in enumerate(zip(illustration.shapes, shape_paints(illustration))):
        for prop, gradient in (("fill", paint.fill), ("stroke", paint.stroke)):
            match = re.match(r"url\(\s*['\"]?#([^'\")\s]+)", shape.style.get(prop, ""))
            if isinstance(gradient, Gradient) and gradient.user_space and match:
                found.append(_MovingGradient(index, prop, match.group(1), gradient.transform))
    return found


def _transform_steps(matrix: np.ndarray) -> tuple[str, str, str, str]:
    """A (3, 3) affine as SMIL transform values: translate · rotate · scale · skewX.

    SMIL cannot animate a `matrix(…)`, but any affine is that product: rotate the first
    column onto the x axis and what is left is upper triangular, a scale times a skew.
    """
    (a, c, e), (b, d, f) = matrix[0], matrix[1]
    x_scale = math.hypot(a, b) or 1e-12
    shear = (a * c + b * d) / x_scale
    y_scale = (a * d - b * c) / x_scale
    number = functools.partial(format_number, precision=TRANSFORM_PRECISION)
    return (f"{number(e)},{number(f)}", number(math.degrees(math.atan2(b, a))),
            f"{number(x_scale)},{number(y_scale)}",
            number(math.degrees(math.atan(shear / x_scale))))


class AnimatedSvgWriter:
    """Collects each frame's outlines, then writes one animated SVG on `finish`.

    Memory grows with frames × shapes (the path text); a minute of a 90-shape character at
    30 frames/s is a few hundred megabytes of text before repeats are collapsed, so long clips
    are better exported as video.
    """

    def __init__(self, temporary: Path, settings: ExportSettings) -> None:
        self.temporary = temporary
        self.settings = settings
        self._first: PosedFrame | None = None
        self._outlines: list[list[str]] = []  # per frame, per shape
        self._visible: list[np.ndarray] = []
        self._stroke_scales: list[np.ndarray] = []
        self._moving: list[_MovingGradient] = []
        self._gradient_matrices: list[list[np.ndarray]] = []  # per frame, per moving gradient

    def write(self, frame: OutputFrame, repeat: int = 1) -> None:
        posed = frame.posed
        shapes = posed.illustration.shapes
        if self._first is None:
            self._first = posed
            self._moving = _moving_gradients(posed.illustration)
        outlines = [shape_path_data(posed, index, self.settings.precision)
                    for index in range(len(shapes))]
        # the same motion as svg_writer gives the gradient in each frame's own document
        matrices = [np.linalg.inv(shapes[m.shape].ctm) @ posed.shape_motion(m.shape)
                    @ shapes[m.shape].ctm @ m.transform for m in self._moving]
        for _ in range(repeat):
            self._outlines.append(outlines)
            self._visible.append(posed.visible)
            self._stroke_scales.append(posed.stroke_scale)
            self._gradient_matrices.append(matrices)

    def finish(self) -> None:
        if self._first is None:
            raise PoseanimError("no frames to write")
        self.temporary.write_bytes(svg_bytes(self.document(), self.settings.svg_size))

    def close(self) -> None:
        """Nothing to release: the file is written in one go by `finish`."""

    def document(self) -> ET.Element:
        """The animated SVG tree for the frames written so far."""
        assert self._first is not None
        every_shape = dataclasses.replace(self._first,
                                          visible=np.ones_like(self._first.visible))
        backdrop = self.settings.backdrop
        root, elements = posed_tree(every_shape, self.settings.precision,
                                    self.settings.svg_background,
                                    photo_data_uri(backdrop) if backdrop is not None else None)
        visible = np.array(self._visible)
        stroke_scales = np.array(self._stroke_scales)
        shapes = self._first.illustration.shapes
        for index, element in enumerate(elements):
            if element is None:
                continue
            self._animate(element, "d", [outlines[index] for outlines in self._outlines])
            if not visible[:, index].all():
                self._animate(element, "visibility",
                              ["visible" if shown else "hidden" for shown in visible[:, index]])
            style = shapes[index].style
            if style.get("stroke", "none") != "none" and np.ptp(stroke_scales[:, index]) > 1e-3:
                width = stroke_width_number(style.get("stroke-width"))
                widths = [format_number(width * scale, 3) for scale in stroke_scales[:, index]]
                self._animate(element, "stroke-width", widths)
        self._animate_gradients(root, elements)
        return root

    def _animate_gradients(self, root: ET.Element, elements: list[ET.Element | None]) -> None:
        """Point each moving paint at its own copy of the gradient, whose transform follows
        the shape frame by frame (the copy refers back, so stops and coordinates are kept)."""
        if not self._moving:
            return
        namespace = root.tag[: -len(local_tag(root))]
        by_id = {element.get("id"): element for element in root.iter() if element.get("id")}
        defs = ET.Element(f"{namespace}defs")
        for number, moving in enumerate(self._moving):
            element, original = elements[moving.shape], by_id.get(moving.target)
            if element is None or original is None:
                continue
            copy_id = f"{moving.target}-animated-{number}"
            first = self._gradient_matrices[0][number]
            copy = ET.SubElement(defs, original.tag, {
                "id": copy_id, XLINK_HREF: f"#{moving.target}",  # stops, units, coordinates
                "gradientTransform": "matrix(" + " ".join(  # for viewers without SMIL
                    format_number(v, TRANSFORM_PRECISION) for v in first[:2].T.ravel()) + ")"})
            per_frame = [_transform_steps(matrices[number])
                         for matrices in self._gradient_matrices]
            for position, kind in enumerate(("translate", "rotate", "scale", "skewX")):
                self._animate(copy, "gradientTransform", [step[position] for step in per_frame],
                              tag="animateTransform", type=kind,
                              additive="replace" if position == 0 else "sum")
            declarations = parse_declarations(element.get("style") or "")
            declarations[moving.prop] = f"url(#{copy_id})"
            element.set("style", ";".join(f"{key}:{value}" for key, value in declarations.items()))
        root.insert(0, defs)

    def _animate(self, element: ET.Element, attribute: str, values: list[str],
                 tag: str = "animate", **extra: str) -> None:
        """Add an `<animate>` (or `tag`) of `attribute` through `values`, one per frame.

        A plain attribute that never changes is set instead; a step of a transform chain is
        always written, since the steps after it build on it.
        """
        kept = [index for index, value in enumerate(values)
                if index == 0 or value != values[index - 1]]
        if len(kept) < 2 and tag == "animate":
            if attribute != "d" and values:
                element.set(attribute, values[0])
            return
        count = len(values)
        namespace = element.tag[: -len(local_tag(element))]
        timing = {"dur": f"{format_number(count / self.settings.fps, KEY_TIME_PRECISION)}s",
                  "calcMode": "discrete",
                  "keyTimes": ";".join(format_number(index / count, KEY_TIME_PRECISION)
                                       for index in kept)}
        timing.update({"repeatCount": "indefinite"} if self.settings.loop else {"fill": "freeze"})
        ET.SubElement(element, f"{namespace}{tag}",
                      {"attributeName": attribute, **extra,
                       "values": ";".join(values[i] for i in kept), **timing})
