"""Writing a posed frame to SVG and PNG files (atomically)."""

from __future__ import annotations

from pathlib import Path

from poseanim.atomic import write_bytes_atomic
from poseanim.illustration import PosedFrame
from poseanim.render.painter import needs_document
from poseanim.render.png import render_png
from poseanim.render.svg_writer import svg_text


def write_svg(frame: PosedFrame, path: str | Path, precision: int = 2,
              background: str | None = None, underlay: str | None = None) -> Path:
    """Write the posed character as a self-contained SVG file; returns the path."""
    return write_bytes_atomic(path, svg_text(frame, precision, background, underlay))


def write_png(frame: PosedFrame, path: str | Path, width: int | None = None,
              height: int | None = None, scale: float = 1.0, background: str | None = "white",
              underlay: str | None = None) -> Path:
    """Write the posed character as a PNG (background None: transparent); returns the path.

    width/height: output pixels (one given keeps the canvas's aspect, both centre it); else
    the canvas size × scale. underlay: a `data:` URI picture stretched over the canvas.

    The cairo painter paints it from the posed arrays, as it paints video frames. The document
    engine (the posed SVG rendered by cairosvg) paints it instead where that painter would
    leave something out: a drawing with content besides its posed shapes (`needs_document`),
    or an underlay. The two agree to a few pixels on every edge where both can draw
    (`benchmarks/bench_painters.py`), and cairosvg loses the second shape that uses a gradient
    taking its stops from another (`xlink:href`), which the cairo painter draws.
    """
    if underlay is not None or needs_document(frame.illustration.drawing):
        svg = svg_text(frame, 3, background, underlay)
        return write_bytes_atomic(path, render_png(svg, width, height, scale, background))
    from poseanim.render.cairo_painter import CairoPainter
    from poseanim.render.canvas import colour_rgba, raster_size
    from poseanim.render.images import encode_image
    from poseanim.render.png import check_raster_size

    size = raster_size(frame.canvas, width, height, scale)
    check_raster_size(*size)
    colour = None if background is None else colour_rgba(background)
    pixels = CairoPainter(frame.illustration, size).paint(frame, colour, alpha=colour is None)
    return write_bytes_atomic(path, encode_image(pixels, ".png"))
