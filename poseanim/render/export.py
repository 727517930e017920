"""What every output writer is given and promises: the frame, the settings, the interface.

A frame to write is the posed character, its pixels, or both: the character's exports hold
both (vector writers read the drawing, raster writers the pixels), while producers that only
ever have pixels (the raster models, a recording of a photo) give pixels alone. The writers
themselves live in `video_writers`, `animated_svg` and `lottie`; `outputs` picks one by the
output's suffix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

from poseanim.errors import PoseanimError

if TYPE_CHECKING:
    from poseanim.illustration import PosedFrame

FRAME_NAME = "frame_{:06d}{}"
FRAME_PATTERN = re.compile(r"frame_\d{6,}\.(png|svg)")


@dataclass(frozen=True)
class ExportSettings:
    """What every writer may need to know about the whole animation.

    fps: output frames per second. loop: play forever (GIF, animated SVG). precision: decimal
    places of SVG coordinates. svg_background: a colour painted under SVG output, or None.
    svg_size: (width, height) an SVG is displayed at. audio_from: a video whose audio track
    MP4 and WebM output keep, or None. underlay: whether SVG frames embed the video frame.
    audio_start: where in `audio_from` the output starts (seconds, `--start`).
    key_error: Lottie keys are left out where the outline stays within this many pixels.
    backdrop: (H, W, 3) uint8 RGB still picture (a `--background` picture) that an animated
    SVG or a Lottie holds under the character, covering `svg_size`; None: none.
    """

    fps: float
    loop: bool = True
    precision: int = 2
    svg_background: str | None = None
    svg_size: tuple[int, int] | None = None
    audio_from: Path | None = None
    audio_start: float = 0.0
    underlay: bool = False
    key_error: float = 0.25
    backdrop: np.ndarray | None = None


@dataclass(frozen=True)
class OutputFrame:
    """One frame to write: the posed character and/or its pixels, and the picture under it.

    posed: the character (vector writers), or None for a producer that has only pixels.
    pixels: (H, W, 3) RGB or (H, W, 4) RGBA uint8 (raster writers), or None for vector output.
    video: (h, w, 3) uint8 RGB picture under the character (SVG frames: the video with
    --overlay, or a --background picture or video frame), or None.
    """

    posed: PosedFrame | None = None
    pixels: np.ndarray | None = None
    video: np.ndarray | None = None

    def __post_init__(self) -> None:
        if self.posed is None and self.pixels is None:
            raise ValueError("an output frame holds a posed character, pixels or both")

    def drawing(self, writer: str) -> PosedFrame:
        """The posed character, for a vector writer called `writer`.

        A producer of pixels alone is stopped before any work by `outputs` (kinds say whether
        they are raster), so reaching this without a drawing is a wrong call, said plainly.
        """
        if self.posed is None:
            raise PoseanimError(f"{writer} output is drawn from the posed character, and this "
                                "frame is only a picture; write a video (.mp4, .webm, .gif) or "
                                "PNG frames")
        return self.posed

    def picture(self, writer: str) -> np.ndarray:
        """The pixels, for a raster writer called `writer`."""
        if self.pixels is None:
            raise PoseanimError(f"{writer} output is made of pixels, and this frame was not "
                                "painted; write SVG, Lottie or SVG frames")
        return self.pixels


class Writer(Protocol):
    """Takes frames one by one; `finish` completes the output, `close` always releases."""

    def write(self, frame: OutputFrame, repeat: int = 1) -> None:
        """Append `frame`, shown for `repeat` consecutive output frames."""

    def finish(self) -> None:
        """Complete the file (called only when every frame was written)."""

    def close(self) -> None:
        """Release processes and handles (after `finish`, or instead of it on failure)."""


def is_frame_folder(path: Path) -> bool:
    """Whether a folder holds only frames poseanim wrote (so writing there may replace it)."""
    return all(FRAME_PATTERN.fullmatch(entry.name) for entry in path.iterdir())
