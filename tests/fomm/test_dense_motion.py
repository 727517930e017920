"""FOMM's dense motion (`fomm.dense_motion`) on real tensors: the keypoint bumps, the candidate
affine motions, and the network's warp, which is the identity when nothing moved whatever its
(seeded random) weights blend. Needs torch."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")

from fomm_checkpoint import tiny_fomm  # noqa: E402

from poseanim.fomm.blocks import coordinate_grid  # noqa: E402
from poseanim.fomm.dense_motion import (  # noqa: E402
    DenseMotionNetwork, keypoint_gaussians, sparse_motions,
)
from poseanim.fomm.keypoint_detector import Keypoints  # noqa: E402

pytestmark = pytest.mark.fomm

VALUES = torch.tensor([[[-0.5, 0.0], [0.5, 1.0], [0.0, -1.0]]])  # (1, 3, 2), on grid points


def keypoints(values: torch.Tensor, scale: float = 1.0) -> Keypoints:
    eye = torch.eye(2).expand(*values.shape[:2], 2, 2)
    return Keypoints(values, eye * scale)


def test_each_keypoint_is_a_bump_of_height_one_at_its_place():
    bumps = keypoint_gaussians(VALUES, 5, 5, variance=0.01)
    assert bumps.shape == (1, 3, 5, 5)
    for k, (row, column) in enumerate([(2, 1), (4, 3), (0, 2)]):
        assert bumps[0, k, row, column] == pytest.approx(1.0)
        assert bumps[0, k].argmax() == row * 5 + column
    # isotropic: equal at equal distances (one pixel is 0.5 in grid units here)
    torch.testing.assert_close(bumps[0, 0, 1, 1], bumps[0, 0, 2, 0])
    torch.testing.assert_close(bumps[0, 0, 2, 0], bumps[0, 0, 2, 2])
    torch.testing.assert_close(bumps[0, 0, 3, 1], torch.exp(torch.tensor(-0.5 * 0.25 / 0.01)))


def test_candidate_motions_are_the_identity_then_each_keypoints_affine_map():
    grid = coordinate_grid(6, 6, VALUES)
    still = sparse_motions(keypoints(VALUES), keypoints(VALUES), 6, 6)
    assert still.shape == (1, 4, 6, 6, 2)
    torch.testing.assert_close(still, grid.expand(1, 4, 6, 6, 2))

    shift = torch.tensor([0.2, -0.4])
    moved = sparse_motions(keypoints(VALUES + shift), keypoints(VALUES), 6, 6)
    torch.testing.assert_close(moved[:, 1:], (grid + shift).expand(1, 3, 6, 6, 2))
    # J_source · J_driving⁻¹ = 2: twice as far from the driving keypoint, from the source one
    scaled = sparse_motions(keypoints(VALUES, 2.0), keypoints(VALUES), 6, 6)
    expected = VALUES[0, :, None, None] + 2 * (grid[None] - VALUES[0, :, None, None])
    torch.testing.assert_close(scaled[0, 1:], expected)
    torch.testing.assert_close(scaled[:, 0], grid[None])  # the background does not move


def test_when_nothing_moved_the_network_warps_by_the_identity():
    config = tiny_fomm()
    torch.manual_seed(0)
    network = DenseMotionNetwork(config).eval()
    source = torch.rand(2, 3, 64, 64, generator=torch.Generator().manual_seed(1))
    values = torch.rand(2, config.num_kp, 2, generator=torch.Generator().manual_seed(2)) * 2 - 1
    with torch.inference_mode():
        motion = network(source, keypoints(values), keypoints(values))
        moved = network(source, keypoints(values + 0.3), keypoints(values))  # driving, source
    assert motion.deformation.shape == (2, 16, 16, 2) and motion.occlusion.shape == (2, 1, 16, 16)
    torch.testing.assert_close(motion.deformation,
                               coordinate_grid(16, 16, source).expand(2, 16, 16, 2))
    assert ((motion.occlusion > 0) & (motion.occlusion < 1)).all()
    # keypoints 0.3 further on in the driving frame: every candidate but the background samples
    # the source 0.3 back, and the blend lies between that and the background's standstill
    offset = moved.deformation - coordinate_grid(16, 16, source)
    assert (offset > -0.3 - 1e-6).all() and (offset < 1e-6).all() and offset.mean() < -0.01
