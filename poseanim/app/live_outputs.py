"""Where the live window's picture goes besides the screen: recordings (MP4, plus the pose
track of a character), screenshots, and the virtual camera.

All of them take what the right-hand view shows, at the camera picture's size (FOMM mode: the
model's square); files are named by the time they were made, in the output folder.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import numpy as np

from poseanim.app.recorder import Recorder
from poseanim.app.virtual_camera import VirtualCamera
from poseanim.errors import PoseanimError
from poseanim.illustration import PosedFrame
from poseanim.pose import Pose
from poseanim.render.background import cover_crop
from poseanim.render.images import photo_data_uri, write_image
from poseanim.render.writers import write_png, write_svg

if TYPE_CHECKING:
    from poseanim.app.live_window import LiveWindow


class LiveOutputs:
    """The live window's recording, screenshots and virtual camera: a base class of
    `LiveWindow`, whose `recorder`, `virtual_camera` and `last_written` it keeps up to date."""

    def _send_outputs(self: LiveWindow, captured_at: float,
                      render: Callable[[int, int], np.ndarray], posed: PosedFrame | None,
                      pose: Pose | None) -> None:
        """Feed the recording and the virtual camera with what the right-hand view shows.

        render(width, height): that picture as (height, width, 3) uint8 RGB; posed and pose:
        the character's frame and pose for the recording (None for FOMM's photo).
        """
        if self.settings.virtual_camera and self.virtual_camera is None:
            self._start_virtual_camera()
        if self.recorder is None and self.virtual_camera is None:
            return
        size = self.recorder.size if self.recorder is not None else self.virtual_camera.size
        rgb = render(*size)
        if self.recorder is not None:
            self.recorder.add(captured_at, posed, rgb, pose)
        if self.virtual_camera is not None:
            if size != self.virtual_camera.size:
                rgb = render(*self.virtual_camera.size)
            self.virtual_camera.send(rgb)

    def _output_size(self: LiveWindow) -> tuple[int, int]:
        """The size of recordings and of the virtual camera: the camera picture's, or the
        model's square in FOMM mode (enlarging it would add pixels, not detail)."""
        if self.settings.fomm is not None:
            return self.settings.fomm.frame_size, self.settings.fomm.frame_size
        return self.image_size

    def _start_virtual_camera(self: LiveWindow) -> None:
        try:
            self.virtual_camera = VirtualCamera(*self._output_size())
        except PoseanimError as error:
            self.settings.virtual_camera = False  # said once; the window goes on without it
            print(f"poseanim: error: {error}", file=sys.stderr)
            self.banner.show_message(f"Virtual camera: {error}")
            return
        self.status_bar.showMessage(f"virtual camera on {self.virtual_camera.device}", 8000)

    def _stem(self: LiveWindow, kind: str) -> Path:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        return self.settings.output_dir / f"poseanim-{kind}-{stamp}"

    def toggle_recording(self: LiveWindow) -> None:
        """Start recording, or stop and write the MP4 and the pose track."""
        if self.recorder is None:
            pipeline = self.pipeline
            try:
                self.recorder = Recorder(self._stem("recording"), *self._output_size(),
                                         pipeline.spec.describe() if pipeline else "live",
                                         track=self.fomm is None)
            except PoseanimError as error:
                self.banner.show_message(f"Cannot record: {error}")
                return
            self.character_view.recording_seconds = 0.0
            self.action("Record").setText("Stop recording")
            return
        recorder, self.recorder = self.recorder, None
        self.character_view.recording_seconds = None
        self.action("Record").setText("Record")
        try:
            written = recorder.stop()
        except PoseanimError as error:
            self.banner.show_message(f"The recording could not be saved: {error}")
            return
        self.status_bar.show_saved(written)
        self.last_written = written

    def _show_recording_time(self: LiveWindow) -> None:
        """Bring the recording badge's clock up to date (while recording)."""
        if self.recorder is not None:
            self.character_view.recording_seconds = self.recorder.seconds
            self.character_view.update()

    def screenshot(self: LiveWindow) -> list[Path]:
        """Write the current character as SVG and PNG (FOMM's photo as PNG); returns their
        paths."""
        stem = self._stem("screenshot")
        transparent = self.character_view.background is None
        colour = None if transparent else self.background_colour.name()
        picture = self.settings.backdrop
        underlay = (photo_data_uri(cover_crop(picture, self.frame.canvas[2]
                                              / max(self.frame.canvas[3], 1e-9)))
                    if picture is not None and not transparent and self.frame is not None
                    else None)
        try:
            if self.fomm is not None:
                written = [write_image(stem.with_suffix(".png"), self.character_view.picture)]
            else:
                written = [write_svg(self.frame, stem.with_suffix(".svg"), background=colour,
                                     underlay=underlay),
                           write_png(self.frame, stem.with_suffix(".png"), background=colour,
                                     underlay=underlay)]
        except PoseanimError as error:
            self.banner.show_message(f"Cannot save the screenshot: {error}")
            return []
        self.status_bar.show_saved(written)
        self.last_written = written
        return written
