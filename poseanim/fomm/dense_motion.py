"""Dense motion network: from keypoints of the source and of the wanted pose to a dense
backward warp of the source (where each output pixel comes from) and an occlusion map.

Around each keypoint the motion is a first-order (affine) approximation; an hourglass looks at
the source deformed by each of these K local motions (plus "no motion" for the background)
and predicts soft masks that blend them into one warp, at a quarter of the resolution.
"""

from __future__ import annotations

from typing import NamedTuple

import torch
from torch import nn

from poseanim.fomm.blocks import AntiAliasDownsample, Hourglass, coordinate_grid, warp
from poseanim.fomm.config import FommConfig
from poseanim.fomm.keypoint_detector import Keypoints


class DenseMotion(NamedTuple):
    """deformation: (N, h, w, 2) sampling grid into the source, (x, y) in [-1, 1].
    occlusion: (N, 1, h, w) in [0, 1]; 0 where the source does not show the pixel.
    """

    deformation: torch.Tensor
    occlusion: torch.Tensor


def keypoint_gaussians(
    value: torch.Tensor, height: int, width: int, variance: float
) -> torch.Tensor:
    """Isotropic Gaussian bumps centred on keypoints.

    value: (N, K, 2) keypoints in [-1, 1]. Returns (N, K, height, width), peak 1.
    """
    grid = coordinate_grid(height, width, value)
    offset = grid[None, None] - value[:, :, None, None, :]
    return torch.exp(-0.5 * (offset**2).sum(dim=-1) / variance)


def sparse_motions(
    kp_source: Keypoints, kp_driving: Keypoints, height: int, width: int
) -> torch.Tensor:
    """Candidate sampling grids: identity, then one affine motion per keypoint.

    For keypoint k, pixel z of the driving frame comes from
    kp_source_k + J_source_k · J_driving_k⁻¹ · (z − kp_driving_k) in the source.
    Returns (N, K + 1, height, width, 2).
    """
    batch, num_kp, _ = kp_driving.value.shape
    identity = coordinate_grid(height, width, kp_driving.value)[None, None]
    relative = identity - kp_driving.value[:, :, None, None, :]
    jacobian = torch.matmul(kp_source.jacobian, torch.inverse(kp_driving.jacobian))
    moved = torch.matmul(jacobian[:, :, None, None], relative[..., None])[..., 0]
    moved = moved + kp_source.value[:, :, None, None, :]
    return torch.cat([identity.expand(batch, 1, height, width, 2), moved], dim=1)


class DenseMotionNetwork(nn.Module):
    """(source (N, 3, H, W), Keypoints, Keypoints) → DenseMotion at H·scale × W·scale."""

    def __init__(self, config: FommConfig) -> None:
        super().__init__()
        params = config.dense_motion
        self.num_kp = config.num_kp
        self.kp_variance = params.kp_variance
        # per candidate motion: one heatmap channel and the deformed source's channels
        in_features = (config.num_kp + 1) * (config.num_channels + 1)
        self.hourglass = Hourglass(
            params.block_expansion, in_features, params.num_blocks, params.max_features
        )
        self.mask = nn.Conv2d(
            self.hourglass.out_filters, config.num_kp + 1, kernel_size=7, padding=3
        )
        self.occlusion = nn.Conv2d(self.hourglass.out_filters, 1, kernel_size=7, padding=3)
        self.down = AntiAliasDownsample(config.num_channels, params.scale_factor)

    def forward(
        self, source: torch.Tensor, kp_driving: Keypoints, kp_source: Keypoints
    ) -> DenseMotion:
        small = self.down(source)
        batch, channels, height, width = small.shape

        # where keypoints appear minus where they were; channel 0 (background) is empty
        appear = keypoint_gaussians(kp_driving.value, height, width, self.kp_variance)
        were = keypoint_gaussians(kp_source.value, height, width, self.kp_variance)
        heatmaps = appear - were
        heatmaps = torch.cat([heatmaps.new_zeros(batch, 1, height, width), heatmaps], dim=1)

        motions = sparse_motions(kp_source, kp_driving, height, width)
        candidates = self.num_kp + 1
        repeated = small[:, None].expand(batch, candidates, channels, height, width)
        deformed = warp(
            repeated.reshape(batch * candidates, channels, height, width),
            motions.reshape(batch * candidates, height, width, 2),
        ).reshape(batch, candidates, channels, height, width)

        # channels interleaved per candidate: [heatmap_k, deformed_k (3)] for k = 0..K
        inputs = torch.cat([heatmaps[:, :, None], deformed], dim=2).reshape(
            batch, -1, height, width
        )
        features = self.hourglass(inputs)

        mask = torch.softmax(self.mask(features), dim=1)
        deformation = (motions * mask[..., None]).sum(dim=1)
        occlusion = torch.sigmoid(self.occlusion(features))
        return DenseMotion(deformation=deformation, occlusion=occlusion)
