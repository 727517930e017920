"""Thin-plate-spline transforms from groups of keypoint pairs (Bookstein, 1989), as TPSMM
uses them: each group of five driving keypoints → its five source keypoints, a smooth warp of
the whole plane that says where each driving-frame pixel comes from in the source.

f(p) = A·p + b + Σ_i w_i U(|p − c_i|),  U(r) = r² log r²  (here r²·log(r² + 1e-9)),
with control points c_i (driving keypoints). [w; A b] solve the bordered system
[[K, P], [Pᵀ, 0]] + 0.01·I, with K_ij = U(|c_i − c_j|) and P = [c, 1], against
[source points; 0]. The 0.01·I regularisation (over the whole matrix, as the authors add it)
keeps the system solvable when points of a group coincide.
"""

from __future__ import annotations

from typing import NamedTuple

import torch

# inside the logarithm: log(0) at a control point would give 0·(−inf)
_LOG_EPSILON = 1e-9
# ridge on the bordered system's diagonal (the authors' value)
_REGULARISATION = 0.01


class ThinPlateSplines(NamedTuple):
    """G transforms per batch item.

    control: (N, G, n, 2) control points (driving keypoints), (x, y) in [-1, 1].
    weights: (N, G, n, 2) radial-basis coefficients.
    affine: (N, G, 3, 2) coefficients of x, y and 1.
    """

    control: torch.Tensor
    weights: torch.Tensor
    affine: torch.Tensor


def radial_basis(squared_distance: torch.Tensor) -> torch.Tensor:
    """U = r²·log(r² + ε) of squared distances r², elementwise."""
    return squared_distance * torch.log(squared_distance + _LOG_EPSILON)


def solve(control: torch.Tensor, target: torch.Tensor) -> ThinPlateSplines:
    """The transforms taking control points (N, G, n, 2) to target points (N, G, n, 2)."""
    batch, groups, count, _ = control.shape
    offsets = control[:, :, :, None, :] - control[:, :, None, :, :]
    # r² as the authors get it, the square of the norm, so that it rounds the same way
    kernel = radial_basis(torch.linalg.vector_norm(offsets, dim=-1) ** 2)  # (N, G, n, n)
    affine_basis = torch.cat([control, control.new_ones(batch, groups, count, 1)], dim=-1)
    system = torch.cat(
        [
            torch.cat([kernel, affine_basis], dim=-1),
            torch.cat(
                [affine_basis.transpose(-1, -2), control.new_zeros(batch, groups, 3, 3)], dim=-1
            ),
        ],
        dim=-2,
    )
    system = system + _REGULARISATION * torch.eye(count + 3, dtype=control.dtype)
    rhs = torch.cat([target, target.new_zeros(batch, groups, 3, 2)], dim=-2)
    # the authors multiply by the explicit inverse; so do we, to round the same way
    parameters = torch.matmul(torch.inverse(system), rhs)
    return ThinPlateSplines(control, parameters[:, :, :count], parameters[:, :, count:])


def apply(transforms: ThinPlateSplines, points: torch.Tensor) -> torch.Tensor:
    """Warp points (P, 2) by every transform → (N, G, P, 2)."""
    linear = transforms.affine[:, :, :2]  # (N, G, 2, 2): rows are the x and y coefficients
    moved = torch.matmul(points, linear) + transforms.affine[:, :, 2:]
    offsets = points[None, None, :, None, :] - transforms.control[:, :, None, :, :]
    basis = radial_basis((offsets**2).sum(-1))  # (N, G, P, n)
    return moved + torch.matmul(basis, transforms.weights)
