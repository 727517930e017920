"""Where a canvas lands in a picture, how big the picture is, and what a colour is: the one
place every writer of pixels (the painters, Lottie, the commands' --width/--height/--scale
and --background) reads these from, so they cannot disagree.
"""

from __future__ import annotations

import re

import numpy as np
import svgelements as se

from poseanim.errors import PoseanimError
from poseanim.render.paint_style import RGBA

MAX_PIXELS = 16384
"""Pixels along either side of an output picture, at most."""
MAX_STROKE_PIXELS = 1e5
"""Pixels a stroke is drawn wide at most, by the cairo painter and by cairosvg
(`render.stroke_bound` says why)."""


def raster_size(canvas: tuple[float, float, float, float], width: int | None = None,
                height: int | None = None, scale: float = 1.0) -> tuple[int, int]:
    """Output pixels (width, height) for a canvas, as `--width/--height/--scale` ask.

    Both given: exactly that (the drawing is centred, aspect kept); one given: the other
    follows the canvas's aspect; none: the canvas size times `scale`.
    """
    canvas_width, canvas_height = max(canvas[2], 1e-9), max(canvas[3], 1e-9)
    if width is not None and height is not None:
        size = (width, height)
    elif width is not None:
        size = (width, round(width * canvas_height / canvas_width))
    elif height is not None:
        size = (round(height * canvas_width / canvas_height), height)
    else:
        size = (round(canvas_width * scale), round(canvas_height * scale))
    if not all(1 <= side <= MAX_PIXELS for side in size):
        raise PoseanimError(f"the output would be {size[0]}×{size[1]} pixels; each side must be "
                            f"between 1 and {MAX_PIXELS}")
    return int(size[0]), int(size[1])


def canvas_for(canvas: tuple[float, float, float, float],
               size: tuple[int, int]) -> tuple[float, float, float, float]:
    """`canvas` grown evenly on two sides to the aspect of a `size` picture.

    With both --width and --height the output is exactly that size; drawing on the grown
    canvas keeps the character centred while the background (a colour or a picture) covers
    the whole picture rather than the drawing's own aspect of it.
    """
    x, y, width, height = canvas
    aspect = size[0] / size[1]
    if width / max(height, 1e-9) < aspect:
        grown = height * aspect
        return x - (grown - width) / 2, y, grown, height
    grown = width / aspect
    return x, y - (grown - height) / 2, width, grown


def canvas_affine(canvas: tuple[float, float, float, float],
                  size: tuple[int, int]) -> np.ndarray:
    """(3, 3) canvas user units → pixels of a `size` picture: uniform scale, centred (SVG's
    xMidYMid meet), the placement every writer of pixels or pixel coordinates shares."""
    x, y, width, height = canvas
    scale = min(size[0] / max(width, 1e-9), size[1] / max(height, 1e-9))
    dx = (size[0] - width * scale) / 2 - x * scale
    dy = (size[1] - height * scale) / 2 - y * scale
    return np.array([[scale, 0.0, dx], [0.0, scale, dy], [0.0, 0.0, 1.0]])


def colour_rgba(text: str) -> RGBA:
    """A CSS colour (a name, #rgb, #rrggbb, #rrggbbaa, rgb(), rgba(), hsl()) as RGBA in [0, 1].

    Raises PoseanimError for text that is not a colour, rather than painting black.
    """
    cleaned = text.strip().lower()
    value = se.Color.parse(cleaned)
    known = (re.fullmatch(r"#([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})", cleaned)
             or re.fullmatch(r"(rgba?|hsla?)\(.*\)", cleaned)
             or (cleaned.isalpha() and (value != se.Color.parse("black") or cleaned == "black")))
    if value is None or not known:
        raise PoseanimError(f"'{text}' is not a colour; use a CSS colour such as white, "
                            "#202830 or rgb(32, 40, 48), or 'none' for transparency")
    colour = se.Color(cleaned)
    return (colour.red / 255, colour.green / 255, colour.blue / 255, colour.alpha / 255)
