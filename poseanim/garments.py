"""Garments: the shapes of a drawing that are shown or hidden together.

A shape is hidden when its bones are tracked too poorly, but people draw one garment as many
shapes (a jacket's body, its seams and pockets, its two halves in the same cloth). Deciding
each on its own hides half a jacket in a half-body photo, or leaves a seam floating without its
cloth. So shapes are joined into garments once, at binding: a shape joins the one it is drawn
on (painted after it, most of its end points inside that shape's outline, following no bone
that shape does not follow), and shapes of the same flat fill whose boxes touch and that share
a bone are one cloth. A hand drawn over the chest follows the arm, not the chest, so it keeps
a visibility of its own.
"""

from __future__ import annotations

import numpy as np

from poseanim.limits import MAX_OUTLINE_TESTS
from poseanim.skinning import inside

ON_TOP_SHARE = 0.8
"""A shape lies on another when this share of its end points falls inside the other's outline."""


def _root(parent: list[int], index: int) -> int:
    while parent[index] != index:
        parent[index] = parent[parent[index]]
        index = parent[index]
    return index


def garments(outlines: list[list[np.ndarray]], anchors: list[np.ndarray],
             fills: list[str | None], bone_share: np.ndarray,
             budget: int = MAX_OUTLINE_TESTS) -> np.ndarray:
    """(S,) int: the garment of each shape (the index of one of its shapes).

    outlines: per shape its subpaths as closed polygons (M, 2); anchors: per shape its end
    points (n, 2); fills: per shape its flat fill colour, or None (none, a gradient, a
    pattern); bone_share: (S, B) each shape's mean weight per bone; budget: point-against-edge
    tests to spend at most (past it, a shape not yet joined keeps a garment of its own: the
    visibility it would have without garments).
    """
    follows = bone_share > 1e-3
    count = len(outlines)
    parent = list(range(count))
    boxes = np.array([np.r_[a.min(axis=0), a.max(axis=0)] if len(a) else np.full(4, np.nan)
                      for a in anchors]).reshape(count, 4)
    # The cheap tests for all pairs at once, one later shape (row) at a time: only the pairs
    # they leave reach the outline test, and pairs already in one garment are skipped.
    counts = follows.astype(np.int32)
    shared_bone = (counts @ counts.T) > 0
    own_bone = (counts @ (1 - counts).T) > 0  # [a, b]: a follows a bone that b does not
    codes = {fill: code for code, fill in enumerate(dict.fromkeys(f for f in fills if f is not None))}
    fill_of = np.array([-1 if f is None else codes[f] for f in fills], dtype=np.intp)
    edges = [sum(len(ring) for ring in rings if len(ring) >= 3) for rings in outlines]
    for later in range(count):
        low_a, high_a = boxes[later, :2], boxes[later, 2:]
        low_b, high_b = boxes[:later, :2], boxes[:later, 2:]
        overlap = (low_a <= high_b).all(axis=1) & (low_b <= high_a).all(axis=1)
        same_cloth = (overlap & (fill_of[:later] == fill_of[later]) & (fill_of[later] >= 0)
                      & shared_bone[later, :later])
        for earlier in np.flatnonzero(same_cloth):
            parent[_root(parent, later)] = _root(parent, int(earlier))
        contained = (overlap & ~same_cloth & ~own_bone[later, :later]
                     & (low_a >= low_b).all(axis=1) & (high_a <= high_b).all(axis=1))
        for earlier in np.flatnonzero(contained):
            earlier = int(earlier)
            if _root(parent, later) == _root(parent, earlier):
                continue
            cost = len(anchors[later]) * edges[earlier]
            if cost > budget:
                continue
            budget -= cost
            if inside(anchors[later], outlines[earlier]).mean() >= ON_TOP_SHARE:
                parent[_root(parent, later)] = _root(parent, earlier)
    return np.array([_root(parent, index) for index in range(count)], dtype=np.intp)
