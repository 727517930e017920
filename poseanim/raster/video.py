"""Video in, video out: animate a photo from a driving video file with either raster model.

Reading, writing (MP4 with the driving video's audio, WebM, GIF, PNG frames) and the
progress bar are the core's (`poseanim.video_source`, `poseanim.render.video_writers`,
`poseanim.progress`); this module adds what the motion models need around them: face crops
and the best start frame.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from poseanim.errors import PoseanimError
from poseanim.fomm.face_crop import FaceMeshFinder, Square, best_frame, square_around
from poseanim.fomm.frames import resize_like_demo, to_uint8
from poseanim.progress import Progress
from poseanim.raster.model import ModelConfig, RasterModel
from poseanim.render.export import ExportSettings, OutputFrame
from poseanim.render.outputs import WriterKind, check_output, open_writer, writer_kind
from poseanim.video_source import VideoSource


def output_kind(path: Path) -> WriterKind:
    """The writer for `path` if it takes pictures and can be written; checked before slow work."""
    kind = writer_kind(path, None)
    if not kind.raster:
        raise PoseanimError(
            f"the raster mode makes pictures, not a {kind.name}; give -o an .mp4, .webm or .gif file "
            "or a folder (for PNG frames)"
        )
    check_output(path, kind)
    return kind


@dataclass(frozen=True)
class FaceFraming:
    """Where the faces are: the photo's and the video's crop squares (None: whole pictures)
    and the driving frame to start from (0 unless the best frame was asked for)."""

    source_box: Square | None = None
    driving_box: Square | None = None
    start_frame: int = 0


def frame_faces(
    photo: np.ndarray, driving: Path, config: ModelConfig, *, crop: bool, find_best_frame: bool
) -> FaceFraming:
    """Face Mesh on the photo and on every driving frame → crop squares and/or best frame.

    The video's square holds the head in every frame, so one crop follows it without shaking.
    Needs no model, so a command can run it before the slow checkpoint load. PoseanimError
    when `config` is not a face model or the photo or every video frame has no face.
    """
    if not (crop or find_best_frame):
        return FaceFraming()
    if not config.face:
        raise PoseanimError(
            f"face cropping and the best frame need a face model; {config.name} "
            "is not one (use a vox-256 checkpoint)"
        )
    with FaceMeshFinder() as finder:
        source_face = finder.find(photo)
        if source_face is None:
            raise PoseanimError(
                "no face found in the source photo; try without --crop-faces/--best-frame"
            )
        with VideoSource(driving) as video, Progress(video.frame_count, "finding faces") as bar:
            driving_faces = []
            for frame in video.frames():
                driving_faces.append(finder.find(frame.rgb))
                bar.advance()
            width, height = video.size
    found = [face for face in driving_faces if face is not None]
    if not found:
        raise PoseanimError(
            f"no face found in any frame of {driving}; try without --crop-faces/--best-frame"
        )
    start = 0
    if find_best_frame:
        # compare faces as the model sees them: an uncropped picture is squeezed to a square
        # (as in the demo), a face crop is square already
        source_scale = 1.0 if crop else np.array(photo.shape[1::-1], dtype=float)
        driving_scale = 1.0 if crop else np.array((width, height), dtype=float)
        start = best_frame(
            source_face / source_scale,
            [None if face is None else face / driving_scale for face in driving_faces],
        )
    return FaceFraming(
        source_box=square_around([source_face], *photo.shape[:2]) if crop else None,
        driving_box=square_around(found, height, width) if crop else None,
        start_frame=start,
    )


@dataclass(frozen=True)
class VideoResult:
    """What `animate_video` wrote: the output, its frame count and its (width, height)."""

    path: Path
    frames: int
    size: tuple[int, int]


def _even(frame: np.ndarray) -> np.ndarray:
    """(H, W, 3) padded by one repeated row/column where a side is odd (4:2:0 video codecs)."""
    height, width = frame.shape[:2]
    return np.pad(frame, ((0, height % 2), (0, width % 2), (0, 0)), mode="edge")


def animate_video(
    model: RasterModel,
    photo: np.ndarray,
    driving: Path,
    output: Path,
    *,
    mode: str = "relative",
    adapt_scale: bool = True,
    framing: FaceFraming = FaceFraming(),
    paste_back: bool = False,
    keep_audio: bool = True,
) -> VideoResult:
    """Animate `photo` ((H, W, 3) uint8 RGB) with the video at `driving` into `output`
    (a file type or frame folder of `output_kind`), showing progress on stderr.

    mode and adapt_scale: see `RasterModel.start`.
    framing (from `frame_faces`): crop the photo and the video to their face squares (the
    vox model expects face crops) and/or start from the best frame, animating forwards and
    backwards from it. paste_back: put the animated face square back into the whole photo.
    keep_audio: an MP4 or WebM output gets the driving video's audio track.
    """
    kind = output_kind(output)
    model.check_mode(mode)
    if paste_back and framing.source_box is None:
        raise PoseanimError("pasting back needs a face crop: framing from frame_faces(crop=True)")
    size = model.config.frame_size
    photo_float = photo.astype(np.float32) / 255.0
    source = framing.source_box.crop(photo_float) if framing.source_box else photo_float

    height, width = photo.shape[:2] if paste_back else (size, size)
    if kind.even_size:
        height, width = height + height % 2, width + width % 2
    written = 0
    with VideoSource(driving) as video:
        settings = ExportSettings(fps=video.fps, audio_from=driving if keep_audio else None)
        box = framing.driving_box
        prepared = (
            resize_like_demo(
                (box.crop(frame.rgb) if box else frame.rgb).astype(np.float32) / 255.0, size
            )
            for frame in video.frames()
        )
        # the best frame needs random access; otherwise frames stream in constant memory
        driving_frames = list(prepared) if framing.start_frame > 0 else prepared
        with (
            open_writer(output, kind, settings) as writer,
            Progress(video.frame_count, "animating") as bar,
        ):
            for frame in model.frames(
                source, driving_frames, mode, adapt_scale, framing.start_frame, bar.advance
            ):
                if paste_back and framing.source_box is not None:
                    frame = framing.source_box.paste(photo_float, frame)
                pixels = to_uint8(_even(frame) if kind.even_size else frame)
                writer.write(OutputFrame(pixels=pixels))  # a picture: no posed character
                written += 1
    return VideoResult(output, written, (width, height))
