"""The live window's side panel (`app.live_controls`), without a window: the illustration list
(bundled first, opened files after, stepping round), the buttons of the enabled commands, and
the smoothing slider, hidden with the list in FOMM mode."""

from __future__ import annotations


import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QToolButton, QWidget
from svg_factory import rigged_svg

from poseanim.app.live_controls import PANEL_BUTTONS, ControlPanel, IllustrationList
from poseanim.illustration import bundled_illustrations, load_illustration


@pytest.fixture(scope="module")
def opened(tmp_path_factory):
    """An illustration the user opened from a file (the test drawing: quick to bind)."""
    path = tmp_path_factory.mktemp("drawings") / "limbs.svg"
    path.write_text(rigged_svg())
    return load_illustration(path)


def names(shown: IllustrationList) -> list[str]:
    return [shown.item(row).text() for row in range(shown.count())]


def test_the_list_holds_the_bundled_then_the_opened_and_steps_round(qt_app, opened):
    shown = IllustrationList(opened)
    chosen: list[str] = []
    shown.chosen.connect(chosen.append)
    assert names(shown) == ["ada", "bolt", "mira", "limbs"]  # an opened file is added
    assert shown.currentItem().text() == "limbs"
    shown.step(1)  # past the end: round to the first
    shown.step(-2)  # still from the one shown: the window selects the new one once it shows
    assert chosen == [str(bundled_illustrations()["ada"]), str(bundled_illustrations()["bolt"])]
    shown.itemClicked.emit(shown.item(3))  # the one shown: nothing to open
    assert len(chosen) == 2
    shown.select(opened)  # selecting again does not add it twice
    assert names(shown) == ["ada", "bolt", "mira", "limbs"]


@pytest.mark.parametrize("fomm", [False, True], ids=["character", "FOMM"])
def test_the_panel_has_a_button_per_enabled_command_and_the_smoothing_slider(qt_app, opened,
                                                                             fomm):
    host = QWidget()
    actions = {label: QAction(label, host) for label in (*PANEL_BUTTONS, "Quit")}
    actions["Weights"].setEnabled(False)
    panel = ControlPanel(actions, opened, 0.35, fomm_mode=fomm)
    labels = [button.defaultAction().text() for button in panel.findChildren(QToolButton)]
    assert labels == [label for label in PANEL_BUTTONS if label != "Weights"]  # no Quit button
    assert panel.smoothing_slider.value() == 35
    panel.smoothing_slider.setValue(60)
    assert panel.smoothing_label.text() == "Smoothing: 60 %   ([ and ])"
    assert panel.illustration_list.isHidden() == panel.smoothing_slider.isHidden() == fomm
