"""Distances inside a drawn shape: how far a point is from a bone along the way through the
shape, not as the crow flies.

A point on a sleeve's inner edge lies nearer the torso's side bone than its own arm bone
when the arm hangs beside the body, yet the way to the torso through the drawn shape goes up
the sleeve and round the armpit. Binding weighs bones by that way (the geodesic distance of
Baran and Popović's heat weights and of the distance-based schemes built on it): the shape is
rasterised, each bone starts a wavefront from where it runs inside the shape, and the
wavefront spreads only over the shape's pixels (Dijkstra over the pixel grid, 16 neighbours:
within 3 % of the straight distance in any direction, where the way is straight).
"""

from __future__ import annotations

import numpy as np

from poseanim.geometry import segment_distances

SEED_REACH = 1.0
"""Pixels within this distance of a bone start its wavefront (the distance itself as start)."""
NEIGHBOURS = ((0, 1), (1, 0), (1, 1), (1, -1), (1, 2), (2, 1), (1, -2), (2, -1))
"""Half the 16-neighbourhood (the other half: the same steps backwards)."""
STEP = 1.0
"""The shortest step between two pixels (a straight one): what `shortest_ways` settles at once."""


def inside_distances(mask: np.ndarray, scale: float, offset: np.ndarray, points: np.ndarray,
                     units: list[np.ndarray]) -> np.ndarray:
    """(n, U): the distance from each point to each unit along the way inside `mask`.

    mask: (H, W) bool, the shape's pixels, pixel = point · scale + offset (pixel centres at
    integer coordinates, as cv2 paints); points: (n, 2) in drawing units; units: per unit
    (one bone, or every bone of a hand or of the face) its segments (k, 2, 2) as (start, end)
    rows in drawing units. A point off the mask (a handle outside its outline) goes to the
    nearest pixel of the mask first, as the crow flies. A unit that runs nowhere inside the
    mask starts from the pixels nearest it. inf: no way inside the mask (another piece of the
    shape). The result is in drawing units and never less than the straight distance from
    the point to the unit's nearest pixel seed, minus a pixel.
    """
    node = np.full(mask.shape, -1, dtype=np.intp)
    pixels = np.argwhere(mask)[:, ::-1].astype(float)  # (x, y), row-major order
    count = len(pixels)
    if count == 0 or not units:
        return np.full((len(points), len(units)), np.inf)
    node[mask] = np.arange(count)
    starts = []
    for segments in units:
        placed = segments * scale + offset
        to_unit = segment_distances(pixels, placed[:, 0], placed[:, 1])[0].min(axis=1)
        seeds = np.flatnonzero(to_unit <= max(SEED_REACH, float(to_unit.min()) + SEED_REACH))
        starts.append((seeds, to_unit[seeds]))  # a seed on the bone starts at 0
    along = shortest_ways(grid_edges(node, mask), count, starts)  # (U, P)
    nearest, gap = _nearest_pixel(node, mask, points * scale + offset, pixels)
    return (along[:, nearest].T + gap[:, None]) / scale


CROSSING = 0.25
"""A bone that passes through a piece of a shape in its middle, for less than this fraction of
its length, crosses that piece (see `seed_pieces`)."""


def seed_pieces(mask: np.ndarray, scale: float, offset: np.ndarray, bone: np.ndarray) -> np.ndarray:
    """(k, 2, 2): the pieces of one bone (2, 2: start, end, drawing units) that start its
    wavefront inside `mask` (pixel = point · scale + offset): those where the bone runs in from
    one of its joints, or along the shape for `CROSSING` of its length or more.

    A bone that only crosses a piece in its middle is not what that piece is drawn round: the
    bride's forearm, one path with her shoulders, lies across the torso's side bone, and a
    wavefront started there made the forearm the torso's (it stayed on the chest, arms up).
    No such piece: the whole bone, as before (a belt crossed by both side bones)."""
    import cv2

    height, width = mask.shape
    placed = bone * scale + offset
    count = max(int(np.ceil(np.linalg.norm(placed[1] - placed[0]))) + 1, 2)  # about a pixel apart
    t = np.linspace(0.0, 1.0, count)
    pixel = np.round(placed[0] + t[:, None] * (placed[1] - placed[0])).astype(np.intp)
    within = (pixel[:, 0] >= 0) & (pixel[:, 0] < width) & (pixel[:, 1] >= 0) & (pixel[:, 1] < height)
    reach = cv2.dilate(mask.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)  # `SEED_REACH`
    on = within & reach[np.clip(pixel[:, 1], 0, height - 1), np.clip(pixel[:, 0], 0, width - 1)]
    edges = np.diff(np.r_[0, on.astype(np.int8), 0])
    starts, stops = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1) - 1  # runs, inclusive
    keep = (starts == 0) | (stops == count - 1) | (stops - starts + 1 >= CROSSING * count)
    if keep.all() or not keep.any():
        return bone[None]
    along = bone[1] - bone[0]
    return np.stack([np.stack([bone[0] + t[a] * along, bone[0] + t[b] * along])
                     for a, b in zip(starts[keep], stops[keep])])


def shortest_ways(edges: tuple[np.ndarray, np.ndarray, np.ndarray], count: int,
                  starts: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """(U, count): per start, the length of the shortest way to each of `count` nodes (inf:
    none), over directed edges (tails, heads, lengths) of at least `STEP` each; a start is its
    nodes (k,) and the distances (k,) they begin at (one wavefront, as from a node joined to
    them by edges of those lengths).

    Dijkstra, settled a band at a time for every start at once: no edge is shorter than
    `STEP`, so no node whose distance lies less than `STEP` beyond the nearest unsettled one
    can still be reached more cheaply, and the whole band is final together. That keeps it to
    a few numpy calls per pixel of the way across the shape (a heap in Python would cost a call
    per node), without scipy's graph package, whose import alone took a quarter of a second of
    `poseanim rig check`. Each distance is the sum along its way, added in the way's order, as
    a heap-ordered Dijkstra adds it: the same float64 values bit for bit.
    """
    tails, heads, lengths = edges
    order = np.argsort(tails, kind="stable")
    heads, lengths = heads[order], lengths[order]
    first = np.searchsorted(tails[order], np.arange(count + 1))  # node v's edges: first[v]:first[v+1]
    distance = np.full(len(starts) * count, np.inf)  # start i's wavefront: [i * count, (i + 1) * count)
    queued = np.zeros(distance.size, dtype=bool)  # reached, not settled
    for index, (seeds, begin) in enumerate(starts):
        np.minimum.at(distance, index * count + seeds, begin)
        queued[index * count + seeds] = True
    pending = np.flatnonzero(queued)
    while pending.size:
        at = distance[pending]
        settled = pending[at < np.floor(at.min() / STEP) * STEP + STEP]
        queued[settled] = False
        unit, from_node = np.divmod(settled, count)
        begin, fan = first[from_node], first[from_node + 1] - first[from_node]
        edge = np.repeat(begin - np.cumsum(fan) + fan, fan) + np.arange(int(fan.sum()))
        target = np.repeat(unit * count, fan) + heads[edge]
        reach = np.repeat(distance[settled], fan) + lengths[edge]
        better = reach < distance[target]
        np.minimum.at(distance, target[better], reach[better])
        queued[target[better]] = True
        pending = np.flatnonzero(queued)
    return distance.reshape(len(starts), count)


def grid_edges(node: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Both directions of every step between two pixels of the mask in the 16-neighbourhood
    whose way stays on it: a knight's step needs the two pixels it passes over, so that a
    wavefront never jumps a gap a pixel wide between two limbs."""
    height, width = mask.shape
    tails, heads = [np.empty(0, np.intp)], [np.empty(0, np.intp)]
    lengths = [np.empty(0)]
    for dy, dx in NEIGHBOURS:
        ok = np.zeros((height, width), dtype=bool)
        y0, y1 = 0, height - dy
        x0, x1 = max(0, -dx), width - max(0, dx)
        if y1 <= y0 or x1 <= x0:
            continue
        ok[y0:y1, x0:x1] = mask[y0:y1, x0:x1] & mask[y0 + dy:y1 + dy, x0 + dx:x1 + dx]
        for py, px in _passed_over(dy, dx):
            ok[y0:y1, x0:x1] &= mask[y0 + py:y1 + py, x0 + px:x1 + px]
        ys, xs = np.nonzero(ok)
        a, b = node[ys, xs], node[ys + dy, xs + dx]
        step = np.full(a.size, float(np.hypot(dy, dx)))
        tails += [a, b]
        heads += [b, a]
        lengths += [step, step]
    return np.concatenate(tails), np.concatenate(heads), np.concatenate(lengths)


def _passed_over(dy: int, dx: int) -> list[tuple[int, int]]:
    """The pixels a step of (dy, dx) crosses between its two ends: none for a straight or a
    diagonal one (a stroke one pixel wide runs diagonally that way; a gap narrower than a pixel
    is no gap at this resolution)."""
    if max(abs(dy), abs(dx)) == 1:
        return []
    sy, sx = np.sign(dy), np.sign(dx)  # a knight's step: the two pixels along its middle
    return ([(0, int(sx)), (int(sy), int(sx))] if abs(dx) == 2 else [(int(sy), 0), (int(sy), int(sx))])


def _nearest_pixel(node: np.ndarray, mask: np.ndarray, at: np.ndarray, pixels: np.ndarray
                   ) -> tuple[np.ndarray, np.ndarray]:
    """((n,) node, (n,) gap): the mask pixel nearest each position (n, 2) in pixels, and how
    far it is (0 for a position on the mask)."""
    import cv2

    height, width = mask.shape
    rounded = np.round(at).astype(np.intp)
    x, y = np.clip(rounded[:, 0], 0, width - 1), np.clip(rounded[:, 1], 0, height - 1)
    on = node[y, x]
    if (on < 0).any():
        _, labels = cv2.distanceTransformWithLabels((~mask).astype(np.uint8), cv2.DIST_L2, 5,
                                                    labelType=cv2.DIST_LABEL_PIXEL)
        of_label = np.zeros(int(labels.max()) + 1, dtype=np.intp)
        of_label[labels[mask]] = node[mask]
        on = np.where(on >= 0, on, of_label[labels[y, x]])
    return on, np.linalg.norm(at - pixels[on], axis=1) * (node[y, x] < 0)
