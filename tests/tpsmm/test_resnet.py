"""TPSMM's ResNet-18 (`tpsmm.resnet`) on small real tensors: the published key names, the
shapes through the stages, and batch-norm folding keeping the outputs. Needs torch."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")

from torch import nn  # noqa: E402

from poseanim.tpsmm.resnet import BasicBlock, ResNet18  # noqa: E402

pytestmark = pytest.mark.fomm


def seeded(*shape: int) -> torch.Tensor:
    return torch.randn(*shape, generator=torch.Generator().manual_seed(sum(shape)))


def trained_statistics(network: nn.Module) -> None:
    """Batch norms as a checkpoint leaves them: statistics and affine terms far from 0 and 1."""
    generator = torch.Generator().manual_seed(5)
    for module in network.modules():
        if isinstance(module, nn.BatchNorm2d):
            size = module.num_features
            module.running_mean.copy_(torch.randn(size, generator=generator) * 0.3)
            module.running_var.copy_(torch.rand(size, generator=generator) + 0.5)
            module.weight.data.copy_(torch.rand(size, generator=generator) + 0.5)
            module.bias.data.copy_(torch.randn(size, generator=generator) * 0.1)


@pytest.mark.parametrize("in_features, out_features, stride, projected", [
    (8, 8, 1, False), (8, 16, 2, True), (8, 16, 1, True),
])
def test_a_block_projects_its_shortcut_only_when_the_shape_changes(
        in_features, out_features, stride, projected):
    block = BasicBlock(in_features, out_features, stride).eval()
    assert (block.downsample is not None) == projected
    out = block(seeded(1, in_features, 16, 16))
    assert out.shape == (1, out_features, 16 // stride, 16 // stride) and (out >= 0).all()


def test_folding_keeps_a_blocks_output_and_runs_once():
    block = BasicBlock(8, 16, 2).eval()
    trained_statistics(block)
    x = seeded(2, 8, 16, 16)
    before = block(x)
    block.fuse()
    assert not any(isinstance(m, nn.BatchNorm2d) for m in block.modules())
    torch.testing.assert_close(block(x), before, atol=1e-5, rtol=1e-5)
    with pytest.raises(TypeError, match="fuse\\(\\) runs once"):
        block.fuse()


def test_the_network_has_the_published_keys_and_folds_to_the_same_output():
    network = ResNet18(in_channels=3, outputs=10).eval()
    keys = set(network.state_dict())
    assert {"conv1.weight", "bn1.running_var", "layer1.0.conv1.weight", "layer1.1.bn2.bias",
            "layer2.0.downsample.0.weight", "layer2.0.downsample.1.running_mean",
            "layer4.1.conv2.weight", "fc.weight", "fc.bias"} <= keys
    assert "layer1.0.downsample.0.weight" not in keys  # the first stage keeps the shape
    trained_statistics(network)
    image = seeded(2, 3, 64, 64)
    with torch.inference_mode():
        before = network(image)
        network.fuse()
        after = network(image)
    assert before.shape == (2, 10)
    assert not any(isinstance(m, nn.BatchNorm2d) for m in network.modules())
    torch.testing.assert_close(after, before, atol=1e-4, rtol=1e-4)
