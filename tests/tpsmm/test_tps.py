"""TPSMM's thin-plate splines (`tpsmm.tps`) against an independent float64 solution of
Bookstein's bordered system, and the affine case. Needs torch (the `fomm` extra)."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from poseanim.tpsmm import tps  # noqa: E402

pytestmark = pytest.mark.fomm


def test_tps_solve_matches_a_float64_numpy_solution():
    rng = np.random.default_rng(0)
    control = rng.uniform(-0.8, 0.8, (2, 3, 5, 2))
    target = control + rng.normal(0, 0.1, control.shape)
    points = rng.uniform(-1, 1, (40, 2))

    def reference(c: np.ndarray, t: np.ndarray) -> np.ndarray:
        # Bookstein's bordered system with the authors' 0.01 ridge, solved directly
        r2 = ((c[:, None] - c[None]) ** 2).sum(-1)
        kernel = r2 * np.log(r2 + 1e-9)
        basis = np.hstack([c, np.ones((5, 1))])
        system = np.block([[kernel, basis], [basis.T, np.zeros((3, 3))]]) + 0.01 * np.eye(8)
        params = np.linalg.solve(system, np.vstack([t, np.zeros((3, 2))]))
        p2 = ((points[:, None] - c[None]) ** 2).sum(-1)
        return np.hstack([points, np.ones((40, 1))]) @ params[5:] + (p2 * np.log(p2 + 1e-9)) @ params[:5]

    transforms = tps.solve(torch.tensor(control, dtype=torch.float32),
                           torch.tensor(target, dtype=torch.float32))
    ours = tps.apply(transforms, torch.tensor(points, dtype=torch.float32)).numpy()
    for n in range(2):
        for g in range(3):
            np.testing.assert_allclose(ours[n, g], reference(control[n, g], target[n, g]),
                                       atol=2e-5)


def test_tps_without_a_bend_is_the_affine_map():
    # five points moved by one affine map: the spline is that map (up to the small ridge)
    rng = np.random.default_rng(1)
    control = torch.tensor(rng.uniform(-0.5, 0.5, (1, 1, 5, 2)), dtype=torch.float32)
    matrix = torch.tensor([[1.1, 0.2], [-0.1, 0.9]])
    target = control @ matrix.T + torch.tensor([0.05, -0.02])
    points = torch.tensor(rng.uniform(-0.5, 0.5, (30, 2)), dtype=torch.float32)
    moved = tps.apply(tps.solve(control, target), points)[0, 0]
    np.testing.assert_allclose(moved, points @ matrix.T + torch.tensor([0.05, -0.02]), atol=0.02)
