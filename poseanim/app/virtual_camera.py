"""Sending the character to a virtual camera, so video-call apps can show it (pyvirtualcam).

pyvirtualcam is an optional extra, and it needs a virtual camera device (v4l2loopback on
Linux, OBS's virtual camera on Windows and macOS); each missing piece gets a message saying
how to get it, and the live window keeps running without the virtual camera.
"""

from __future__ import annotations

import sys

import numpy as np

from poseanim.errors import PoseanimError

VIRTUAL_CAMERA_FPS = 30


def _how_to_get_a_device() -> str:
    if sys.platform.startswith("linux"):
        return ("no virtual camera device: v4l2loopback is not loaded. Install and load it with "
                "`sudo apt install v4l2loopback-dkms && sudo modprobe v4l2loopback devices=1 "
                "exclusive_caps=1 card_label=poseanim`, then start again with --virtual-camera")
    return ("no virtual camera device: install OBS Studio (it provides one) and start its "
            "virtual camera once, then start again with --virtual-camera")


class VirtualCamera:
    """A pyvirtualcam camera of a fixed size that takes (H, W, 3) uint8 RGB frames."""

    def __init__(self, width: int, height: int) -> None:
        try:
            import pyvirtualcam
        except ImportError:
            raise PoseanimError("--virtual-camera needs pyvirtualcam, which is not installed: "
                                "pip install 'poseanim[virtualcam]'") from None
        try:
            self._camera = pyvirtualcam.Camera(width, height, VIRTUAL_CAMERA_FPS,
                                               fmt=pyvirtualcam.PixelFormat.RGB)
        except RuntimeError as error:
            text = str(error)
            if "loopback" in text or "not installed" in text.lower() or "no " in text.lower():
                raise PoseanimError(_how_to_get_a_device()) from None
            raise PoseanimError(f"the virtual camera could not be started: {text}") from None
        self.size = (width, height)
        self.device = self._camera.device

    def send(self, rgb: np.ndarray) -> None:
        """Show `rgb` (exactly the camera's size) to the apps watching the camera."""
        self._camera.send(rgb)

    def close(self) -> None:
        """Free the device for other programs."""
        self._camera.close()
