"""Garments on drawings built to be expensive: the grouping stays exact and its work bounded."""

from __future__ import annotations

import numpy as np

import poseanim.garments as garments_module
from poseanim.garments import garments


def _ring(cx: float, cy: float, r: float, sides: int = 24) -> np.ndarray:
    angles = 2 * np.pi * np.arange(sides) / sides
    return np.c_[cx + r * np.cos(angles), cy + r * np.sin(angles)]


def _counting(monkeypatch) -> list[int]:
    """Point-against-edge tests made by every outline test `garments` runs."""
    spent: list[int] = []
    real = garments_module.inside

    def counted(samples, rings):
        spent.append(len(samples) * sum(len(r) for r in rings))
        return real(samples, rings)

    monkeypatch.setattr(garments_module, "inside", counted)
    return spent


def test_a_stack_of_copies_is_one_garment_with_one_outline_test_per_shape(monkeypatch):
    spent = _counting(monkeypatch)
    count = 300
    outline = _ring(0, 0, 10)
    small = _ring(0, 0, 5)  # lies on the big ring: inside it, its box inside the big box
    outlines = [[outline]] + [[small] for _ in range(count - 1)]
    anchors = [outline] + [small] * (count - 1)
    fills = [f"#{index:06x}" for index in range(count)]  # no two of the same cloth
    share = np.ones((count, 1))
    result = garments(outlines, anchors, fills, share)
    assert (result == result[0]).all()
    assert len(spent) <= count - 1  # not count² / 2: pairs already joined are not tested again


def test_past_its_budget_a_shape_keeps_its_own_garment(monkeypatch):
    spent = _counting(monkeypatch)
    # A "C" (open ring) and, in its mouth, shapes whose boxes lie inside its box but whose
    # points lie outside its outline: every pair needs the outline test, none joins.
    angles = np.linspace(0.3, 2 * np.pi - 0.3, 40)
    c_shape = np.r_[np.c_[10 * np.cos(angles), 10 * np.sin(angles)],
                    np.c_[8 * np.cos(angles[::-1]), 8 * np.sin(angles[::-1])]]
    gap = _ring(9, 0, 0.5, sides=6)
    outlines = [[c_shape]] + [[gap]] * 50
    anchors = [c_shape] + [gap] * 50
    fills = [f"#{index:06x}" for index in range(51)]
    share = np.ones((51, 1))
    full = garments(outlines, anchors, fills, share)
    assert len(set(full.tolist())) > 1  # the gap shapes do not lie on the C
    spent.clear()
    budget = 5 * len(gap) * len(c_shape)
    result = garments(outlines, anchors, fills, share, budget=budget)
    assert sum(spent) <= budget
    assert result[0] == 0 and set(result[1:].tolist()) <= set(range(1, 51))
