"""The virtual camera (`app.virtual_camera`): each missing piece, the optional package or the
device, is named with how to get it."""

from __future__ import annotations

import sys

import pytest

from poseanim.app import virtual_camera
from poseanim.errors import PoseanimError


def test_without_pyvirtualcam_the_option_names_the_extra_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "pyvirtualcam", None)  # as where the extra is not installed
    with pytest.raises(PoseanimError, match=r"^--virtual-camera needs pyvirtualcam, which is not "
                                            r"installed: pip install 'poseanim\[virtualcam\]'$"):
        virtual_camera.VirtualCamera(640, 480)


@pytest.mark.parametrize("platform, advice", [
    ("linux", "sudo modprobe v4l2loopback devices=1 exclusive_caps=1 card_label=poseanim"),
    ("darwin", "install OBS Studio (it provides one) and start its virtual camera once"),
    ("win32", "install OBS Studio"),
])
def test_without_a_device_the_message_says_how_to_get_one_on_this_system(monkeypatch, platform,
                                                                          advice):
    monkeypatch.setattr(sys, "platform", platform)
    text = virtual_camera._how_to_get_a_device()
    assert text.startswith("no virtual camera device: ") and advice in text
    assert text.endswith("then start again with --virtual-camera")
