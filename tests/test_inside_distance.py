"""Distances along the way inside a shape (`poseanim.inside_distance`), on painted masks."""

from pathlib import Path

import numpy as np
import pytest

from poseanim.illustration import load_illustration
from poseanim.inside_distance import grid_edges, inside_distances, seed_pieces, shortest_ways


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


def test_a_bone_starts_its_way_where_it_runs_in_not_where_it_crosses():
    """An arm (rows 10-50) and, below a gap, a bar across (rows 70-90): a bone down the arm and
    on through the bar runs in from its top joint (kept) and crosses the bar in its middle for
    20 of its 100 pixels (dropped); a bone that only crosses the bar is kept whole, as no piece
    says better."""
    mask = np.zeros((120, 100), bool)
    mask[10:50, 10:30] = mask[70:90, :] = True
    bone = np.array([[20.0, 10.0], [20.0, 110.0]])
    pieces = seed_pieces(mask, 1.0, np.zeros(2), bone)
    assert len(pieces) == 1
    np.testing.assert_allclose(pieces[0][0], bone[0])
    assert 49 <= pieces[0][1][1] <= 51  # down to the arm's end, a pixel of reach
    across = np.array([[50.0, 50.0], [50.0, 110.0]])  # only through the bar
    np.testing.assert_array_equal(seed_pieces(mask, 1.0, np.zeros(2), across), across[None])


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


DRAWINGS = sorted((Path(__file__).resolve().parents[1] / "poseanim" / "illustrations").glob("*.svg")) + \
    sorted((Path(__file__).resolve().parent / "data" / "corpus" / "pose-animator").glob("*.svg"))


def shape_masks(path: Path, side: int = 90) -> list[np.ndarray]:
    """Every shape of a drawing filled on its own raster, `side` pixels on its larger side."""
    import cv2

    masks = []
    for rings in load_illustration(path).control_points.outlines:
        corners = np.concatenate(rings)
        low, extent = corners.min(axis=0), max(float(np.ptp(corners, axis=0).max()), 1e-9)
        mask = np.zeros((side + 4, side + 4), np.uint8)
        cv2.fillPoly(mask, [np.round((ring - low) * side / extent + 2).astype(np.int32)
                            for ring in rings], (1,))
        masks.append(mask.astype(bool))
    return masks


TINY = 1e-300


@pytest.mark.parametrize("path", DRAWINGS, ids=lambda path: path.stem)
def test_the_ways_are_a_heap_dijkstras_on_every_shape_of_the_rigged_drawings(path: Path):
    """shortest_ways gives scipy's Dijkstra's distances (what binding used before) bit for bit,
    on the shapes of the bundled and the rigged corpus drawings, three wavefronts each."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import dijkstra

    for mask in shape_masks(path):
        count = int(mask.sum())
        if count < 2:
            continue
        node = np.full(mask.shape, -1, dtype=np.intp)
        node[mask] = np.arange(count)
        edges = grid_edges(node, mask)
        starts = [(np.array([0, 1]), np.array([0.25, 0.5])), (np.array([count // 2]), np.array([1.5])),
                  (np.array([count - 1]), np.array([0.0]))]
        tails, heads, lengths = [edges[0]], [edges[1]], [edges[2]]
        for index, (seeds, begin) in enumerate(starts):  # one source node per start
            tails.append(np.full(seeds.size, count + index))
            heads.append(seeds)
            lengths.append(np.maximum(begin, TINY))  # scipy: a stored 0 is no edge
        graph = coo_matrix((np.concatenate(lengths), (np.concatenate(tails), np.concatenate(heads))),
                           shape=(count + 3, count + 3)).tocsr()
        expected = dijkstra(graph, directed=True, indices=np.arange(count, count + 3))[:, :count]
        expected[expected == TINY] = 0.0  # and a step on from it is TINY + 1 == 1
        np.testing.assert_array_equal(shortest_ways(edges, count, starts), expected)
