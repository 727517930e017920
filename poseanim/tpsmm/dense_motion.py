"""Dense motion network: from the source's and the wanted pose's keypoints to a dense
backward warp of the source and occlusion masks at four resolutions.

Each group of five keypoints defines one thin-plate-spline transform; with "no motion" for
the background that makes num_tps + 1 candidate warps. An hourglass looks at the source
deformed by each candidate (and at where keypoints appear and vanish) and predicts soft
contribution maps that blend the candidates into one warp, at a quarter of the resolution,
plus the occlusion masks the inpainting network needs at each of its scales.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import torch
from torch import nn

from poseanim.fomm.blocks import AntiAliasDownsample, Hourglass, UpBlock, coordinate_grid, warp
from poseanim.fomm.dense_motion import keypoint_gaussians
from poseanim.tpsmm import tps
from poseanim.tpsmm.config import TpsmmConfig

# masks at 1/8, 1/4, 1/2 and full resolution: one per inpainting-network scale
OCCLUSION_MAPS = 4


class DenseMotion(NamedTuple):
    """deformation: (N, h, w, 2) sampling grid into the source, (x, y) in [-1, 1], h = H/4.
    occlusion: masks (N, 1, ·, ·) in [0, 1], coarsest first; 0 where the source does not
    show the pixel and the inpainting network has to make it up.
    """

    deformation: torch.Tensor
    occlusion: list[torch.Tensor]


class SourceMotion(NamedTuple):
    """What the motion estimate needs of the source alone, computed once per source.

    small: (N, 3, h, w) anti-aliased, downsampled source. heatmaps: (N, K, h, w) Gaussians
    at the source keypoints. keypoints: (N, K, 2).
    """

    small: torch.Tensor
    heatmaps: torch.Tensor
    keypoints: torch.Tensor


def candidate_warps(
    kp_driving: torch.Tensor, kp_source: torch.Tensor, points_per_tps: int, height: int, width: int
) -> torch.Tensor:
    """Identity (the background), then one TPS warp per keypoint group, driving → source.

    Keypoints (N, K, 2). Returns (N, K / points_per_tps + 1, height, width, 2).
    """
    batch = kp_driving.shape[0]
    transforms = tps.solve(
        kp_driving.reshape(batch, -1, points_per_tps, 2),
        kp_source.reshape(batch, -1, points_per_tps, 2),
    )
    grid = coordinate_grid(height, width, kp_driving)
    warped = tps.apply(transforms, grid.reshape(-1, 2)).reshape(batch, -1, height, width, 2)
    identity = grid.expand(batch, 1, height, width, 2)
    return torch.cat([identity, warped], dim=1)


class DenseMotionNetwork(nn.Module):
    """(SourceMotion, driving keypoints (N, K, 2)) → DenseMotion.

    Attribute names and their order are the checkpoint's (`down` first).
    """

    def __init__(self, config: TpsmmConfig) -> None:
        super().__init__()
        params = config.dense_motion
        self.down = AntiAliasDownsample(config.num_channels, params.scale_factor)
        self.num_tps = config.num_tps
        self.points_per_tps = config.points_per_tps
        self.kp_variance = params.kp_variance
        # a zero background channel, K heatmap differences, the deformed sources' channels
        in_features = 1 + config.num_kp + (config.num_tps + 1) * config.num_channels
        self.hourglass = Hourglass(
            params.block_expansion,
            in_features,
            params.num_blocks,
            params.max_features,
            norm=nn.InstanceNorm2d,
        )
        scales = self.hourglass.decoder.scale_filters
        self.maps = nn.Conv2d(scales[-1], config.num_tps + 1, kernel_size=7, padding=3)
        # upsampling the last hourglass scale back to the input size, halving channels each time
        ups = int(round(math.log2(1.0 / params.scale_factor)))
        widths = [scales[-1] // 2**level for level in range(ups + 1)]
        self.up = nn.ModuleList(
            UpBlock(widths[level], widths[level + 1], norm=nn.InstanceNorm2d)
            for level in range(ups)
        )
        # masks from the hourglass's last scales, then from each upsampled one
        mask_inputs = scales[len(scales) - (OCCLUSION_MAPS - ups) :] + widths[1:]
        self.occlusion = nn.ModuleList(
            nn.Conv2d(features, 1, kernel_size=7, padding=3) for features in mask_inputs
        )

    def prepare(self, source: torch.Tensor, kp_source: torch.Tensor) -> SourceMotion:
        """The source-only part: (N, 3, H, W) image and its (N, K, 2) keypoints."""
        small = self.down(source)
        height, width = small.shape[2:]
        heatmaps = keypoint_gaussians(kp_source, height, width, self.kp_variance)
        return SourceMotion(small, heatmaps, kp_source)

    def forward(self, source: SourceMotion, kp_driving: torch.Tensor) -> DenseMotion:
        small = source.small
        batch, channels, height, width = small.shape
        # where keypoints appear minus where they were; channel 0 (background) is empty
        heatmaps = keypoint_gaussians(kp_driving, height, width, self.kp_variance)
        heatmaps = heatmaps - source.heatmaps
        zero = heatmaps.new_zeros(batch, 1, height, width)

        warps = candidate_warps(kp_driving, source.keypoints, self.points_per_tps, height, width)
        candidates = warps.shape[1]
        repeated = small[:, None].expand(batch, candidates, channels, height, width)
        deformed = warp(
            repeated.reshape(batch * candidates, channels, height, width),
            warps.reshape(batch * candidates, height, width, 2),
            align_corners=True,
        ).reshape(batch, candidates * channels, height, width)

        scales = self.hourglass.decoder.scales(
            self.hourglass.encoder(torch.cat([zero, heatmaps, deformed], dim=1))
        )
        contribution = torch.softmax(self.maps(scales[-1]), dim=1)
        deformation = (warps * contribution[..., None]).sum(dim=1)

        from_scales = len(self.occlusion) - len(self.up)
        occlusion = [
            torch.sigmoid(head(features))
            for head, features in zip(self.occlusion[:from_scales], scales[-from_scales:], strict=True)
        ]
        features = scales[-1]
        for block, head in zip(self.up, self.occlusion[from_scales:], strict=True):
            features = block(features)
            occlusion.append(torch.sigmoid(head(features)))
        return DenseMotion(deformation=deformation, occlusion=occlusion)
