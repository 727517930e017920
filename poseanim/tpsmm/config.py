"""The published TPSMM configurations, as the numbers that fix the network layout.

The authors ship one YAML file per checkpoint; only the parts that decide layer sizes and the
demo's behaviour are kept here. The four published models share every layer the demo loads;
they differ in input size (ted: 384²), in whether a background predictor was trained (not
mgif) and in what they have seen (vox: face crops), which decides face cropping. The dense
motion network's settings are FOMM's (`fomm.config.DenseMotionConfig`): the same fields.
"""

from __future__ import annotations

from dataclasses import dataclass

from poseanim.fomm.config import DenseMotionConfig, config_called

__all__ = ["CONFIGS", "AvdConfig", "DenseMotionConfig", "InpaintingConfig", "TpsmmConfig",
           "get_config"]


@dataclass(frozen=True)
class InpaintingConfig:
    """Inpainting network: encoder/decoder width and depth."""

    block_expansion: int = 64
    max_features: int = 512
    num_down_blocks: int = 3


@dataclass(frozen=True)
class AvdConfig:
    """Animation-via-disentanglement MLPs: identity and pose bottleneck sizes."""

    id_bottle_size: int = 128
    pose_bottle_size: int = 128


@dataclass(frozen=True)
class TpsmmConfig:
    """One published model.

    num_tps transforms of `points_per_tps` keypoints each; `background` says whether the
    checkpoint holds a trained background predictor (present in the files, unused by the
    demo); `face` whether the model was trained on face crops (VoxCeleb).
    """

    name: str
    face: bool
    background: bool = True
    frame_size: int = 256
    num_tps: int = 10
    points_per_tps: int = 5
    num_channels: int = 3
    dense_motion: DenseMotionConfig = DenseMotionConfig()
    inpainting: InpaintingConfig = InpaintingConfig()
    avd: AvdConfig = AvdConfig()

    @property
    def num_kp(self) -> int:
        """Keypoints the detector predicts: num_tps groups of points_per_tps."""
        return self.num_tps * self.points_per_tps


CONFIGS: dict[str, TpsmmConfig] = {
    "vox-256": TpsmmConfig(name="vox-256", face=True),
    "taichi-256": TpsmmConfig(name="taichi-256", face=False),
    "ted-384": TpsmmConfig(name="ted-384", face=False, frame_size=384),
    "mgif-256": TpsmmConfig(name="mgif-256", face=False, background=False),
}


def get_config(name: str) -> TpsmmConfig:
    """The configuration called `name`, or a PoseanimError listing the known ones."""
    return config_called(CONFIGS, name, "TPSMM")
