"""TPSMM's animation-via-disentanglement network (`tpsmm.avd`) on real tensors: the
checkpoint's key names, keypoints in and out, identity from the source and pose from the
driver, and batch-norm folding keeping the output. Needs torch."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")

from torch import nn  # noqa: E402

from poseanim.tpsmm.avd import AvdNetwork  # noqa: E402
from poseanim.tpsmm.config import AvdConfig, TpsmmConfig  # noqa: E402

pytestmark = pytest.mark.fomm


def network(num_tps: int = 2) -> AvdNetwork:
    config = TpsmmConfig(name="avd-test", face=False, num_tps=num_tps,
                         avd=AvdConfig(id_bottle_size=16, pose_bottle_size=8))
    torch.manual_seed(1)
    avd = AvdNetwork(config).eval()
    generator = torch.Generator().manual_seed(2)
    for module in avd.modules():  # batch norms as a checkpoint leaves them
        if isinstance(module, nn.BatchNorm1d):
            module.running_mean.copy_(torch.randn(module.num_features, generator=generator) * 0.1)
            module.running_var.copy_(torch.rand(module.num_features, generator=generator) + 0.5)
    return avd


def keypoints(count: int, seed: int) -> torch.Tensor:
    return torch.rand(2, count, 2, generator=torch.Generator().manual_seed(seed)) * 2 - 1


def test_the_mlps_carry_the_checkpoints_key_names_and_sizes():
    avd = network()
    kp = avd.id_encoder[0].in_features // 2
    state = avd.state_dict()
    assert state["id_encoder.0.weight"].shape == (256, 2 * kp)
    assert state["id_encoder.1.running_var"].shape == (256,)
    assert state["id_encoder.9.weight"].shape == (16, 1024)
    assert state["pose_encoder.9.weight"].shape == (8, 1024)
    assert state["decoder.0.weight"].shape == (1024, 24)
    assert state["decoder.9.weight"].shape == (2 * kp, 256)


def test_keypoints_take_identity_from_the_source_and_pose_from_the_driver():
    avd = network()
    count = avd.id_encoder[0].in_features // 2
    source, driving, other = keypoints(count, 3), keypoints(count, 4), keypoints(count, 5)
    with torch.inference_mode():
        out = avd(source, driving)
        assert out.shape == source.shape
        assert not torch.allclose(avd(other, driving), out)  # another identity
        assert not torch.allclose(avd(source, other), out)  # another pose
        # each sample of the batch is its own: batch norms use running statistics
        torch.testing.assert_close(avd(source[:1], driving[:1]), out[:1])


def test_folding_the_batch_norms_keeps_the_keypoints():
    avd = network()
    count = avd.id_encoder[0].in_features // 2
    source, driving = keypoints(count, 6), keypoints(count, 7)
    with torch.inference_mode():
        before = avd(source, driving)
        avd.fuse()
        after = avd(source, driving)
    assert not any(isinstance(m, nn.BatchNorm1d) for m in avd.modules())
    torch.testing.assert_close(after, before, atol=1e-5, rtol=1e-5)
