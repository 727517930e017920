"""Occlusion-aware generator: encode the source, warp its features with the dense motion,
dim what the source cannot show, and decode the wanted frame.

The encoding depends on the source only, so `encode` and `decode` are separate: a stream of
driving frames encodes its source once. `forward` is the two together, one frame per call, as
the authors run it.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from poseanim.fomm.blocks import (
    ConvNormReLU, DownBlock, ResBlock, UpBlock, level_width, warp,
)
from poseanim.fomm.config import FommConfig
from poseanim.fomm.dense_motion import DenseMotionNetwork
from poseanim.fomm.keypoint_detector import Keypoints


def _resize_like(tensor: torch.Tensor, height: int, width: int) -> torch.Tensor:
    """Bilinear resize of (N, C, h, w) to (N, C, height, width); a no-op when sizes match."""
    if tensor.shape[2:] == (height, width):
        return tensor
    return F.interpolate(tensor, size=(height, width), mode="bilinear", align_corners=False)


class OcclusionAwareGenerator(nn.Module):
    """(source (N, 3, 256, 256) in [0, 1], Keypoints, Keypoints) → (N, 3, 256, 256) in [0, 1]."""

    def __init__(self, config: FommConfig) -> None:
        super().__init__()
        params = config.generator
        widths = [
            level_width(params.block_expansion, params.max_features, level)
            for level in range(params.num_down_blocks + 1)
        ]
        self.dense_motion_network = DenseMotionNetwork(config)
        self.first = ConvNormReLU(config.num_channels, params.block_expansion, kernel_size=7)
        self.down_blocks = nn.ModuleList(
            DownBlock(widths[i], widths[i + 1]) for i in range(params.num_down_blocks)
        )
        self.up_blocks = nn.ModuleList(
            UpBlock(widths[i + 1], widths[i]) for i in reversed(range(params.num_down_blocks))
        )
        self.bottleneck = nn.Sequential()
        for index in range(params.num_bottleneck_blocks):
            self.bottleneck.add_module(f"r{index}", ResBlock(widths[-1]))
        self.final = nn.Conv2d(
            params.block_expansion, config.num_channels, kernel_size=7, padding=3
        )

    def encode(self, source: torch.Tensor) -> torch.Tensor:
        """Source features: (N, 3, H, W) → (N, widths[-1], H / 2**num_down_blocks, W / …)."""
        features = self.first(source)
        for block in self.down_blocks:
            features = block(features)
        return features

    def decode(
        self,
        source: torch.Tensor,
        features: torch.Tensor,
        kp_driving: Keypoints,
        kp_source: Keypoints,
    ) -> torch.Tensor:
        """The source (and its `encode` features) moved to the driving keypoints, (N, 3, H, W)."""
        motion = self.dense_motion_network(source, kp_driving, kp_source)
        height, width = features.shape[2:]
        # the motion is estimated at a quarter of the input size: match the features' size
        grid = _resize_like(motion.deformation.permute(0, 3, 1, 2), height, width)
        out = warp(features, grid.permute(0, 2, 3, 1))
        out = out * _resize_like(motion.occlusion, height, width)
        out = self.bottleneck(out)
        for block in self.up_blocks:
            out = block(out)
        return torch.sigmoid(self.final(out))

    def forward(
        self, source: torch.Tensor, kp_driving: Keypoints, kp_source: Keypoints
    ) -> torch.Tensor:
        return self.decode(source, self.encode(source), kp_driving, kp_source)
