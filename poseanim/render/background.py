"""What goes behind the character (`--background`): a colour, nothing, a picture or a video.

One parser serves `image`, `video` and `live`, so they accept the same values and refuse the
same mistakes with the same line. A picture is scaled to cover the output (aspect kept, the
overflow cropped evenly, as CSS `background-size: cover`); a video plays along at its own
speed, from its start, looping when it is shorter than the animation and cut when longer.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Generator

import cv2
import numpy as np

from poseanim.errors import PoseanimError
from poseanim.render.canvas import colour_rgba
from poseanim.render.paint_style import RGBA
from poseanim.sources import read_image
from poseanim.video_source import VideoSource, is_video_path

TRANSPARENT = ("none", "transparent")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".bmp", ".tif", ".tiff")
HINT = ("use a CSS colour (white, #202830, rgb(32, 40, 48)), 'none' for transparency, or "
        "the path of a picture or video")


@dataclass(frozen=True)
class Background:
    """A parsed `--background`: at most one of colour, picture and video is set; none of
    them means transparent.

    colour: RGBA in [0, 1]; css: the colour as the user wrote it (for SVG and Lottie);
    picture: (H, W, 3) uint8 RGB; video: the file to play along.
    """

    colour: RGBA | None = None
    css: str | None = None
    picture: np.ndarray | None = None
    video: Path | None = None

    @property
    def transparent(self) -> bool:
        """Nothing behind the character."""
        return self.colour is None and self.picture is None and self.video is None

    @property
    def is_colour(self) -> bool:
        """A plain colour (or nothing): what every output, vector ones included, can show."""
        return self.picture is None and self.video is None


def parse_background(text: str | None, default: str | None = "white") -> Background:
    """`--background` text → a Background (`default` when not given; None: transparent).

    Raises PoseanimError, one line saying what is wrong and what to give instead, for text
    that is neither a colour nor 'none' nor an existing picture or video.
    """
    text = default if text is None else text
    if text is None or text.strip().lower() in TRANSPARENT:
        return Background()
    path = Path(text)
    looks_like_file = path.suffix.lower() in IMAGE_SUFFIXES or is_video_path(path) \
        or "/" in text or "\\" in text
    if looks_like_file or path.is_file():
        if not path.is_file():
            raise PoseanimError(f"--background {text}: no such file; {HINT}")
        if is_video_path(path):
            with VideoSource(path):  # fails here, with one line, when it cannot be read
                pass
            return Background(video=path)
        return Background(picture=read_image(path))
    try:
        colour = colour_rgba(text)
    except PoseanimError:
        raise PoseanimError(f"--background '{text}' is not a colour, a picture or a video; "
                            f"{HINT}") from None
    return Background(colour=colour, css=text.strip())


def cover_crop(picture: np.ndarray, aspect: float) -> np.ndarray:
    """The middle of `picture` at width/height `aspect` (what `cover` keeps)."""
    height, width = picture.shape[:2]
    if width / height > aspect:
        kept = max(round(height * aspect), 1)
        start = (width - kept) // 2
        return picture[:, start:start + kept]
    kept = max(round(width / aspect), 1)
    start = (height - kept) // 2
    return picture[start:start + kept]


def cover(picture: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """`picture` scaled to cover `size` (width, height): aspect kept, overflow cropped."""
    cropped = cover_crop(picture, size[0] / size[1])
    shrinking = cropped.shape[1] > size[0]
    return cv2.resize(cropped, size, interpolation=cv2.INTER_AREA if shrinking
                      else cv2.INTER_LINEAR)


class VideoBackground:
    """A background video's frames, one per output frame, covering `size`.

    `frames(fps)` yields forever: output frame n shows the video at n / fps seconds, modulo
    its length (it starts again at its end).
    """

    def __init__(self, path: Path, size: tuple[int, int]) -> None:
        self.path = path
        self.size = size

    def frames(self, fps: float) -> Generator[np.ndarray, None, None]:
        index = 0
        loop_start = 0.0
        while True:
            shown = 0
            with VideoSource(self.path) as video:
                current = None
                for frame in video.frames():
                    current = cover(frame.rgb, self.size)
                    shown += 1
                    # show this frame for every output frame before the next video frame
                    while index / fps - loop_start < (frame.index + 1) / video.fps - 1e-9:
                        yield current
                        index += 1
                length = shown / video.fps
            if shown == 0:
                raise PoseanimError(f"--background {self.path} has no frames")
            loop_start += length
