"""ResNet-18 (He et al., 2016) with the attribute names of the usual torch layout, so that
the TPSMM keypoint detector's `fg_encoder.*` keys load as published.

Eval mode only matters here: every batch norm uses its running statistics, and `fuse` folds
them into the preceding convolutions for inference.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.utils.fusion import fuse_conv_bn_eval

# (output channels, stride of the first block) of the four stages, two blocks each
_STAGES = ((64, 1), (128, 2), (256, 2), (512, 2))


def _fold(conv: nn.Module, norm: nn.Module) -> nn.Conv2d:
    """`conv` with the eval-mode batch norm after it folded in."""
    if not (isinstance(conv, nn.Conv2d) and isinstance(norm, nn.BatchNorm2d)):
        raise TypeError(f"cannot fold a {type(norm).__name__} into a {type(conv).__name__}: "
                        "fuse() runs once, after the weights are loaded")
    return fuse_conv_bn_eval(conv, norm)


class BasicBlock(nn.Module):
    """Two 3×3 convolutions with batch norms and a shortcut (a strided 1×1 projection when
    the shape changes): relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x))."""

    def __init__(self, in_features: int, out_features: int, stride: int) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(in_features, out_features, 3, stride, padding=1, bias=False)
        self.bn1: nn.Module = nn.BatchNorm2d(out_features)
        self.conv2 = nn.Conv2d(out_features, out_features, 3, padding=1, bias=False)
        self.bn2: nn.Module = nn.BatchNorm2d(out_features)
        self.downsample: nn.Module | None = None
        if stride != 1 or in_features != out_features:
            self.downsample = nn.Sequential(
                nn.Conv2d(in_features, out_features, 1, stride, bias=False),
                nn.BatchNorm2d(out_features),
            )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        shortcut = x if self.downsample is None else self.downsample(x)
        return F.relu(out + shortcut)

    def fuse(self) -> None:
        """Fold each batch norm into its convolution (eval mode)."""
        self.conv1, self.bn1 = _fold(self.conv1, self.bn1), nn.Identity()
        self.conv2, self.bn2 = _fold(self.conv2, self.bn2), nn.Identity()
        if isinstance(self.downsample, nn.Sequential):
            conv, norm = self.downsample
            self.downsample = _fold(conv, norm)


class ResNet18(nn.Module):
    """(N, C, H, W) image → (N, outputs): 7×7/2 stem, 3×3/2 max-pool, four stages of two
    BasicBlocks, global average pool, linear head."""

    def __init__(self, in_channels: int, outputs: int) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, 64, 7, stride=2, padding=3, bias=False)
        self.bn1: nn.Module = nn.BatchNorm2d(64)
        width = 64
        for index, (features, stride) in enumerate(_STAGES, start=1):
            stage = nn.Sequential(
                BasicBlock(width, features, stride), BasicBlock(features, features, 1)
            )
            self.add_module(f"layer{index}", stage)
            width = features
        self.fc = nn.Linear(width, outputs)

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        out = F.relu(self.bn1(self.conv1(image)))
        out = F.max_pool2d(out, kernel_size=3, stride=2, padding=1)
        for index in range(1, len(_STAGES) + 1):
            out = getattr(self, f"layer{index}")(out)
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(out, 1), 1))

    def fuse(self) -> None:
        """Fold every batch norm into its convolution; call after loading weights."""
        self.conv1, self.bn1 = _fold(self.conv1, self.bn1), nn.Identity()
        for module in self.modules():
            if isinstance(module, BasicBlock):
                module.fuse()
