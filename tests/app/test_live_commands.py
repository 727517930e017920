"""The live window's command table (`app.live_commands`): every shortcut does one thing, each
action runs its command with its own argument, and the check marks start from the settings.
The table acts on anything with the window's methods: here, an object that notes the calls."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QWidget

from poseanim.app.live_commands import (
    OFFSET_STEP, ZOOM_STEP, HelpOverlay, add_command_actions, live_commands, raster_commands,
)


class Noted:
    """The window (or the raster mode): each method call is noted as (name, arguments)."""

    def __init__(self, background=None, hands=None, mirror=False) -> None:
        self.settings = SimpleNamespace(background=background, hands=hands)
        self.mirror = mirror
        self.calls: list[tuple] = []

    def __getattr__(self, name):
        return lambda *args: self.calls.append((name, *args))


def every_command(window: Noted, raster: Noted | None = None):
    return live_commands(window, raster_commands(raster) if raster is not None else None)


@pytest.mark.parametrize("raster", [False, True], ids=["character", "raster"])
def test_no_shortcut_is_bound_twice(raster):
    """Qt fires neither of two actions sharing a shortcut ("ambiguous"): a clash is a dead key."""
    keys = [QKeySequence(key).toString() for command in every_command(Noted(), Noted() if raster
                                                                       else None)
            for key in command.keys]
    assert "" not in keys  # every key is one Qt understands
    assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)


def test_each_action_runs_its_command_with_its_own_argument(qt_app):
    window, raster = Noted(), Noted()
    host = QWidget()
    actions = add_command_actions(host, every_command(window, raster), frozenset({"Bones"}))
    for label in ("More smoothing", "Less smoothing", "Previous", "Record", "Landmarks"):
        actions[label].trigger()
    assert window.calls == [("step_smoothing", 0.1), ("step_smoothing", -0.1),
                            ("step_illustration", -1), ("toggle_recording",),
                            ("sync_view_options",)]
    for label in ("Avatar 1", "Avatar 7", "Zoom out", "Crop up", "Next avatar"):
        actions[label].trigger()
    assert raster.calls == [("select_avatar", 0), ("select_avatar", 6),
                            ("zoom_crop", 1 / ZOOM_STEP), ("move_crop", 0.0, -OFFSET_STEP),
                            ("step_avatar", 1)]
    assert not actions["Bones"].isEnabled() and actions["Weights"].isEnabled()
    assert actions["Quit"].shortcut().toString() == "Ctrl+Q"
    assert actions["Help"].toolTip() == "Show or hide these shortcuts (F1 / ?)"
    assert len(host.actions()) == len(actions)  # on the window: the keys work wherever the focus is


@pytest.mark.parametrize("settings, checked", [
    ({}, {"Landmarks", "Hands", "Transparent"}),  # hands: None is the trial, on at first
    ({"background": "#fff", "hands": False, "mirror": True}, {"Landmarks", "Mirror"}),
])
def test_the_check_marks_start_from_the_settings(qt_app, settings, checked):
    host = QWidget()  # kept: the actions belong to it
    actions = add_command_actions(host, every_command(Noted(**settings)), frozenset())
    assert {label for label, action in actions.items() if action.isChecked()} == checked
    assert {label for label, action in actions.items() if action.isCheckable()} == {
        "Landmarks", "Bones", "Weights", "Joint labels", "Mirror", "Hands", "Transparent"}


def test_the_help_lists_each_command_once_and_the_avatars_in_one_line(qt_app):
    commands = every_command(Noted(), Noted())
    host = QWidget()
    lines = HelpOverlay(host, commands)._lines
    assert ("1", "Avatar 1-9 (drop a photo to add one)") in lines
    assert not any(keys == "2" for keys, _ in lines)
    assert lines[-1] == ("Ctrl+Q", "Quit")
    assert ("Space / X", "Raster: your pose now shows the photo as it is") in lines
