"""What the user can do in the live window, written once: a table of commands.

Each command's label, shortcuts and help line come from this one table, so the window's
QActions (its shortcuts and the side panel's buttons) and the help overlay (F1) cannot
disagree about what a key does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Protocol

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QAction, QColor, QFont, QKeySequence, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

CHARACTER_ONLY = frozenset({"Landmarks", "Bones", "Weights", "Joint labels", "Transparent",
                            "Background…", "Less smoothing", "More smoothing", "Next",
                            "Previous", "Open SVG…", "Hands"})
"""Commands for the character or the tracking: FOMM mode has neither, so they are disabled."""

ZOOM_STEP = 1.1  # raster mode's face-square zoom per key press
OFFSET_STEP = 0.05  # and its move, in square sides


@dataclass(frozen=True)
class Command:
    """A user command: one QAction with its button label, shortcut(s) and help line."""

    label: str
    help: str
    keys: tuple[str, ...]
    run: Callable[[], None]
    checkable: bool = False
    checked: bool = False


class Commandable(Protocol):
    """What the commands act on (the live window), so that this table needs no window class."""

    settings: Any
    mirror: bool

    def sync_view_options(self) -> None: ...
    def toggle_help(self) -> None: ...
    def toggle_fullscreen(self) -> None: ...
    def leave_overlays(self) -> None: ...
    def choose_background(self) -> None: ...
    def step_smoothing(self, step: float) -> None: ...
    def step_illustration(self, step: int) -> None: ...
    def choose_illustration_file(self) -> None: ...
    def choose_video_file(self) -> None: ...
    def toggle_hands(self) -> None: ...
    def toggle_recording(self) -> None: ...
    def screenshot(self) -> Any: ...
    def close(self) -> Any: ...


class RasterCommandable(Protocol):
    """What raster mode's own commands act on (`live_modes.RasterMode`)."""

    def reset_reference(self) -> None: ...
    def select_avatar(self, index: int) -> None: ...
    def step_avatar(self, step: int) -> None: ...
    def toggle_overlay(self) -> None: ...
    def toggle_reference_search(self) -> None: ...
    def zoom_crop(self, factor: float) -> None: ...
    def move_crop(self, dx: float, dy: float) -> None: ...
    def reset_crop(self) -> None: ...
    def toggle_mirror_output(self) -> None: ...


def live_commands(window: Commandable, own: list[Command] | None = None) -> list[Command]:
    """The live window's commands, with those of its mode (`own`) before Quit, in the order
    the help overlay lists them."""
    view = window.sync_view_options
    background_off = window.settings.background is None
    return [
        Command("Help", "Show or hide these shortcuts", ("F1", "?"), window.toggle_help),
        Command("Fullscreen", "Fullscreen on the character", ("F",), window.toggle_fullscreen),
        Command("Back", "Leave fullscreen / close this help", ("Esc",), window.leave_overlays),
        Command("Landmarks", "Landmarks on the camera picture", ("L",), view, True, True),
        Command("Bones", "Bones over the character", ("B",), view, True),
        Command("Weights", "Skinning weights: points coloured by their bones", ("W",), view,
                True),
        Command("Joint labels", "Joint names over the character", ("J",), view, True),
        Command("Mirror", "Mirror (selfie view)", ("M",), view, True, window.mirror),
        Command("Hands", "Track hands and fingers (costs frames per second)", ("H",),
                window.toggle_hands, True, window.settings.hands is not False),
        Command("Transparent", "Transparent background (checkerboard)", ("T",), view, True,
                background_off),
        Command("Background…", "Choose the background colour", ("C",), window.choose_background),
        Command("Less smoothing", "Less smoothing (quicker, more jitter)", ("[",),
                lambda: window.step_smoothing(-0.1)),
        Command("More smoothing", "More smoothing (steadier, more lag)", ("]",),
                lambda: window.step_smoothing(0.1)),
        Command("Next", "Next illustration in the list", ("N",),
                lambda: window.step_illustration(1)),
        Command("Previous", "Previous illustration in the list", ("P",),
                lambda: window.step_illustration(-1)),
        Command("Open SVG…", "Open an illustration (or drop an SVG on the window)", ("O",),
                window.choose_illustration_file),
        Command("Open video…", "Play a video file instead of the camera", ("V",),
                window.choose_video_file),
        Command("Record", "Start / stop recording (MP4 + pose track; FOMM: MP4)", ("R",),
                window.toggle_recording),
        Command("Screenshot", "Save the character as SVG + PNG (FOMM: the photo as PNG)",
                ("S",), window.screenshot),
        *(own or []),
        Command("Quit", "Quit", ("Ctrl+Q",), window.close),
    ]


def _picker(window: RasterCommandable, index: int) -> Callable[[], None]:
    """A command that selects avatar `index` (a closure: QAction passes its own arguments to
    a lambda with a default)."""
    return lambda: window.select_avatar(index)


def raster_commands(window: RasterCommandable) -> list[Command]:
    """Raster mode's own commands (avatars, overlay, face square, reference, output mirror),
    with avatarify's number keys for the avatars."""
    avatars = [Command(f"Avatar {n}", "Avatar 1-9 (drop a photo to add one)" if n == 1 else "",
                       (str(n),), _picker(window, n - 1))
               for n in range(1, 10)]
    step = OFFSET_STEP
    return [
        Command("Reset reference", "Raster: your pose now shows the photo as it is",
                ("Space", "X"), window.reset_reference),
        *avatars,
        Command("Next avatar", "Next avatar", ("PgDown", "."), lambda: window.step_avatar(1)),
        Command("Previous avatar", "Previous avatar", ("PgUp", ","),
                lambda: window.step_avatar(-1)),
        Command("Overlay", "The avatar over your face, to line up before the reference",
                ("0", "I"), window.toggle_overlay, True),
        Command("Search reference", "Find the reference: your pose most like the avatar's",
                ("G",), window.toggle_reference_search, True),
        Command("Zoom in", "Face crop: closer", ("+", "="), lambda: window.zoom_crop(ZOOM_STEP)),
        Command("Zoom out", "Face crop: wider", ("-",), lambda: window.zoom_crop(1 / ZOOM_STEP)),
        Command("Crop left", "Face crop: move (Alt+arrows)", ("Alt+Left",),
                lambda: window.move_crop(-step, 0.0)),
        Command("Crop right", "", ("Alt+Right",), lambda: window.move_crop(step, 0.0)),
        Command("Crop up", "", ("Alt+Up",), lambda: window.move_crop(0.0, -step)),
        Command("Crop down", "", ("Alt+Down",), lambda: window.move_crop(0.0, step)),
        Command("Reset crop", "Face crop: the automatic square again", ("Alt+0",),
                window.reset_crop),
        Command("Mirror output", "Mirror the animated picture (view, recording, virtual "
                "camera)", ("Shift+M",), window.toggle_mirror_output, True),
    ]


def add_command_actions(window: QWidget, commands: list[Command],
                        disabled: frozenset[str]) -> dict[str, QAction]:
    """One QAction per command, added to `window` so that its shortcuts work wherever the
    focus is; labels in `disabled` are greyed out. Returns the actions by label."""
    actions: dict[str, QAction] = {}
    for command in commands:
        action = QAction(command.label, window, checkable=command.checkable)
        action.setToolTip(f"{command.help} ({' / '.join(command.keys)})")
        action.setChecked(command.checked)
        action.setEnabled(command.label not in disabled)
        action.setShortcuts([QKeySequence(k) for k in command.keys])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(command.run)
        window.addAction(action)
        actions[command.label] = action
    return actions


class HelpOverlay(QWidget):
    """The keyboard shortcuts, drawn over the whole of its parent until dismissed."""

    def __init__(self, parent: QWidget, commands: list[Command]) -> None:
        super().__init__(parent)
        # commands without a help line are covered by a sibling's (Avatar 2-9 by Avatar 1)
        self._lines = [(" / ".join(c.keys), c.help) for c in commands if c.help]
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.hide()

    def cover_parent(self) -> None:
        """Take the parent's whole area (after the parent was resized)."""
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())

    def toggle(self) -> None:
        """Show the shortcuts over everything, or hide them."""
        self.cover_parent()
        self.setVisible(not self.isVisible())
        self.raise_()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor(0, 0, 0, 170))
        line = 24
        box = QRectF(0, 0, 580, line * (len(self._lines) + 2.5))
        box.moveCenter(QRectF(self.rect()).center())
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(32, 34, 40, 240))
        painter.drawRoundedRect(box, 10, 10)
        painter.setPen(QColor("white"))
        painter.setFont(QFont("Sans", 12, QFont.Weight.Bold))
        painter.drawText(QRectF(box.x() + 24, box.y() + 10, box.width(), line),
                         "Keyboard shortcuts")
        painter.setFont(QFont("Sans", 10))
        for row, (keys, name) in enumerate(self._lines):
            y = box.y() + line * (row + 1.6)
            painter.setPen(QColor(255, 210, 90))
            painter.drawText(QRectF(box.x() + 24, y, 130, line), Qt.AlignmentFlag.AlignVCenter,
                             keys)
            painter.setPen(QColor(230, 230, 230))
            painter.drawText(QRectF(box.x() + 160, y, box.width() - 170, line),
                             Qt.AlignmentFlag.AlignVCenter, name)
