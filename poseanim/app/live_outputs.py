"""Where the live window's picture goes besides the screen: recordings (MP4, plus the pose
track of a character), screenshots, and the virtual camera.

All of them take what the right-hand view shows, at the camera picture's size (FOMM mode: the
model's square); files are named by the time they were made, in the output folder. The window
owns one `LiveOutputs` and tells it what to write; it reports back through the widgets it was
given (the banner for errors, the status bar for saved files), never by reaching into the window.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import Callable, Protocol

import numpy as np

from poseanim.app.recorder import Recorder
from poseanim.app.virtual_camera import VirtualCamera
from poseanim.errors import PoseanimError
from poseanim.illustration import PosedFrame
from poseanim.pose import Pose
from poseanim.render.background import cover_crop
from poseanim.render.export import OutputFrame
from poseanim.render.images import photo_data_uri
from poseanim.render.outputs import StillSettings, write_still


class Banner(Protocol):
    def show_message(self, text: str) -> None: ...


class StatusBar(Protocol):
    def showMessage(self, text: str, timeout: int = 0) -> None: ...  # noqa: N802 (Qt's name)

    def show_saved(self, written: list[Path]) -> None: ...


class LiveOutputs:
    """The live window's recording, screenshots and virtual camera.

    output_dir: where files go. virtual_camera: whether to send to one (turned off, said once,
    when none can be opened). banner, status_bar: where to tell the user. on_recording(seconds):
    the recording clock for the view's badge, None when not recording.
    """

    def __init__(self, output_dir: Path, virtual_camera: bool, banner: Banner,
                 status_bar: StatusBar,
                 on_recording: Callable[[float | None], None]) -> None:
        self.output_dir = output_dir
        self.wants_virtual_camera = virtual_camera
        self.banner = banner
        self.status_bar = status_bar
        self.on_recording = on_recording
        self.recorder: Recorder | None = None
        self.virtual_camera: VirtualCamera | None = None
        self.last_written: list[Path] = []

    @property
    def recording(self) -> bool:
        return self.recorder is not None

    def send(self, captured_at: float, render: Callable[[int, int], np.ndarray],
             posed: PosedFrame | None, pose: Pose | None, size: tuple[int, int]) -> None:
        """Feed the recording and the virtual camera with what the right-hand view shows.

        render(width, height): that picture as (height, width, 3) uint8 RGB; posed and pose:
        the character's frame and pose for the recording (None for FOMM's photo); size: the
        output size should a virtual camera have to be opened now.
        """
        if self.wants_virtual_camera and self.virtual_camera is None:
            self._start_virtual_camera(size)
        outputs = [o for o in (self.recorder, self.virtual_camera) if o is not None]
        if not outputs:
            return
        rgb = render(*outputs[0].size)
        if self.recorder is not None:
            self.recorder.add(captured_at, posed, rgb, pose)
        if self.virtual_camera is not None:
            if outputs[0].size != self.virtual_camera.size:
                rgb = render(*self.virtual_camera.size)
            self.virtual_camera.send(rgb)

    def _start_virtual_camera(self, size: tuple[int, int]) -> None:
        try:
            self.virtual_camera = VirtualCamera(*size)
        except PoseanimError as error:
            self.wants_virtual_camera = False  # said once; the window goes on without it
            print(f"poseanim: error: {error}", file=sys.stderr)
            self.banner.show_message(f"Virtual camera: {error}")
            return
        self.status_bar.showMessage(f"virtual camera on {self.virtual_camera.device}", 8000)

    def _stem(self, kind: str) -> Path:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        return self.output_dir / f"poseanim-{kind}-{stamp}"

    def toggle_recording(self, size: tuple[int, int], source: str, track: bool) -> bool:
        """Start recording (`size`, pose track too when `track`), or stop and write the files.
        Returns whether a recording is running now."""
        if self.recorder is None:
            try:
                self.recorder = Recorder(self._stem("recording"), *size, source, track=track)
            except PoseanimError as error:
                self.banner.show_message(f"Cannot record: {error}")
                return False
            self.on_recording(0.0)
            return True
        recorder, self.recorder = self.recorder, None
        self.on_recording(None)
        try:
            written = recorder.stop()
        except PoseanimError as error:
            self.banner.show_message(f"The recording could not be saved: {error}")
            return False
        self._report(written)
        return False

    def show_recording_time(self) -> None:
        """Bring the recording badge's clock up to date (while recording)."""
        if self.recorder is not None:
            self.on_recording(self.recorder.seconds)

    def screenshot(self, frame: PosedFrame | None, picture: np.ndarray | None,
                   background: str | None, backdrop: np.ndarray | None) -> list[Path]:
        """Write the character `frame` as SVG and PNG, or FOMM's `picture` as PNG; returns
        their paths. background: the colour behind it (None: transparent); backdrop: the
        picture behind it, if any."""
        stem = self._stem("screenshot")
        behind = (cover_crop(backdrop, frame.canvas[2] / max(frame.canvas[3], 1e-9))
                  if backdrop is not None and background is not None and frame is not None
                  else None)
        underlay = photo_data_uri(behind) if behind is not None else None
        suffixes: tuple[str, ...]
        if picture is not None:
            shot, suffixes = OutputFrame(pixels=picture), (".png",)
        elif frame is not None:
            shot, suffixes = OutputFrame(frame), (".svg", ".png")
        else:
            return []
        settings = StillSettings(background=background, underlay=underlay, picture=behind)
        try:
            written = [write_still(shot, stem.with_suffix(suffix), settings)
                       for suffix in suffixes]
        except PoseanimError as error:
            self.banner.show_message(f"Cannot save the screenshot: {error}")
            return []
        self._report(written)
        return written

    def _report(self, written: list[Path]) -> None:
        """Say what was written where: in the window and on the terminal it was started from."""
        self.status_bar.show_saved(written)
        self.last_written = written
        for path in written:
            print(f"poseanim: saved {path.resolve()}", file=sys.stderr)

    def close(self) -> None:
        """Save a running recording and release the virtual camera."""
        if self.recorder is not None:
            self.toggle_recording((0, 0), "", track=False)
        if self.virtual_camera is not None:
            self.virtual_camera.close()
            self.virtual_camera = None
