"""Writing a posed frame to SVG and PNG files (atomically)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from poseanim.atomic import write_bytes_atomic
from poseanim.illustration import PosedFrame
from poseanim.render.paint_style import RGBA
from poseanim.render.painter import needs_document
from poseanim.render.png import render_png
from poseanim.render.svg_writer import svg_text


def write_svg(frame: PosedFrame, path: str | Path, precision: int = 2,
              background: str | None = None, underlay: str | None = None,
              size: tuple[int, int] | None = None) -> Path:
    """Write the posed character as a self-contained SVG file (displayed at `size` pixels
    when given); returns the path."""
    return write_bytes_atomic(path, svg_text(frame, precision, background, underlay, size))


def write_png(frame: PosedFrame, path: str | Path, width: int | None = None,
              height: int | None = None, scale: float = 1.0, background: str | None = "white",
              underlay: str | None = None, picture: np.ndarray | None = None) -> Path:
    """Write the posed character as a PNG (background None: transparent); returns the path.

    width/height: output pixels (one given keeps the canvas's aspect, both centre it); else
    the canvas size × scale. picture: an (h, w, 3) uint8 RGB picture stretched over the canvas
    under the character (a photo with --overlay, a background picture); underlay: the same as
    a `data:` URI, for callers that have only that.

    The cairo painter paints it from the posed arrays, as it paints video frames. The document
    engine (the posed SVG rendered by cairosvg) paints it instead where that painter would
    leave something out: a drawing with content besides its posed shapes (`needs_document`),
    an underlay given only as a URI, or a picture that leaves transparent bars beside the
    canvas. The two agree to a few pixels on every edge where both can draw
    (`benchmarks/bench_painters.py`), and cairosvg loses the second shape that uses a gradient
    taking its stops from another (`xlink:href`), which the cairo painter draws.
    """
    from poseanim.render.canvas import colour_rgba, raster_size

    size = raster_size(frame.canvas, width, height, scale)
    colour = None if background is None else colour_rgba(background)
    under = None if picture is None else _under(picture, frame.canvas, size, colour)
    if (underlay is not None and picture is None) or (picture is not None and under is None) \
            or needs_document(frame.illustration.drawing):
        if underlay is None and picture is not None:
            from poseanim.render.images import photo_data_uri

            underlay = photo_data_uri(picture)
        svg = svg_text(frame, 3, background, underlay)
        return write_bytes_atomic(path, render_png(svg, width, height, scale, background))
    from poseanim.render.cairo_painter import CairoPainter
    from poseanim.render.images import encode_image
    from poseanim.render.png import check_raster_size

    check_raster_size(*size)
    pixels = CairoPainter(frame.illustration, size).paint(frame, colour, under,
                                                          alpha=colour is None and under is None)
    return write_bytes_atomic(path, encode_image(pixels, ".png"))


def _under(picture: np.ndarray, canvas: tuple[float, float, float, float],
           size: tuple[int, int], colour: RGBA | None) -> np.ndarray | None:
    """(H, W, 3) uint8 of `size`: `picture` stretched over where the canvas lands, the
    background colour beside it; None when bars beside it would have to stay (partly)
    transparent."""
    import cv2

    from poseanim.render.canvas import canvas_affine

    x, y, width, height = canvas
    corners = np.array([[x, y, 1.0], [x + width, y + height, 1.0]]) @ canvas_affine(canvas,
                                                                                     size).T
    (left, top), (right, bottom) = np.rint(corners[:, :2]).astype(int).clip(0, size)
    if right <= left or bottom <= top:
        return None
    under = np.empty((size[1], size[0], 3), np.uint8)
    if (left, top, right, bottom) != (0, 0, *size):
        if colour is None or colour[3] < 1:
            return None
        under[:] = np.rint(np.asarray(colour[:3]) * 255).astype(np.uint8)
    under[top:bottom, left:right] = cv2.resize(np.ascontiguousarray(picture[..., :3]),
                                               (right - left, bottom - top),
                                               interpolation=cv2.INTER_AREA)
    return under
