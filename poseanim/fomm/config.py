"""The published FOMM configurations, as the numbers that fix the network layout.

The authors ship one YAML file per checkpoint; poseanim only needs the parts that decide
layer sizes, so they live here as frozen dataclasses instead of a YAML dependency.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, TypeVar

from poseanim.errors import PoseanimError


@dataclass(frozen=True)
class KeypointDetectorConfig:
    """Hourglass keypoint detector: heatmap softmax temperature and hourglass size."""

    temperature: float = 0.1
    block_expansion: int = 32
    max_features: int = 1024
    num_blocks: int = 5
    scale_factor: float = 0.25


@dataclass(frozen=True)
class DenseMotionConfig:
    """Dense motion network: hourglass size, working scale and keypoint Gaussian variance."""

    block_expansion: int = 64
    max_features: int = 1024
    num_blocks: int = 5
    scale_factor: float = 0.25
    kp_variance: float = 0.01


@dataclass(frozen=True)
class GeneratorConfig:
    """Occlusion-aware generator: encoder/decoder depth and residual bottleneck length."""

    block_expansion: int = 64
    max_features: int = 512
    num_down_blocks: int = 2
    num_bottleneck_blocks: int = 6


@dataclass(frozen=True)
class FommConfig:
    """One published model: shared settings plus the three networks' settings.

    `face` says whether the model was trained on face crops (VoxCeleb), which decides
    whether face cropping and best-frame selection make sense for it.
    """

    name: str
    face: bool
    num_kp: int = 10
    num_channels: int = 3
    frame_size: int = 256
    keypoint_detector: KeypointDetectorConfig = KeypointDetectorConfig()
    dense_motion: DenseMotionConfig = DenseMotionConfig()
    generator: GeneratorConfig = GeneratorConfig()


# vox-256 and taichi-256 share every layer size; they differ in what the model has seen.
CONFIGS: dict[str, FommConfig] = {
    "vox-256": FommConfig(name="vox-256", face=True),
    "taichi-256": FommConfig(name="taichi-256", face=False),
}


Config = TypeVar("Config")


def config_called(configs: Mapping[str, Config], name: str, model: str) -> Config:
    """`configs[name]`, or a PoseanimError naming `model` and listing the known names (the
    lookup of every raster model's published configurations)."""
    try:
        return configs[name]
    except KeyError:
        known = ", ".join(sorted(configs))
        raise PoseanimError(f"unknown {model} config {name!r}; choose one of: {known}") from None


def get_config(name: str) -> FommConfig:
    """The configuration called `name`, or a PoseanimError listing the known ones."""
    return config_called(CONFIGS, name, "FOMM")
