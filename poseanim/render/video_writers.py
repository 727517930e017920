"""The ffmpeg video writers (MP4, WebM, GIF) and the folder of numbered frames.

MP4, WebM and GIF are encoded by the ffmpeg binary that imageio-ffmpeg ships (frames are
piped to it as raw pixels, so drawing and encoding run on two cores at once); folders take
numbered PNG or SVG frames. `poseanim.render.outputs` picks the writer by the output's suffix
(the animated SVG and Lottie writers live in `animated_svg` and `lottie`); `export` defines
what they are given. Every writer writes into a temporary file or folder beside the output,
which replaces the output only when the last frame is in: an error or Ctrl-C leaves nothing
behind.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path
from typing import Callable

import numpy as np

from poseanim.errors import PoseanimError
from poseanim.moved_modules import moved_names
from poseanim.render.export import FRAME_NAME, ExportSettings, OutputFrame, Writer
from poseanim.render.export import is_frame_folder as is_frame_folder  # moved there; still found here
from poseanim.render.images import photo_data_uri
from poseanim.render.svg_writer import svg_bytes
from poseanim.video_source import ffmpeg_executable

__all__ = ["ExportSettings", "FfmpegWriter", "FrameFolderWriter", "OutputFrame", "Writer",
           "ffmpeg_writer", "svg_bytes"]
_MOVED_TO_OUTPUTS = ("WRITER_KINDS", "FILE_SUFFIXES", "WriterKind", "writer_kind",
                     "check_output", "open_writer")
"""The output table moved to `poseanim.render.outputs` (stills joined it); still found here."""


__getattr__ = moved_names(__name__, _MOVED_TO_OUTPUTS, "poseanim.render.outputs")


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
    """How ffmpeg writes one container: its name, muxer, video arguments and audio codec
    (or None)."""

    name: str
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
        pixels = frame.picture(self.encoding.name)
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
    """Numbered frames in a folder: frame_000001.png (or .svg), frame_000002 …, each written
    by the still writer of its suffix (`outputs`), as `poseanim image` writes one; a frame
    shown for several output frames is copied."""

    def __init__(self, temporary: Path, settings: ExportSettings, suffix: str) -> None:
        from poseanim.render.outputs import OUTPUTS, StillSettings

        self.folder = temporary
        self.settings = settings
        self.suffix = suffix
        self.count = 0
        self._still = OUTPUTS[suffix].still
        self._settings = StillSettings(settings.precision, settings.svg_background,
                                       svg_size=settings.svg_size)

    def write(self, frame: OutputFrame, repeat: int = 1) -> None:
        assert self._still is not None, "frames are stills"
        settings = self._settings
        if self.suffix == ".png":
            frame.picture("PNG frames")  # a frame folder holds the pictures as composed
        elif self.settings.underlay and frame.video is not None:
            settings = replace(settings, underlay=photo_data_uri(frame.video))
        first = self.folder / FRAME_NAME.format(self.count + 1, self.suffix)
        self._still(frame, first, settings)
        self.count += 1
        for _ in range(repeat - 1):
            self.count += 1
            shutil.copyfile(first, self.folder / FRAME_NAME.format(self.count, self.suffix))

    def finish(self) -> None:
        if self.count == 0:
            raise PoseanimError("no frames to write")

    def close(self) -> None:
        """Nothing to release: every frame file is closed once written."""


_ENCODINGS = {
    "mp4": _Encoding("MP4", "mp4", _mp4_video_args, "aac"),
    "webm": _Encoding("WebM", "webm", _webm_video_args, "libopus"),
    "gif": _Encoding("GIF", "gif", _gif_video_args, None, loops=True),
}


def ffmpeg_writer(temporary: Path, settings: ExportSettings, container: str) -> Writer:
    """An ffmpeg writer of `container` ('mp4', 'webm' or 'gif') into `temporary`."""
    return FfmpegWriter(temporary, settings, _ENCODINGS[container])
