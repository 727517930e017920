"""Video in, video out: animate a photo from a driving video file into an MP4.

Frames are read and written with OpenCV; the driving video's audio is copied with an
`ffmpeg` found on PATH, when there is one (OpenCV cannot write audio).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from poseanim.atomic import atomic_output, check_writable
from poseanim.errors import PoseanimError
from poseanim.fomm.animation import FommModel
from poseanim.fomm.face_crop import FaceMeshFinder, Square, best_frame, square_around
from poseanim.fomm.frames import resize_like_demo

# OpenCV reports 0 (or NaN) fps for some containers; 25 is the commonest video rate.
_FALLBACK_FPS = 25.0

Progress = Callable[[str, int, "int | None"], None]
"""Called with (stage, frames done, frames in all or None when unknown)."""


class DrivingVideo:
    """A video file as (H, W, 3) uint8 RGB frames; each iteration reads it from the start."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise PoseanimError(
                f"{self.path} is a folder, not a video"
                if self.path.is_dir()
                else f"{self.path}: no such file"
            )
        capture = self._open()
        try:
            fps = capture.get(cv2.CAP_PROP_FPS)
            count = int(capture.get(cv2.CAP_PROP_FRAME_COUNT))
            readable, first = capture.read()
        finally:
            capture.release()
        if not readable:
            raise PoseanimError(f"{self.path} has no frames OpenCV can decode")
        self.height, self.width = first.shape[:2]
        self.fps = fps if np.isfinite(fps) and fps > 0 else _FALLBACK_FPS
        self.frame_count: int | None = count if count > 0 else None
        """From the container header: an estimate, or None when it does not say."""

    def _open(self) -> cv2.VideoCapture:
        capture = cv2.VideoCapture(str(self.path))
        if not capture.isOpened():
            capture.release()
            raise PoseanimError(
                f"{self.path} is not a video OpenCV can read (MP4, MOV, AVI, WebM …)"
            )
        return capture

    def __iter__(self) -> Iterator[np.ndarray]:
        capture = self._open()
        try:
            while True:
                readable, bgr = capture.read()
                if not readable:
                    return
                yield cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
        finally:
            capture.release()


@contextlib.contextmanager
def _scratch_beside(path: Path, suffix: str) -> Iterator[Path]:
    """A scratch file name beside `path` ending in `suffix`, removed afterwards if still there.

    OpenCV picks the container from the file name, so the `.part` name of atomic_output
    cannot be written directly.
    """
    scratch = path.with_name(path.name + suffix)
    try:
        yield scratch
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(scratch)


def _to_bgr8(frame: np.ndarray) -> np.ndarray:
    """(H, W, 3) float RGB in [0, 1] → uint8 BGR, rounded as skimage's img_as_ubyte does."""
    return cv2.cvtColor(
        np.rint(np.clip(frame, 0.0, 1.0) * 255.0).astype(np.uint8), cv2.COLOR_RGB2BGR
    )


def _copy_audio(video: Path, audio_from: Path, output: Path, ffmpeg: str) -> None:
    """Mux `video`'s picture with `audio_from`'s first audio track (if it has one) into `output`."""
    command = [
        ffmpeg, "-nostdin", "-v", "error", "-y", "-i", str(video), "-i", str(audio_from),
        "-map", "0:v:0", "-map", "1:a:0?", "-c:v", "copy", "-c:a", "aac", "-f", "mp4", str(output),
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        reason = (result.stderr.strip().splitlines() or ["unknown error"])[-1]
        raise PoseanimError(f"ffmpeg could not copy the audio of {audio_from}: {reason}")


def write_video(
    path: str | Path, frames: Iterable[np.ndarray], fps: float, audio_from: Path | None = None
) -> tuple[int, bool]:
    """Write (H, W, 3) float RGB frames in [0, 1] to an MP4 ('mp4v') atomically.

    With `audio_from`, its audio track is copied when an ffmpeg is on PATH. Returns the
    number of frames and whether ffmpeg was run for the audio (False: none was found).
    """
    ffmpeg = shutil.which("ffmpeg") if audio_from is not None else None
    count = 0
    with atomic_output(path) as part, _scratch_beside(part, ".mp4") as scratch:
        writer: cv2.VideoWriter | None = None
        try:
            for frame in frames:
                if writer is None:
                    height, width = frame.shape[:2]
                    writer = cv2.VideoWriter(
                        str(scratch), cv2.VideoWriter_fourcc(*"mp4v"), fps, (width, height)
                    )
                    if not writer.isOpened():
                        raise PoseanimError(f"OpenCV cannot write MP4 video to {path}")
                writer.write(_to_bgr8(frame))
                count += 1
        finally:
            if writer is not None:
                writer.release()
        if writer is None:
            raise PoseanimError(f"no frames to write to {path}")
        if ffmpeg is not None and audio_from is not None:
            _copy_audio(scratch, audio_from, part, ffmpeg)
        else:
            os.replace(scratch, part)
    return count, ffmpeg is not None


def check_output(path: str | Path) -> Path:
    """The output path if an MP4 can be written there; checked before any slow work."""
    output = check_writable(path)
    if output.suffix.lower() != ".mp4":
        raise PoseanimError(f"the output must be an .mp4 file, not {output.name}")
    return output


@dataclass(frozen=True)
class VideoResult:
    """What `animate_video` wrote: the file, its frame count, its (width, height) and whether
    ffmpeg copied the audio (False when no ffmpeg was found)."""

    path: Path
    frames: int
    size: tuple[int, int]
    audio_copied: bool


def animate_video(
    model: FommModel,
    photo: np.ndarray,
    video: DrivingVideo,
    output_path: str | Path,
    *,
    relative: bool = True,
    adapt_scale: bool = True,
    find_best_frame: bool = False,
    crop_faces: bool = False,
    paste_back: bool = False,
    keep_audio: bool = True,
    progress: Progress | None = None,
) -> VideoResult:
    """Animate `photo` ((H, W, 3) uint8 RGB, see poseanim.sources.read_image) with the driving
    `video` into an MP4 at `output_path`.

    crop_faces: cut a square around the face of the photo and one around the head's range in
    the video before animating (the vox model expects face crops); paste_back then puts the
    animated face back into the whole photo. find_best_frame: start from the driving frame
    whose face looks most like the photo's and animate forwards and backwards from there.
    """
    output = check_output(output_path)
    if paste_back and not crop_faces:
        raise PoseanimError("pasting back needs face cropping; add --crop-faces")
    if (find_best_frame or crop_faces) and not model.config.face:
        raise PoseanimError(
            f"face cropping and the best frame need a face model; {model.config.name} "
            "is not one (use vox-256)"
        )
    report = progress or (lambda stage, done, total: None)

    source_box: Square | None = None
    driving_box: Square | None = None
    start = 0
    if find_best_frame or crop_faces:
        with FaceMeshFinder() as finder:
            source_face = finder.find(photo)
            if source_face is None:
                raise PoseanimError(
                    "no face found in the source photo; try without --crop-faces/--best-frame"
                )
            driving_faces = []
            for frame in video:
                driving_faces.append(finder.find(frame))
                report("finding faces", len(driving_faces), video.frame_count)
        found = [face for face in driving_faces if face is not None]
        if not found:
            raise PoseanimError(
                f"no face found in any frame of {video.path}; try without --crop-faces/--best-frame"
            )
        if crop_faces:
            source_box = square_around([source_face], *photo.shape[:2])
            driving_box = square_around(found, video.height, video.width)
        if find_best_frame:
            start = best_frame(source_face, driving_faces)

    size = model.config.frame_size
    photo_float = photo.astype(np.float32) / 255.0
    source = source_box.crop(photo_float) if source_box is not None else photo_float

    def prepared() -> Iterator[np.ndarray]:
        for frame in video:
            cropped = driving_box.crop(frame) if driving_box is not None else frame
            yield resize_like_demo(cropped.astype(np.float32) / 255.0, size)

    # the best frame needs random access; otherwise frames stream through in constant memory
    driving: Iterable[np.ndarray] = list(prepared()) if start > 0 else prepared()
    total = len(driving) if isinstance(driving, list) else video.frame_count
    frames = model.frames(
        source, driving, relative=relative, adapt_scale=adapt_scale, start_frame=start,
        progress=lambda done: report("animating", done, total),
    )  # fmt: skip
    if source_box is not None and paste_back:
        frames = (source_box.paste(photo_float, frame) for frame in frames)
    written, audio_copied = write_video(
        output, frames, video.fps, video.path if keep_audio else None
    )
    height, width = photo.shape[:2] if paste_back else (size, size)
    return VideoResult(output, written, (width, height), audio_copied)
