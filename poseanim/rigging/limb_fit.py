"""Arms laid onto the drawn arms when the tracker's (or the template's) arm joints miss them.

The pose tracker finds the torso of a stick figure or a pictogram well enough, but often puts
its elbows and wrists on the body or in the air beside a drawn arm, and an arm it did not see
comes from the template, hanging straight down whatever the drawing does. Posed, the bone
then moves without the drawn arm. So each arm is checked against the drawing: a chain of two
bones from the shoulder, at the arm's own proportions, is swept over every direction and bend,
and where the drawn ink covers a chain much better than the joints found, the elbow and wrist
move onto it. The body's own ink (the torso, the spine of a stick figure, the head) does not
count as arm, so an arm drawn against the body keeps the tracker's joints.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from poseanim.rig.tables import FACE_JOINTS
from poseanim.rigging.rendering import Raster

FIT_SIDE = 320
"""Pixels of the larger side of the ink mask the chains are scored on."""
REACH = 0.008
"""A chain sample within this fraction of the figure's larger side of ink lies on the arm."""
UPPER_ANGLES = np.radians(np.arange(0.0, 360.0, 6.0))
BENDS = np.radians(np.arange(-120.0, 121.0, 10.0))
"""Elbow bends tried: up to a hand on the hip, not an arm folded back onto itself."""
SCALES = (0.65, 0.8, 1.0, 1.2, 1.45, 1.75)
"""Arm lengths tried, as factors of the arm found (the tracker's proportions may be off)."""
SAMPLES = np.linspace(0.2, 1.0, 9)
"""Where along each bone the ink is looked for (from its root joint)."""
ROOT_SHARE = 0.5
"""The root half of the upper arm may cross the body's own ink (the shoulder joint sits inside
the drawn body); the rest of the chain must lie on ink beside it."""
HEAD_GROWTH = 1.5
"""The face joints' box grown by this about its middle is head (hair, a hat), not arm."""
BELOW_PELVIS = 0.15
"""Ink lower than this fraction of the torso's height below the pelvis is not taken for arm."""
GOOD_FIT = 0.8
"""A chain is on the drawn arm when this share of its samples lies on arm ink."""
POOR_FIT = 0.75
"""The arm found is replaced only when less than this share of its samples lies on arm ink."""
BETTER_BY = 0.15
"""… and the best chain covers this much more of its samples."""
NEAR_BEST = 0.04
"""Chains this close to the best score tie; of those the longest wins (the wrist at the
drawn arm's end), then the one nearest the arm found."""


@dataclass(frozen=True)
class ArmFit:
    """One arm laid onto the drawing: its new elbow and wrist, and how well the old and new
    chains lie on the drawn arm (share of their samples on arm ink)."""

    elbow: np.ndarray
    wrist: np.ndarray
    before: float
    after: float


def _to_pixels(raster: Raster, factor: float, point: np.ndarray) -> np.ndarray:
    return (np.asarray(point) - raster.origin) * raster.scale * factor


def drawn_torso(filled: np.ndarray, neck: np.ndarray, pelvis: np.ndarray) -> np.ndarray:
    """(H, W) bool: the drawn torso, as the run of ink through the spine on each row from the
    neck to the pelvis. An arm drawn apart from the body is a run of its own and stays out; an
    arm drawn against the body is part of the body's run."""
    torso = np.zeros_like(filled, dtype=bool)
    height, width = filled.shape
    top, bottom = sorted((int(round(neck[1])), int(round(pelvis[1]))))
    for y in range(max(top, 0), min(bottom, height - 1) + 1):
        share = (y - neck[1]) / (pelvis[1] - neck[1]) if pelvis[1] != neck[1] else 0.0
        x = int(round(neck[0] + share * (pelvis[0] - neck[0])))
        row = filled[y]
        if not 0 <= x < width or not row[x]:
            continue
        gaps = np.flatnonzero(~row)
        left = gaps[gaps < x].max() + 1 if (gaps < x).any() else 0
        right = gaps[gaps > x].min() if (gaps > x).any() else width
        torso[y, left:right] = True
    return torso


def arm_ink(raster: Raster, joints: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray, float]:
    """(arm, ink, factor) masks at `factor` × the raster's pixels: `ink` is the drawing with
    its enclosed regions filled (an outlined arm counts), widened by REACH; `arm` is that less
    the body's own ink (the drawn torso, the head around the face, what lies below the
    pelvis), where a drawn arm can be."""
    height, width = raster.rgba.shape[:2]
    factor = FIT_SIDE / max(height, width)
    size = (max(1, int(round(width * factor))), max(1, int(round(height * factor))))
    drawn = cv2.resize(raster.rgba[..., 3], size, interpolation=cv2.INTER_AREA) > 24
    outside = np.pad((~drawn).astype(np.uint8), 1, constant_values=1)  # a way round the edge
    cv2.floodFill(outside, np.zeros((size[1] + 4, size[0] + 4), np.uint8), (0, 0), (2,))
    filled = outside[1:-1, 1:-1] != 2
    reach = max(1, int(round(REACH * FIT_SIDE)))
    ink = cv2.dilate(filled.astype(np.uint8), np.ones((2 * reach + 1,) * 2, np.uint8)) > 0
    point = {name: _to_pixels(raster, factor, joints[name]) for name in
             ("leftShoulder", "rightShoulder", "rightHip", "leftHip")}
    neck = (point["leftShoulder"] + point["rightShoulder"]) / 2
    pelvis = (point["leftHip"] + point["rightHip"]) / 2
    body = drawn_torso(filled, neck, pelvis)
    below = int(round(pelvis[1] + BELOW_PELVIS * np.linalg.norm(pelvis - neck)))
    body[max(below, 0):] = True  # legs, skirts and the ground are not arms
    face = np.array([_to_pixels(raster, factor, joints[name]) for name in FACE_JOINTS
                     if name in joints])
    if len(face):
        middle, half = (face.min(axis=0) + face.max(axis=0)) / 2, np.ptp(face, axis=0) / 2
        low = np.floor(middle - HEAD_GROWTH * half).astype(int)
        high = np.ceil(middle + HEAD_GROWTH * half).astype(int)
        body[max(low[1], 0):high[1] + 1, max(low[0], 0):high[0] + 1] = True
    body = cv2.dilate(body.astype(np.uint8), np.ones((2 * reach + 1,) * 2, np.uint8)) > 0
    return ink & ~body, ink, factor


def _cover(mask: np.ndarray, starts: np.ndarray, ends: np.ndarray,
           samples: np.ndarray = SAMPLES) -> np.ndarray:
    """(…) share of `samples` along each segment (…, 2) → (…, 2) that lie on the mask."""
    points = starts[..., None, :] + samples[:, None] * (ends - starts)[..., None, :]
    spots = np.round(points).astype(int)
    height, width = mask.shape
    inside = ((spots[..., 0] >= 0) & (spots[..., 0] < width)
              & (spots[..., 1] >= 0) & (spots[..., 1] < height))
    hits = mask[np.clip(spots[..., 1], 0, height - 1), np.clip(spots[..., 0], 0, width - 1)]
    return (hits & inside).mean(axis=-1)


def _unit(angles: np.ndarray) -> np.ndarray:
    return np.stack([np.cos(angles), np.sin(angles)], axis=-1)


def _upper_cover(arm: np.ndarray, ink: np.ndarray, shoulders: np.ndarray, elbows: np.ndarray
                 ) -> np.ndarray:
    """Like `_cover` for the upper arm: its root half may lie on any ink (see ROOT_SHARE)."""
    root = SAMPLES <= ROOT_SHARE
    on_ink = _cover(ink, shoulders, elbows, SAMPLES[root]) * root.sum()
    on_arm = _cover(arm, shoulders, elbows, SAMPLES[~root]) * (~root).sum()
    return (on_ink + on_arm) / len(SAMPLES)


def fit_arm(arm: np.ndarray, ink: np.ndarray, shoulder: np.ndarray, elbow: np.ndarray,
            wrist: np.ndarray, outward: np.ndarray, neck: np.ndarray
            ) -> tuple[np.ndarray, np.ndarray, float, float]:
    """(elbow, wrist, score before, best score) in mask pixels: the two-bone chain from the
    shoulder that lies best on the arm mask with its elbow and wrist on the arm's own side of
    the spine (`outward` from `neck`); of the chains that tie, the one reaching farthest."""
    before = float((_upper_cover(arm, ink, shoulder, elbow) + _cover(arm, elbow, wrist)) / 2)
    upper, fore = np.linalg.norm(elbow - shoulder), np.linalg.norm(wrist - elbow)
    up_angle = np.arctan2(*(elbow - shoulder)[::-1])
    fore_angle = np.arctan2(*(wrist - elbow)[::-1])
    turns = UPPER_ANGLES[:, None] + BENDS[None, :]                                 # (A, B)
    scales = np.array(SCALES)[:, None, None, None]
    elbows = np.broadcast_to(shoulder + scales * upper * _unit(UPPER_ANGLES)[:, None, :],
                             (len(SCALES), len(UPPER_ANGLES), len(BENDS), 2))
    wrists = elbows + scales * fore * _unit(turns)                                 # (S, A, B, 2)
    score = (_upper_cover(arm, ink, np.broadcast_to(shoulder, elbows.shape), elbows)
             + _cover(arm, elbows, wrists)) / 2
    own_side = (((elbows - neck) @ outward) > 0) & (((wrists - neck) @ outward) > 0)
    score = np.where(own_side & (_cover(arm, wrists, wrists) > 0), score, 0.0)
    top = float(score.max())
    reach = np.linalg.norm(wrists - shoulder, axis=-1)
    away = (np.abs(np.angle(np.exp(1j * (UPPER_ANGLES[:, None] - up_angle))))
            + np.abs(np.angle(np.exp(1j * (turns - fore_angle)))))
    tied = score >= top - NEAR_BEST
    key = np.where(tied, reach - 1e-3 * away, -np.inf)
    best = np.unravel_index(np.argmax(key), key.shape)
    return elbows[best], wrists[best], before, top


def fit_arms(raster: Raster, joints: dict[str, np.ndarray], sides: tuple[str, ...]
             ) -> dict[str, ArmFit]:
    """Side ('left', 'right', of `sides`) → the arm laid onto the drawn arm, for each arm whose
    joints lie poorly on the drawing while a chain at its proportions lies well (a figure
    facing the viewer: its left arm on the viewer's right)."""
    arm, ink, factor = arm_ink(raster, joints)
    point = {name: _to_pixels(raster, factor, joints[name]) for name in
             ("leftShoulder", "rightShoulder", "leftHip", "rightHip")}
    neck = (point["leftShoulder"] + point["rightShoulder"]) / 2
    down = (point["leftHip"] + point["rightHip"]) / 2 - neck
    down = down / max(float(np.linalg.norm(down)), 1e-9)
    fits = {}
    for side, sign in (("left", 1.0), ("right", -1.0)):
        if side not in sides:
            continue
        shoulder, elbow, wrist = (_to_pixels(raster, factor, joints[f"{side}{part}"])
                                  for part in ("Shoulder", "Elbow", "Wrist"))
        outward = sign * np.array([down[1], -down[0]])
        new_elbow, new_wrist, before, after = fit_arm(arm, ink, shoulder, elbow, wrist,
                                                      outward, neck)
        if before < POOR_FIT and after >= GOOD_FIT and after - before >= BETTER_BY:
            fits[side] = ArmFit(raster.to_user(new_elbow / factor),
                                raster.to_user(new_wrist / factor), before, after)
    return fits
