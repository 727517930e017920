"""FOMM and TPSMM checkpoints for the tests, written the way the authors' releases are.

The published weights cannot be downloaded here, so tests build a checkpoint from seeded
random weights (`poseanim.fomm.random_checkpoint`, `poseanim.tpsmm.random_checkpoint`) and
save it in the releases' format; `NARROW_TPSMM` is the quick layout most raster tests use.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import torch


def narrow_tpsmm():
    """A vox-like TPSMM layout at 256² with narrow networks: quick, and still the published
    blocks (imported late: torch is optional)."""
    from poseanim.tpsmm import TpsmmConfig
    from poseanim.tpsmm.config import DenseMotionConfig, InpaintingConfig

    return TpsmmConfig(
        name="vox-narrow", face=True, num_tps=4,
        dense_motion=DenseMotionConfig(block_expansion=8, max_features=64, num_blocks=3),
        inpainting=InpaintingConfig(block_expansion=8, max_features=64))


def save_legacy(checkpoint: dict, path: Path) -> Path:
    """Save `checkpoint` as the releases are: torch's legacy (pre-zip) pickle format."""
    torch.save(checkpoint, path, _use_new_zipfile_serialization=False)
    return path


def hide_torch(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make `import torch` fail, as on a machine without the `fomm` extra, and forget the
    poseanim modules that imported it, so that they are imported again."""
    monkeypatch.setitem(sys.modules, "torch", None)  # `import torch` now raises ImportError
    for name in [name for name in sys.modules
                 if name.startswith(("poseanim.fomm", "poseanim.tpsmm", "poseanim.raster",
                                     "poseanim.app.raster_worker"))]:
        monkeypatch.delitem(sys.modules, name)
