"""Writers of animated output, one interface, chosen by the output's suffix in one table.

MP4, WebM and GIF are encoded by the ffmpeg binary that imageio-ffmpeg ships (frames are
piped to it as raw pixels, so drawing and encoding run on two cores at once); folders take
numbered PNG or SVG frames; `.svg` is one animated SVG (`poseanim.render.animated_svg`),
`.json` and `.lottie` Lottie and dotLottie (`poseanim.render.lottie`).
Every writer writes into a temporary file or folder beside the output, which replaces the
output only when the last frame is in: an error or Ctrl-C leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import functools
import re
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Callable, Iterator, Protocol

import numpy as np

from poseanim.atomic import atomic_folder, atomic_output, check_writable
from poseanim.errors import PoseanimError
from poseanim.illustration import PosedFrame
from poseanim.render.images import encode_image, photo_data_uri
from poseanim.render.svg_writer import posed_document
from poseanim.video_source import ffmpeg_executable

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
    """One frame to write: the posed character, its pixels (raster writers only) and the
    picture under it (SVG frames: the video with --overlay, or a --background picture or
    video frame), each None where the writer does not need it.

    pixels: (H, W, 3) RGB or (H, W, 4) RGBA uint8. video: (h, w, 3) uint8 RGB.
    """

    posed: PosedFrame
    pixels: np.ndarray | None = None
    video: np.ndarray | None = None


class Writer(Protocol):
    """Takes frames one by one; `finish` completes the output, `close` always releases."""

    def write(self, frame: OutputFrame, repeat: int = 1) -> None:
        """Append `frame`, shown for `repeat` consecutive output frames."""

    def finish(self) -> None:
        """Complete the file (called only when every frame was written)."""

    def close(self) -> None:
        """Release processes and handles (after `finish`, or instead of it on failure)."""


# ---- ffmpeg: MP4, WebM, GIF -------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def _encoders() -> str:
    """ffmpeg's list of encoders (to pick H.264 where this ffmpeg has it)."""
    try:
        return subprocess.run([ffmpeg_executable(), "-hide_banner", "-encoders"],
                              capture_output=True, text=True, timeout=30,
                              stdin=subprocess.DEVNULL).stdout
    except (OSError, subprocess.TimeoutExpired):
        return ""


def _mp4_video_args(alpha: bool) -> list[str]:
    """H.264 where this ffmpeg has it (else MPEG-4 part 2, OpenCV's mp4v). `superfast` keeps
    the encoder from being the slowest stage on two cores; flat cartoon colours still come out
    clean at CRF 20."""
    if " libx264 " in _encoders():
        return ["-c:v", "libx264", "-preset", "superfast", "-crf", "20", "-pix_fmt", "yuv420p",
                "-movflags", "+faststart"]
    return ["-c:v", "mpeg4", "-q:v", "2", "-pix_fmt", "yuv420p", "-movflags", "+faststart"]


def _webm_video_args(alpha: bool) -> list[str]:
    return ["-c:v", "libvpx-vp9", "-pix_fmt", "yuva420p" if alpha else "yuv420p", "-b:v", "0",
            "-crf", "32", "-deadline", "realtime", "-cpu-used", "8", "-row-mt", "1",
            "-auto-alt-ref", "0"]


def _gif_video_args(alpha: bool) -> list[str]:
    # One palette per frame streams (a global palette would hold every frame in memory);
    # with alpha, one palette entry is kept for transparency.
    return ["-filter_complex",
            f"split[a][b];[a]palettegen=stats_mode=single:reserve_transparent={int(alpha)}[p];"
            "[b][p]paletteuse=new=1:alpha_threshold=128"]


@dataclass(frozen=True)
class _Encoding:
    """How ffmpeg writes one container: its muxer, video arguments and audio codec (or None)."""

    muxer: str
    video_args: Callable[[bool], list[str]]
    audio_codec: str | None
    loops: bool = False


class FfmpegWriter:
    """Pipes raw RGB(A) frames into ffmpeg, which encodes (and muxes the source's audio).

    ffmpeg starts at the first frame, when the size is known; it runs in its own session so
    that a Ctrl-C reaches only poseanim, which then stops it and discards the file.
    """

    def __init__(self, temporary: Path, settings: ExportSettings, encoding: _Encoding) -> None:
        self.temporary = temporary
        self.settings = settings
        self.encoding = encoding
        self._process: subprocess.Popen | None = None
        self._log = tempfile.TemporaryFile()
        self._shape: tuple[int, ...] | None = None

    def _start(self, shape: tuple[int, ...]) -> subprocess.Popen:
        height, width, channels = shape
        alpha = channels == 4
        rate = Fraction(self.settings.fps).limit_denominator(1001)
        command = [ffmpeg_executable(), "-hide_banner", "-nostats", "-loglevel", "error", "-y",
                   "-f", "rawvideo", "-pix_fmt", "rgba" if alpha else "rgb24",
                   "-s", f"{width}x{height}", "-framerate", str(rate), "-i", "-"]
        audio = self.settings.audio_from is not None and self.encoding.audio_codec is not None
        if audio:
            command += ["-ss", f"{self.settings.audio_start:.3f}", "-i",
                        str(self.settings.audio_from), "-map", "0:v", "-map", "1:a:0?",
                        "-c:a", str(self.encoding.audio_codec), "-af", "apad", "-shortest"]
        command += self.encoding.video_args(alpha)
        if self.encoding.loops:
            command += ["-loop", "0" if self.settings.loop else "-1"]
        command += ["-f", self.encoding.muxer, str(self.temporary)]
        try:
            return subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                    stderr=self._log, start_new_session=True)
        except OSError as error:
            raise PoseanimError(f"cannot start ffmpeg ({error.strerror or error})") from None

    def write(self, frame: OutputFrame, repeat: int = 1) -> None:
        pixels = frame.pixels
        assert pixels is not None, "raster writers are given pixels"
        if self._process is None:
            self._shape = pixels.shape
            self._process = self._start(pixels.shape)
        elif pixels.shape != self._shape:
            raise ValueError(f"frame of shape {pixels.shape} after frames of {self._shape}")
        data = np.ascontiguousarray(pixels).data
        try:
            for _ in range(repeat):
                self._process.stdin.write(data)  # type: ignore[union-attr]
        except BrokenPipeError:
            self._process.wait()
            raise PoseanimError(f"ffmpeg stopped encoding: {self._error_text()}") from None

    def finish(self) -> None:
        if self._process is None:
            raise PoseanimError("no frames to write")
        try:
            self._process.stdin.close()  # type: ignore[union-attr]
        except BrokenPipeError:
            pass
        if self._process.wait() != 0:
            raise PoseanimError(f"ffmpeg could not write the video: {self._error_text()}")

    def close(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        self._log.close()

    def _error_text(self) -> str:
        self._log.seek(0)
        lines = [line for line in self._log.read().decode("utf-8", "replace").splitlines()
                 if line.strip()]
        return lines[-1].strip() if lines else "no message"


# ---- folders of frames ------------------------------------------------------------------------

class FrameFolderWriter:
    """Numbered frames in a folder: frame_000001.png (or .svg), frame_000002 …"""

    def __init__(self, temporary: Path, settings: ExportSettings, suffix: str) -> None:
        self.folder = temporary
        self.settings = settings
        self.suffix = suffix
        self.count = 0

    def _encode(self, frame: OutputFrame) -> bytes:
        if self.suffix == ".png":
            assert frame.pixels is not None, "PNG frames are given pixels"
            return encode_image(frame.pixels, ".png")
        underlay = (photo_data_uri(frame.video) if self.settings.underlay
                    and frame.video is not None else None)
        root = posed_document(frame.posed, self.settings.precision, self.settings.svg_background,
                              underlay)
        return svg_bytes(root, self.settings.svg_size)

    def write(self, frame: OutputFrame, repeat: int = 1) -> None:
        data = self._encode(frame)
        for _ in range(repeat):
            self.count += 1
            (self.folder / FRAME_NAME.format(self.count, self.suffix)).write_bytes(data)

    def finish(self) -> None:
        if self.count == 0:
            raise PoseanimError("no frames to write")

    def close(self) -> None:
        """Nothing to release: every frame file is closed once written."""


def svg_bytes(root: ET.Element, size: tuple[int, int] | None) -> bytes:
    """A posed document as file bytes, displayed at `size` pixels (its viewBox unchanged)."""
    if size is not None:
        root.set("width", str(size[0]))
        root.set("height", str(size[1]))
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def is_frame_folder(path: Path) -> bool:
    """Whether a folder holds only frames poseanim wrote (so writing there may replace it)."""
    return all(FRAME_PATTERN.fullmatch(entry.name) for entry in path.iterdir())


# ---- the table --------------------------------------------------------------------------------

@dataclass(frozen=True)
class WriterKind:
    """One kind of output: how to make its writer and what it can hold.

    raster: frames are pixels (else the posed arrays); alpha: can be transparent;
    even_size: the codec needs even width and height; folder: the output is a folder.
    """

    name: str
    make: Callable[[Path, ExportSettings], Writer]
    raster: bool
    alpha: bool
    even_size: bool = False
    folder: bool = False


def _animated_svg(temporary: Path, settings: ExportSettings) -> Writer:
    from poseanim.render.animated_svg import AnimatedSvgWriter

    return AnimatedSvgWriter(temporary, settings)


def _lottie(temporary: Path, settings: ExportSettings, packed: bool) -> Writer:
    from poseanim.render.lottie import LottieWriter

    return LottieWriter(temporary, settings, packed)


WRITER_KINDS: dict[str, WriterKind] = {
    ".mp4": WriterKind("MP4", functools.partial(
        FfmpegWriter, encoding=_Encoding("mp4", _mp4_video_args, "aac")),
        raster=True, alpha=False, even_size=True),
    ".webm": WriterKind("WebM", functools.partial(
        FfmpegWriter, encoding=_Encoding("webm", _webm_video_args, "libopus")),
        raster=True, alpha=True, even_size=True),
    ".gif": WriterKind("GIF", functools.partial(
        FfmpegWriter, encoding=_Encoding("gif", _gif_video_args, None, loops=True)),
        raster=True, alpha=True),
    ".svg": WriterKind("animated SVG", _animated_svg, raster=False, alpha=True),
    ".json": WriterKind("Lottie", functools.partial(_lottie, packed=False), raster=False,
                        alpha=True),
    ".lottie": WriterKind("dotLottie", functools.partial(_lottie, packed=True), raster=False,
                          alpha=True),
    "png": WriterKind("PNG frames", functools.partial(FrameFolderWriter, suffix=".png"),
                      raster=True, alpha=True, folder=True),
    "svg": WriterKind("SVG frames", functools.partial(FrameFolderWriter, suffix=".svg"),
                      raster=False, alpha=True, folder=True),
}
FILE_SUFFIXES = tuple(key for key in WRITER_KINDS if key.startswith("."))


def writer_kind(output: Path, frames: str | None) -> WriterKind:
    """The kind of output a path asks for: a known suffix, or a folder (any name with
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
        raise PoseanimError(f"cannot write '{suffix}' video; -o takes "
                            f"{', '.join(FILE_SUFFIXES)} or a folder (for --frames png|svg)")
    return WRITER_KINDS[frames or "png"]


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
