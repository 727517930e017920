"""One interface for turning posed frames into pixels, and the engines behind it.

Every painter is made for one illustration and one picture size and paints frame after frame
(`Painter.paint`), so the work that depends only on the drawing is done once:

- `CairoPainter` (`cairo_painter`) paints the posed arrays straight into cairo: the engine of
  every frame of a video, of PNG stills (`write_png`) and of the rig tools' judgement
  (`rig check`, `rigging.quality`).
- `DocumentPainter` (here) writes the posed SVG document (`svg_writer`) and has cairosvg
  render it, so everything the document keeps besides the posed shapes is drawn: content
  outside the illustration group, text, embedded pictures, `<use>` copies, clip paths, masks,
  filters, markers. PNG stills of drawings that hold any of those (`needs_document`), or that
  lie over a picture, go through it; the cairo painter would leave them out.
  `benchmarks/bench_painters.py` measures the engines against each other on the bundled
  characters and the corpus (they agree to a few edge pixels; cairosvg alone drops the second
  shape that uses a gradient taking its stops from another).
- `QtImagePainter` (`poseanim.app.qt_painter`) paints with Qt, as the windows do.

All three place the canvas the same way (`canvas.canvas_affine`: uniform scale,
centred) and return new (H, W, 3) RGB or (H, W, 4) RGBA uint8 arrays.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING, Callable, Protocol

import numpy as np

from poseanim.render.paint_style import RGBA

if TYPE_CHECKING:
    from poseanim.illustration import Illustration, PosedFrame
    from poseanim.rig.reader import RiggedDrawing

WHITE: RGBA = (1.0, 1.0, 1.0, 1.0)


class Painter(Protocol):
    """Paints posed frames of one illustration into pictures of one size.

    size: (width, height) of every picture.
    """

    size: tuple[int, int]

    def paint(self, frame: PosedFrame, background: RGBA | None = WHITE,
              underlay: np.ndarray | None = None, alpha: bool = False) -> np.ndarray:
        """The frame as pixels: (H, W, 4) RGBA when `alpha`, else (H, W, 3) RGB.

        background: colour under everything (None: transparent). underlay: an (H, W, 3)
        uint8 RGB picture of `size` drawn under the character (the video, for overlays).
        """
        ...


def css_colour(colour: RGBA | None) -> str | None:
    """An RGBA in [0, 1] as CSS text (None stays None: transparent)."""
    if colour is None:
        return None
    red, green, blue = (round(channel * 255) for channel in colour[:3])
    return f"rgba({red},{green},{blue},{colour[3]:.4g})"


_DRAWN_BESIDE_SHAPES = frozenset({"text", "image", "use", "marker"})
"""Elements cairosvg draws that are no posed shape (`foreignObject`, Illustrator's fallback
wrapper, it does not draw: such drawings stay with the cairo painter)."""
_DOCUMENT_EFFECTS = ("clip-path", "mask", "filter", "marker-start", "marker-mid", "marker-end")


def needs_document(drawing: RiggedDrawing) -> bool:
    """Whether painting the posed shapes alone would leave out part of what the drawing shows.

    True when the drawing keeps content outside the illustration group, or holds text,
    pictures, `<use>` copies or markers, or any element is clipped, masked or filtered: those
    are drawn by the document engine (cairosvg) only.
    """
    return bool(drawing.outside) or holds_document_content(drawing.root)


def holds_document_content(root: ET.Element, clips_read: bool = False) -> bool:
    """Whether a document holds text, pictures, `<use>` copies or markers, or clips, masks or
    filters any element: what only the document engine (cairosvg) draws, for a drawing painted
    whole (`needs_document`, and `render.at_rest` for one that has no rig yet).

    clips_read: the caller reads clip paths itself (`rig.reader.document_walk`, and the cairo
    painter clips), so they do not count.
    """
    from poseanim.svg.document import local_tag

    effects = _DOCUMENT_EFFECTS[1:] if clips_read else _DOCUMENT_EFFECTS
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if local_tag(element) in _DRAWN_BESIDE_SHAPES:
            return True
        if any(element.get(name) for name in effects):
            return True
        style = element.get("style") or ""
        if any(f"{name}:" in style.replace(" ", "") for name in effects):
            return True
    return _effects_in_stylesheet(root, effects)


def _effects_in_stylesheet(root: ET.Element, effects: tuple[str, ...]) -> bool:
    from poseanim.svg.document import local_tag

    sheets = " ".join(element.text or "" for element in root.iter()
                      if isinstance(element.tag, str) and local_tag(element) == "style")
    compact = sheets.replace(" ", "")
    return any(f"{name}:" in compact for name in effects)


class DocumentPainter:
    """Paints a frame by rendering its posed SVG document with cairosvg (see the module)."""

    def __init__(self, illustration: Illustration, size: tuple[int, int],
                 precision: int = 3) -> None:
        self.illustration = illustration
        self.size = size
        self.precision = precision

    def paint(self, frame: PosedFrame, background: RGBA | None = WHITE,
              underlay: np.ndarray | None = None, alpha: bool = False) -> np.ndarray:
        from poseanim.render.images import encode_image
        from poseanim.render.png import render_rgba
        from poseanim.render.svg_writer import svg_text

        uri = None
        if underlay is not None:
            if underlay.shape[:2] != (self.size[1], self.size[0]):
                raise ValueError(f"underlay is {underlay.shape[1]}×{underlay.shape[0]}, the "
                                 f"painter {self.size[0]}×{self.size[1]}")
            import base64

            uri = "data:image/png;base64," + base64.b64encode(encode_image(underlay)).decode()
        css = css_colour(background)
        svg = svg_text(_displayed_at(frame, self.size), self.precision, css, uri)
        rgba = render_rgba(svg, self.size[0], self.size[1], background=css)
        if alpha:
            return rgba
        # colour over what is under it: the background, else black (as cairo's RGB output)
        shown = rgba[..., 3:4].astype(np.float32) / 255.0
        return np.rint(rgba[..., :3] * shown).astype(np.uint8)


def _displayed_at(frame: PosedFrame, size: tuple[int, int]) -> PosedFrame:
    """The frame on a canvas grown to the picture's aspect, so that cairosvg, which stretches a
    document to the asked width and height, places it as `canvas_affine` does."""
    import dataclasses

    from poseanim.render.canvas import canvas_for

    return dataclasses.replace(frame, canvas=canvas_for(frame.canvas, size))


def _cairo(illustration: Illustration, size: tuple[int, int]) -> Painter:
    from poseanim.render.cairo_painter import CairoPainter

    return CairoPainter(illustration, size)


ENGINES: dict[str, Callable[[Illustration, tuple[int, int]], Painter]] = {
    "cairo": _cairo, "document": DocumentPainter,
}
"""The engines outside the windows (the Qt one, `QtImagePainter`, needs a QApplication)."""


def make_painter(illustration: Illustration, size: tuple[int, int],
                 engine: str = "cairo") -> Painter:
    """A painter of `illustration` at `size` (width, height) by the named engine."""
    return ENGINES[engine](illustration, size)
