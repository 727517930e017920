"""FOMM mode of the live window: a photo animated by the newest camera picture, off the GUI thread.

A FOMM step takes over half a second on a CPU while a camera delivers 30 pictures a second, so
the worker always animates the newest picture (older ones are dropped, never queued) and
hands each result to the window through a newest-wins slot, as the capture and tracking
threads do (`poseanim.app.capture`). Needs torch: the window imports this module only in
FOMM mode.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from torch import nn

from poseanim.app.capture import Capture, NewestSlot
from poseanim.errors import PoseanimError
from poseanim.fomm import FommModel, FommStream, load_checkpoint
from poseanim.fomm.config import get_config
from poseanim.fomm.face_crop import FaceMeshFinder, Square, face_square
from poseanim.fomm.frames import to_uint8
from poseanim.sources import read_image


@dataclass(frozen=True)
class FommSettings:
    """What FOMM mode animates: a loaded model and the photo.

    source: (H, W, 3) float32 in [0, 1], the photo cropped to its face for a face model.
    photo: the file it came from, for the window's title.
    """

    model: FommModel
    source: np.ndarray
    photo: Path

    @property
    def crop_faces(self) -> bool:
        """Whether driving pictures are cropped to the face: the vox model saw face crops only."""
        return self.model.config.face

    @property
    def frame_size(self) -> int:
        """Side of the square pictures the model makes (256)."""
        return self.model.config.frame_size


def load_fomm_settings(photo: Path, checkpoint: Path, config: str = "vox-256") -> FommSettings:
    """Read the photo, crop it to its face for a face model and load the checkpoint.

    Every failure is one PoseanimError, raised before a window opens; the face is looked for
    first because it takes a second where the checkpoint takes several.
    """
    model_config = get_config(config)
    picture = read_image(photo)
    if model_config.face:
        with FaceMeshFinder() as finder:
            square = face_square(finder, picture)
        if square is None:
            raise PoseanimError(
                f"no face found in the source photo {photo}; the {config} model animates "
                "faces: give a photo with a face, or --config taichi-256 for a whole body"
            )
        picture = square.crop(picture)
    model = load_checkpoint(checkpoint, config)
    return FommSettings(model, picture.astype(np.float32) / 255.0, Path(photo))


@dataclass(frozen=True)
class AnimatedFrame:
    """One picture of the animated photo.

    rgb: (256, 256, 3) uint8. captured_at: `time.perf_counter()` when its driving picture was
    read (for end-to-end latency). fomm_ms: time of the FOMM step, face search included.
    reference: its driving picture became the reference pose (the first one, or after
    `FommWorker.reset_reference`), so it shows the photo as it is.
    """

    rgb: np.ndarray
    captured_at: float
    fomm_ms: float
    reference: bool

    def resized(self, width: int, height: int) -> np.ndarray:
        """The picture as (height, width, 3) uint8, for a recording or a virtual camera."""
        if (width, height) == (self.rgb.shape[1], self.rgb.shape[0]):
            return self.rgb
        return cv2.resize(self.rgb, (width, height), interpolation=cv2.INTER_LINEAR)


class _Stopped(Exception):
    """Raised inside a forward pass to abandon it when the worker is stopped."""


@contextlib.contextmanager
def _interruptible(model: FommModel, stop: threading.Event) -> Iterator[None]:
    """Make the model's forward passes end (raising _Stopped) soon after `stop` is set.

    A step takes over half a second on a CPU, longer on a busy one, and the window must close
    within a second: a check before every layer bounds the wait to one layer.
    """

    def check(layer: nn.Module, inputs: tuple) -> None:
        if stop.is_set():
            raise _Stopped

    networks = (model.kp_detector, model.generator)
    handles = [layer.register_forward_pre_hook(check)
               for network in networks for layer in network.modules()]
    try:
        yield
    finally:
        for handle in handles:
            handle.remove()


class FommWorker:
    """Animates the photo of `settings` from driving pictures, on a thread of its own.

    Give it every picture with `drive`; only the newest waiting one is animated. Results wait
    in `results`, and `on_frame()` is called from the worker thread after each (the window
    connects a queued signal); `on_error(message)` when a step fails. The first picture is
    the reference pose of relative motion; `reset_reference()` makes the next one the
    reference instead (and, for a face model, finds the face square again). `state` says what
    the worker is doing, for the status bar.
    """

    POLL_SECONDS = 0.05

    def __init__(self, settings: FommSettings, on_frame: Callable[[], None],
                 on_error: Callable[[str], None]) -> None:
        self.settings = settings
        self.results: NewestSlot[AnimatedFrame] = NewestSlot()
        self.state = "loading the model"
        self._driving: NewestSlot[tuple[Capture, bool]] = NewestSlot()
        self._on_frame, self._on_error = on_frame, on_error
        self._stop = threading.Event()
        self._reset = threading.Event()
        self._thread = threading.Thread(target=self._run, name="poseanim-fomm", daemon=True)
        self._thread.start()

    @property
    def skipped(self) -> int:
        """Pictures replaced by a newer one before the worker took them (newest wins)."""
        return self._driving.dropped

    def drive(self, capture: Capture, mirror: bool) -> None:
        """Animate `capture` (flipped left to right when `mirror`) once the current step ends,
        unless a newer picture comes first."""
        self._driving.put((capture, mirror))

    def reset_reference(self) -> None:
        """Make the next picture the pose that shows the photo as it is."""
        self._reset.set()

    def _run(self) -> None:
        try:
            with contextlib.ExitStack() as resources:
                resources.enter_context(_interruptible(self.settings.model, self._stop))
                finder = (resources.enter_context(FaceMeshFinder())
                          if self.settings.crop_faces else None)
                stream = self.settings.model.start(self.settings.source)
                self.state = "waiting for pictures"
                self._animate(stream, finder)
        except _Stopped:
            pass  # stopped in the middle of a step: its picture is not wanted any more
        except PoseanimError as error:
            self._on_error(str(error))

    def _animate(self, stream: FommStream, finder: FaceMeshFinder | None) -> None:
        square: Square | None = None
        reference_mirror: bool | None = None  # a flipped picture needs a new reference
        while not self._stop.is_set():
            item = self._driving.take(self.POLL_SECONDS)
            if item is None:
                continue
            capture, mirror = item
            started = time.perf_counter()
            rgb = capture.rgb[:, ::-1] if mirror else capture.rgb
            reference = mirror != reference_mirror or self._reset.is_set()
            self._reset.clear()
            if reference and finder is not None:
                # one square per reference, as `poseanim fomm --crop-faces` keeps one per
                # video: the head moving inside it is the motion to copy
                square = face_square(finder, rgb) or square
                if square is None:
                    self.state = "no face in the picture: look into the camera"
                    continue
            picture = square.crop(rgb) if square is not None else rgb
            driving = picture.astype(np.float32) / 255.0
            if reference:
                stream.set_reference(driving)
                reference_mirror = mirror
            animated = to_uint8(stream.step(driving))
            self.state = "animating"
            self.results.put(AnimatedFrame(animated, capture.captured_at,
                                           (time.perf_counter() - started) * 1000, reference))
            self._on_frame()

    def stop(self, timeout: float = 0.9) -> bool:
        """Stop the worker, abandoning a step in progress; True if it ended within `timeout`."""
        self._stop.set()
        self._thread.join(timeout)
        return not self.alive()

    def alive(self) -> bool:
        """Whether the worker thread is still running."""
        return self._thread.is_alive()
