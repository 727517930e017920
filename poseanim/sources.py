"""Where pictures come from: photos on disk (video files and cameras join here)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from poseanim.errors import PoseanimError
from poseanim.input_files import read_input_bytes

MAX_IMAGE_PIXELS = 100_000_000


def read_image(path: str | Path) -> np.ndarray:
    """A photo as an (H, W, 3) uint8 RGB array, EXIF orientation applied.

    Raises PoseanimError when the file is missing or is not a picture OpenCV can decode.
    """
    import cv2

    data = np.frombuffer(read_input_bytes(path, "a picture"), dtype=np.uint8)
    image = cv2.imdecode(data, cv2.IMREAD_COLOR) if data.size else None
    if image is None:
        raise PoseanimError(f"{path} is not a picture poseanim can read (JPEG, PNG, BMP, TIFF, "
                            "WebP); is it truncated or of another type?")
    if image.shape[0] * image.shape[1] > MAX_IMAGE_PIXELS:
        raise PoseanimError(f"{path} is {image.shape[1]}×{image.shape[0]} pixels; "
                            "scale it below 100 megapixels first")
    return cv2.cvtColor(image, cv2.COLOR_BGR2RGB)
