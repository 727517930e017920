"""Building blocks shared by the FOMM and TPSMM networks, named so the authors' state dicts
load as is.

Attribute names (`conv`, `norm`, `norm1`, `norm2`, `down_blocks`, `up_blocks`, `weight`) are
part of the checkpoint format: renaming one breaks loading the published files. FOMM uses batch
norms (folded into the convolutions for inference), TPSMM instance norms (nothing to fold):
blocks take the norm class as `norm`. Tensors are NCHW float32 unless a docstring says otherwise.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.utils.fusion import fuse_conv_bn_eval


def coordinate_grid(height: int, width: int, like: torch.Tensor) -> torch.Tensor:
    """Pixel coordinates of an image in [-1, 1], corners included.

    Returns (height, width, 2), last axis (x, y), on `like`'s device and dtype. The corners
    map to exactly ±1 (the authors' convention), while grid_sample below uses
    align_corners=False; the two disagree by half a pixel and the published weights were
    trained with exactly that disagreement, so it is kept.
    """
    x = 2.0 * (torch.arange(width, dtype=like.dtype, device=like.device) / (width - 1)) - 1.0
    y = 2.0 * (torch.arange(height, dtype=like.dtype, device=like.device) / (height - 1)) - 1.0
    return torch.stack([x.expand(height, width), y[:, None].expand(height, width)], dim=-1)


def warp(image: torch.Tensor, grid: torch.Tensor, align_corners: bool = False) -> torch.Tensor:
    """Sample `image` (N, C, H, W) at `grid` (N, h, w, 2) in [-1, 1] coordinates.

    align_corners=False is what the FOMM authors' call without the argument means in current
    torch, so frames agree with their code as it runs today; TPSMM's code passes True.
    """
    return F.grid_sample(
        image, grid, mode="bilinear", padding_mode="zeros", align_corners=align_corners
    )

# the norm layer a block is built with: nn.BatchNorm2d (FOMM) or nn.InstanceNorm2d (TPSMM)
NormClass = type[nn.Module]


class AntiAliasDownsample(nn.Module):
    """Gaussian blur, then keep every `1/scale`-th pixel, per channel.

    The kernel is a checkpoint buffer named `weight` (channels, 1, k, k); it is rebuilt here
    only so a freshly built network is usable before a checkpoint overwrites it. With
    scale 0.25: sigma 1.5, 13×13 kernel, zero padding 6.
    """

    weight: torch.Tensor  # a buffer (register_buffer), not a parameter

    def __init__(self, channels: int, scale: float) -> None:
        super().__init__()
        sigma = (1.0 / scale - 1.0) / 2.0
        size = 2 * round(sigma * 4) + 1
        taps = torch.arange(size, dtype=torch.float32) - (size - 1) / 2.0
        line = torch.exp(-(taps**2) / (2.0 * sigma**2))
        kernel = line[:, None] * line[None, :]
        kernel = kernel / kernel.sum()
        self.register_buffer("weight", kernel.expand(channels, 1, size, size).clone())
        self.padding = size // 2
        self.stride = int(1.0 / scale)
        self.channels = channels

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        """(N, C, H, W) → (N, C, ceil(H·scale), ceil(W·scale))."""
        blurred = F.conv2d(image, self.weight, padding=self.padding, groups=self.channels)
        return blurred[:, :, :: self.stride, :: self.stride]


class ConvNormReLU(nn.Module):
    """Convolution, norm, ReLU: the unit every encoder and decoder step is made of."""

    def __init__(
        self,
        in_features: int,
        out_features: int,
        kernel_size: int = 3,
        norm: NormClass = nn.BatchNorm2d,
    ) -> None:
        super().__init__()
        self.conv = nn.Conv2d(in_features, out_features, kernel_size, padding=kernel_size // 2)
        self.norm: nn.Module = norm(out_features, affine=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.relu(self.norm(self.conv(x)))

    def fuse(self) -> None:
        """Fold an eval-mode batch norm into the convolution (one pass instead of two); an
        instance norm depends on the input's statistics and stays."""
        if isinstance(self.norm, nn.BatchNorm2d):
            self.conv = fuse_conv_bn_eval(self.conv, self.norm)
            self.norm = nn.Identity()


class DownBlock(ConvNormReLU):
    """ConvNormReLU then 2×2 average pooling: halves height and width."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.avg_pool2d(super().forward(x), kernel_size=2)


class UpBlock(ConvNormReLU):
    """Nearest-neighbour 2× upsampling then ConvNormReLU: doubles height and width."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return super().forward(F.interpolate(x, scale_factor=2.0, mode="nearest"))


class ResBlock(nn.Module):
    """Pre-activation residual block (norm, ReLU, conv, twice) keeping shape and channels."""

    def __init__(self, features: int, norm: NormClass = nn.BatchNorm2d) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(features, features, 3, padding=1)
        self.conv2 = nn.Conv2d(features, features, 3, padding=1)
        self.norm1 = norm(features, affine=True)
        self.norm2: nn.Module = norm(features, affine=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.conv1(F.relu(self.norm1(x)))
        out = self.conv2(F.relu(self.norm2(out)))
        return out + x

    def fuse(self) -> None:
        """Fold a batch-norm norm2 into conv1; norm1 acts on the block input, so it stays."""
        if isinstance(self.norm2, nn.BatchNorm2d):
            self.conv1 = fuse_conv_bn_eval(self.conv1, self.norm2)
            self.norm2 = nn.Identity()


def level_width(block_expansion: int, max_features: int, level: int) -> int:
    """Channels at depth `level` of an encoder (the hourglasses', FOMM's generator's, TPSMM's
    inpainting network's): doubling per level, capped."""
    return min(max_features, block_expansion * 2**level)


class Encoder(nn.Module):
    """Hourglass contracting half: `num_blocks` DownBlocks, keeping every intermediate."""

    def __init__(
        self,
        block_expansion: int,
        in_features: int,
        num_blocks: int,
        max_features: int,
        norm: NormClass = nn.BatchNorm2d,
    ) -> None:
        super().__init__()
        self.down_blocks = nn.ModuleList(
            DownBlock(
                in_features if level == 0 else level_width(block_expansion, max_features, level),
                level_width(block_expansion, max_features, level + 1),
                norm=norm,
            )
            for level in range(num_blocks)
        )

    def forward(self, x: torch.Tensor) -> list[torch.Tensor]:
        """The input followed by each block's output, finest first."""
        outs = [x]
        for block in self.down_blocks:
            outs.append(block(outs[-1]))
        return outs


class Decoder(nn.Module):
    """Hourglass expanding half: UpBlocks, each followed by a skip concatenation."""

    def __init__(
        self,
        block_expansion: int,
        in_features: int,
        num_blocks: int,
        max_features: int,
        norm: NormClass = nn.BatchNorm2d,
    ) -> None:
        super().__init__()
        self.up_blocks = nn.ModuleList(
            UpBlock(
                # the deepest block sees only the bottom features, the others also a skip
                (1 if level == num_blocks - 1 else 2)
                * level_width(block_expansion, max_features, level + 1),
                level_width(block_expansion, max_features, level),
                norm=norm,
            )
            for level in reversed(range(num_blocks))
        )
        self.out_filters = block_expansion + in_features
        # channels of each `scales` output, coarsest first (the last one is out_filters)
        self.scale_filters = [
            2 * level_width(block_expansion, max_features, level)
            for level in reversed(range(1, num_blocks))
        ] + [self.out_filters]

    def scales(self, skips: list[torch.Tensor]) -> list[torch.Tensor]:
        """Encoder outputs (finest first) → every up-block's output joined with its skip,
        coarsest first; the last is (N, out_filters, H, W) at the input resolution."""
        outs = []
        out = skips[-1]
        for block, skip in zip(self.up_blocks, reversed(skips[:-1]), strict=True):
            out = torch.cat([block(out), skip], dim=1)
            outs.append(out)
        return outs

    def forward(self, skips: list[torch.Tensor]) -> torch.Tensor:
        """Encoder outputs (finest first) → (N, out_filters, H, W) at the input resolution."""
        return self.scales(skips)[-1]


class Hourglass(nn.Module):
    """U-Net: (N, in_features, H, W) → (N, out_filters, H, W); H, W divisible by 2**num_blocks."""

    def __init__(
        self,
        block_expansion: int,
        in_features: int,
        num_blocks: int,
        max_features: int,
        norm: NormClass = nn.BatchNorm2d,
    ) -> None:
        super().__init__()
        self.encoder = Encoder(block_expansion, in_features, num_blocks, max_features, norm)
        self.decoder = Decoder(block_expansion, in_features, num_blocks, max_features, norm)
        self.out_filters = self.decoder.out_filters

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.decoder(self.encoder(x))


def set_memory_format(network: nn.Module, memory_format: torch.memory_format) -> None:
    """Lay `network`'s 4-d weights out in `memory_format`, in place (`torch.channels_last`:
    oneDNN's fast CPU convolutions)."""
    network.to(memory_format=memory_format)  # type: ignore[call-overload]  # torch's stubs lack it


def fuse_batch_norms(network: nn.Module) -> None:
    """Fold every foldable eval-mode batch norm of `network` into its convolution, in place.

    The state dict changes (no `norm` keys), so call this only after loading a checkpoint.
    """
    for block in [
        module for module in network.modules() if isinstance(module, (ConvNormReLU, ResBlock))
    ]:
        block.fuse()
