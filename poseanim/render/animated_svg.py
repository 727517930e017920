"""One SVG file that plays the whole animation on its own, in any browser (SMIL).

The document is the illustration posed for the first frame (the author's structure, styles
and ids kept, see `svg_writer.posed_tree`); each shape's `<path>` gets an
`<animate attributeName="d">` whose `values` are its outlines frame by frame, with
`calcMode="discrete"` and `keyTimes` at the source frame rate, so every frame shows exactly as
drawn. Shapes hidden in some frames animate `visibility`, shapes fading in or out
(`PosedFrame.opacity`) animate `opacity` (the author's own opacity times the fade); strokes
that grow and shrink with
the character animate `stroke-width`; a gradient in user space (userSpaceOnUse) follows its
shape, as in the posed SVG of each frame, through an `<animateTransform>` chain on a copy of
it. A value equal to the one before it is left out (with discrete timing it holds anyway),
which keeps held poses and still shapes from costing bytes.

The file is ordered by shape but arrives by frame, and ten minutes of a 100-shape character
are a gigabyte of path text: each animated attribute is a column spooled to a temporary file
in blocks as frames come (`_Spool`), and `finish` writes the document around the columns,
streaming each from its blocks, so memory stays flat whatever the clip's length.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import math
import re
import tempfile
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Iterator
from xml.sax.saxutils import escape

import numpy as np

from poseanim.errors import PoseanimError
from poseanim.illustration import Illustration, PosedFrame
from poseanim.layering import lifted_shapes
from poseanim.render.images import photo_data_uri
from poseanim.render.paint_style import Gradient, shape_paints
from poseanim.render.svg_writer import format_number, own_opacity, posed_tree, shape_path_data
from poseanim.render.export import ExportSettings, OutputFrame
from poseanim.render.svg_writer import svg_bytes
from poseanim.svg.document import local_tag, parse_declarations, stroke_width_number

KEY_TIME_PRECISION = 6
TRANSFORM_PRECISION = 4
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
SPOOL_BLOCK_CHARACTERS = 4_000_000
"""Text held in memory before the columns are written to the spool file as one block each."""
GRADIENT_STEPS = ("translate", "rotate", "scale", "skewX")


class _Spool:
    """Columns of text that grow item by item, kept on disk in blocks.

    `append` keeps items in memory until they add up to SPOOL_BLOCK_CHARACTERS, then writes
    each column's items as one block of the anonymous temporary file; `read` gives a column
    back block by block, with the `;` between items that SMIL lists want.
    """

    def __init__(self, folder: Path) -> None:
        self._file: BinaryIO = tempfile.TemporaryFile(dir=folder)
        self._pending: list[list[str]] = []
        self._blocks: list[list[tuple[int, int]]] = []
        self._characters = 0

    def column(self) -> int:
        """A new, empty column's number."""
        self._pending.append([])
        self._blocks.append([])
        return len(self._pending) - 1

    def append(self, column: int, text: str) -> None:
        self._pending[column].append(text)
        self._characters += len(text) + 1
        if self._characters > SPOOL_BLOCK_CHARACTERS:
            self._flush()

    def _flush(self) -> None:
        self._file.seek(0, 2)
        for column, items in enumerate(self._pending):
            if items:
                data = ";".join(items).encode("utf-8")
                self._blocks[column].append((self._file.tell(), len(data)))
                self._file.write(data)
                items.clear()
        self._characters = 0

    def read(self, column: int) -> Iterator[str]:
        """The column's text, `;`-separated, in pieces of at most one block."""
        first = True
        for offset, length in self._blocks[column]:
            self._file.seek(offset)
            yield ("" if first else ";") + self._file.read(length).decode("utf-8")
            first = False
        if self._pending[column]:
            yield ("" if first else ";") + ";".join(self._pending[column])

    def close(self) -> None:
        self._file.close()


class _Channel:
    """One animated attribute of one element: the values that differ from the one before,
    and the frames where they start, as two spooled columns."""

    def __init__(self, spool: _Spool) -> None:
        self.spool = spool
        self.values, self.keys = spool.column(), spool.column()
        self.first: str | None = None
        self.last: str | None = None
        self.kept = 0

    def add(self, frame: int, value: str) -> None:
        if self.kept and value == self.last:
            return  # with discrete timing the value before holds anyway
        if self.first is None:
            self.first = value
        self.spool.append(self.values, value)
        self.spool.append(self.keys, str(frame))
        self.last = value
        self.kept += 1


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
    """Spools each frame's outlines by shape, then writes one animated SVG on `finish`.

    Memory holds the first frame, one block of spooled text and a few numbers per shape; the
    outlines themselves wait in a temporary file beside the output until `finish`.
    """

    def __init__(self, temporary: Path, settings: ExportSettings) -> None:
        self.temporary = temporary
        self.settings = settings
        self._spool = _Spool(temporary.parent)
        self._first: PosedFrame | None = None
        self._frames = 0
        self._moving: list[_MovingGradient] = []
        self._first_matrices: list[np.ndarray] = []
        self._outline: list[_Channel] = []
        self._visibility: list[_Channel] = []
        self._widths: list[_Channel] = []
        self._opacity: list[_Channel] = []
        self._faded_once: np.ndarray = np.zeros(0, bool)
        self._gradient_steps: list[list[_Channel]] = []  # per moving gradient, per step
        self._hidden_once: np.ndarray = np.zeros(0, bool)
        self._front: list[_Channel] = []  # per shape: its copy in front shown ("visible") or not
        self._lifted_once: np.ndarray = np.zeros(0, bool)
        self._slot: int | None = None  # the shape lifted ones are drawn after
        self._scale_low: np.ndarray = np.zeros(0)
        self._scale_high: np.ndarray = np.zeros(0)

    def _start(self, posed: PosedFrame) -> None:
        shapes = posed.illustration.shapes
        self._first = posed
        self._moving = _moving_gradients(posed.illustration)
        self._outline = [_Channel(self._spool) for _ in shapes]
        self._visibility = [_Channel(self._spool) for _ in shapes]
        self._widths = [_Channel(self._spool) for _ in shapes]
        self._opacity = [_Channel(self._spool) for _ in shapes]
        self._faded_once = np.zeros(len(shapes), bool)
        self._own_opacity = np.array([own_opacity(shape.style) for shape in shapes])
        self._gradient_steps = [[_Channel(self._spool) for _ in GRADIENT_STEPS]
                                for _ in self._moving]
        self._hidden_once = np.zeros(len(shapes), bool)
        self._front = [_Channel(self._spool) for _ in shapes]
        self._lifted_once = np.zeros(len(shapes), bool)
        self._scale_low = np.full(len(shapes), np.inf)
        self._scale_high = np.full(len(shapes), -np.inf)

    def write(self, frame: OutputFrame, repeat: int = 1) -> None:
        posed = frame.drawing("animated SVG")
        if self._first is None:
            self._start(posed)
        shapes = posed.illustration.shapes
        index = self._frames
        lifted, slot = lifted_shapes(posed.order, len(shapes))
        self._slot = self._slot if slot is None else slot
        behind = posed.visible & ~lifted  # a shape brought in front shows its front copy
        for number, shape in enumerate(shapes):
            self._outline[number].add(index, shape_path_data(posed, number,
                                                             self.settings.precision))
            self._visibility[number].add(index, "visible" if behind[number] else "hidden")
            if shape.style.get("stroke", "none") != "none":
                width = stroke_width_number(shape.style.get("stroke-width"))
                self._widths[number].add(index,
                                         format_number(width * posed.stroke_scale[number], 3))
        fade = posed.opacity if posed.opacity is not None else np.ones(len(shapes))
        for number in np.flatnonzero(self._faded_once | (fade < 1.0)):
            if not self._faded_once[number] and index > 0:
                self._opacity[number].add(0, format_number(self._own_opacity[number], 3))
            self._opacity[number].add(index, format_number(self._own_opacity[number]
                                                           * float(fade[number]), 3))
        self._faded_once |= fade < 1.0
        for number in np.flatnonzero(self._lifted_once | lifted):
            if not self._lifted_once[number] and index > 0:
                self._front[number].add(0, "hidden")
            self._front[number].add(index, "visible" if posed.visible[number] and lifted[number]
                                    else "hidden")
        self._lifted_once |= lifted
        self._hidden_once |= ~behind
        self._scale_low = np.minimum(self._scale_low, posed.stroke_scale)
        self._scale_high = np.maximum(self._scale_high, posed.stroke_scale)
        for moving, channels in zip(self._moving, self._gradient_steps):
            # the same motion as svg_writer gives the gradient in each frame's own document
            matrix = (np.linalg.inv(shapes[moving.shape].ctm) @ posed.shape_motion(moving.shape)
                      @ shapes[moving.shape].ctm @ moving.transform)
            if index == 0:
                self._first_matrices.append(matrix)
            for channel, step in zip(channels, _transform_steps(matrix)):
                channel.add(index, step)
        self._frames += repeat

    def finish(self) -> None:
        if self._first is None:
            raise PoseanimError("no frames to write")
        nonce = uuid.uuid4().hex
        root = self._document(nonce)
        head, *rest = re.split(rf"@{nonce}-(values|keys)-(\d+)@",
                               svg_bytes(root, self.settings.svg_size).decode("utf-8"))
        with self.temporary.open("w", encoding="utf-8") as out:
            out.write(head)
            for kind, column, text in zip(rest[0::3], rest[1::3], rest[2::3]):
                for piece in (self._spool.read(int(column)) if kind == "values"
                              else self._key_times(int(column))):
                    out.write(escape(piece, {'"': "&quot;"}))
                out.write(text)

    def close(self) -> None:
        """Remove the spooled outlines."""
        self._spool.close()

    def _key_times(self, column: int) -> Iterator[str]:
        """A keys column (frame numbers) as SMIL keyTimes (fractions of the duration)."""
        for piece in self._spool.read(column):
            yield ";".join("" if not key else format_number(int(key) / self._frames,
                                                             KEY_TIME_PRECISION)
                           for key in piece.split(";"))

    def _document(self, nonce: str) -> ET.Element:
        """The animated SVG tree, each spooled column standing in as `@nonce-values-N@`."""
        assert self._first is not None
        every_shape = dataclasses.replace(self._first, order=None,  # the drawing's own order
                                          visible=np.ones_like(self._first.visible))
        backdrop = self.settings.backdrop
        root, elements = posed_tree(every_shape, self.settings.precision,
                                    self.settings.svg_background,
                                    photo_data_uri(backdrop) if backdrop is not None else None)
        for index, element in enumerate(elements):
            if element is None:
                continue
            self._animate(element, "d", self._outline[index], nonce)
            if self._hidden_once[index]:
                self._animate(element, "visibility", self._visibility[index], nonce)
            if self._faded_once[index]:
                self._animate(element, "opacity", self._opacity[index], nonce)
            if self._widths[index].kept and self._scale_high[index] - self._scale_low[index] > 1e-3:
                self._animate(element, "stroke-width", self._widths[index], nonce)
        self._animate_gradients(root, elements, nonce)
        self._fronts(root, elements, nonce)
        return root

    def _fronts(self, root: ET.Element, elements: list[ET.Element | None], nonce: str) -> None:
        """A second copy of each shape brought in front in some frames (an arm across the
        body, `PosedFrame.order`), right after the shape it is then drawn after, showing only
        in those frames (the document's order cannot change over time; its copies' visibility
        can). As in the posed SVG, only within the same parent group."""
        slot = None if self._slot is None else elements[self._slot]
        if slot is None:
            return
        parents = {child: parent for parent in root.iter() for child in parent}
        parent = parents.get(slot)
        after = slot
        for index in np.flatnonzero(self._lifted_once):
            element = elements[index]
            if element is None or parent is None or parents.get(element) is not parent:
                continue
            front = copy.deepcopy(element)
            for animate in list(front):
                if animate.get("attributeName") == "visibility":
                    front.remove(animate)
            front.attrib.pop("visibility", None)
            front.set("id", f"{front.get('id') or f'shape-{index + 1}'}-in-front")
            self._animate(front, "visibility", self._front[index], nonce)
            parent.insert(list(parent).index(after) + 1, front)
            after = front

    def _animate_gradients(self, root: ET.Element, elements: list[ET.Element | None],
                           nonce: str) -> None:
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
            first = self._first_matrices[number]
            copy = ET.SubElement(defs, original.tag, {
                "id": copy_id, XLINK_HREF: f"#{moving.target}",  # stops, units, coordinates
                "gradientTransform": "matrix(" + " ".join(  # for viewers without SMIL
                    format_number(v, TRANSFORM_PRECISION) for v in first[:2].T.ravel()) + ")"})
            for position, (kind, channel) in enumerate(zip(GRADIENT_STEPS,
                                                           self._gradient_steps[number])):
                self._animate(copy, "gradientTransform", channel, nonce,
                              tag="animateTransform", type=kind,
                              additive="replace" if position == 0 else "sum")
            declarations = parse_declarations(element.get("style") or "")
            declarations[moving.prop] = f"url(#{copy_id})"
            element.set("style", ";".join(f"{key}:{value}" for key, value in declarations.items()))
        root.insert(0, defs)

    def _animate(self, element: ET.Element, attribute: str, channel: _Channel, nonce: str,
                 tag: str = "animate", **extra: str) -> None:
        """Add an `<animate>` (or `tag`) of `attribute` through the channel's values.

        A plain attribute that never changes is set instead; a step of a transform chain is
        always written, since the steps after it build on it.
        """
        if channel.kept < 2 and tag == "animate":
            if attribute != "d" and channel.first is not None:
                element.set(attribute, channel.first)
            return
        namespace = element.tag[: -len(local_tag(element))]
        timing = {"dur": f"{format_number(self._frames / self.settings.fps, KEY_TIME_PRECISION)}s",
                  "calcMode": "discrete", "keyTimes": f"@{nonce}-keys-{channel.keys}@"}
        timing.update({"repeatCount": "indefinite"} if self.settings.loop else {"fill": "freeze"})
        ET.SubElement(element, f"{namespace}{tag}",
                      {"attributeName": attribute, **extra,
                       "values": f"@{nonce}-values-{channel.values}@", **timing})
