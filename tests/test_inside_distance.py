"""Distances along the way inside a shape (`poseanim.inside_distance`), on painted masks."""

import numpy as np

from poseanim.inside_distance import inside_distances


def u_shape() -> np.ndarray:
    """Two upright arms 20 pixels wide joined at the bottom, 40 pixels of background between."""
    mask = np.zeros((100, 100), bool)
    mask[10:90, 10:30] = mask[10:90, 70:90] = mask[70:90, 10:90] = True
    return mask


ARMS = [np.array([[[20.0, 10.0], [20.0, 60.0]]]), np.array([[[80.0, 10.0], [80.0, 60.0]]])]


def test_the_way_goes_round_the_gap_not_across_it():
    points = np.array([[29.0, 20.0], [71.0, 20.0]])  # each arm's inner edge, near the top
    distances = inside_distances(u_shape(), 1.0, np.zeros(2), points, ARMS)
    np.testing.assert_allclose(np.diag(distances), 9.0)  # its own bone: straight across
    # the other arm's bone is 51 across the gap; inside, down the arm, along the bottom, up
    assert 100 < distances[0, 1] < 110 and 100 < distances[1, 0] < 110


def test_a_straight_way_inside_is_within_three_percent_of_the_distance():
    mask = np.ones((120, 120), bool)
    bone = [np.array([[[60.0, 60.0], [60.0, 60.001]]])]
    angles = np.linspace(0, np.pi / 2, 9)
    points = 60 + 50 * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    distances = inside_distances(mask, 1.0, np.zeros(2), points, bone)[:, 0]
    slack = 0.75  # a point is taken at its pixel's centre
    assert (distances >= 50 - slack).all() and (distances <= 50 * 1.03 + slack).all()


def test_scale_offset_and_points_off_the_mask():
    """Drawing units in and out; a point beside the mask goes to its nearest pixel first; a
    piece of the mask apart from a unit is unreachable from it."""
    mask = u_shape()
    mask[:, 45:55] = False  # cut the bottom: two pieces
    scale, offset = 2.0, np.array([-20.0, 0.0])
    arms = [(unit - offset) / scale for unit in ARMS]
    points = (np.array([[29.0, 20.0], [5.0, 20.0]]) - offset) / scale  # the second: off the mask
    distances = inside_distances(mask, scale, offset, points, arms)
    np.testing.assert_allclose(distances[:, 0], [9.0 / scale, 15.0 / scale], atol=1e-9)
    assert np.isinf(distances[:, 1]).all()
