"""TPSMM's dense motion (`tpsmm.dense_motion`) on the small layout and real tensors: the
candidate warps (a still background, one TPS per keypoint group) and the network's blend of
them with its seeded random weights. Needs torch."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")

from fomm_checkpoint import small_tpsmm  # noqa: E402

from poseanim.fomm.blocks import coordinate_grid  # noqa: E402
from poseanim.tpsmm.dense_motion import DenseMotionNetwork, candidate_warps  # noqa: E402

pytestmark = pytest.mark.fomm


def keypoints(count: int, seed: int) -> torch.Tensor:
    return torch.rand(2, count, 2, generator=torch.Generator().manual_seed(seed)) * 1.6 - 0.8


def test_the_background_stays_and_each_group_warps_by_its_own_keypoints_only():
    driving, source = keypoints(10, 1), keypoints(10, 2)
    warps = candidate_warps(driving, source, 5, 8, 8)
    assert warps.shape == (2, 3, 8, 8, 2)
    torch.testing.assert_close(warps[:, 0], coordinate_grid(8, 8, driving).expand(2, 8, 8, 2))
    other = source.clone()
    other[:, 5:] += 0.3  # the second group's source points move
    changed = candidate_warps(driving, other, 5, 8, 8)
    torch.testing.assert_close(changed[:, :2], warps[:, :2])
    assert not torch.allclose(changed[:, 2], warps[:, 2])


def test_the_network_blends_the_candidate_warps_and_masks_each_scale():
    config = small_tpsmm()
    torch.manual_seed(0)
    network = DenseMotionNetwork(config).eval()
    source = torch.rand(2, 3, 64, 64, generator=torch.Generator().manual_seed(3))
    kp_source, kp_driving = keypoints(config.num_kp, 4), keypoints(config.num_kp, 5)
    with torch.inference_mode():
        motion = network(network.prepare(source, kp_source), kp_driving)
    assert motion.deformation.shape == (2, 16, 16, 2)
    warps = candidate_warps(kp_driving, kp_source, config.points_per_tps, 16, 16)
    low, high = warps.min(dim=1).values, warps.max(dim=1).values
    assert ((motion.deformation >= low - 1e-5) & (motion.deformation <= high + 1e-5)).all()
    assert not torch.allclose(motion.deformation, warps[:, 0])  # not the background alone
    sizes = [mask.shape[-1] for mask in motion.occlusion]
    assert len(sizes) == 4 and sizes == sorted(sizes)  # one mask per scale, coarsest first
    assert all(((mask > 0) & (mask < 1)).all() for mask in motion.occlusion)
