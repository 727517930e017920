"""Keypoint detector: an image → K keypoints with a local affine frame (2×2 jacobian) each.

Keypoints are the soft-argmax of K heatmaps predicted by an hourglass on a 4× smaller copy
of the image; each jacobian is the heatmap-weighted average of four predicted maps.
"""

from __future__ import annotations

from typing import NamedTuple

import torch
from torch import nn

from poseanim.fomm.blocks import AntiAliasDownsample, Hourglass, coordinate_grid
from poseanim.fomm.config import FommConfig


class Keypoints(NamedTuple):
    """Keypoints of a batch of images.

    value: (N, K, 2) float32, (x, y) in [-1, 1], -1 the left/top image edge.
    jacobian: (N, K, 2, 2) float32, row-major local affine frame of each keypoint.
    """

    value: torch.Tensor
    jacobian: torch.Tensor


class KeypointDetector(nn.Module):
    """(N, 3, 256, 256) images in [0, 1] → Keypoints with K = config.num_kp."""

    def __init__(self, config: FommConfig) -> None:
        super().__init__()
        params = config.keypoint_detector
        self.temperature = params.temperature
        self.predictor = Hourglass(
            params.block_expansion, config.num_channels, params.num_blocks, params.max_features
        )
        # 7×7 heads without padding: heatmaps are 58×58 for a 64×64 hourglass output
        self.kp = nn.Conv2d(self.predictor.out_filters, config.num_kp, kernel_size=7)
        self.jacobian = nn.Conv2d(self.predictor.out_filters, 4 * config.num_kp, kernel_size=7)
        self.down = AntiAliasDownsample(config.num_channels, params.scale_factor)

    def forward(self, image: torch.Tensor) -> Keypoints:
        features = self.predictor(self.down(image))
        logits = self.kp(features)
        batch, num_kp, height, width = logits.shape
        heatmap = torch.softmax(logits.reshape(batch, num_kp, -1) / self.temperature, dim=2)
        heatmap = heatmap.reshape(batch, num_kp, height, width, 1)

        grid = coordinate_grid(height, width, heatmap)
        value = (heatmap * grid).sum(dim=(2, 3))

        maps = self.jacobian(features).reshape(batch, num_kp, 4, height, width)
        jacobian = (heatmap.reshape(batch, num_kp, 1, height, width) * maps).sum(dim=(3, 4))
        return Keypoints(value=value, jacobian=jacobian.reshape(batch, num_kp, 2, 2))
