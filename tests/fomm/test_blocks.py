"""The networks' building blocks (`fomm.blocks`) on small real tensors: the coordinate grid's
convention, warping, the anti-alias downsample, the hourglass's shapes, and batch-norm folding
keeping the outputs. Needs torch."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")

from torch import nn  # noqa: E402

from poseanim.fomm.blocks import (  # noqa: E402
    AntiAliasDownsample, ConvNormReLU, DownBlock, Hourglass, ResBlock, UpBlock, coordinate_grid,
    fuse_batch_norms, warp,
)

pytestmark = pytest.mark.fomm


def seeded(*shape: int) -> torch.Tensor:
    return torch.randn(*shape, generator=torch.Generator().manual_seed(sum(shape)))


def test_the_grid_runs_from_minus_one_to_one_x_along_the_width():
    grid = coordinate_grid(3, 5, torch.zeros(1, dtype=torch.float64))
    assert grid.shape == (3, 5, 2) and grid.dtype == torch.float64
    assert grid[0, 0].tolist() == [-1.0, -1.0] and grid[-1, -1].tolist() == [1.0, 1.0]
    assert grid[1, :, 0].tolist() == [-1.0, -0.5, 0.0, 0.5, 1.0]
    assert (grid[:, 2, 1] == torch.tensor([-1.0, 0.0, 1.0], dtype=torch.float64)).all()


def test_warping_by_the_aligned_grid_gives_the_image_back():
    image = seeded(2, 3, 8, 8)
    grid = coordinate_grid(8, 8, image).expand(2, 8, 8, 2)
    torch.testing.assert_close(warp(image, grid, align_corners=True), image)
    # the authors' half-pixel disagreement: without aligned corners the edges are sampled off
    assert not torch.allclose(warp(image, grid), image)


def test_a_shift_of_one_pixel_in_grid_units_moves_the_picture():
    image = seeded(1, 1, 6, 6)
    grid = coordinate_grid(6, 6, image).clone()
    grid[..., 0] += 2.0 / 5  # sample one pixel to the right
    shifted = warp(image, grid[None], align_corners=True)
    torch.testing.assert_close(shifted[..., :-1], image[..., 1:])
    assert (shifted[..., -1] == 0).all()  # outside the image: zeros


def test_the_anti_alias_downsample_keeps_a_constant_inside_and_quarters_the_size():
    down = AntiAliasDownsample(3, 0.25)
    assert down.weight.shape == (3, 1, 13, 13) and down.padding == 6
    out = down(torch.full((1, 3, 64, 48), 0.7))
    assert out.shape == (1, 3, 16, 12)
    torch.testing.assert_close(out[..., 2:-2, 2:-2], torch.full((1, 3, 12, 8), 0.7))
    assert out[0, 0, 0, 0] < 0.7  # zero padding darkens the border


def test_blocks_halve_double_and_keep_the_size():
    x = seeded(1, 4, 16, 16)
    assert DownBlock(4, 6)(x).shape == (1, 6, 8, 8)
    assert UpBlock(4, 6)(x).shape == (1, 6, 32, 32)
    assert ResBlock(4)(x).shape == x.shape


@pytest.mark.parametrize("norm", [nn.BatchNorm2d, nn.InstanceNorm2d])
def test_the_hourglass_gives_its_out_filters_at_the_input_size(norm):
    hourglass = Hourglass(block_expansion=4, in_features=3, num_blocks=3, max_features=16,
                          norm=norm).eval()
    skips = hourglass.encoder(seeded(1, 3, 32, 32))
    assert [tuple(s.shape[1:]) for s in skips] == [(3, 32, 32), (8, 16, 16), (16, 8, 8), (16, 4, 4)]
    out = hourglass(seeded(1, 3, 32, 32))
    assert out.shape == (1, hourglass.out_filters, 32, 32) and hourglass.out_filters == 4 + 3


def _trained_statistics(network: nn.Module) -> None:
    """Batch norms as a checkpoint leaves them: statistics and affine terms far from 0 and 1."""
    for index, module in enumerate(m for m in network.modules() if isinstance(m, nn.BatchNorm2d)):
        size = module.num_features
        module.running_mean.copy_(seeded(size, index + 1)[:, 0])
        module.running_var.copy_(seeded(size, index + 2)[:, 0].abs() + 0.5)
        module.weight.data.copy_(seeded(size, index + 3)[:, 0])
        module.bias.data.copy_(seeded(size, index + 4)[:, 0])


def test_folding_batch_norms_keeps_the_outputs_and_leaves_instance_norms():
    network = nn.Sequential(ConvNormReLU(3, 8), ResBlock(8), DownBlock(8, 8)).eval()
    _trained_statistics(network)
    x = seeded(2, 3, 16, 16)
    before = network(x)
    fuse_batch_norms(network)
    assert not any(isinstance(m, nn.BatchNorm2d) for m in network.modules() if m is not network[1].norm1)
    assert isinstance(network[1].norm1, nn.BatchNorm2d)  # acts on the block input: stays
    torch.testing.assert_close(network(x), before, atol=1e-5, rtol=1e-5)

    instance = ConvNormReLU(3, 8, norm=nn.InstanceNorm2d)
    instance.fuse()
    assert isinstance(instance.norm, nn.InstanceNorm2d)
