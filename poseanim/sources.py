"""Where pictures come from: the `FrameSource` interface every source meets, and photos.

A source hands out `SourceFrame`s in order: a photo one, a video file (`video_source`) and a
camera (`camera`) one per picture, a recorded track (`tracking.track_file.RecordedSource`) one
per recorded pose with no picture. `pipeline.open_frame_source` picks the source for an input
and `pipeline.track_frames` turns any of them into tracked frames, so a command or the live
window never needs to know which kind it reads.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Protocol

import numpy as np

from poseanim.closing import Closing
from poseanim.errors import PoseanimError
from poseanim.input_files import read_input_bytes
from poseanim.limits import MAX_IMAGE_PIXELS

if TYPE_CHECKING:
    from poseanim.pose import Pose

ALPHA_MODES = frozenset({"RGBA", "LA", "PA", "RGBa", "La"})


def check_picture_pixels(width: int, height: int, what: str) -> None:
    """Refuse a picture larger than `MAX_IMAGE_PIXELS` (from its header, before decoding)."""
    if width * height > MAX_IMAGE_PIXELS:
        raise PoseanimError(f"{what} is {width}×{height} pixels; pictures over "
                            f"{MAX_IMAGE_PIXELS / 1e6:.0f} megapixels are refused: scale it down "
                            "first (or raise POSEANIM_MAX_IMAGE_PIXELS)")


def _header(data: bytes) -> tuple[int, int, bool] | None:
    """(width, height, has_alpha) from the picture's header (nothing is decoded), or None
    when PIL does not know the format (OpenCV may still)."""
    from PIL import Image

    limit, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None  # this is the check
    try:
        with Image.open(io.BytesIO(data)) as picture:
            alpha = picture.mode in ALPHA_MODES or "transparency" in picture.info
            return picture.size[0], picture.size[1], alpha
    except Exception:  # noqa: BLE001 – PIL raises many types for formats it does not read
        return None
    finally:
        Image.MAX_IMAGE_PIXELS = limit


def _on_white(data: bytes) -> np.ndarray:
    """A picture with transparency, composited on white as a browser canvas shows it (Pose
    Animator tracks what the canvas shows): (H, W, 3) uint8 RGB, EXIF orientation applied."""
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as picture:
        rgba = np.asarray(ImageOps.exif_transpose(picture).convert("RGBA"), dtype=np.float32)
    alpha = rgba[..., 3:] / 255.0
    return np.round(rgba[..., :3] * alpha + 255.0 * (1.0 - alpha)).astype(np.uint8)


def read_image(path: str | Path) -> np.ndarray:
    """A photo as an (H, W, 3) uint8 RGB array, EXIF orientation applied.

    Any depth and layout OpenCV reads (8/16-bit, grey, palette, CMYK) comes out as 8-bit
    RGB; transparent pixels are composited on white. The pixel count is checked from the
    header before decoding. Raises PoseanimError when the file is missing, too large or not a
    picture that can be decoded.
    """
    import cv2

    raw = read_input_bytes(path, "a picture")
    header = _header(raw)
    if header is not None:
        check_picture_pixels(header[0], header[1], str(path))
        if header[2]:
            try:
                return _on_white(raw)
            except Exception:  # noqa: BLE001 – a damaged file; OpenCV says below whether it can read it
                pass
    data = np.frombuffer(raw, dtype=np.uint8)
    image = cv2.imdecode(data, cv2.IMREAD_COLOR) if data.size else None
    if image is None:
        raise PoseanimError(f"{path} is not a picture poseanim can read (JPEG, PNG, BMP, TIFF, "
                            "WebP); is it truncated or of another type?")
    check_picture_pixels(image.shape[1], image.shape[0], str(path))
    return cv2.cvtColor(image, cv2.COLOR_BGR2RGB)


@dataclass(frozen=True)
class SourceFrame:
    """One frame as it came from a source.

    index: its position in the source. time: seconds on the source's own clock (the position
    in a file, the time since a camera opened). rgb: (H, W, 3) uint8 pixels, None for a
    recorded track. pose: a recorded track's pose (None: nobody, or not tracked yet).
    """

    index: int
    time: float
    rgb: np.ndarray | None
    pose: Pose | None = None


@dataclass(frozen=True)
class PictureFrame(SourceFrame):
    """A frame that has its pixels (a photo's, a video's, a camera's)."""

    rgb: np.ndarray


class FrameSource(Protocol):
    """Anything that hands out frames: a photo, a video file, a camera, a recorded track.

    image_size: (width, height) of its pictures (or of the pictures a track was recorded on).
    fps: frames per second, None for a photo or a camera. frame_count: how many frames it
    announces, 0 when it does not know (a camera). Use as a context manager, or call `close`.
    """

    @property
    def image_size(self) -> tuple[int, int]: ...

    @property
    def fps(self) -> float | None: ...

    @property
    def frame_count(self) -> int: ...

    def frames(self) -> Iterator[SourceFrame]:
        """Its frames in order (once)."""

    def close(self) -> None:
        """Release the file or device."""


class ClosingSource(Closing):
    """The context-manager half of a `FrameSource`, for sources to inherit."""


class PhotoSource(ClosingSource):
    """A photo as a source of one frame (read and checked on opening, `read_image`)."""

    fps: float | None = None
    frame_count = 1

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.rgb = read_image(path)
        self.image_size = (int(self.rgb.shape[1]), int(self.rgb.shape[0]))

    def frames(self) -> Iterator[PictureFrame]:
        """The photo, at time 0."""
        yield PictureFrame(0, 0.0, self.rgb)
