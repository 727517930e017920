"""Raster mode of the live window: a photo (an avatar) animated by the newest camera picture
with FOMM or TPSMM, off the GUI thread.

A model step takes over half a second on a CPU while a camera delivers 30 pictures a second,
so the worker always animates the newest picture (older ones are dropped, never queued) and
hands each result to the window through a newest-wins slot, as the capture and tracking
threads do (`poseanim.app.capture`). Needs torch: the window imports this module only in
raster mode.

What avatarify users expect is here too: several avatars to switch between, a manual zoom
and offset of the automatic face square, and an automatic reference search that makes the
camera picture whose face is shaped most like the avatar's the reference pose.
"""

from __future__ import annotations

import contextlib
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np
from torch import nn

from poseanim.app.capture import Capture, NewestSlot
from poseanim.errors import PoseanimError
from poseanim.fomm.animation import Stream
from poseanim.fomm.face_crop import FaceMeshFinder, Square, normalised_shape, square_around
from poseanim.fomm.frames import to_uint8
from poseanim.raster import RasterModel, load_checkpoint
from poseanim.render.background import IMAGE_SUFFIXES
from poseanim.sources import read_image

# the manual zoom of the face square: from a quarter of its size to four times it
ZOOM_RANGE = (0.25, 4.0)


@dataclass(frozen=True)
class Avatar:
    """One photo to animate.

    source: (H, W, 3) float32 in [0, 1], cropped to its face for a face model.
    photo: the file it came from. face: its face-mesh vertices (N, 2) in `source` pixels
    (face models only), which the automatic reference search compares camera faces with.
    """

    source: np.ndarray
    photo: Path
    face: np.ndarray | None = None


@dataclass
class RasterSettings:
    """What raster mode animates: a loaded model, its avatars (at least one) and the mode."""

    model: RasterModel
    avatars: list[Avatar]
    mode: str = "relative"
    photo: Path = field(init=False)

    def __post_init__(self) -> None:
        self.photo = self.avatars[0].photo  # for the window's title

    @property
    def source(self) -> np.ndarray:
        """The first avatar's picture, shown before the first animated one."""
        return self.avatars[0].source

    @property
    def crop_faces(self) -> bool:
        """Whether driving pictures are cropped to the face: vox models saw face crops only."""
        return self.model.config.face

    @property
    def frame_size(self) -> int:
        """Side of the square pictures the model makes (256, 384 for TPSMM's ted-384)."""
        return self.model.config.frame_size


def photo_files(path: Path) -> list[Path]:
    """`path` itself, or the photos in the folder `path` in name order."""
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
        if not files:
            raise PoseanimError(f"no photos ({', '.join(IMAGE_SUFFIXES)}) in the folder {path}")
        return files
    return [path]


def load_avatar(photo: Path, face_model: bool, finder: FaceMeshFinder | None) -> Avatar:
    """Read a photo and, for a face model, crop it to its face; PoseanimError without one."""
    picture = read_image(photo)
    if not face_model:
        return Avatar(picture.astype(np.float32) / 255.0, Path(photo))
    assert finder is not None
    vertices = finder.find(picture)
    if vertices is None:
        raise PoseanimError(
            f"no face found in the photo {photo}; the face model animates faces: give a "
            "photo with a face, or a body checkpoint (taichi) for a whole body"
        )
    square = square_around([vertices], *picture.shape[:2])
    offset = np.array([square.left, square.top], dtype=float)
    return Avatar(square.crop(picture).astype(np.float32) / 255.0, Path(photo), vertices - offset)


def load_raster_settings(
    photos: Path,
    checkpoint: Path,
    model: str | None = None,
    config: str | None = None,
    mode: str = "relative",
) -> RasterSettings:
    """Read the photo (or the photos of a folder), crop them to their faces for a face model
    and load the checkpoint (FOMM or TPSMM, told from the file unless `model` says).

    Every failure is one PoseanimError, raised before a window opens; in a folder, photos
    without a face are left out with a warning.
    """
    files = photo_files(photos)
    loaded = load_checkpoint(checkpoint, model, config)
    loaded.check_mode(mode)
    face_model = loaded.config.face
    avatars = []
    with FaceMeshFinder() if face_model else contextlib.nullcontext() as finder:
        for photo in files:
            try:
                avatars.append(load_avatar(photo, face_model, finder))
            except PoseanimError as error:
                if len(files) == 1:
                    raise
                print(f"poseanim: warning: {error}; left out", file=sys.stderr)
    if not avatars:
        raise PoseanimError(f"no photo in {photos} shows a face")
    return RasterSettings(loaded, avatars, loaded.check_mode(mode))


@dataclass(frozen=True)
class AnimatedFrame:
    """One picture of the animated photo.

    rgb: (S, S, 3) uint8. captured_at: `time.perf_counter()` when its driving picture was
    read (for end-to-end latency). fomm_ms: time of the model step, face search included.
    reference: its driving picture became the reference pose (the first one, after
    `RasterWorker.reset_reference`, or a closer match of the automatic search), so it shows
    the photo as it is. square: the face square of the driving picture (None: the whole).
    """

    rgb: np.ndarray
    captured_at: float
    fomm_ms: float
    reference: bool
    square: Square | None = None

    def resized(self, width: int, height: int) -> np.ndarray:
        """The picture as (height, width, 3) uint8, for a recording."""
        if (width, height) == (self.rgb.shape[1], self.rgb.shape[0]):
            return self.rgb
        return cv2.resize(self.rgb, (width, height), interpolation=cv2.INTER_LINEAR)

    def padded(self, width: int, height: int, mirror: bool = False) -> np.ndarray:
        """The square picture scaled to fit (height, width) and centred on black, flipped
        left to right when `mirror`: a virtual camera keeps the camera's aspect, and video
        apps stretch or crop a square."""
        side = min(width, height)
        square = self.resized(side, side)
        if mirror:
            square = square[:, ::-1]
        out = np.zeros((height, width, 3), np.uint8)
        top, left = (height - side) // 2, (width - side) // 2
        out[top : top + side, left : left + side] = square
        return out


@dataclass(frozen=True)
class Framing:
    """The manual adjustment of the automatic face square: zoom (> 1 shows less around the
    face) and offset (dx, dy) in square sides."""

    zoom: float = 1.0
    dx: float = 0.0
    dy: float = 0.0

    def apply(self, square: Square, height: int, width: int) -> Square:
        """`square` zoomed about its centre and moved, kept inside the picture."""
        size = int(round(min(square.size / self.zoom, height, width)))
        centre_x = square.left + square.size / 2 + self.dx * square.size
        centre_y = square.top + square.size / 2 + self.dy * square.size
        left = int(np.clip(round(centre_x - size / 2), 0, width - size))
        top = int(np.clip(round(centre_y - size / 2), 0, height - size))
        return Square(left, top, max(size, 1))


@dataclass
class _Animation:
    """What the worker carries from one driving picture to the next."""

    stream: Stream | None = None  # the model's state for the avatar being animated
    streamed_avatar: int | None = None
    square: Square | None = None  # the automatic face square of the reference picture
    reference_mirror: bool | None = None  # a flipped picture needs a new reference


def one_line(error: BaseException) -> str:
    """An error as one line for the banner: a PoseanimError's own message, else its type and
    the first line of what it says (torch and OpenCV write several)."""
    if isinstance(error, PoseanimError):
        return str(error)
    first = next((line.strip() for line in str(error).splitlines() if line.strip()), "")
    return f"{type(error).__name__}: {first[:200]}" if first else type(error).__name__


class _Stopped(Exception):
    """Raised inside a forward pass to abandon it when the worker is stopped."""


def _networks(model: RasterModel) -> list[nn.Module]:
    """The torch networks a step runs, for the stop hooks."""
    network = model.network
    names = ("kp_detector", "generator", "dense_motion_network", "inpainting_network",
             "avd_network")
    return [getattr(network, name) for name in names if getattr(network, name, None) is not None]


@contextlib.contextmanager
def _interruptible(model: RasterModel, stop: threading.Event) -> Iterator[None]:
    """Make the model's forward passes end (raising _Stopped) soon after `stop` is set.

    A step takes over half a second on a CPU, longer on a busy one, and the window must close
    within a second: a check before every layer bounds the wait to one layer.
    """

    def check(layer: nn.Module, inputs: tuple) -> None:
        if stop.is_set():
            raise _Stopped

    handles = [layer.register_forward_pre_hook(check)
               for network in _networks(model) for layer in network.modules()]
    try:
        yield
    finally:
        for handle in handles:
            handle.remove()


class RasterWorker:
    """Animates the avatars of `settings` from driving pictures, on a thread of its own.

    Give it every picture with `drive`; only the newest waiting one is animated. Results wait
    in `results`, and `on_frame()` is called from the worker thread after each (the window
    connects a queued signal); `on_error(message)` when a step fails. The first picture is
    the reference pose of relative motion; `reset_reference()` makes the next one the
    reference instead (and, for a face model, finds the face square again), and so do a new
    avatar (`select_avatar`) and a new framing (`set_framing`). With `search_reference(True)`
    (face models) every picture whose face is shaped more like the avatar's than the
    reference's was becomes the reference. `state` says what the worker is doing.
    """

    POLL_SECONDS = 0.05

    def __init__(self, settings: RasterSettings, on_frame: Callable[[], None],
                 on_error: Callable[[str], None]) -> None:
        self.settings = settings
        self.results: NewestSlot[AnimatedFrame] = NewestSlot()
        self.state = "loading the model"
        self.avatar = 0
        self.framing = Framing()
        self.searching = False
        self._driving: NewestSlot[tuple[Capture, bool]] = NewestSlot()
        self._on_frame, self._on_error = on_frame, on_error
        self._stop = threading.Event()
        self._reset = threading.Event()
        self._best_distance = np.inf
        self._reported: str | None = None  # the failure last said (said again only after a success)
        self._thread = threading.Thread(target=self._run, name="poseanim-raster", daemon=True)
        self._thread.start()

    @property
    def skipped(self) -> int:
        """Pictures replaced by a newer one before the worker took them (newest wins)."""
        return self._driving.dropped

    @property
    def pending(self) -> bool:
        """Whether a driving picture waits, not yet taken by the worker."""
        return self._driving.waiting

    def drive(self, capture: Capture, mirror: bool) -> None:
        """Animate `capture` once the current step ends, unless a newer picture comes first;
        `mirror`: the capture was mirrored by the pipeline (a change needs a new reference)."""
        self._driving.put((capture, mirror))

    def reset_reference(self) -> None:
        """Make the next picture the pose that shows the photo as it is."""
        self._reset.set()

    def select_avatar(self, index: int) -> None:
        """Animate avatar `index` of `settings.avatars` from the next picture on."""
        if not 0 <= index < len(self.settings.avatars):
            raise PoseanimError(
                f"there is no avatar {index + 1}: {len(self.settings.avatars)} loaded"
            )
        self.avatar = index
        self.reset_reference()

    def set_framing(self, framing: Framing) -> None:
        """Zoom and move the face square from the next picture on (face models)."""
        self.framing = framing
        self.reset_reference()

    def search_reference(self, on: bool) -> None:
        """Start or stop the automatic reference search (face models; a new search forgets
        the best match so far)."""
        if on and not self.settings.crop_faces:
            raise PoseanimError("the reference search compares faces: it needs a face model")
        self.searching = on
        self._best_distance = np.inf

    def _run(self) -> None:
        try:
            with contextlib.ExitStack() as resources:
                resources.enter_context(_interruptible(self.settings.model, self._stop))
                finder = (resources.enter_context(FaceMeshFinder())
                          if self.settings.crop_faces else None)
                self.state = "waiting for pictures"
                self._animate(finder)
        except _Stopped:
            pass  # stopped in the middle of a step: its picture is not wanted any more
        except Exception as error:  # noqa: BLE001 – the model or the face finder could not start
            self.state = "stopped"
            self._on_error(one_line(error))

    def _animate(self, finder: FaceMeshFinder | None) -> None:
        state = _Animation()
        while not self._stop.is_set():
            item = self._driving.take(self.POLL_SECONDS)
            if item is None:
                continue
            try:
                animated = self._step(state, finder, *item)
            except _Stopped:
                raise
            except Exception as error:  # noqa: BLE001 – one bad picture must not end the worker
                state.stream, state.square = None, None  # begin again from the next picture
                self._failed(error)
                continue
            if animated:
                self._reported = None

    def _step(self, state: _Animation, finder: FaceMeshFinder | None, capture: Capture,
              mirror: bool) -> bool:
        """Animate one driving picture; False when it gave no picture (no face, no pixels)."""
        started = time.perf_counter()
        rgb = capture.rgb
        if rgb is None:  # a recorded track has poses, not pictures
            self.state = "this source has no pictures: raster mode needs a camera or a video"
            return False
        avatar = self.settings.avatars[self.avatar]
        if state.stream is None or state.streamed_avatar != self.avatar:
            state.stream = self.settings.model.start(avatar.source, self.settings.mode)
            state.streamed_avatar = self.avatar
            self._reset.set()
        reference = mirror != state.reference_mirror or self._reset.is_set()
        self._reset.clear()
        vertices = None
        if finder is not None and (reference or self.searching):
            vertices = finder.find(rgb)
            if reference:
                # one square per reference, as `poseanim raster --crop-faces` keeps one
                # per video: the head moving inside it is the motion to copy
                if vertices is not None:
                    state.square = square_around([vertices], *rgb.shape[:2])
                if state.square is None:
                    self.state = "no face in the picture: look into the camera"
                    return False
                self._best_distance = np.inf
        framed = (self.framing.apply(state.square, *rgb.shape[:2])
                  if state.square is not None else None)
        if self.searching and vertices is not None and framed is not None:
            distance = self._face_distance(avatar, vertices, framed)
            if distance < self._best_distance:
                self._best_distance = distance
                reference = True
        picture = framed.crop(rgb) if framed is not None else rgb
        driving = picture.astype(np.float32) / 255.0
        if reference:
            state.stream.set_reference(driving)
            state.reference_mirror = mirror
        animated = to_uint8(state.stream.step(driving))
        self.state = "searching the reference" if self.searching else "animating"
        self.results.put(AnimatedFrame(animated, capture.captured_at,
                                       (time.perf_counter() - started) * 1000, reference,
                                       framed))
        self._on_frame()
        return True

    def _failed(self, error: Exception) -> None:
        """Say why a picture could not be animated, once for a run of the same failure
        (a camera sends 30 pictures a second); the worker goes on with the next picture."""
        message = one_line(error)
        self.state = f"the last picture could not be animated: {message}"
        if message != self._reported:
            self._reported = message
            self._on_error(message)

    @staticmethod
    def _face_distance(avatar: Avatar, vertices: np.ndarray, square: Square) -> float:
        """How unlike the avatar's face the camera face is, as `--best-frame` measures it:
        squared distance of the normalised face-mesh shapes, in crop coordinates."""
        assert avatar.face is not None
        inside = (vertices - (square.left, square.top)) / square.size
        target = avatar.face / avatar.source.shape[0]
        return float(((normalised_shape(inside) - normalised_shape(target)) ** 2).sum())

    def stop(self, timeout: float = 0.9) -> bool:
        """Stop the worker, abandoning a step in progress; True if it ended within `timeout`."""
        self._stop.set()
        self._thread.join(timeout)
        return not self.alive()

    def alive(self) -> bool:
        """Whether the worker thread is still running."""
        return self._thread.is_alive()
