"""The live window: a camera (or a file played like one) drives a character in real time.

Capture and tracking run on worker threads (`poseanim.app.capture`); the window keeps what
the user sees and controls on the GUI thread. This module holds its frame: the settings, the
source and its failures, smoothing and the tracking-loss rule (`PoseStream`), posing the
illustration and the view options. Its other parts are objects of their own that it holds:
the commands and help overlay (`live_commands`), the side panel (`live_controls`), the message
banner (`message_banner`), the status bar and timings (`live_status`), recording, screenshots
and the virtual camera (`LiveOutputs`), and FOMM mode, where a photo is animated instead of the
character (`FommMode`). None of them imports this module.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QColor, QDragEnterEvent, QDropEvent, QImage
from PySide6.QtWidgets import (
    QColorDialog, QFileDialog, QLabel, QMainWindow, QSplitter, QVBoxLayout, QWidget,
)

from poseanim.app.camera_view import CameraView
from poseanim.app.capture import LivePipeline, SourceSpec, TrackedFrame
from poseanim.app.character_view import (
    CharacterView, Overlays, picture_image, render_character_rgb,
)
from poseanim.app.hands_trial import HandsTrial
from poseanim.app.live_character import LiveCharacter
from poseanim.app.live_commands import (
    CHARACTER_ONLY, HelpOverlay, add_command_actions, live_commands,
)
from poseanim.app.live_controls import ControlPanel
from poseanim.app.live_fomm import FommMode
from poseanim.app.live_outputs import LiveOutputs
from poseanim.app.live_status import LiveStats, LiveStatusBar
from poseanim.app.message_banner import MessageBanner
from poseanim.errors import PoseanimError
from poseanim.filters import PoseStream, StreamPose
from poseanim.illustration import Illustration, PosedFrame, load_illustration
from poseanim.render.background import VideoBackground
from poseanim.video_source import VIDEO_SUFFIXES, is_video_path

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from poseanim.app.raster_worker import AnimatedFrame, RasterSettings, RasterWorker
    from poseanim.fomm.face_crop import Square
    from poseanim.app.recorder import Recorder

STATUS_INTERVAL_MS = 250
STALL_SECONDS = 5.0
"""A source silent this long (no new picture) is said to have stalled on the banner; the
banner goes again with its next picture."""
BACKDROP_FPS = 30
"""How often a background video's picture changes (it plays at its own speed)."""
BACKDROP_SIDE = 960
"""Pixels along the longer side of a background video's frames (covering the canvas)."""


@dataclass
class LiveSettings:
    """How the window starts (the `poseanim live` options).

    mirror None: mirror a camera (a selfie view), not a file. background None: transparent.
    backdrop: an (H, W, 3) uint8 RGB picture behind the character, scaled to cover
    (`--background IMAGE`; the background colour shows when it is turned off).
    backdrop_video: a video played behind the character instead, looped (`--background VIDEO`).
    fomm: animate these photos with FOMM or TPSMM instead of the illustration (raster mode).
    hands: track hands (True), or not (False); None (what `poseanim live` starts with): on
    while the machine keeps up with them, as a trial in the first seconds finds
    (`app.hands_trial`).
    """

    source: SourceSpec
    illustration: Illustration
    mirror: bool | None = None
    smoothing: float = 0.5
    background: QColor | None = field(default_factory=lambda: QColor("white"))
    output_dir: Path = Path(".")
    virtual_camera: bool = False
    face: bool = True
    fomm: RasterSettings | None = None
    backdrop: np.ndarray | None = None
    hands: bool | None = False
    backdrop_video: Path | None = None


class LiveWindow(QMainWindow):
    """The `poseanim live` window (see docs/live.md for what the user can do).

    It holds its outputs (`outputs`: recording, screenshots, virtual camera) and, in FOMM mode,
    the mode object (`fomm_mode`) as collaborators.
    """

    frame_ready = Signal(int)
    source_failed = Signal(int, str)
    source_ended = Signal(int)

    def __init__(self, settings: LiveSettings) -> None:
        super().__init__()
        self.settings = settings
        self.setAcceptDrops(True)
        self.illustration = settings.illustration
        self.mirror = settings.mirror if settings.mirror is not None \
            else settings.source.kind == "camera"
        self.background_colour = settings.background or QColor("white")
        self.stats = LiveStats()
        self.character = LiveCharacter(settings.illustration, settings.smoothing)
        self.tracked: TrackedFrame | None = None
        self.source_error: str | None = None
        self.source_stalled = False
        """The source stopped delivering pictures (the banner says so until the next one)."""
        self.source_spec = settings.source
        """What the window reads now (`start_source`)."""
        self.frames_shown = 0
        self.shutdown_seconds: float | None = None
        self._pipeline: LivePipeline | None = None
        self._generation = 0
        self.fomm_mode: FommMode | None = None
        # raster mode: the avatar over the camera view, the animated picture mirrored
        self.overlay_on = False
        self.mirror_output = False
        self._avatar_picture: np.ndarray | None = None

        self.camera_view = CameraView()
        self.character_view = CharacterView()
        self.character_view.background = settings.background
        self.backdrop = settings.backdrop
        """(H, W, 3) uint8 RGB behind the character now (a background video's current frame)."""
        if settings.backdrop is not None:
            self.character_view.backdrop = picture_image(settings.backdrop)
        self._backdrop_frames: Iterator[np.ndarray] | None = None
        self._backdrop_timer = QTimer(self, interval=round(1000 / BACKDROP_FPS))
        self._backdrop_timer.timeout.connect(self._next_backdrop_frame)
        self.character_view.painted.connect(self._on_painted)
        self.commands = live_commands(self)
        self._build_layout()
        self.outputs = LiveOutputs(settings.output_dir, settings.virtual_camera, self.banner,
                                   self.status_bar, self._show_recording_clock)
        self.help = HelpOverlay(self._central, [c for c in self.commands
                                                if self.action(c.label).isEnabled()])
        self.frame_ready.connect(self._on_frame_ready)
        self.source_failed.connect(self._on_source_failed)
        self.source_ended.connect(self._on_source_ended)
        self._status_timer = QTimer(self, interval=STATUS_INTERVAL_MS)
        self._status_timer.timeout.connect(self._update_status)
        self._status_timer.start()
        self.resize(1280, 640)
        if settings.backdrop_video is not None:
            self._play_backdrop(settings.backdrop_video)
        if settings.fomm is None:
            self.setWindowTitle("poseanim live")
            self._show_still()
        else:
            self._start_fomm(settings.fomm)
        self.start_source(settings.source)

    # ---- collaborators, under the names tests and scripts read them by ------------------

    @property
    def fomm(self) -> RasterWorker | None:
        """FOMM mode's worker thread (None for a character)."""
        return self.fomm_mode.worker if self.fomm_mode is not None else None

    @property
    def animated(self) -> AnimatedFrame | None:
        """FOMM mode's newest animated picture."""
        return self.fomm_mode.animated if self.fomm_mode is not None else None

    @property
    def animated_ready(self) -> SignalInstance:
        """Emitted when FOMM mode has a new picture (after the window took it)."""
        assert self.fomm_mode is not None, "only in FOMM mode"
        return self.fomm_mode.animated_ready

    @property
    def last_written(self) -> list[Path]:
        """The files the last recording or screenshot wrote."""
        return self.outputs.last_written

    @property
    def recorder(self) -> Recorder | None:
        """The running recording, if any."""
        return self.outputs.recorder

    # ---- building ----------------------------------------------------------------------

    def action(self, label: str) -> QAction:
        """The QAction of the command labelled `label` (what its button shows)."""
        return self._actions[label]

    @property
    def status_fields(self) -> dict[str, QLabel]:
        """The status bar's permanent fields by name (see `LiveStatusBar`)."""
        return self.status_bar.fields

    @property
    def pipeline(self) -> LivePipeline | None:
        """The capture and tracking threads of the current source (None once closed)."""
        return self._pipeline

    def _build_layout(self) -> None:
        fomm_mode = self.settings.fomm is not None
        self._actions = add_command_actions(self, self.commands,
                                            CHARACTER_ONLY if fomm_mode else frozenset())

        self.banner = MessageBanner(open_video=self.choose_video_file,
                                    retry_camera=lambda: self.start_source(self.source_spec))
        # its parts under the names tests and scripts read them by
        self.banner_text, self.banner_video, self.banner_retry = (
            self.banner.text, self.banner.video_button, self.banner.retry_button)

        self.views = QSplitter(Qt.Orientation.Horizontal)
        self.views.addWidget(self.camera_view)
        self.views.addWidget(self.character_view)
        self.views.setSizes([640, 640])
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.banner)
        layout.addWidget(self.views, 1)
        self.setCentralWidget(central)
        self._central = central

        self.controls = ControlPanel(self._actions, self.illustration, self.settings.smoothing,
                                     fomm_mode)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.controls)
        self.illustration_list = self.controls.illustration_list
        self.illustration_list.chosen.connect(self.open_illustration)
        self.smoothing_slider = self.controls.smoothing_slider
        self.smoothing_slider.valueChanged.connect(self._on_smoothing)

        self.status_bar = LiveStatusBar(fomm_mode)
        self.setStatusBar(self.status_bar)

    # ---- sources -----------------------------------------------------------------------

    def start_source(self, spec: SourceSpec) -> None:
        """Stop the current source (if any) and start reading `spec`."""
        self.stop_source()
        self._generation += 1
        generation = self._generation
        self.source_error = None
        self.source_stalled = False
        self.source_spec = spec
        self.banner.hide()
        self.character.restart(self.smoothing_slider.value() / 100)
        self.camera_view.clear(f"opening {spec.describe()}…")
        self._pipeline = LivePipeline(
            spec, on_frame=lambda: self.frame_ready.emit(generation),
            on_error=lambda message: self.source_failed.emit(generation, message),
            on_end=lambda: self.source_ended.emit(generation), face=self.settings.face,
            tracking=self.fomm is None, hands=self.settings.hands is not False,
            mirror=self.mirror, hands_trial=self._hands_trial(spec))
        if self.fomm is not None:  # another source, another person: a new reference pose
            self.fomm.reset_reference()
        self.status_bar.fields["source"].setText(spec.describe())

    def stop_source(self) -> bool:
        """Stop capture and tracking; True if the threads ended within a second."""
        pipeline, self._pipeline = self._pipeline, None
        return pipeline.stop() if pipeline is not None else True

    def open_video(self, path: Path) -> None:
        """Play a video file instead of the current source (looping, as a stand-in camera)."""
        self.start_source(SourceSpec("video", path=path, loop=True))

    def _on_source_failed(self, generation: int, message: str) -> None:
        if generation != self._generation:
            return
        self.source_error = message
        print(f"poseanim: error: {message}", file=sys.stderr)
        self.camera_view.clear(message)
        self.banner.show_message(message, offer_video=True,
                                 offer_retry=self._pipeline is not None
                                 and self._pipeline.spec.kind == "camera")

    def _on_source_ended(self, generation: int) -> None:
        if generation == self._generation and self._pipeline is not None:
            described = self._pipeline.spec.describe()
            self.status_bar.showMessage(f"end of {described}", 5000)
            self.banner.show_message(f"{described} has ended. Play it again, or open another "
                                     "video file.", offer_video=True, offer_retry=True,
                                     retry_text="Play it again")

    def _check_stall(self, pipeline: LivePipeline) -> None:
        """Say on the banner when the source has gone silent (a camera unplugged or taken by
        another program, a stream that froze); the next picture takes the banner away."""
        silent = pipeline.silent_seconds(time.perf_counter())
        if silent < STALL_SECONDS or self.source_stalled or self.source_error is not None:
            return
        self.source_stalled = True
        camera = pipeline.spec.kind == "camera"
        self.banner.show_message(
            f"No picture from {pipeline.spec.describe()} for {silent:.0f} s: "
            + ("is it still connected, or taken by another program? " if camera else "")
            + "Still waiting for it; or open a video file.", offer_video=True,
            offer_retry=True, retry_text="Try the camera again" if camera else "Open it again")

    # ---- frames ------------------------------------------------------------------------

    def _on_frame_ready(self, generation: int) -> None:
        pipeline = self._pipeline
        if generation != self._generation or pipeline is None:
            return
        tracked = pipeline.results.take(0)
        if tracked is None:  # a newer signal already took it: the newest frame won
            return
        if self.source_stalled:
            self.source_stalled = False
            self.banner.hide()
            self.status_bar.showMessage(f"{pipeline.spec.describe()} delivers pictures again", 5000)
        self.tracked = tracked
        self.camera_view.show_frame(tracked)
        if self.fomm is not None:
            self.character.image_size = tracked.capture.image_size
            self.fomm.drive(tracked.capture, tracked.mirrored)
            return
        frame = self.character.step(tracked)
        self.stats.tracking_ms.append(tracked.tracking_ms)
        self.character_view.show_frame(frame, tracked.capture.captured_at)
        self.outputs.send(tracked.capture.captured_at,
                          lambda width, height: render_character_rgb(
                              frame, width, height, self.background_colour,
                              self.character_view.backdrop, self.character_view.qt),
                          frame, self.streamed.pose if self.streamed else None,
                          self._output_size())

    def _show_still(self) -> None:
        """Show the character as the stream last left it (at rest before any frame), outside
        the live timings."""
        self.character_view.show_frame(self.character.still(), None)

    # the character's state, under the names tests and scripts read it by
    @property
    def stream(self) -> PoseStream:
        return self.character.stream

    @property
    def streamed(self) -> StreamPose | None:
        return self.character.streamed

    @property
    def frame(self) -> PosedFrame | None:
        return self.character.frame

    @property
    def image_size(self) -> tuple[int, int]:
        return self.character.image_size

    def _on_painted(self, captured_at: float) -> None:
        now = time.perf_counter()
        self.frames_shown += 1
        self.stats.painted_at.append(now)
        self.stats.latency_ms.append((now - captured_at) * 1000)
        self.stats.render_ms.append(self.character.pose_ms + self.character_view.paint_ms)

    # ---- illustrations -----------------------------------------------------------------

    def set_illustration(self, illustration: Illustration) -> None:
        """Animate `illustration` from now on (the pose and smoothing carry over)."""
        self.illustration = illustration
        self.illustration_list.select(illustration)
        self.character_view.show_frame(self.character.set_illustration(illustration), None)
        self.setWindowTitle(f"poseanim live — {illustration.name}")

    def open_illustration(self, path_or_name: str | Path) -> bool:
        """Load and show an illustration; a file that cannot be animated keeps the current one
        and shows why (the rig checker's message)."""
        try:
            illustration = load_illustration(path_or_name, skinning=self.illustration.skinning,
                                             proportions=self.illustration.proportions)
        except PoseanimError as error:
            self.banner.show_message(f"{error}\nStill showing {self.illustration.name}.")
            return False
        self.banner.hide()
        self.set_illustration(illustration)
        return True

    def step_illustration(self, step: int) -> None:
        """Show the next (or previous) illustration of the list."""
        self.illustration_list.step(step)

    def choose_illustration_file(self) -> None:
        """Ask for a rigged SVG and open it."""
        path, _ = QFileDialog.getOpenFileName(self, "Open an illustration", "",
                                              "Rigged SVG (*.svg)")
        if path:
            self.open_illustration(Path(path))

    def toggle_hands(self) -> None:
        """Track hands and fingers, or stop tracking them, as the Hands action now says (the
        user's choice ends a trial). Turning them off, or on again where the tracker has them,
        takes effect at the next frame; else the tracker restarts on the same source (Hands
        costs about as much as the face mesh per frame; docs/live.md)."""
        on = self.action("Hands").isChecked()
        self.settings.hands = on
        pipeline = self._pipeline
        if pipeline is None:
            return
        pipeline.hands_trial = None
        if on and not pipeline.can_track_hands:
            self.start_source(pipeline.spec)
        else:
            pipeline.hands = on
        self._show_hands()

    def _hands_trial(self, spec: SourceSpec) -> HandsTrial | None:
        """A trial of hand tracking for a new source when the user has not decided (a track
        file and FOMM mode track nothing)."""
        if self.settings.hands is not None or self.fomm is not None or spec.kind == "track":
            return None
        return HandsTrial()

    def _show_hands(self) -> None:
        """Whether hands are tracked, and why, in the status bar; the Hands action follows a
        trial's verdict."""
        pipeline = self._pipeline
        trial = pipeline.hands_trial if pipeline is not None else None
        if trial is None:
            text = "hands on" if self.settings.hands else "hands off"
        elif trial.verdict is None:
            text = "hands on (measuring the frame rate)"
        else:
            text = trial.verdict.describe()
            self.action("Hands").setChecked(trial.verdict.keep)
        self.status_bar.fields["hands"].setText(text)

    def choose_video_file(self) -> None:
        """Ask for a video file and play it."""
        patterns = " ".join(f"*{suffix}" for suffix in sorted(VIDEO_SUFFIXES))
        path, _ = QFileDialog.getOpenFileName(self, "Open a video", "", f"Videos ({patterns})")
        if path:
            self.open_video(Path(path))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt's name)
        if _dropped_file(event, photos=self.fomm is not None) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt's name)
        path = _dropped_file(event, photos=self.fomm is not None)
        if path is None:
            return
        event.acceptProposedAction()
        if is_video_path(path):
            self.open_video(path)
        elif self.fomm is not None and path.suffix.lower() != ".svg":
            self.add_avatar(path)
        elif self.fomm is not None:
            self.banner.show_message(f"{path.name} is a character, and this window animates "
                                     "photos; drop a photo to add an avatar, or start `poseanim "
                                     "live` without --raster for characters")
        else:
            self.open_illustration(path)

    # ---- view options ------------------------------------------------------------------

    def sync_view_options(self) -> None:
        """Apply the checkable commands to the views."""
        checked = {label: action.isChecked() for label, action in self._actions.items()}
        self.camera_view.show_landmarks = checked["Landmarks"]
        self.mirror = checked["Mirror"]
        if self._pipeline is not None:
            self._pipeline.mirror = self.mirror  # from the next frame on
        self.character_view.overlays = Overlays(checked["Bones"], checked["Weights"],
                                                checked["Joint labels"])
        transparent = checked["Transparent"]
        self.character_view.background = None if transparent else self.background_colour
        self.camera_view.update()
        self.character_view.update()

    def choose_background(self) -> None:
        """Ask for a background colour (it also turns transparency off)."""
        colour = QColorDialog.getColor(self.background_colour, self, "Background colour")
        if colour.isValid():
            self.set_background(colour)

    def set_background(self, colour: QColor | None) -> None:
        """Paint the character over `colour`, or over a checkerboard for None (transparent)."""
        if colour is not None:
            self.background_colour = colour
        self.action("Transparent").setChecked(colour is None)
        self.sync_view_options()

    def _on_smoothing(self, value: int) -> None:
        self.character.set_smoothing(value / 100)

    def step_smoothing(self, step: float) -> None:
        """Change the smoothing by `step` (a fraction of the slider)."""
        self.smoothing_slider.setValue(self.smoothing_slider.value() + round(step * 100))

    def toggle_help(self) -> None:
        """Show or hide the shortcuts overlay."""
        self.help.toggle()

    def toggle_fullscreen(self) -> None:
        """Show only the character, on the whole screen (or go back)."""
        fullscreen = not self.isFullScreen()
        for widget in (self.camera_view, self.controls, self.status_bar):
            widget.setVisible(not fullscreen)
        if fullscreen:
            self.banner.hide()
            self.showFullScreen()
        else:
            self.showNormal()

    def leave_overlays(self) -> None:
        """Esc: close the help, else leave fullscreen."""
        if self.help.isVisible():
            self.help.hide()
        elif self.isFullScreen():
            self.toggle_fullscreen()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self.help.cover_parent()

    # ---- status and shutdown -----------------------------------------------------------

    def _update_status(self) -> None:
        pipeline = self._pipeline
        if pipeline is not None:
            self._check_stall(pipeline)
        if self.fomm is not None:
            state = self.fomm.state
        else:
            state = self.character.state
        self.status_bar.show_timings(pipeline.capture_fps() if pipeline else 0.0, self.stats,
                                     state)
        if self.fomm is None:
            self._show_hands()
        self.outputs.show_recording_time()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        """Save a running recording, release the camera and stop every thread."""
        started = time.perf_counter()
        if self.outputs.recording:
            self.toggle_recording()
        self._status_timer.stop()
        self._stop_backdrop()
        self.stop_source()
        if self.fomm_mode is not None:
            self.fomm_mode.stop()
        self.outputs.close()
        self.shutdown_seconds = time.perf_counter() - started
        event.accept()


    # ---- FOMM mode -----------------------------------------------------------------------

    def _start_fomm(self, settings: RasterSettings) -> None:
        """Show the first avatar as it is and start the worker that animates it."""
        self.fomm_mode = FommMode(settings, self.banner, self._show_animated)
        self._show_avatar()

    def _show_avatar(self) -> None:
        """The current avatar as it is, in the title, the view and the overlay."""
        from poseanim.fomm.frames import to_uint8

        settings, index = self.settings.fomm, self.fomm.avatar
        avatar = settings.avatars[index]
        count = len(settings.avatars)
        self.setWindowTitle(f"poseanim live — {settings.model.kind.upper()}: {avatar.photo.name}"
                            + (f" ({index + 1}/{count})" if count > 1 else ""))
        self._avatar_picture = to_uint8(avatar.source)
        self.character_view.show_picture(self._mirrored_output(self._avatar_picture), None)
        self._update_overlay(None)

    def _mirrored_output(self, rgb: np.ndarray) -> np.ndarray:
        """`rgb` flipped left to right when the output is mirrored (Shift+M)."""
        return np.ascontiguousarray(rgb[:, ::-1]) if self.mirror_output else rgb

    def _update_overlay(self, square: Square | None) -> None:
        """Put the avatar over `square` of the camera picture (None: where it was, or the
        centred square of the picture), or take it off when the overlay is off."""
        if not self.overlay_on:
            self.camera_view.overlay = None
        else:
            if square is not None:
                rect = QRectF(square.left, square.top, square.size, square.size)
            elif self.camera_view.overlay is not None:
                rect = self.camera_view.overlay[1]
            else:
                width, height = self.image_size
                side = min(width, height)
                rect = QRectF((width - side) / 2, (height - side) / 2, side, side)
            rgb = self._avatar_picture
            image = QImage(rgb.data, rgb.shape[1], rgb.shape[0], rgb.strides[0],
                           QImage.Format.Format_RGB888).copy()
            self.camera_view.overlay = (image, rect)
        self.camera_view.update()

    def _show_animated(self, animated: AnimatedFrame) -> None:
        self.stats.fomm_ms.append(animated.fomm_ms)
        self.character_view.show_picture(self._mirrored_output(animated.rgb),
                                         animated.captured_at)
        if animated.square is not None and self.overlay_on:
            self._update_overlay(animated.square)
        mirror = self.mirror_output
        # recordings keep the model's square; a virtual camera opens at the camera's size and
        # gets the square padded to its aspect (video apps stretch or crop a square)
        self.outputs.send(animated.captured_at,
                          lambda width, height: animated.padded(width, height, mirror),
                          None, None, self.image_size)

    def reset_reference(self) -> None:
        """Raster mode: the next camera picture becomes the pose that shows the photo as it is."""
        if self.fomm_mode is not None:
            self.fomm_mode.reset_reference()
            self.status_bar.showMessage("new reference pose: the next picture", 3000)

    def select_avatar(self, index: int) -> None:
        """Raster mode: animate avatar `index` (0-based); a key without an avatar says so."""
        if self.fomm is None:
            return
        count = len(self.settings.fomm.avatars)
        if not 0 <= index < count:
            self.status_bar.showMessage(f"no avatar {index + 1}: {count} loaded", 3000)
            return
        self.fomm.select_avatar(index)
        self._show_avatar()

    def step_avatar(self, step: int) -> None:
        """Raster mode: the next (1) or previous (−1) avatar, wrapping around."""
        if self.fomm is not None:
            self.select_avatar((self.fomm.avatar + step) % len(self.settings.fomm.avatars))

    def add_avatar(self, photo: Path) -> bool:
        """Raster mode: a dropped photo becomes a new avatar, animated from now on; False (and
        a banner) when it cannot be one."""
        from poseanim.app.raster_worker import load_avatar
        from poseanim.fomm.face_crop import FaceMeshFinder

        settings = self.settings.fomm
        try:
            if settings.crop_faces:
                with FaceMeshFinder() as finder:
                    avatar = load_avatar(photo, True, finder)
            else:
                avatar = load_avatar(photo, False, None)
        except PoseanimError as error:
            self.banner.show_message(f"Cannot add the avatar: {error}")
            return False
        settings.avatars.append(avatar)
        self.select_avatar(len(settings.avatars) - 1)
        return True

    def toggle_overlay(self) -> None:
        """Raster mode: the avatar, half transparent, over the camera view's face square."""
        self.overlay_on = self.action("Overlay").isChecked()
        self._update_overlay(None)

    def zoom_crop(self, factor: float) -> None:
        """Raster mode: zoom the face square by `factor` (> 1: closer); a new reference."""
        from poseanim.app.raster_worker import ZOOM_RANGE

        framing = self.fomm.framing
        zoom = min(max(framing.zoom * factor, ZOOM_RANGE[0]), ZOOM_RANGE[1])
        self.fomm.set_framing(replace(framing, zoom=zoom))
        self.status_bar.showMessage(f"face crop zoom {zoom:.2f}×", 2000)

    def move_crop(self, dx: float, dy: float) -> None:
        """Raster mode: move the face square by (dx, dy) of its side; a new reference."""
        framing = self.fomm.framing
        self.fomm.set_framing(replace(framing, dx=framing.dx + dx, dy=framing.dy + dy))

    def reset_crop(self) -> None:
        """Raster mode: back to the automatic face square."""
        from poseanim.app.raster_worker import Framing

        self.fomm.set_framing(Framing())

    def toggle_reference_search(self) -> None:
        """Raster mode: start or stop the automatic reference search (face models)."""
        on = self.action("Search reference").isChecked()
        try:
            self.fomm.search_reference(on)
        except PoseanimError as error:
            self.action("Search reference").setChecked(False)
            self.banner.show_message(str(error))
            return
        self.status_bar.showMessage(
            "searching: look like the avatar, the closest pose becomes the reference" if on
            else "reference search off", 4000)

    def toggle_mirror_output(self) -> None:
        """Raster mode: flip the animated picture (view, recording, virtual camera)."""
        self.mirror_output = self.action("Mirror output").isChecked()

    # ---- outputs -----------------------------------------------------------------------

    def _output_size(self) -> tuple[int, int]:
        """The size of recordings and of the virtual camera: the camera picture's, or the
        model's square in FOMM mode (enlarging it would add pixels, not detail)."""
        if self.settings.fomm is not None:
            return self.settings.fomm.frame_size, self.settings.fomm.frame_size
        return self.image_size

    def _show_recording_clock(self, seconds: float | None) -> None:
        self.character_view.recording_seconds = seconds
        self.character_view.update()

    def toggle_recording(self) -> None:
        """Start recording, or stop and write the MP4 (and the pose track of a character)."""
        pipeline = self.pipeline
        running = self.outputs.toggle_recording(
            self._output_size(), pipeline.spec.describe() if pipeline else "live",
            track=self.fomm_mode is None)
        self.action("Record").setText("Stop recording" if running else "Record")

    def screenshot(self) -> list[Path]:
        """Write the current character as SVG and PNG (FOMM's photo as PNG); returns their
        paths."""
        transparent = self.character_view.background is None
        return self.outputs.screenshot(
            self.frame, self.character_view.picture if self.fomm_mode is not None else None,
            None if transparent else self.background_colour.name(), self.backdrop)

    # ---- a background video ---------------------------------------------------------------

    def _play_backdrop(self, path: Path) -> None:
        """Play `path` behind the character at its own speed, looped (decoded on the GUI thread:
        one frame per tick, a few milliseconds at the sizes a background needs)."""
        x, y, width, height = self.illustration.view_box
        fit = BACKDROP_SIDE / max(width, height)
        size = (max(1, round(width * fit)), max(1, round(height * fit)))
        self._backdrop_frames = VideoBackground(path, size).frames(BACKDROP_FPS)
        self._next_backdrop_frame()
        self._backdrop_timer.start()

    def _next_backdrop_frame(self) -> None:
        """Show the background video's next frame; a video that fails says why and stops."""
        if self._backdrop_frames is None:
            return
        try:
            self.backdrop = next(self._backdrop_frames)
        except PoseanimError as error:
            self._stop_backdrop()
            self.banner.show_message(f"The background video stopped: {error}")
            return
        self.character_view.backdrop = picture_image(self.backdrop)
        self.character_view.update()

    def _stop_backdrop(self) -> None:
        self._backdrop_timer.stop()
        if self._backdrop_frames is not None:
            self._backdrop_frames.close()  # closes the video file
            self._backdrop_frames = None


def _dropped_file(event: QDragEnterEvent | QDropEvent, photos: bool = False) -> Path | None:
    """The first local SVG or video file (or, with `photos`, photo) being dragged, if any."""
    from poseanim.render.background import IMAGE_SUFFIXES

    for url in event.mimeData().urls():
        path = Path(url.toLocalFile()) if url.isLocalFile() else None
        if path is None:
            continue
        suffix = path.suffix.lower()
        if suffix == ".svg" or is_video_path(path) or (photos and suffix in IMAGE_SUFFIXES):
            return path
    return None
