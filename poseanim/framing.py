"""Framing a character on a fixed canvas over a whole clip (`video --fit`).

Placing the character once, from the first frame, lets it grow off the canvas as soon as the
person walks closer or raises their arms. Framing instead keeps the box around everything the
character has covered so far, and fits that box: the character never leaves the canvas, and
since the box only grows as far as the motion takes it, the framing changes smoothly. `video
--fit` knows the whole clip before drawing (a recorded track, or a video tracked in a first
pass): every frame is `include`d first, and the clip is drawn in one framing that holds all of
it, no zoom at all.
"""

from __future__ import annotations

import numpy as np

from poseanim.illustration import PosedFrame, fit_box


class ClipFraming:
    """Places successive frames of one clip on a width × height canvas.

    margin: the fraction of the canvas left free around the character's box.
    """

    def __init__(self, width: float, height: float, margin: float = 0.05) -> None:
        self.width, self.height, self.margin = width, height, margin
        self._low: np.ndarray | None = None
        self._high: np.ndarray | None = None

    def include(self, frame: PosedFrame) -> None:
        """Grow the framed box to hold `frame` too."""
        low, high = frame.bounds()
        self._low = low if self._low is None else np.minimum(self._low, low)
        self._high = high if self._high is None else np.maximum(self._high, high)

    def place(self, frame: PosedFrame) -> PosedFrame:
        """The frame moved onto the canvas, framed with everything included before it."""
        self.include(frame)
        assert self._low is not None and self._high is not None
        return frame.moved(*fit_box(self._low, self._high, self.width, self.height, self.margin))
