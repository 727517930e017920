"""Small plane-geometry helpers shared by posing, binding and filtering (points as complex
numbers)."""

from __future__ import annotations

import numpy as np


def as_complex(points: np.ndarray) -> np.ndarray:
    """(N, 2) points → (N,) complex x + iy."""
    return points[..., 0] + 1j * points[..., 1]


def as_points(values: np.ndarray) -> np.ndarray:
    """(N,) complex → (N, 2) points."""
    return np.stack([values.real, values.imag], axis=-1)


def turn_signs(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """The sign (+1, -1, 0 in line) of the turn from each complex direction `first` to the
    `second` beside it: which way a finger folds (its palm bone to the joint it folds towards),
    which way round a palm fans. Read from the cross product, so a direction of no length gives
    0 (no side); one that is not finite gives NaN."""
    return np.sign((first.conj() * second).imag)


def similarity_fit(source: np.ndarray, target: np.ndarray) -> tuple[complex, complex] | None:
    """(factor, shift) of the similarity z ↦ factor·z + shift that maps `source` onto `target`
    with the least squared error; rows that are not finite in both are ignored.

    source, target: (N, 2). None when fewer than two usable points or they coincide.
    """
    usable = np.isfinite(source).all(axis=1) & np.isfinite(target).all(axis=1)
    if usable.sum() < 2:
        return None
    a, b = as_complex(source[usable]), as_complex(target[usable])
    a_mean, b_mean = a.mean(), b.mean()
    spread = np.sum(np.abs(a - a_mean) ** 2)
    if spread < 1e-12:
        return None
    factor = complex(np.sum(np.conj(a - a_mean) * (b - b_mean)) / spread)
    return factor, complex(b_mean - factor * a_mean)


def similarity_matrix(factor: complex, shift: complex) -> np.ndarray:
    """The (3, 3) affine matrix of z ↦ factor·z + shift."""
    return np.array([[factor.real, -factor.imag, shift.real],
                     [factor.imag, factor.real, shift.imag], [0.0, 0.0, 1.0]])


def affine_inverses(affines: np.ndarray) -> np.ndarray:
    """(G, 3, 3) affines → their inverses, written out (numpy's general inverse costs tens of
    µs for each small matrix, and painting inverts a few per shape and frame). A singular
    affine gives non-finite entries; callers that may meet one check the determinant."""
    a, b, tx = affines[:, 0, 0], affines[:, 0, 1], affines[:, 0, 2]
    c, d, ty = affines[:, 1, 0], affines[:, 1, 1], affines[:, 1, 2]
    inverse = np.zeros_like(affines, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # singular: inf, NaN
        scale = 1.0 / (a * d - b * c)
        inverse[:, 0, 0], inverse[:, 0, 1] = d * scale, -b * scale
        inverse[:, 1, 0], inverse[:, 1, 1] = -c * scale, a * scale
        inverse[:, 0, 2] = -(inverse[:, 0, 0] * tx + inverse[:, 0, 1] * ty)
        inverse[:, 1, 2] = -(inverse[:, 1, 0] * tx + inverse[:, 1, 1] * ty)
    inverse[:, 2, 2] = 1.0
    return inverse


def segment_distances(points: np.ndarray, starts: np.ndarray, ends: np.ndarray
                      ) -> tuple[np.ndarray, np.ndarray]:
    """Distance from each point to each segment, and the fraction t of the closest point.

    points: (N, 2); starts, ends: (B, 2). Returns (N, B) distances and (N, B) t in [0, 1].
    Works on x and y as separate (N, B) planes: binding measures every point against every
    bone, and (N, B, 2) temporaries cost four times as long.
    """
    direction = ends - starts
    length_sq = np.maximum((direction ** 2).sum(axis=1), 1e-12)
    x = points[:, 0:1] - starts[:, 0]
    y = points[:, 1:2] - starts[:, 1]
    t = np.clip((x * direction[:, 0] + y * direction[:, 1]) / length_sq, 0.0, 1.0)
    x -= t * direction[:, 0]
    y -= t * direction[:, 1]
    return np.sqrt(x * x + y * y), t
