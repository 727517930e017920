"""Optional raster mode: animate a photo from a driving video or the webcam with a motion
model and the authors' published checkpoints, on the CPU: the First Order Motion Model
(`poseanim.fomm`) or the Thin-Plate Spline Motion Model (`poseanim.tpsmm`), picked from the
file. Needs torch (the `fomm` extra).

    model = load_checkpoint("vox.pth.tar")              # FOMM or TPSMM, config inferred
    frames = model.animate(source, driving, mode="relative")   # (T, S, S, 3) in [0, 1]
    stream = model.start(source); frame = stream.step(driving_frame)

Checkpoints are read with torch's restricted unpickler: a file that would run code when
loaded is refused. Treat downloaded checkpoints like any download: take them from the
authors' release pages and check the published checksums.
"""

from poseanim.errors import PoseanimError

try:
    import torch  # noqa: F401  (checked here so the message names the extra, not torch)
except ImportError as error:
    raise PoseanimError(
        'the raster mode needs PyTorch; install the extra with: pip install "poseanim[fomm]"'
    ) from error

from poseanim.raster.model import MODELS, RasterModel, load_checkpoint

__all__ = ["MODELS", "RasterModel", "load_checkpoint"]
