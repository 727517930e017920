"""Optional raster mode: the First Order Motion Model (Siarohin et al., NeurIPS 2019).

Animates a photo from a driving video with the authors' published checkpoints, on the CPU.
Needs torch, which only the `fomm` extra installs; import this package only when asked for.

    model = load_checkpoint("vox-cpk.pth.tar")
    frames = model.animate(source, driving)  # (T, 256, 256, 3) float in [0, 1]
"""

from poseanim.errors import PoseanimError

try:
    import torch  # noqa: F401  (checked here so the message names the extra, not torch)
except ImportError as error:
    raise PoseanimError(
        'the FOMM raster mode needs PyTorch; install the extra with: pip install "poseanim[fomm]"'
    ) from error

from poseanim.fomm.animation import FommModel, FommStream
from poseanim.fomm.checkpoint import load_checkpoint, random_checkpoint
from poseanim.fomm.config import CONFIGS, FommConfig
from poseanim.fomm.keypoint_detector import Keypoints

__all__ = [
    "CONFIGS",
    "FommConfig",
    "FommModel",
    "FommStream",
    "Keypoints",
    "load_checkpoint",
    "random_checkpoint",
]
