"""The live window's side panel: the illustrations to choose from, a button for each command
that deserves one, and the smoothing slider."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDockWidget, QGridLayout, QLabel, QListWidget, QListWidgetItem, QSizePolicy, QSlider,
    QToolButton, QWidget,
)

from poseanim.illustration import Illustration, bundled_illustrations

PANEL_BUTTONS = ("Open SVG…", "Open video…", "Landmarks", "Bones", "Weights", "Joint labels",
                 "Mirror", "Transparent", "Background…", "Help", "Record", "Screenshot",
                 "Reset reference")
"""Commands with a button in the panel, two a row in this order (those the window has enabled)."""


def _same_file(a: str | Path, b: str | Path) -> bool:
    return Path(a).resolve() == Path(b).resolve()


class IllustrationList(QListWidget):
    """The bundled illustrations, then any opened from a file; each item keeps its SVG's path.

    `chosen(path)` is emitted when the user picks (or steps to) another illustration than the
    one shown; the window opens it, and `select`s it once it shows.
    """

    chosen = Signal(str)

    def __init__(self, shown: Illustration) -> None:
        super().__init__()
        for name, path in sorted(bundled_illustrations().items()):
            self._add(name, path)
        self._shown = shown.drawing.source
        self.itemActivated.connect(self._on_item)
        self.itemClicked.connect(self._on_item)
        self.select(shown)

    def _add(self, name: str, path: Path) -> QListWidgetItem:
        item = QListWidgetItem(name)
        item.setData(Qt.ItemDataRole.UserRole, str(path))
        item.setToolTip(str(path))
        self.addItem(item)
        return item

    def select(self, illustration: Illustration) -> None:
        """Mark `illustration` as the one shown (added to the list if it came from elsewhere)."""
        self._shown = source = illustration.drawing.source
        for row in range(self.count()):
            item = self.item(row)
            if _same_file(item.data(Qt.ItemDataRole.UserRole), source):
                self.setCurrentItem(item)
                return
        self.setCurrentItem(self._add(illustration.name, Path(source)))

    def step(self, step: int) -> None:
        """Choose the illustration `step` rows from the current one (wrapping around)."""
        if self.count():
            self._on_item(self.item((self.currentRow() + step) % self.count()))

    def _on_item(self, item: QListWidgetItem) -> None:
        path = item.data(Qt.ItemDataRole.UserRole)
        if not _same_file(path, self._shown):
            self.chosen.emit(path)


class ControlPanel(QDockWidget):
    """The dock on the right: illustration list, command buttons and smoothing slider.

    In FOMM mode only the buttons show: a photo has no illustration and no smoothing.
    """

    def __init__(self, actions: dict[str, QAction], illustration: Illustration,
                 smoothing: float, fomm_mode: bool) -> None:
        super().__init__("Controls")
        self.setFeatures(QDockWidget.DockWidgetFeature.NoDockWidgetFeatures)
        panel = QWidget()
        panel.setMinimumWidth(220)
        grid = QGridLayout(panel)
        heading = QLabel("Illustration")
        grid.addWidget(heading, 0, 0, 1, 2)
        self.illustration_list = IllustrationList(illustration)
        grid.addWidget(self.illustration_list, 1, 0, 1, 2)
        buttons = [label for label in PANEL_BUTTONS
                   if label in actions and actions[label].isEnabled()]
        for index, label in enumerate(buttons):
            button = QToolButton()
            button.setDefaultAction(actions[label])
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            grid.addWidget(button, 2 + index // 2, index % 2)
        row = 2 + (len(buttons) + 1) // 2
        self.smoothing_label = QLabel()
        grid.addWidget(self.smoothing_label, row, 0, 1, 2)
        self.smoothing_slider = QSlider(Qt.Orientation.Horizontal)
        self.smoothing_slider.setRange(0, 100)
        self.smoothing_slider.setValue(round(smoothing * 100))
        self.smoothing_slider.valueChanged.connect(self._show_smoothing)
        self._show_smoothing(self.smoothing_slider.value())
        grid.addWidget(self.smoothing_slider, row + 1, 0, 1, 2)
        if fomm_mode:
            for widget in (heading, self.illustration_list, self.smoothing_label,
                           self.smoothing_slider):
                widget.hide()
        self.setWidget(panel)

    def _show_smoothing(self, value: int) -> None:
        self.smoothing_label.setText(f"Smoothing: {value} %   ([ and ])")
