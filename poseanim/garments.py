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

from poseanim.skinning import inside

ON_TOP_SHARE = 0.8
"""A shape lies on another when this share of its end points falls inside the other's outline."""


def _root(parent: list[int], index: int) -> int:
    while parent[index] != index:
        parent[index] = parent[parent[index]]
        index = parent[index]
    return index


def garments(outlines: list[list[np.ndarray]], anchors: list[np.ndarray],
             fills: list[str | None], bone_share: np.ndarray) -> np.ndarray:
    """(S,) int: the garment of each shape (the index of one of its shapes).

    outlines: per shape its subpaths as closed polygons (M, 2); anchors: per shape its end
    points (n, 2); fills: per shape its flat fill colour, or None (none, a gradient, a
    pattern); bone_share: (S, B) each shape's mean weight per bone.
    """
    follows = bone_share > 1e-3
    count = len(outlines)
    parent = list(range(count))
    boxes = np.array([np.r_[a.min(axis=0), a.max(axis=0)] if len(a) else np.full(4, np.nan)
                      for a in anchors])
    for later in range(count):
        for earlier in range(later):
            low_a, high_a = boxes[later, :2], boxes[later, 2:]
            low_b, high_b = boxes[earlier, :2], boxes[earlier, 2:]
            if not ((low_a <= high_b).all() and (low_b <= high_a).all()):
                continue
            same_cloth = (fills[later] is not None and fills[later] == fills[earlier]
                          and (follows[later] & follows[earlier]).any())
            if not same_cloth:
                if (follows[later] & ~follows[earlier]).any():
                    continue
                contained = (low_a >= low_b).all() and (high_a <= high_b).all()
                if not contained:
                    continue
                share = inside(anchors[later], outlines[earlier]).mean()
                if share < ON_TOP_SHARE:
                    continue
            parent[_root(parent, later)] = _root(parent, earlier)
    return np.array([_root(parent, index) for index in range(count)], dtype=np.intp)
