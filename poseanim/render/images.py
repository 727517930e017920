"""Encoding pictures to files and composing the character over a photo."""

from __future__ import annotations

import base64
from pathlib import Path

import numpy as np

from poseanim.atomic import write_bytes_atomic
from poseanim.errors import PoseanimError


def encode_image(rgb: np.ndarray, suffix: str = ".png") -> bytes:
    """(H, W, 3|4) uint8 RGB(A) → encoded bytes of the given type (.png, .jpg …)."""
    import cv2

    if rgb.shape[2] == 4:
        bgr = cv2.cvtColor(rgb, cv2.COLOR_RGBA2BGRA)
    else:
        bgr = cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)
    ok, data = cv2.imencode(suffix, bgr)
    if not ok:
        raise PoseanimError(f"cannot encode a {suffix} picture")
    return data.tobytes()


def write_image(path: str | Path, rgb: np.ndarray) -> Path:
    """Write an RGB(A) picture atomically; the type follows the suffix (PNG when unknown)."""
    suffix = Path(path).suffix.lower()
    return write_bytes_atomic(path, encode_image(rgb, suffix if suffix in (".jpg", ".jpeg", ".png",
                                                                            ".webp", ".bmp") else ".png"))


def photo_data_uri(rgb: np.ndarray) -> str:
    """The photo as a JPEG `data:` URI, to embed under the character in an overlay SVG."""
    return "data:image/jpeg;base64," + base64.b64encode(encode_image(rgb, ".jpg")).decode("ascii")

