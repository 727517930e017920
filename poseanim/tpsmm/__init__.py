"""Optional raster mode: the Thin-Plate Spline Motion Model (Zhao & Zhang, CVPR 2022).

Animates a photo from a driving video with the authors' published checkpoints (vox-256,
taichi-256, ted-384, mgif-256), on the CPU. Needs torch, which only the `fomm` extra
installs; import this package only when asked for. `poseanim.raster` is the interface that
serves both this model and FOMM.

    model = load_checkpoint("vox.pth.tar")
    frames = model.animate(source, driving, mode="relative")  # (T, 256, 256, 3) in [0, 1]
"""

from poseanim.errors import PoseanimError

try:
    import torch  # noqa: F401  (checked here so the message names the extra, not torch)
except ImportError as error:
    raise PoseanimError(
        'the TPSMM raster mode needs PyTorch; install the extra with: pip install "poseanim[fomm]"'
    ) from error

from poseanim.tpsmm.animation import MODES, TpsmmModel, TpsmmStream
from poseanim.tpsmm.checkpoint import load_checkpoint, random_checkpoint
from poseanim.tpsmm.config import CONFIGS, TpsmmConfig

__all__ = [
    "CONFIGS",
    "MODES",
    "TpsmmConfig",
    "TpsmmModel",
    "TpsmmStream",
    "load_checkpoint",
    "random_checkpoint",
]
