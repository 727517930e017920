"""FOMM and TPSMM checkpoints for the tests, written the way the authors' releases are.

The published weights cannot be downloaded here, so tests build a checkpoint from seeded
random weights (`poseanim.fomm.random_checkpoint`, `poseanim.tpsmm.random_checkpoint`) and
save it in the releases' format. `narrow_tpsmm()` and `tiny_fomm()` are the quick layouts
most raster tests use; `use_tiny_fomm` makes the published FOMM names stand for tiny layouts,
for tests that go through a name (the command line, the loader's guess from the file name).
"""

from __future__ import annotations

import dataclasses
import functools
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


@functools.lru_cache(maxsize=1)
def tiny_fomm_checkpoint() -> dict:
    """`tiny_fomm`'s seeded random checkpoint, built once per test run (do not modify it)."""
    from poseanim.fomm import random_checkpoint

    return random_checkpoint(tiny_fomm(), seed=0)


def saved_tiny_fomm(folder: Path) -> Path:
    """`tiny_fomm_checkpoint` saved as the releases are: torch's legacy (pre-zip) pickle
    format, as vox-cpk.pth.tar."""
    return save_legacy(tiny_fomm_checkpoint(), folder / "vox-cpk.pth.tar")


def small_tpsmm():
    """`narrow_tpsmm` at 64² frames: the same blocks and four occlusion masks, the motion
    hourglass as shallow (16² has only three halvings); the TPSMM model tests' layout."""
    return dataclasses.replace(narrow_tpsmm(), name="small-64", face=False, frame_size=64)


@functools.lru_cache(maxsize=1)
def small_tpsmm_checkpoint() -> dict:
    """`small_tpsmm`'s seeded random checkpoint, built once per test run (do not modify it)."""
    from poseanim.tpsmm import random_checkpoint

    return random_checkpoint(small_tpsmm(), seed=3)


def saved_small_tpsmm(folder: Path) -> Path:
    """`small_tpsmm_checkpoint` saved as the authors' train_avd.py saves it: torch.save's (zip)
    format."""
    path = folder / "small.pth.tar"
    torch.save(small_tpsmm_checkpoint(), path)
    return path


def tiny_fomm(name: str = "tiny", face: bool = True):
    """FOMM's networks shrunk (a 64-pixel frame, four keypoints, a few channels): the same
    blocks as the published layout, so behaviour tests take seconds, not minutes."""
    from poseanim.fomm.config import (
        DenseMotionConfig, FommConfig, GeneratorConfig, KeypointDetectorConfig,
    )

    return FommConfig(
        name=name, face=face, num_kp=4, frame_size=64,
        keypoint_detector=KeypointDetectorConfig(block_expansion=4, max_features=16, num_blocks=3),
        dense_motion=DenseMotionConfig(block_expansion=4, max_features=16, num_blocks=3),
        generator=GeneratorConfig(block_expansion=4, max_features=16, num_down_blocks=2,
                                  num_bottleneck_blocks=1),
    )  # fmt: skip


def use_tiny_fomm(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every published FOMM configuration name (vox-256, taichi-256) stand for a tiny
    layout with that name and face flag, until the test ends."""
    from poseanim.fomm.config import CONFIGS

    for name, config in list(CONFIGS.items()):
        monkeypatch.setitem(CONFIGS, name, tiny_fomm(name, config.face))


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


class RunsCode:
    """A pickle payload that would create `marker` when unpickled without restrictions: the
    checkpoint loaders must refuse it (and `marker` must not appear)."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def published_keys(path: Path) -> dict[str, list[tuple[str, str, str]]]:
    """Per network, the authors' (key, shape, dtype) in their order, from a keys file of
    tests/data/fomm or tests/data/tpsmm (`## checkpoint['part']` headings, then tab-separated
    rows)."""
    expected: dict[str, list[tuple[str, str, str]]] = {}
    part = ""
    for line in path.read_text().splitlines():
        if line.startswith("## checkpoint['"):
            part = line.split("'")[1]
            expected[part] = []
        elif line and not line.startswith("#"):
            key, shape, dtype = line.split("\t")
            expected[part].append((key, shape, dtype))
    return expected
