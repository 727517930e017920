"""What the live window animates, as objects with one interface: a character, or a photo.

`CharacterMode` poses an illustration with each tracked frame (`LiveCharacter`) and shows it;
`RasterMode` hands each camera picture to FOMM or TPSMM, which animate a photo (an avatar),
and shows what comes back. The window holds one of them (`LiveMode`) and wires its widgets
to it: the pipeline's frames go to `take`, the status bar reads `state`, recordings and
screenshots ask the mode what to write. Neither mode knows the window: each gets the parts it
paints into and reports through (`ModeParts`), so a mode runs with those widgets alone.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Protocol

import numpy as np
from PySide6.QtCore import QRectF
from PySide6.QtGui import QAction, QColor, QImage

from poseanim.app.character_view import render_character_rgb
from poseanim.app.live_character import LiveCharacter
from poseanim.app.live_commands import CHARACTER_ONLY, Command, raster_commands
from poseanim.errors import PoseanimError
from poseanim.illustration import Illustration, PosedFrame

if TYPE_CHECKING:
    from poseanim.app.camera_view import CameraView
    from poseanim.app.capture import TrackedFrame
    from poseanim.app.character_view import CharacterView
    from poseanim.app.live_fomm import FommMode
    from poseanim.app.live_outputs import LiveOutputs
    from poseanim.app.live_status import LiveStats
    from poseanim.app.raster_worker import AnimatedFrame, RasterSettings, RasterWorker
    from poseanim.fomm.face_crop import Square


class Banner(Protocol):
    def show_message(self, text: str) -> None: ...

    def withdraw(self, text: str) -> None: ...


class StatusLine(Protocol):
    def showMessage(self, text: str, timeout: int = 0) -> None: ...  # noqa: N802 (Qt's name)


@dataclass
class ModeParts:
    """What a mode paints into and reports through (the window's widgets and outputs).

    action(label): the window's QAction of a command (checked or not). background(): the
    colour under the character now (recordings); set_title(text): the window's title.
    """

    camera_view: CameraView
    character_view: CharacterView
    banner: Banner
    status: StatusLine
    outputs: LiveOutputs
    stats: LiveStats
    action: Callable[[str], QAction]
    background: Callable[[], QColor]
    set_title: Callable[[str], None]


class LiveMode(Protocol):
    """What the live window animates.

    tracking: whether the pipeline should track bodies for it. disabled: labels of the
    window's commands it has no use for. track_recordings: whether a recording also writes
    the pose track.
    """

    tracking: bool
    disabled: frozenset[str]
    track_recordings: bool

    def commands(self) -> list[Command]:
        """The mode's own commands, added to the window's."""
        ...

    def show_start(self) -> None:
        """Show what the mode shows before the first frame (and set the title)."""
        ...

    def source_started(self, smoothing: float) -> None:
        """A new source (another person, another clock) starts."""
        ...

    def take(self, tracked: TrackedFrame) -> None:
        """A new picture (tracked for a character) from the pipeline."""
        ...

    @property
    def state(self) -> str:
        """What the mode is doing, for the status bar."""
        ...

    @property
    def image_size(self) -> tuple[int, int]:
        """(width, height) of the camera picture last seen."""
        ...

    def output_size(self) -> tuple[int, int]:
        """The size of recordings and of the virtual camera."""
        ...

    def screenshot(self, background: str | None, backdrop: np.ndarray | None) -> list[Path]:
        """Write what the mode shows now; returns the paths."""
        ...

    def stop(self) -> None:
        """Stop the mode's threads (the window closes)."""
        ...


class CharacterMode:
    """An illustration posed by the tracked person (see the module)."""

    tracking = True
    disabled: frozenset[str] = frozenset()
    track_recordings = True

    def __init__(self, parts: ModeParts, illustration: Illustration, smoothing: float) -> None:
        self.parts = parts
        self.character = LiveCharacter(illustration, smoothing)

    @property
    def illustration(self) -> Illustration:
        return self.character.illustration

    def commands(self) -> list[Command]:
        return []

    def show_start(self) -> None:
        self.parts.set_title("poseanim live")
        self.parts.character_view.show_frame(self.character.still(), None)

    def source_started(self, smoothing: float) -> None:
        self.character.restart(smoothing)

    def take(self, tracked: TrackedFrame) -> None:
        parts, view = self.parts, self.parts.character_view
        frame = self.character.step(tracked)
        parts.stats.tracking_ms.append(tracked.tracking_ms)
        view.show_frame(frame, tracked.capture.captured_at)
        streamed = self.character.streamed
        parts.outputs.send(tracked.capture.captured_at,
                           lambda width, height: render_character_rgb(
                               frame, width, height, parts.background(), view.backdrop,
                               view.qt),
                           frame, streamed.pose if streamed else None, self.output_size())

    def set_illustration(self, illustration: Illustration) -> None:
        """Animate `illustration` from now on (the pose and smoothing carry over)."""
        self.parts.character_view.show_frame(self.character.set_illustration(illustration),
                                             None)
        self.parts.set_title(f"poseanim live — {illustration.name}")

    @property
    def state(self) -> str:
        return self.character.state

    @property
    def image_size(self) -> tuple[int, int]:
        return self.character.image_size

    @property
    def frame(self) -> PosedFrame | None:
        return self.character.frame

    def output_size(self) -> tuple[int, int]:
        return self.character.image_size

    def screenshot(self, background: str | None, backdrop: np.ndarray | None) -> list[Path]:
        return self.parts.outputs.screenshot(self.character.frame, None, background, backdrop)

    def stop(self) -> None:
        """Nothing runs on a thread of its own: the pipeline belongs to the window."""


class RasterMode:
    """A photo (one of several avatars) animated by the person with FOMM or TPSMM.

    The worker thread does the animating (`FommMode`, `raster_worker`: needs torch); this
    object shows its pictures, puts the avatar over the camera view's face square (overlay),
    mirrors the output on request and carries out raster mode's own commands.
    """

    tracking = False
    disabled = CHARACTER_ONLY
    track_recordings = False

    def __init__(self, parts: ModeParts, settings: RasterSettings) -> None:
        from poseanim.app.live_fomm import FommMode

        self.parts = parts
        self.settings = settings
        self.overlay_on = False
        self.mirror_output = False
        self._image_size = (640, 480)
        self._avatar_picture: np.ndarray | None = None
        self.bridge: FommMode = FommMode(settings, parts.banner, self._show_animated)

    @property
    def worker(self) -> RasterWorker:
        """The worker thread animating the avatars."""
        return self.bridge.worker

    @property
    def animated(self) -> AnimatedFrame | None:
        """The newest animated picture."""
        return self.bridge.animated

    def commands(self) -> list[Command]:
        return raster_commands(self)

    def show_start(self) -> None:
        self._show_avatar()

    def source_started(self, smoothing: float) -> None:
        self.worker.reset_reference()  # another source, another person: a new reference pose

    def take(self, tracked: TrackedFrame) -> None:
        self._image_size = tracked.capture.image_size
        self.bridge.drive(tracked.capture, tracked.mirrored)

    @property
    def state(self) -> str:
        return self.bridge.state

    @property
    def image_size(self) -> tuple[int, int]:
        return self._image_size

    def output_size(self) -> tuple[int, int]:
        """The model's square (enlarging it would add pixels, not detail)."""
        return self.settings.frame_size, self.settings.frame_size

    def screenshot(self, background: str | None, backdrop: np.ndarray | None) -> list[Path]:
        return self.parts.outputs.screenshot(None, self.parts.character_view.picture,
                                             background, backdrop)

    def stop(self) -> None:
        self.bridge.stop()

    # ---- what it shows ------------------------------------------------------------------

    def _show_avatar(self) -> None:
        """The current avatar as it is, in the title, the view and the overlay."""
        from poseanim.fomm.frames import to_uint8

        index = self.worker.avatar
        avatar = self.settings.avatars[index]
        count = len(self.settings.avatars)
        self.parts.set_title(f"poseanim live — {self.settings.model.kind.upper()}: "
                             f"{avatar.photo.name}"
                             + (f" ({index + 1}/{count})" if count > 1 else ""))
        self._avatar_picture = to_uint8(avatar.source)
        self.parts.character_view.show_picture(self._mirrored_output(self._avatar_picture),
                                               None)
        self._update_overlay(None)

    def _mirrored_output(self, rgb: np.ndarray) -> np.ndarray:
        """`rgb` flipped left to right when the output is mirrored (Shift+M)."""
        return np.ascontiguousarray(rgb[:, ::-1]) if self.mirror_output else rgb

    def _update_overlay(self, square: Square | None) -> None:
        """Put the avatar over `square` of the camera picture (None: where it was, or the
        centred square of the picture), or take it off when the overlay is off."""
        view = self.parts.camera_view
        if not self.overlay_on or self._avatar_picture is None:
            view.overlay = None
        else:
            if square is not None:
                rect = QRectF(square.left, square.top, square.size, square.size)
            elif view.overlay is not None:
                rect = view.overlay[1]
            else:
                width, height = self._image_size
                side = min(width, height)
                rect = QRectF((width - side) / 2, (height - side) / 2, side, side)
            rgb = self._avatar_picture
            image = QImage(rgb.data, rgb.shape[1], rgb.shape[0], rgb.strides[0],
                           QImage.Format.Format_RGB888).copy()
            view.overlay = (image, rect)
        view.update()

    def _show_animated(self, animated: AnimatedFrame) -> None:
        self.parts.stats.fomm_ms.append(animated.fomm_ms)
        self.parts.character_view.show_picture(self._mirrored_output(animated.rgb),
                                               animated.captured_at)
        if animated.square is not None and self.overlay_on:
            self._update_overlay(animated.square)
        mirror = self.mirror_output
        # recordings keep the model's square; a virtual camera opens at the camera's size and
        # gets the square padded to its aspect (video apps stretch or crop a square)
        self.parts.outputs.send(animated.captured_at,
                                lambda width, height: animated.padded(width, height, mirror),
                                None, None, self._image_size)

    # ---- its commands -------------------------------------------------------------------

    def reset_reference(self) -> None:
        """The next camera picture becomes the pose that shows the photo as it is."""
        self.bridge.reset_reference()
        self.parts.status.showMessage("new reference pose: the next picture", 3000)

    def select_avatar(self, index: int) -> None:
        """Animate avatar `index` (0-based); a key without an avatar says so."""
        count = len(self.settings.avatars)
        if not 0 <= index < count:
            self.parts.status.showMessage(f"no avatar {index + 1}: {count} loaded", 3000)
            return
        self.worker.select_avatar(index)
        self._show_avatar()

    def step_avatar(self, step: int) -> None:
        """The next (1) or previous (−1) avatar, wrapping around."""
        self.select_avatar((self.worker.avatar + step) % len(self.settings.avatars))

    def add_avatar(self, photo: Path) -> bool:
        """A dropped photo becomes a new avatar, animated from now on; False (and a banner)
        when it cannot be one."""
        from poseanim.app.raster_worker import load_avatar
        from poseanim.fomm.face_crop import FaceMeshFinder

        try:
            if self.settings.crop_faces:
                with FaceMeshFinder() as finder:
                    avatar = load_avatar(photo, True, finder)
            else:
                avatar = load_avatar(photo, False, None)
        except PoseanimError as error:
            self.parts.banner.show_message(f"Cannot add the avatar: {error}")
            return False
        self.settings.avatars.append(avatar)
        self.select_avatar(len(self.settings.avatars) - 1)
        return True

    def toggle_overlay(self) -> None:
        """The avatar, half transparent, over the camera view's face square."""
        self.overlay_on = self.parts.action("Overlay").isChecked()
        self._update_overlay(None)

    def zoom_crop(self, factor: float) -> None:
        """Zoom the face square by `factor` (> 1: closer); a new reference."""
        from poseanim.app.raster_worker import ZOOM_RANGE

        framing = self.worker.framing
        zoom = min(max(framing.zoom * factor, ZOOM_RANGE[0]), ZOOM_RANGE[1])
        self.worker.set_framing(replace(framing, zoom=zoom))
        self.parts.status.showMessage(f"face crop zoom {zoom:.2f}×", 2000)

    def move_crop(self, dx: float, dy: float) -> None:
        """Move the face square by (dx, dy) of its side; a new reference."""
        framing = self.worker.framing
        self.worker.set_framing(replace(framing, dx=framing.dx + dx, dy=framing.dy + dy))

    def reset_crop(self) -> None:
        """Back to the automatic face square."""
        from poseanim.app.raster_worker import Framing

        self.worker.set_framing(Framing())

    def toggle_reference_search(self) -> None:
        """Start or stop the automatic reference search (face models)."""
        action = self.parts.action("Search reference")
        on = action.isChecked()
        try:
            self.worker.search_reference(on)
        except PoseanimError as error:
            action.setChecked(False)
            self.parts.banner.show_message(str(error))
            return
        self.parts.status.showMessage(
            "searching: look like the avatar, the closest pose becomes the reference" if on
            else "reference search off", 4000)

    def toggle_mirror_output(self) -> None:
        """Flip the animated picture (view, recording, virtual camera)."""
        self.mirror_output = self.parts.action("Mirror output").isChecked()
