"""Raster mode of the live window: a photo (one of several avatars), animated by the person
in front of the camera with FOMM or TPSMM, takes the character's place.

A worker thread does the animating (`poseanim.app.raster_worker`, imported only when the mode
starts: it needs torch). `FommMode` owns the worker and the newest animated picture, and hands
each new picture to `on_animated` on the GUI thread: `live_modes.RasterMode`, which shows it
and feeds it to the outputs as the character mode does the character.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Callable, Protocol

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from poseanim.app.capture import Capture
    from poseanim.app.raster_worker import AnimatedFrame, RasterSettings, RasterWorker


class Banner(Protocol):
    def show_message(self, text: str) -> None: ...

    def withdraw(self, text: str) -> None: ...


class FommMode(QObject):
    """The worker animating `settings.avatars`, and the newest picture it made (`animated`).

    `animated_ready()` is emitted (queued, from the worker) when a new picture waits, and
    `animation_failed(message)` when a picture could not be animated (the worker goes on with
    the next one, and the banner goes once one is animated) or the worker could not start
    (it stopped); both are said on stderr and on the banner.
    """

    animated_ready = Signal()
    animation_failed = Signal(str)

    def __init__(self, settings: RasterSettings, banner: Banner,
                 on_animated: Callable[[AnimatedFrame], None]) -> None:
        super().__init__()
        from poseanim.app.raster_worker import RasterWorker

        self.banner = banner
        self.on_animated = on_animated
        self.animated: AnimatedFrame | None = None
        self.failure: str | None = None  # the banner's text while a failure is shown
        self.animated_ready.connect(self._on_animated)
        self.animation_failed.connect(self._on_animation_failed)
        self.worker: RasterWorker = RasterWorker(settings, on_frame=self.animated_ready.emit,
                                                 on_error=self.animation_failed.emit)

    @property
    def state(self) -> str:
        """What the worker is doing, for the status bar."""
        return self.worker.state

    def drive(self, capture: Capture, mirror: bool) -> None:
        """Animate the photo with the person in `capture` (`mirror`: it came mirrored)."""
        self.worker.drive(capture, mirror)

    def reset_reference(self) -> None:
        """The next camera picture becomes the pose that shows the photo as it is."""
        self.worker.reset_reference()

    def stop(self) -> None:
        """Stop the worker thread."""
        self.worker.stop()

    def _on_animated(self) -> None:
        animated = self.worker.results.take(0)
        if animated is None:  # a newer signal already took it: the newest frame won
            return
        self.animated = animated
        if self.failure is not None:  # animating again: the trouble is over
            self.banner.withdraw(self.failure)
            self.failure = None
        self.on_animated(animated)

    def _on_animation_failed(self, message: str) -> None:
        print(f"poseanim: error: {message}", file=sys.stderr)
        if self.worker.state == "stopped":
            self.banner.show_message(f"The raster mode stopped: {message}")
            return
        self.failure = (f"A picture could not be animated: {message}. The next pictures are "
                        "tried; this goes once one is animated.")
        self.banner.show_message(self.failure)
