"""SVG document → PNG with cairosvg, never reaching outside the document.

The posed document is the user's own SVG, so it is untrusted. cairosvg (≥ 2.7.1) in its default
safe mode (`unsafe=False`) parses without entities and serves only `data:` URIs to
`<image>`, `<use>` and stylesheet references, so `file://` and `http(s)://` references are never
read; we rely on that and test it.
"""

from __future__ import annotations

import cairosvg
import numpy as np

from poseanim.errors import PoseanimError


def render_png(svg: bytes, width: int | None = None, height: int | None = None,
               scale: float = 1.0, background: str | None = None) -> bytes:
    """Rasterise SVG bytes to PNG bytes.

    width/height: output pixels (one given keeps the aspect ratio); else the SVG's size × scale.
    background: a CSS colour, or None for transparency.
    """
    try:
        return cairosvg.svg2png(bytestring=svg, output_width=width, output_height=height,
                                scale=scale, background_color=background, unsafe=False)
    except (ValueError, TypeError, MemoryError) as error:
        raise PoseanimError(f"cannot render the drawing: {error}") from None


def png_to_rgba(png: bytes) -> np.ndarray:
    """Decode PNG bytes to an (H, W, 4) uint8 RGBA array."""
    import cv2

    array = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_UNCHANGED)
    if array is None:
        raise PoseanimError("could not decode the rendered picture")
    if array.ndim == 2:
        array = cv2.cvtColor(array, cv2.COLOR_GRAY2BGRA)
    elif array.shape[2] == 3:
        array = cv2.cvtColor(array, cv2.COLOR_BGR2BGRA)
    return cv2.cvtColor(array, cv2.COLOR_BGRA2RGBA)
