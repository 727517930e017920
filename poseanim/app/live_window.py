"""The live window: a camera (or a file played like one) drives a character in real time.

Capture and tracking run on worker threads (`poseanim.app.capture`); what is animated is a mode
object (`live_modes`: a character, or a photo animated by FOMM/TPSMM) that takes each picture
from the pipeline and shows it. The window only builds the widgets and wires them to the
pipeline, the mode and the outputs: the source and its failures, the views and their options,
the illustration list, the status bar's timer, shutdown. Its other parts are objects of their
own: the commands and help overlay (`live_commands`), the side panel (`live_controls`), the
message banner (`message_banner`), the status bar and timings (`live_status`), recording,
screenshots and the virtual camera (`LiveOutputs`) and a background video (`live_backdrop`).
None of them imports this module.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QColor, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QColorDialog, QFileDialog, QLabel, QMainWindow, QSplitter, QVBoxLayout, QWidget,
)

from poseanim.app.camera_view import CameraView
from poseanim.app.capture import LivePipeline, SourceSpec, TrackedFrame
from poseanim.app.character_view import CharacterView, Overlays, picture_image
from poseanim.app.hands_trial import HandsTrial
from poseanim.app.live_backdrop import BackdropVideo
from poseanim.app.live_commands import HelpOverlay, add_command_actions, live_commands
from poseanim.app.live_controls import ControlPanel
from poseanim.app.live_modes import CharacterMode, LiveMode, ModeParts, RasterMode
from poseanim.app.live_outputs import LiveOutputs
from poseanim.app.live_source import LiveSource, Notice, SourceHealth
from poseanim.app.live_status import LiveStats, LiveStatusBar
from poseanim.app.message_banner import MessageBanner
from poseanim.errors import PoseanimError
from poseanim.filters import PoseStream, StreamPose
from poseanim.illustration import Illustration, PosedFrame, load_illustration
from poseanim.video_source import VIDEO_SUFFIXES, is_video_path

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from poseanim.app.raster_worker import AnimatedFrame, RasterSettings, RasterWorker
    from poseanim.app.recorder import Recorder

STATUS_INTERVAL_MS = 250


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

    It holds what it animates (`mode`: `CharacterMode` or `RasterMode`) and its outputs
    (`outputs`: recording, screenshots, virtual camera) as collaborators.
    """

    frame_ready = Signal(int)
    source_failed = Signal(int, str)
    source_ended = Signal(int)

    def __init__(self, settings: LiveSettings) -> None:
        super().__init__()
        self.settings = settings
        self.setAcceptDrops(True)
        self.mirror = settings.mirror if settings.mirror is not None \
            else settings.source.kind == "camera"
        self.background_colour = settings.background or QColor("white")
        self.stats = LiveStats()
        self.frames_shown = 0
        self.shutdown_seconds: float | None = None

        self.camera_view = CameraView()
        self.character_view = CharacterView()
        self.character_view.background = settings.background
        if settings.backdrop is not None:
            self.character_view.backdrop = picture_image(settings.backdrop)
        self.character_view.painted.connect(self._on_painted)
        self.banner = MessageBanner(open_video=self.choose_video_file,
                                    retry_camera=lambda: self.start_source(self.source_spec))
        # its parts under the names tests and scripts read them by
        self.banner_text, self.banner_video, self.banner_retry = (
            self.banner.text, self.banner.video_button, self.banner.retry_button)
        self.status_bar = LiveStatusBar(settings.fomm is not None)
        self.outputs = LiveOutputs(settings.output_dir, settings.virtual_camera, self.banner,
                                   self.status_bar, self._show_recording_clock)
        parts = ModeParts(self.camera_view, self.character_view, self.banner, self.status_bar,
                          self.outputs, self.stats, self.action, lambda: self.background_colour,
                          self.setWindowTitle)
        self.mode: LiveMode = (CharacterMode(parts, settings.illustration, settings.smoothing)
                               if settings.fomm is None else RasterMode(parts, settings.fomm))
        self.source = LiveSource(_Display(self), self._open_pipeline, settings.hands,
                                 self.mode.tracking)
        """The source's life: pipeline, what the user is told of it and of hands."""
        self.commands = live_commands(self, self.mode.commands())
        self._actions = add_command_actions(self, self.commands, self.mode.disabled)
        self._build_layout()
        self.help = HelpOverlay(self._central, [c for c in self.commands
                                                if self.action(c.label).isEnabled()])
        self.frame_ready.connect(self.source.frame_ready)
        self.source_failed.connect(self.source.failed)
        self.source_ended.connect(self.source.ended)
        self._status_timer = QTimer(self, interval=STATUS_INTERVAL_MS)
        self._status_timer.timeout.connect(self._update_status)
        self._status_timer.start()
        self.resize(1280, 640)
        self.backdrop_video = (BackdropVideo(settings.backdrop_video,
                                             settings.illustration.view_box,
                                             self.character_view, self.banner, self)
                               if settings.backdrop_video is not None else None)
        self.mode.show_start()
        self.start_source(settings.source)

    # ---- collaborators, under the names tests and scripts read them by ------------------

    @property
    def character_mode(self) -> CharacterMode | None:
        """The character's mode (None in raster mode)."""
        return self.mode if isinstance(self.mode, CharacterMode) else None

    @property
    def raster_mode(self) -> RasterMode | None:
        """Raster mode (None for a character)."""
        return self.mode if isinstance(self.mode, RasterMode) else None

    @property
    def fomm(self) -> RasterWorker | None:
        """Raster mode's worker thread (None for a character)."""
        return self.raster_mode.worker if self.raster_mode is not None else None

    @property
    def animated(self) -> AnimatedFrame | None:
        """Raster mode's newest animated picture."""
        return self.raster_mode.animated if self.raster_mode is not None else None

    @property
    def animated_ready(self) -> SignalInstance:
        """Emitted when raster mode has a new picture (after the window took it)."""
        assert self.raster_mode is not None, "only in raster mode"
        return self.raster_mode.bridge.animated_ready

    @property
    def illustration(self) -> Illustration:
        """The character animated now (the one the window started with, in raster mode)."""
        mode = self.character_mode
        return mode.illustration if mode is not None else self.settings.illustration

    @property
    def backdrop(self) -> np.ndarray | None:
        """(H, W, 3) uint8 RGB behind the character now (a background video's current
        frame)."""
        if self.backdrop_video is not None:
            return self.backdrop_video.picture
        return self.settings.backdrop

    @property
    def source_error(self) -> str | None:
        """Why the source failed (None while it works)."""
        return self.health.error

    @property
    def source_stalled(self) -> bool:
        """The source stopped delivering pictures (the banner says so until the next one)."""
        return self.health.stalled

    @property
    def last_written(self) -> list[Path]:
        """The files the last recording or screenshot wrote."""
        return self.outputs.last_written

    @property
    def recorder(self) -> Recorder | None:
        """The running recording, if any."""
        return self.outputs.recorder

    # the character's state
    @property
    def stream(self) -> PoseStream | None:
        mode = self.character_mode
        return mode.character.stream if mode is not None else None

    @property
    def streamed(self) -> StreamPose | None:
        mode = self.character_mode
        return mode.character.streamed if mode is not None else None

    @property
    def frame(self) -> PosedFrame | None:
        mode = self.character_mode
        return mode.frame if mode is not None else None

    @property
    def image_size(self) -> tuple[int, int]:
        return self.mode.image_size

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
        return self.source.pipeline

    @property
    def tracked(self) -> TrackedFrame | None:
        """The newest tracked frame shown."""
        return self.source.tracked

    @tracked.setter
    def tracked(self, tracked: TrackedFrame | None) -> None:
        self.source.tracked = tracked

    @property
    def health(self) -> SourceHealth:
        """What the user is told about the source (failed, ended, silent)."""
        return self.source.health

    @property
    def source_spec(self) -> SourceSpec:
        """What the window reads now (`start_source`)."""
        return self.source.spec or self.settings.source

    def _build_layout(self) -> None:
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

        self.controls = ControlPanel(self._actions, self.settings.illustration,
                                     self.settings.smoothing, self.raster_mode is not None)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.controls)
        self.illustration_list = self.controls.illustration_list
        self.illustration_list.chosen.connect(self.open_illustration)
        self.smoothing_slider = self.controls.smoothing_slider
        self.smoothing_slider.valueChanged.connect(self._on_smoothing)
        self.setStatusBar(self.status_bar)

    # ---- sources -----------------------------------------------------------------------

    def start_source(self, spec: SourceSpec) -> None:
        """Stop the current source (if any) and start reading `spec`."""
        self.source.start(spec)

    def _open_pipeline(self, spec: SourceSpec, generation: int, hands: bool,
                       trial: HandsTrial | None) -> LivePipeline:
        """A pipeline whose thread callbacks reach `source` on the GUI thread (signals)."""
        return LivePipeline(
            spec, on_frame=lambda: self.frame_ready.emit(generation),
            on_error=lambda message: self.source_failed.emit(generation, message),
            on_end=lambda: self.source_ended.emit(generation), face=self.settings.face,
            tracking=self.mode.tracking, hands=hands, mirror=self.mirror, hands_trial=trial)

    def stop_source(self) -> bool:
        """Stop capture and tracking; True if the threads ended within a second."""
        return self.source.stop()

    def open_video(self, path: Path) -> None:
        """Play a video file instead of the current source (looping, as a stand-in camera)."""
        self.start_source(SourceSpec("video", path=path, loop=True))

    def _show(self, notice: Notice) -> None:
        self.banner.show_message(notice.text, notice.offer_video, notice.offer_retry,
                                 notice.retry_text)

    # ---- frames ------------------------------------------------------------------------

    def _on_painted(self, captured_at: float) -> None:
        now = time.perf_counter()
        self.frames_shown += 1
        self.stats.painted_at.append(now)
        self.stats.latency_ms.append((now - captured_at) * 1000)
        mode = self.character_mode
        self.stats.render_ms.append((mode.character.pose_ms if mode is not None else 0.0)
                                    + self.character_view.paint_ms)

    # ---- illustrations -----------------------------------------------------------------

    def set_illustration(self, illustration: Illustration) -> None:
        """Animate `illustration` from now on (the pose and smoothing carry over)."""
        if self.character_mode is None:
            return
        self.illustration_list.select(illustration)
        self.character_mode.set_illustration(illustration)

    def open_illustration(self, path_or_name: str | Path) -> bool:
        """Load and show an illustration; a file that cannot be animated keeps the current one
        and shows why (the rig checker's message)."""
        current = self.illustration
        try:
            illustration = load_illustration(path_or_name, skinning=current.skinning,
                                             proportions=current.proportions)
        except PoseanimError as error:
            self.banner.show_message(f"{error}\nStill showing {current.name}.")
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
        user's choice ends a trial; `LiveSource.set_hands`). Hands cost about as much as the
        face mesh per frame (docs/live.md)."""
        on = self.action("Hands").isChecked()
        self.settings.hands = on
        self.source.set_hands(on)

    def choose_video_file(self) -> None:
        """Ask for a video file and play it."""
        patterns = " ".join(f"*{suffix}" for suffix in sorted(VIDEO_SUFFIXES))
        path, _ = QFileDialog.getOpenFileName(self, "Open a video", "", f"Videos ({patterns})")
        if path:
            self.open_video(Path(path))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt's name)
        if _dropped_file(event, photos=self.raster_mode is not None) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt's name)
        raster = self.raster_mode
        path = _dropped_file(event, photos=raster is not None)
        if path is None:
            return
        event.acceptProposedAction()
        if is_video_path(path):
            self.open_video(path)
        elif raster is not None and path.suffix.lower() != ".svg":
            raster.add_avatar(path)
        elif raster is not None:
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
        if self.pipeline is not None:
            self.pipeline.mirror = self.mirror  # from the next frame on
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
        if self.character_mode is not None:
            self.character_mode.character.set_smoothing(value / 100)

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

    # ---- outputs -----------------------------------------------------------------------

    def _show_recording_clock(self, seconds: float | None) -> None:
        self.character_view.recording_seconds = seconds
        self.character_view.update()

    def toggle_recording(self) -> None:
        """Start recording, or stop and write the MP4 (and the pose track of a character)."""
        pipeline = self.pipeline
        running = self.outputs.toggle_recording(
            self.mode.output_size(), pipeline.spec.describe() if pipeline else "live",
            track=self.mode.track_recordings)
        self.action("Record").setText("Stop recording" if running else "Record")

    def screenshot(self) -> list[Path]:
        """Write the current character as SVG and PNG (raster mode's picture as PNG); returns
        their paths."""
        transparent = self.character_view.background is None
        return self.mode.screenshot(None if transparent else self.background_colour.name(),
                                    self.backdrop)

    # ---- status and shutdown -----------------------------------------------------------

    def _update_status(self) -> None:
        self.source.poll(time.perf_counter())
        pipeline = self.source.pipeline
        self.status_bar.show_timings(pipeline.capture_fps() if pipeline else 0.0, self.stats,
                                     self.mode.state)
        self.outputs.show_recording_time()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        """Save a running recording, release the camera and stop every thread."""
        started = time.perf_counter()
        if self.outputs.recording:
            self.toggle_recording()
        self._status_timer.stop()
        if self.backdrop_video is not None:
            self.backdrop_video.stop()
        self.stop_source()
        self.mode.stop()
        self.outputs.close()
        self.shutdown_seconds = time.perf_counter() - started
        event.accept()


class _Display:
    """The window's widgets as `LiveSource` sees them (`live_source.SourceDisplay`)."""

    def __init__(self, window: LiveWindow) -> None:
        self.window = window

    def opening(self, described: str) -> None:
        window = self.window
        window.banner.hide()
        window.mode.source_started(window.smoothing_slider.value() / 100)
        window.camera_view.clear(f"opening {described}…")
        window.status_bar.fields["source"].setText(described)

    def failed(self, message: str) -> None:
        self.window.camera_view.clear(message)

    def notice(self, notice: Notice) -> None:
        self.window._show(notice)

    def message(self, text: str, banner_goes: bool = False) -> None:
        if banner_goes:
            self.window.banner.hide()
        self.window.status_bar.showMessage(text, 5000)

    def frame(self, tracked: TrackedFrame) -> None:
        self.window.camera_view.show_frame(tracked)
        self.window.mode.take(tracked)

    def hands(self, text: str, checked: bool | None) -> None:
        if checked is not None:
            self.window.action("Hands").setChecked(checked)
        self.window.status_bar.fields["hands"].setText(text)


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
