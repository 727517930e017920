"""FOMM mode of the live window: a photo, animated by the person in front of the camera,
takes the character's place.

A worker thread does the animating (`poseanim.app.fomm_worker`, imported only when the mode
starts: it needs torch); the slots here show its pictures, feed them to the recording and the
virtual camera like the character's, and report when it fails.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal

if TYPE_CHECKING:
    from poseanim.app.fomm_worker import FommSettings
    from poseanim.app.live_window import LiveWindow


class FommMode:
    """The live window's FOMM-mode slots: a base class of `LiveWindow`, whose `fomm` (the
    worker) and `animated` (the newest animated picture) they keep.

    `animated_ready()` is emitted (queued, from the worker) when a new picture waits, and
    `animation_failed(message)` when the worker stopped on an error.
    """

    animated_ready = Signal()
    animation_failed = Signal(str)

    def _start_fomm(self: LiveWindow, settings: FommSettings) -> None:
        """Show the photo as it is and start the worker that animates it."""
        from poseanim.app.fomm_worker import FommWorker
        from poseanim.fomm.frames import to_uint8

        self.setWindowTitle(f"poseanim live — FOMM: {settings.photo.name}")
        self.character_view.show_picture(to_uint8(settings.source), None)
        self.animated_ready.connect(self._on_animated)
        self.animation_failed.connect(self._on_animation_failed)
        self.fomm = FommWorker(settings, on_frame=self.animated_ready.emit,
                               on_error=self.animation_failed.emit)

    def _on_animated(self: LiveWindow) -> None:
        animated = self.fomm.results.take(0) if self.fomm is not None else None
        if animated is None:  # a newer signal already took it: the newest frame won
            return
        self.animated = animated
        self.stats.fomm_ms.append(animated.fomm_ms)
        self.character_view.show_picture(animated.rgb, animated.captured_at)
        self._send_outputs(animated.captured_at, animated.resized, None, None)

    def _on_animation_failed(self: LiveWindow, message: str) -> None:
        print(f"poseanim: error: {message}", file=sys.stderr)
        self.banner.show_message(f"FOMM stopped: {message}")

    def reset_reference(self: LiveWindow) -> None:
        """FOMM: the next camera picture becomes the pose that shows the photo as it is."""
        if self.fomm is not None:
            self.fomm.reset_reference()
            self.status_bar.showMessage("new reference pose: the next picture", 3000)
