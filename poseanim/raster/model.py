"""One interface for both raster models: the First Order Motion Model and the Thin-Plate
Spline Motion Model, picked from the checkpoint file.

Both animate a photo from driving frames with keypoints; they differ in the animation modes
they offer (FOMM: relative, standard; TPSMM: relative, standard, avd) and in frame size
(TPSMM's ted-384: 384²). Everything above this module (video files, the live window, the
command line) talks to a RasterModel.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from poseanim.errors import PoseanimError
from poseanim.fomm import checkpoint as fomm_checkpoint
from poseanim.fomm.animation import FommModel, Stream, stacked
from poseanim.fomm.config import CONFIGS as FOMM_CONFIGS
from poseanim.fomm.config import get_config as fomm_config
from poseanim.tpsmm import checkpoint as tpsmm_checkpoint
from poseanim.tpsmm.animation import MODES as TPSMM_MODES
from poseanim.tpsmm.animation import TpsmmModel
from poseanim.tpsmm.config import TpsmmConfig
from poseanim.tpsmm.config import get_config as tpsmm_config

MODELS = ("fomm", "tpsmm")
FOMM_MODES = ("relative", "standard")
# the FOMM command line's word for standard mode
_ALIASES = {"absolute": "standard"}


class ModelConfig(Protocol):
    """What callers read of either model's configuration."""

    @property
    def name(self) -> str: ...
    @property
    def face(self) -> bool: ...
    @property
    def frame_size(self) -> int: ...


@dataclass(frozen=True)
class RasterModel:
    """A loaded raster model. kind: "fomm" or "tpsmm"; network: the model itself."""

    kind: str
    network: FommModel | TpsmmModel

    @property
    def config(self) -> ModelConfig:
        """The configuration: name, face (trained on face crops) and frame_size."""
        return self.network.config

    @property
    def modes(self) -> tuple[str, ...]:
        """The animation modes this model offers, the default first."""
        if isinstance(self.network, FommModel):
            return FOMM_MODES
        has_avd = self.network.avd_network is not None
        return TPSMM_MODES if has_avd else tuple(m for m in TPSMM_MODES if m != "avd")

    def check_mode(self, mode: str) -> str:
        """`mode` in this model's words; PoseanimError naming the offered ones otherwise."""
        mode = _ALIASES.get(mode, mode)
        if isinstance(self.network, TpsmmModel):
            self.network.check_mode(mode)
        elif mode not in FOMM_MODES:
            hint = " (avd is a TPSMM mode)" if mode == "avd" else ""
            raise PoseanimError(
                f"FOMM has no mode {mode!r}{hint}; choose one of: {', '.join(FOMM_MODES)}"
            )
        return mode

    def start(self, source: np.ndarray, mode: str = "relative", adapt_scale: bool = True) -> Stream:
        """A stream animating `source` ((H, W, 3) float in [0, 1]): `.step(frame)` gives the
        next output frame (S, S, 3) float32 in [0, 1]; the first frame (or the one given to
        `.set_reference`) is the reference pose of relative mode.

        mode: relative (the demos' default: the driving motion since the reference frame,
        scaled by the keypoint spreads' size ratio when adapt_scale), standard (the driving
        keypoints as they are; FOMM's absolute), avd (TPSMM checkpoints with an AVD network).
        """
        mode = self.check_mode(mode)
        if isinstance(self.network, FommModel):
            return self.network.start(source, mode == "relative", adapt_scale)
        return self.network.start(source, mode, adapt_scale)

    def frames(
        self,
        source: np.ndarray,
        driving: Iterable[np.ndarray],
        mode: str = "relative",
        adapt_scale: bool = True,
        start_frame: int = 0,
        progress: Callable[[], None] | None = None,
    ) -> Iterator[np.ndarray]:
        """Output frames in driving order, computed lazily by the model's own `frames`;
        start_frame > 0 (the best frame) animates backwards and forwards from that frame (see
        `fomm.animation.frames_from`)."""
        mode = self.check_mode(mode)
        if isinstance(self.network, FommModel):
            relative = mode == "relative"
            return self.network.frames(source, driving, relative, adapt_scale, start_frame,
                                       progress)
        return self.network.frames(source, driving, mode, start_frame, progress, adapt_scale)

    def animate(
        self,
        source: np.ndarray,
        driving: np.ndarray | Sequence[np.ndarray],
        mode: str = "relative",
        adapt_scale: bool = True,
        start_frame: int = 0,
    ) -> np.ndarray:
        """Animate `source` (H, W, 3) with `driving` (T, H', W', 3), both float in [0, 1].

        Returns (T, S, S, 3) float32 in [0, 1], S the configuration's frame size.
        """
        return stacked(driving, lambda: self.frames(source, driving, mode, adapt_scale,
                                                    start_frame))


def model_of(checkpoint: Any, path: str | Path) -> str:
    """"fomm" or "tpsmm": which model a checkpoint dict read from `path` belongs to."""
    if isinstance(checkpoint, Mapping):
        if "inpainting_network" in checkpoint:
            return "tpsmm"
        if "generator" in checkpoint:
            return "fomm"
    raise PoseanimError(
        f"{path} is neither a First Order Motion Model nor a Thin-Plate Spline Motion Model "
        f"checkpoint: found {fomm_checkpoint.entries(checkpoint)}"
    )


def load_checkpoint(
    path: str | Path, model: str | None = None, config: str | TpsmmConfig | None = None
) -> RasterModel:
    """A ready RasterModel from an authors' checkpoint file.

    model: "fomm", "tpsmm", or None to tell from the file. config: the published
    configuration (FOMM: vox-256, taichi-256; TPSMM: vox-256, taichi-256, ted-384,
    mgif-256), or None to infer it from the checkpoint's shapes and file name.
    The file is read once, with torch's restricted unpickler (see `read_torch_file`).
    """
    if model is not None and model not in MODELS:
        raise PoseanimError(f"unknown raster model {model!r}; choose one of: {', '.join(MODELS)}")
    checkpoint = fomm_checkpoint.read_torch_file(path)
    kind = model or model_of(checkpoint, path)
    name = Path(path).name
    if kind == "fomm":
        if isinstance(config, TpsmmConfig):
            raise PoseanimError("a TpsmmConfig does not describe a FOMM checkpoint")
        checked = fomm_checkpoint.check_entries(checkpoint, path)
        chosen = config or fomm_checkpoint.named_config(path, FOMM_CONFIGS) or "vox-256"
        return RasterModel("fomm", fomm_checkpoint.load_networks(checked, fomm_config(chosen), name))
    checked = tpsmm_checkpoint.check_entries(checkpoint, path)
    if config is None:
        settings = tpsmm_checkpoint.infer_config(path, checked)
    elif isinstance(config, TpsmmConfig):
        settings = config
    else:
        settings = tpsmm_config(config)
    return RasterModel("tpsmm", tpsmm_checkpoint.load_networks(checked, settings, name))
