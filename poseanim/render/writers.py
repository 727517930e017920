"""Writing a posed frame to SVG and PNG files (atomically)."""

from __future__ import annotations

from pathlib import Path

from poseanim.atomic import write_bytes_atomic
from poseanim.illustration import PosedFrame
from poseanim.render.png import render_png
from poseanim.render.svg_writer import svg_text


def write_svg(frame: PosedFrame, path: str | Path, precision: int = 2,
              background: str | None = None, underlay: str | None = None) -> Path:
    """Write the posed character as a self-contained SVG file; returns the path."""
    return write_bytes_atomic(path, svg_text(frame, precision, background, underlay))


def write_png(frame: PosedFrame, path: str | Path, width: int | None = None,
              height: int | None = None, scale: float = 1.0, background: str | None = "white",
              underlay: str | None = None) -> Path:
    """Write the posed character as a PNG (background None: transparent); returns the path."""
    svg = svg_text(frame, 3, background, underlay)
    return write_bytes_atomic(path, render_png(svg, width, height, scale, background))
