"""Keypoint detector: an image → num_tps × 5 keypoints, regressed directly by a ResNet-18.

Unlike FOMM's heatmap detector there are no jacobians: each group of five points defines one
thin-plate-spline transform, which carries the local shape that FOMM's affine frames did.
"""

from __future__ import annotations

import torch
from torch import nn

from poseanim.tpsmm.config import TpsmmConfig
from poseanim.tpsmm.resnet import ResNet18


class KeypointDetector(nn.Module):
    """(N, 3, S, S) images in [0, 1] → (N, num_kp, 2) keypoints, (x, y) in (-1, 1).

    The ResNet sees the full-resolution image; its head's outputs are squashed by
    sigmoid·2 − 1 and read as consecutive (x, y) pairs.
    """

    def __init__(self, config: TpsmmConfig) -> None:
        super().__init__()
        self.num_kp = config.num_kp
        self.fg_encoder = ResNet18(config.num_channels, 2 * config.num_kp)

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        raw = self.fg_encoder(image)
        return (torch.sigmoid(raw) * 2.0 - 1.0).reshape(raw.shape[0], self.num_kp, 2)
