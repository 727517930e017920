"""Inpainting network: encode the source, warp every encoder scale with the dense motion,
dim what the source cannot show by that scale's occlusion mask, and decode the wanted frame,
filling the dimmed parts in.

The encoding depends on the source only, so `encode` and `decode` are separate: a stream of
driving frames encodes its source once.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from poseanim.fomm.blocks import (
    ConvNormReLU, DownBlock, ResBlock, UpBlock, level_width, warp,
)
from poseanim.tpsmm.config import TpsmmConfig
from poseanim.tpsmm.dense_motion import DenseMotion


def _resize_flow(deformation: torch.Tensor, height: int, width: int) -> torch.Tensor:
    """(N, h, w, 2) sampling grid resized bilinearly to (N, height, width, 2), corners aligned
    as the authors resize it; unchanged when the size already matches."""
    if deformation.shape[1:3] == (height, width):
        return deformation
    flow = F.interpolate(
        deformation.permute(0, 3, 1, 2), size=(height, width), mode="bilinear", align_corners=True
    )
    return flow.permute(0, 2, 3, 1)


def deform(image: torch.Tensor, deformation: torch.Tensor) -> torch.Tensor:
    """`image` (N, C, H, W) sampled at the dense motion's grid brought to its size."""
    return warp(image, _resize_flow(deformation, *image.shape[2:]), align_corners=True)


class InpaintingNetwork(nn.Module):
    """(source (N, 3, S, S) in [0, 1], DenseMotion) → (N, 3, S, S) in [0, 1].

    Attribute names and their order are the checkpoint's.
    """

    def __init__(self, config: TpsmmConfig) -> None:
        super().__init__()
        params = config.inpainting
        norm = nn.InstanceNorm2d
        widths = [
            level_width(params.block_expansion, params.max_features, level)
            for level in range(params.num_down_blocks + 1)
        ]
        self.first = ConvNormReLU(config.num_channels, widths[0], kernel_size=7, norm=norm)
        self.down_blocks = nn.ModuleList(
            DownBlock(widths[level], widths[level + 1], norm=norm)
            for level in range(params.num_down_blocks)
        )
        # the deepest decoder level sees only the warped bottom features, the others also
        # the warped skip of their scale
        decoder_inputs = [
            widths[level + 1] * (1 if level == params.num_down_blocks - 1 else 2)
            for level in range(params.num_down_blocks)
        ]
        self.up_blocks = nn.ModuleList(
            UpBlock(decoder_inputs[level], widths[level], norm=norm)
            for level in reversed(range(params.num_down_blocks))
        )
        self.resblock = nn.ModuleList(
            ResBlock(decoder_inputs[level], norm=norm)
            for level in reversed(range(params.num_down_blocks))
            for _ in range(2)
        )
        self.final = nn.Conv2d(widths[0], config.num_channels, kernel_size=7, padding=3)

    def encode(self, source: torch.Tensor) -> list[torch.Tensor]:
        """Source features at every scale, finest (full resolution) first."""
        features = [self.first(source)]
        for block in self.down_blocks:
            features.append(block(features[-1]))
        return features

    def decode(
        self, source: torch.Tensor, features: list[torch.Tensor], motion: DenseMotion
    ) -> torch.Tensor:
        """The source (and its `encode` features) moved by `motion`, (N, 3, S, S)."""
        masks = motion.occlusion
        out = deform(features[-1], motion.deformation) * masks[0]
        skip = out
        levels = len(self.up_blocks)
        for level, block in enumerate(self.up_blocks):
            out = self.resblock[2 * level + 1](self.resblock[2 * level](out))
            out = block(out)
            skip = deform(features[-(level + 2)], motion.deformation) * masks[level + 1]
            if level < levels - 1:
                out = torch.cat([out, skip], dim=1)
        last = masks[-1]
        out = torch.sigmoid(self.final(out * (1 - last) + skip))
        return out * (1 - last) + deform(source, motion.deformation) * last

    def forward(self, source: torch.Tensor, motion: DenseMotion) -> torch.Tensor:
        return self.decode(source, self.encode(source), motion)
