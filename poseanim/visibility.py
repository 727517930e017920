"""Which shapes of a posed character are shown over time: hysteresis and short fades.

A filter over posed frames (so it sits above `illustration`), used by the two drivers that
animate over time, video export and the live window, so that a shape fades the same way in
both.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from poseanim.illustration import PosedFrame

SHOW_ABOVE = 0.35
HIDE_BELOW = 0.25
FADE_SECONDS = 0.2


class ShapeVisibility:
    """Which shapes are shown over time: hysteresis around the 0.3 threshold, and a short fade.

    A still subject's scores wobble around 0.3 from frame to frame; deciding each frame on its
    own makes a hand pop out and back. A hidden shape is shown again only once its score rises
    above `show_above`, a shown one hidden only once it falls under `hide_below`, and either
    change fades over `fade` seconds instead of popping. Pose Animator's mode (`pa`) decides
    each frame on its own, as Pose Animator does, and passes through unchanged.
    """

    def __init__(self, fade: float = FADE_SECONDS, show_above: float = SHOW_ABOVE,
                 hide_below: float = HIDE_BELOW) -> None:
        self.fade, self.show_above, self.hide_below = fade, show_above, hide_below
        self.reset()

    def reset(self) -> None:
        """Forget the past (a new clip, another character, nobody in the picture)."""
        self._shown: np.ndarray | None = None
        self._opacity = np.zeros(0)
        self._time = 0.0

    def __call__(self, time: float, frame: PosedFrame) -> PosedFrame:
        """The frame with `visible` and `opacity` decided over time."""
        if frame.scores is None or frame.illustration.skinning == "pa":
            return frame
        if self._shown is None or len(self._shown) != len(frame.scores):
            self._shown = frame.visible.copy()
            self._opacity = self._shown.astype(float)
        else:
            self._shown = np.where(self._shown, frame.scores >= self.hide_below,
                                   frame.scores >= self.show_above)
            step = (time - self._time) / self.fade if self.fade > 0 else 1.0
            self._opacity = np.clip(self._opacity + np.where(self._shown, step, -step), 0.0, 1.0)
        self._time = time
        return replace(frame, visible=self._opacity > 0, opacity=self._opacity.copy())
