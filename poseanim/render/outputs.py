"""Every kind of output poseanim writes, in one table keyed by the output's suffix.

Stills (`poseanim image`, the live window's screenshots) and animations (`poseanim video`,
the raster mode, live recordings) look their writer up here, so a new format is one row:
`.svg` is a posed SVG as a still and an animated SVG as an animation, `.png` a picture,
`.mp4`/`.webm`/`.gif` ffmpeg videos, `.json`/`.lottie` Lottie and dotLottie, and a folder
numbered PNG or SVG frames. Each row says whether it is made of pixels (`raster`), so that a
producer of pixels alone is turned away before any work, in words, not by a failed write.
Writers of the heavier formats are imported when one is made, so that reading this table
stays cheap for `--help`.
"""

from __future__ import annotations

import contextlib
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import numpy as np

from poseanim.atomic import atomic_folder, atomic_output, check_writable
from poseanim.errors import PoseanimError
from poseanim.render.export import ExportSettings, OutputFrame, Writer, is_frame_folder


@dataclass(frozen=True)
class StillSettings:
    """How a still is written.

    precision: decimal places of SVG coordinates. background: a CSS colour under the
    character, or None (transparent). underlay: a `data:` URI picture under the character
    (a photo with --overlay, a background picture), or None. picture: the same picture as
    (h, w, 3) uint8 RGB, which the PNG is painted over (the URI is for the SVG). width, height,
    scale: the PNG's size (`writers.write_png`); a frame's own pixels are written at their
    size. svg_size: (width, height) an SVG is displayed at (its viewBox unchanged), or None.
    """

    precision: int = 2
    background: str | None = None
    underlay: str | None = None
    width: int | None = None
    height: int | None = None
    scale: float = 1.0
    picture: np.ndarray | None = None
    svg_size: tuple[int, int] | None = None


StillWriter = Callable[[OutputFrame, Path, StillSettings], Path]
"""(frame, path, settings) → the path written (atomically)."""


@dataclass(frozen=True)
class WriterKind:
    """One kind of output: how to make its writers and what it can hold.

    make: the animation writer (None: stills only). still: the still writer (None: animations
    only). raster: frames are pixels (else the posed arrays); alpha: can be transparent;
    even_size: the codec needs even width and height; folder: the output is a folder.
    """

    name: str
    make: Callable[[Path, ExportSettings], Writer] | None
    raster: bool
    alpha: bool
    even_size: bool = False
    folder: bool = False
    still: StillWriter | None = None


def _svg_still(frame: OutputFrame, path: Path, settings: StillSettings) -> Path:
    from poseanim.render.writers import write_svg

    return write_svg(frame.drawing("SVG"), path, settings.precision, settings.background,
                     settings.underlay, settings.svg_size)


def _png_still(frame: OutputFrame, path: Path, settings: StillSettings) -> Path:
    """The frame's own pixels when it has them (a frame composed for a video, a screenshot of
    the raster mode), else the character painted (`write_png`)."""
    if frame.pixels is not None or frame.posed is None:
        from poseanim.render.images import write_image

        return write_image(path, frame.picture("PNG"))
    from poseanim.render.writers import write_png

    return write_png(frame.posed, path, settings.width, settings.height, settings.scale,
                     settings.background, settings.underlay, settings.picture)


def _ffmpeg(temporary: Path, settings: ExportSettings, container: str) -> Writer:
    from poseanim.render.video_writers import ffmpeg_writer

    return ffmpeg_writer(temporary, settings, container)


def _frames(temporary: Path, settings: ExportSettings, suffix: str) -> Writer:
    from poseanim.render.video_writers import FrameFolderWriter

    return FrameFolderWriter(temporary, settings, suffix)


def _animated_svg(temporary: Path, settings: ExportSettings) -> Writer:
    from poseanim.render.animated_svg import AnimatedSvgWriter

    return AnimatedSvgWriter(temporary, settings)


def _lottie(temporary: Path, settings: ExportSettings, packed: bool) -> Writer:
    from poseanim.render.lottie import LottieWriter

    return LottieWriter(temporary, settings, packed)


OUTPUTS: dict[str, WriterKind] = {
    ".mp4": WriterKind("MP4", functools.partial(_ffmpeg, container="mp4"), raster=True,
                       alpha=False, even_size=True),
    ".webm": WriterKind("WebM", functools.partial(_ffmpeg, container="webm"), raster=True,
                        alpha=True, even_size=True),
    ".gif": WriterKind("GIF", functools.partial(_ffmpeg, container="gif"), raster=True,
                       alpha=True),
    ".svg": WriterKind("animated SVG", _animated_svg, raster=False, alpha=True,
                       still=_svg_still),
    ".png": WriterKind("PNG", None, raster=True, alpha=True, still=_png_still),
    ".json": WriterKind("Lottie", functools.partial(_lottie, packed=False), raster=False,
                        alpha=True),
    ".lottie": WriterKind("dotLottie", functools.partial(_lottie, packed=True), raster=False,
                          alpha=True),
    "png": WriterKind("PNG frames", functools.partial(_frames, suffix=".png"),
                      raster=True, alpha=True, folder=True),
    "svg": WriterKind("SVG frames", functools.partial(_frames, suffix=".svg"),
                      raster=False, alpha=True, folder=True),
}
"""Suffix (with its dot) or frames folder type (`--frames png|svg`, no dot) → its kind."""

WRITER_KINDS = {key: kind for key, kind in OUTPUTS.items() if kind.make is not None}
"""The kinds an animation can be written to."""
FILE_SUFFIXES = tuple(key for key in WRITER_KINDS if key.startswith("."))
"""File suffixes of animations (the folders aside)."""
STILL_SUFFIXES = tuple(key for key, kind in OUTPUTS.items() if kind.still is not None)
"""File suffixes of stills."""


def writer_kind(output: Path, frames: str | None) -> WriterKind:
    """The kind of animation a path asks for: a known suffix, or a folder (any name with
    `--frames`; without it, a name with no suffix or an existing folder, for PNG frames).

    Raises PoseanimError for an unknown suffix or `--frames` given with a file name.
    """
    suffix = output.suffix.lower()
    if suffix in FILE_SUFFIXES and not output.is_dir():
        if frames is not None:
            raise PoseanimError(f"--frames writes a folder of frames, but {output} names a "
                                f"{suffix} file; give a folder name "
                                f"(e.g. {output.with_suffix('')})")
        return WRITER_KINDS[suffix]
    if suffix and frames is None and not output.is_dir():
        still = " (a still: poseanim image writes it)" if suffix in STILL_SUFFIXES else ""
        raise PoseanimError(f"cannot write '{suffix}' video{still}; -o takes "
                            f"{', '.join(FILE_SUFFIXES)} or a folder (for --frames png|svg)")
    return WRITER_KINDS[frames or "png"]


def still_kind(output: Path) -> WriterKind:
    """The kind of still a file name asks for; PoseanimError for any other suffix."""
    suffix = output.suffix.lower()
    kind = OUTPUTS.get(suffix)
    if kind is None or kind.still is None:
        video = (f"; {suffix} is an animation: poseanim video writes it"
                 if suffix in FILE_SUFFIXES else "")
        raise PoseanimError(f"-o must end in {' or '.join(STILL_SUFFIXES)}, not "
                            f"'{suffix or output.name}'{video}")
    return kind


def write_still(frame: OutputFrame, path: Path, settings: StillSettings) -> Path:
    """Write one still, its kind chosen by the suffix; returns the path."""
    still = still_kind(path).still
    assert still is not None, "still_kind returns kinds with a still writer"
    return still(frame, path, settings)


def check_output(output: Path, kind: WriterKind) -> None:
    """Fail before any work when the output cannot be written (or would clobber a folder)."""
    if not kind.folder:
        check_writable(output)
        return
    check_writable(output.parent / f".{output.name}.probe")  # the folder beside it takes files
    if output.exists() and not output.is_dir():
        raise PoseanimError(f"cannot write frames into {output}: it is a file")
    if output.is_dir() and not is_frame_folder(output):
        raise PoseanimError(f"{output} is a folder holding other files than frames; give a new "
                            "or empty folder (poseanim replaces only a folder of its own frames)")


@contextlib.contextmanager
def open_writer(output: Path, kind: WriterKind, settings: ExportSettings) -> Iterator[Writer]:
    """A writer of the given kind whose output appears at `output` when the block ends well."""
    if kind.make is None:
        raise PoseanimError(f"{kind.name} holds one picture, not an animation; give -o one of "
                            f"{', '.join(FILE_SUFFIXES)} or a folder")
    opener = atomic_folder(output, is_frame_folder) if kind.folder else atomic_output(output)
    try:
        with opener as temporary:
            writer = kind.make(temporary, settings)
            try:
                yield writer
                writer.finish()
            finally:
                writer.close()
    except OSError as error:
        raise PoseanimError(f"cannot write {output}: {error.strerror or error}") from None
