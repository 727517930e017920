"""A video played behind the live character (`poseanim live --background VIDEO`), looped.

Frames are decoded on the GUI thread, one per tick of a timer: a few milliseconds at the
sizes a background needs, and no thread to stop. A video that fails says why on the banner
and stops; the character then stands on the background colour.
"""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np
from PySide6.QtCore import QObject, QTimer

from poseanim.app.character_view import picture_image
from poseanim.errors import PoseanimError
from poseanim.render.background import VideoBackground

if TYPE_CHECKING:
    from poseanim.app.character_view import CharacterView

BACKDROP_FPS = 30
"""How often a background video's picture changes (it plays at its own speed)."""
BACKDROP_SIDE = 960
"""Pixels along the longer side of a background video's frames (covering the canvas)."""


class Banner(Protocol):
    def show_message(self, text: str) -> None: ...


class BackdropVideo(QObject):
    """Plays `path` behind `view`'s character; `picture` is the frame shown now ((H, W, 3)
    uint8 RGB, sized to cover `view_box`'s aspect)."""

    def __init__(self, path: Path, view_box: tuple[float, float, float, float],
                 view: CharacterView, banner: Banner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self.banner = banner
        self.picture: np.ndarray | None = None
        _, _, width, height = view_box
        fit = BACKDROP_SIDE / max(width, height)
        size = (max(1, round(width * fit)), max(1, round(height * fit)))
        self._frames: Generator[np.ndarray, None, None] | None = VideoBackground(path, size).frames(
            BACKDROP_FPS)
        self._timer = QTimer(self, interval=round(1000 / BACKDROP_FPS))
        self._timer.timeout.connect(self.next_frame)
        self.next_frame()
        self._timer.start()

    def next_frame(self) -> None:
        """Show the video's next frame; a video that fails says why and stops."""
        if self._frames is None:
            return
        try:
            self.picture = next(self._frames)
        except PoseanimError as error:
            self.stop()
            self.banner.show_message(f"The background video stopped: {error}")
            return
        self.view.backdrop = picture_image(self.picture)
        self.view.update()

    def stop(self) -> None:
        """Stop playing and close the file (the last frame stays shown)."""
        self._timer.stop()
        if self._frames is not None:
            self._frames.close()  # closes the video file
            self._frames = None
