"""One SVG file that plays the whole animation on its own, in any browser (SMIL).

The document is the illustration posed for the first frame (the author's structure, styles
and ids kept, see `svg_writer.posed_tree`); each shape's `<path>` gets an
`<animate attributeName="d">` whose `values` are its outlines frame by frame, with
`calcMode="discrete"` and `keyTimes` at the source frame rate, so every frame shows exactly as
drawn. Shapes hidden in some frames animate `visibility`; strokes that grow and shrink with
the character animate `stroke-width`. A value equal to the one before it is left out (with
discrete timing it holds anyway), which keeps held poses and still shapes from costing bytes.
"""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np

from poseanim.errors import PoseanimError
from poseanim.illustration import PosedFrame
from poseanim.render.svg_writer import format_number, posed_tree, shape_path_data
from poseanim.render.video_writers import ExportSettings, OutputFrame, svg_bytes
from poseanim.rig.svg_document import local_tag, stroke_width_number

KEY_TIME_PRECISION = 6


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

    def write(self, frame: OutputFrame, repeat: int = 1) -> None:
        posed = frame.posed
        if self._first is None:
            self._first = posed
        outlines = [shape_path_data(posed, index, self.settings.precision)
                    for index in range(len(posed.illustration.shapes))]
        for _ in range(repeat):
            self._outlines.append(outlines)
            self._visible.append(posed.visible)
            self._stroke_scales.append(posed.stroke_scale)

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
        root, elements = posed_tree(every_shape, self.settings.precision,
                                    self.settings.svg_background)
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
        return root

    def _animate(self, element: ET.Element, attribute: str, values: list[str]) -> None:
        """Add an `<animate>` of `attribute` through `values` (one per frame), if it changes."""
        kept = [index for index, value in enumerate(values)
                if index == 0 or value != values[index - 1]]
        if len(kept) < 2:
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
        ET.SubElement(element, f"{namespace}animate",
                      {"attributeName": attribute, "values": ";".join(values[i] for i in kept),
                       **timing})
