"""The similarity fit behind posing and filtering: exact on exact data, robust to gaps."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from poseanim.geometry import (
    affine_inverses, as_complex, as_points, segment_distances, similarity_fit, similarity_matrix,
    turn_signs,
)

POINTS = np.array([[0.0, 0.0], [10.0, 0.0], [3.0, 7.0], [-4.0, 2.0]])


def test_points_and_complex_numbers_round_trip():
    assert np.array_equal(as_points(as_complex(POINTS)), POINTS)
    assert as_complex(POINTS)[2] == 3 + 7j


@settings(max_examples=50, deadline=None)
@given(st.floats(0.1, 10), st.floats(-np.pi, np.pi), st.floats(-100, 100), st.floats(-100, 100))
def test_the_fit_recovers_the_similarity_that_moved_the_points(scale, angle, dx, dy):
    factor = scale * np.exp(1j * angle)
    shift = complex(dx, dy)
    moved = as_points(factor * as_complex(POINTS) + shift)
    fitted_factor, fitted_shift = similarity_fit(POINTS, moved)
    assert fitted_factor == pytest.approx(factor, abs=1e-9)
    assert fitted_shift == pytest.approx(shift, abs=1e-7)
    matrix = similarity_matrix(fitted_factor, fitted_shift)
    homogeneous = np.c_[POINTS, np.ones(len(POINTS))]
    assert np.allclose((matrix @ homogeneous.T).T[:, :2], moved)


def test_rows_missing_on_either_side_are_left_out():
    target = POINTS * 2 + 5
    target[1] = np.nan
    source = POINTS.copy()
    source[3] = np.inf
    factor, shift = similarity_fit(source, target)
    assert factor == pytest.approx(2) and shift == pytest.approx(5 + 5j)


@pytest.mark.parametrize("source", [POINTS[:1], np.repeat(POINTS[:1], 3, axis=0),
                                    np.full((3, 2), np.nan)])
def test_no_fit_from_fewer_than_two_distinct_points(source):
    assert similarity_fit(source, source + 1) is None


def test_affine_inverses_undo_each_affine_and_mark_a_singular_one():
    affines = np.random.default_rng(5).normal(size=(6, 3, 3))
    affines[:, 2] = (0, 0, 1)
    affines[5, :2, :2] = [[1.0, 2.0], [2.0, 4.0]]  # squashes the plane onto a line
    inverses = affine_inverses(affines)
    np.testing.assert_allclose(inverses[:5] @ affines[:5], np.broadcast_to(np.eye(3), (5, 3, 3)),
                               atol=1e-9)
    assert not np.isfinite(inverses[5]).all()


def test_segment_distance_and_fraction():
    distances, t = segment_distances(np.array([[5.0, 3.0], [-4.0, 0.0], [12.0, 0.0]]),
                                     np.array([[0.0, 0.0]]), np.array([[10.0, 0.0]]))
    np.testing.assert_allclose(distances[:, 0], [3, 4, 2])
    np.testing.assert_allclose(t[:, 0], [0.5, 0, 1])


@given(st.floats(-np.pi, np.pi), st.floats(0.1, 3.0), st.floats(0.01, np.pi - 0.01))
def test_the_turn_sign_is_the_way_round_from_one_direction_to_the_other(angle, length, turn):
    first = np.array([length * np.exp(1j * angle)] * 2)
    second = first * np.exp(1j * np.array([turn, -turn])) * 2.0
    assert turn_signs(first, second).tolist() == [1.0, -1.0]


def test_directions_in_line_or_of_no_length_have_no_turn_sign():
    """A palm bone drawn to no length (a finger's base on the wrist) has no side to fold to."""
    first = np.array([2 + 1j, 2 + 1j, 0j, 1 + 0j])
    second = np.array([-4 - 2j, 6 + 3j, 1j, 0j])
    assert turn_signs(first, second).tolist() == [0.0] * 4

