"""The drawing rendered for `rig init --auto` to look at: bounds, trackers, hands."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from poseanim.errors import PoseanimError
from poseanim.render.at_rest import rendered
from poseanim.svg.document import view_box
from poseanim.svg.text import SvgSource

RENDER_SIDE = 1024
"""Pixels of the larger side of the rendering that bounds and trackers look at."""


@dataclass(frozen=True)
class Raster:
    """The drawing rendered on its own (transparent background).

    rgba: (H, W, 4) uint8. A pixel (px, py) shows user-space point origin + (px, py) / scale.
    source: the file it came from, for messages.
    """

    source: str
    rgba: np.ndarray
    origin: np.ndarray
    scale: float

    def to_user(self, pixels: np.ndarray) -> np.ndarray:
        """(…, 2) pixel coordinates → user space."""
        return self.origin + np.asarray(pixels, dtype=float) / self.scale

    def pixel_bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """(low, high) pixel corners of what is drawn; PoseanimError for an empty drawing.

        When the picture's border is one opaque colour (a background rectangle, as Figma
        frames export), that colour does not count as drawn.
        """
        rgba = self.rgba
        drawn = rgba[..., 3] > 8
        inner = rgba[2:-2, 2:-2]  # the outermost pixels may be cut by the canvas edge
        if min(inner.shape[:2]) > 0:  # a viewBox a hair thin renders a few pixels high
            border = np.concatenate([inner[0], inner[-1], inner[:, 0], inner[:, -1]]).astype(int)
            if (border[:, 3] > 247).all() and np.ptp(border[:, :3], axis=0).max() <= 6:
                drawn &= np.abs(rgba[..., :3].astype(int) - border[0, :3]).max(axis=2) > 12
        ys, xs = np.nonzero(drawn)
        if xs.size == 0:
            raise PoseanimError(f"{self.source} renders as an empty picture; nothing to rig")
        return np.array([xs.min(), ys.min()]), np.array([xs.max() + 1, ys.max() + 1])


def fill_enclosed(drawn: np.ndarray) -> np.ndarray:
    """(H, W) bool: the drawn mask with every region it encloses filled in (what cannot be
    reached from the picture's edge without crossing ink): an outlined limb or body counts as
    ink inside, as a silhouette."""
    import cv2

    height, width = drawn.shape
    outside = np.pad((~drawn).astype(np.uint8), 1, constant_values=1)  # a way round the edge
    cv2.floodFill(outside, np.zeros((height + 4, width + 4), np.uint8), (0, 0), (2,))
    return outside[1:-1, 1:-1] != 2


def render_drawing(source: SvgSource) -> Raster:
    """Render the document with its viewBox mapped straight onto pixels (no letterboxing, no
    root transform), so that a pixel converts to user space the way the reader sees it.

    The cairo painter paints it (`render.at_rest.rendered`), as `poseanim image` and `video`
    paint the rigged character; a document holding what only cairosvg draws goes to cairosvg.
    """
    x, y, width, height = view_box(source.root)
    scale = RENDER_SIDE / max(width, height)
    size = (max(round(width * scale), 1), max(round(height * scale), 1))  # as cairosvg sizes it
    rgba = rendered(source, (x, y, size[0] / scale, size[1] / scale), size)
    return Raster(source.source, rgba, np.array([x, y]), scale)
