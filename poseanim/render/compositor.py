"""The picture of one output frame: the character over a colour or the video, or beside it.

Raster writers (video, GIF, PNG frames) and the live window need the same composition, so
it lives here once: `--overlay` paints the character over the (resized) video frame,
`--side-by-side` puts the video with its landmarks (`debug_view.draw_debug`) on the left.
"""

from __future__ import annotations

import cv2
import numpy as np

from poseanim.illustration import Illustration, PosedFrame
from poseanim.pose import Pose
from poseanim.render.debug_view import draw_debug
from poseanim.render.paint_style import RGBA
from poseanim.render.painter import Painter, make_painter


def even(size: tuple[int, int]) -> tuple[int, int]:
    """The size rounded up to even sides (H.264 and VP9 in 4:2:0 need them)."""
    return size[0] + size[0] % 2, size[1] + size[1] % 2


class FrameCompositor:
    """Posed frames (and the video frames they come from) → output pixels.

    character_size: (width, height) of the character's picture. background: its colour, None
    for transparency (the output is then RGBA). overlay: draw over a picture (the video
    frame, or the backdrop given to `compose`).
    video_size: (width, height) of the video, for the side-by-side pane (None: no pane).
    even_size: keep every output side even (for 4:2:0 video codecs).
    """

    def __init__(self, illustration: Illustration, character_size: tuple[int, int],
                 background: RGBA | None, overlay: bool = False,
                 video_size: tuple[int, int] | None = None, even_size: bool = False) -> None:
        self.character_size = even(character_size) if even_size else character_size
        self.painter: Painter = make_painter(illustration, self.character_size)
        self.background = background
        self.overlay = overlay
        self.alpha = background is None and not overlay
        self.pane_size: tuple[int, int] | None = None
        if video_size is not None:
            height = self.character_size[1]
            pane = (max(round(height * video_size[0] / video_size[1]), 1), height)
            self.pane_size = even(pane) if even_size else pane

    @property
    def size(self) -> tuple[int, int]:
        """(width, height) of every output picture."""
        pane_width = self.pane_size[0] if self.pane_size else 0
        return self.character_size[0] + pane_width, self.character_size[1]

    def compose(self, posed: PosedFrame, video: np.ndarray | None = None,
                pose: Pose | None = None, landmarks: np.ndarray | None = None,
                backdrop: np.ndarray | None = None) -> np.ndarray:
        """(H, W, 3) RGB, or (H, W, 4) RGBA when the background is transparent.

        video: (h, w, 3) uint8 RGB frame (needed for overlay and side by side); pose and
        landmarks: what the debug pane shows, in that frame's pixels. backdrop: a picture of
        `character_size` drawn under the character instead of the video (a --background).
        """
        underlay = backdrop
        if underlay is None and self.overlay and video is not None:
            underlay = cv2.resize(video, self.character_size, interpolation=cv2.INTER_AREA)
        character = self.painter.paint(posed, self.background, underlay, self.alpha)
        if self.pane_size is None or video is None:
            return character
        pane = cv2.resize(draw_debug(video, pose, landmarks), self.pane_size,
                          interpolation=cv2.INTER_AREA)
        if self.alpha:
            pane = cv2.cvtColor(pane, cv2.COLOR_RGB2RGBA)
        return np.hstack([pane, character])
