"""One fuzz case through every reader and writer of poseanim, in this process.

`run_case` feeds a document to the same functions the commands call: load (parse and read the
rig), bind (both skinning modes), pose (the rest pose, a bent pose, a pose with the face lost),
the SVG writer, the cairo painter, the PNG renderer, the animated SVG and Lottie writers,
`rig check` and `rig init`. The
contract under test: each stage either works or raises `PoseanimError`; anything else is a
crash. The harness runs this in worker processes under time and memory limits.
"""

from __future__ import annotations

import tempfile
import traceback
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from poseanim.errors import PoseanimError

PAINT_WIDTH = 96  # pixels: enough to exercise every paint path, cheap enough for 100k cases


@dataclass
class Outcome:
    """How a case ended: `kind` is success, error (a PoseanimError: clean) or crash."""

    kind: str
    stage: str = ""
    signature: str = ""
    message: str = ""
    passed: tuple[str, ...] = ()  # the stages the case came through (for the per-stage counts)


def signature_of(error: BaseException) -> str:
    """`Type@file:function` of the deepest poseanim frame (else the deepest frame): the same
    bug found through many inputs gets one signature."""
    frames = traceback.extract_tb(error.__traceback__)
    ours = [f for f in frames if "/poseanim/" in f.filename]
    frame = (ours or frames or [None])[-1]
    where = "?" if frame is None else f"{Path(frame.filename).name}:{frame.name}"
    return f"{type(error).__name__}@{where}"


def _poses(illustration):
    """Rest, bent (every joint moved) and face-lost poses of the illustration's own skeleton."""
    from poseanim.pose import FACE_ROWS, Pose

    rest = illustration.rest_pose()
    rng = np.random.default_rng(0)
    positions = rest.positions.copy()
    finite = np.isfinite(positions).all(axis=1)
    size = float(np.nanmax(np.abs(positions[finite]))) if finite.any() else 1.0
    positions[finite] += rng.normal(0, 0.05 * max(size, 1.0), (int(finite.sum()), 2))
    bent = Pose(positions, rest.scores, rest.image_size)
    lost = positions.copy()
    lost[FACE_ROWS] = np.nan
    scores = rest.scores.copy()
    scores[FACE_ROWS] = 0
    return [rest, bent, Pose(lost, scores, rest.image_size)]


def _pipeline(data: bytes, folder: Path, passed: list[str]) -> None:
    """load → bind → pose → SVG, painter, PNG, animated SVG (the `image`/`video` data path)."""
    from poseanim.illustration import Illustration
    from poseanim.render.animated_svg import AnimatedSvgWriter
    from poseanim.render.lottie import LottieWriter
    from poseanim.render.cairo_painter import CairoPainter, raster_size
    from poseanim.render.png import render_png
    from poseanim.render.svg_writer import svg_text
    from poseanim.render.video_writers import ExportSettings, OutputFrame
    from poseanim.rig.reader import read_rigged_tree
    from poseanim.svg.document import parse_svg_text

    stage = "load"
    try:
        drawing = read_rigged_tree(parse_svg_text(data, "case.svg"), "case.svg")
        passed.append(stage)
        stage = "bind"
        illustration = Illustration(drawing, "case")
        exact = Illustration(drawing, "case", skinning="pa")
        passed.append(stage)
        stage = "pose"
        frames = [illustration.pose(pose) for pose in _poses(illustration)]
        exact.pose(_poses(exact)[1])
        frames.append(frames[1].fitted(PAINT_WIDTH, PAINT_WIDTH))
        passed.append(stage)
        stage = "svg"
        texts = [svg_text(frame) for frame in frames]
        passed.append(stage)
        stage = "painter"
        fitted = frames[-1]
        painter = CairoPainter(illustration, raster_size(fitted.canvas, PAINT_WIDTH))
        painter.paint(fitted)
        painter.paint(fitted, background=None)
        passed.append(stage)
        stage = "png"
        render_png(texts[-1], width=PAINT_WIDTH)
        passed.append(stage)
        for stage, writer in (("animated-svg", AnimatedSvgWriter(folder / "a.svg", ExportSettings(fps=10.0))),  # noqa: B007 (read by the handler below)
                              ("lottie", LottieWriter(folder / "a.json", ExportSettings(fps=10.0)))):
            try:
                for frame in frames[:3]:
                    writer.write(OutputFrame(frame))
                writer.finish()
            finally:
                writer.close()
            passed.append(stage)
    except BaseException as error:
        error.fuzz_stage = stage  # type: ignore[attr-defined]
        raise


def _check(data: bytes) -> None:
    """`rig check` on the document (its report must render as text and JSON)."""
    import json

    from poseanim.rigging.check import check_tree
    from poseanim.svg.document import parse_svg_text

    report = check_tree(parse_svg_text(data, "case.svg"), "case.svg")
    report.text()
    json.dumps(report.as_json())


def _init(data: bytes) -> None:
    """`rig init` (template placement) on the document with its skeleton taken away."""
    from poseanim.rigging.auto_rig import rig_source
    from poseanim.svg.text import SvgSource

    plain = data.replace(b'id="skeleton', b'id="former-skeleton')
    rig_source(SvgSource.from_bytes(plain, "case.svg"), auto=False).document.to_bytes()


STAGES = (("pipeline", _pipeline), ("rig-check", _check), ("rig-init", _init))


def run_case(data: bytes) -> Outcome:
    """Every stage on `data`; the first crash wins, else error when any stage refused it."""
    refused: Outcome | None = None
    passed: list[str] = []
    with tempfile.TemporaryDirectory(prefix="poseanim-fuzz-") as folder:
        for name, stage in STAGES:
            try:
                if name == "pipeline":
                    stage(data, Path(folder), passed)
                else:
                    stage(data)
                    passed.append(name)
            except PoseanimError as error:
                message = str(error)
                if "\n" in message or not message.strip():
                    return Outcome("crash", name, "BadMessage@" + name, repr(message[:300]))
                refused = refused or Outcome("error", getattr(error, "fuzz_stage", name), "",
                                             message[:300])
            except MemoryError as error:
                return Outcome("memory", getattr(error, "fuzz_stage", name), signature_of(error),
                               "".join(traceback.format_exception(error))[-3000:])
            except RecursionError as error:
                return Outcome("crash", getattr(error, "fuzz_stage", name), signature_of(error),
                               "".join(traceback.format_exception(error))[-1500:])
            except Exception as error:  # noqa: BLE001 – classifying every crash is the point
                return Outcome("crash", getattr(error, "fuzz_stage", name), signature_of(error),
                               "".join(traceback.format_exception(error))[-3000:])
    if refused is not None:
        return Outcome(refused.kind, refused.stage, "", refused.message, tuple(passed))
    return Outcome("success", passed=tuple(passed))
