"""Arms and legs laid onto the drawn limbs when the tracker's (or the template's) joints miss them.

The pose tracker finds the torso of a stick figure or a pictogram well enough, but often puts
its elbows and wrists on the body or in the air beside a drawn arm, its knees and ankles
between or across curved drawn legs, and a limb it did not see comes from the template,
straight whatever the drawing does. Posed, the bone then moves without the drawn limb. So each
such limb is checked against the drawing: a chain of two bones from the shoulder (hip), at the
limb's own proportions, is swept over every direction and bend, and where the drawn ink covers
a chain much better than the joints found, the elbow and wrist (knee and ankle) move onto it.
The body's own ink (the torso, the spine of a stick figure, the head) does not count as arm,
so an arm drawn against the body keeps the tracker's joints; only ink below the pelvis counts
as leg.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from poseanim.rig.tables import FACE_JOINTS
from poseanim.rigging.rendering import Raster, fill_enclosed

FIT_SIDE = 320
"""Pixels of the larger side of the ink mask the chains are scored on."""
REACH = 0.008
"""A chain sample within this fraction of the figure's larger side of ink lies on the arm."""
UPPER_ANGLES = np.radians(np.arange(0.0, 360.0, 6.0))
BENDS = np.radians(np.arange(-120.0, 121.0, 10.0))
"""Elbow bends tried: up to a hand on the hip, not an arm folded back onto itself."""
SCALES = (0.5, 0.65, 0.8, 1.0, 1.2, 1.45, 1.75)
"""Limb lengths tried, as factors of the limb found (the tracker's proportions may be off) and
of the template's proportions (see PROPORTIONS)."""
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
"""A chain is on the drawn limb when this share of its samples lies on the limb's ink."""
POOR_FIT = 0.85
"""The limb found is replaced only when less than this share of its samples lies on the limb's
ink (0.75 before the samples were allowed CURVE_SLACK: the slack raises every score)."""
BETTER_BY = 0.15
"""… and the best chain covers this much more of its samples."""
CURVE_SLACK = 0.1
"""A sample within this share of its bone's length of the limb's ink lies on it: a bone is the
chord of a curved drawn limb (a stick figure's arc of an arm), whose middle lies off the ink
by about this much for an arc of 45–60° per bone."""
NEAR_BEST = 0.04
NEAR_REACH = 0.1
"""Chains this close to the best score tie; of those, the ones reaching within NEAR_REACH of
the farthest (the wrist or ankle at the drawn limb's end) tie again, then those with the most
samples on the limb's own ink (within NEAR_ON of the most: a chain along a drawn leg, not a
shin cutting across the gap between the legs within the slack), and of those the one running
deepest inside the limb's ink wins (along the middle of a broad drawn limb, not its edge,
where binding would take the limb for the body's; without a depth map the straightest), then
the one nearest the limb found."""
NEAR_ON = 0.1
UNEVEN_BONES = 2.0
"""A chain (found or tried) whose two bones differ in length by more than this factor is no
limb's (the tracker put a stick figure's knee just below the hip, its shin running beside the
drawn leg) and scores 0, however much of it lies near ink: the thigh's root half may lie on
any ink, so a short thigh scores well wherever it points."""


LIMBS = {"arm": ("Shoulder", "Elbow", "Wrist"), "leg": ("Hip", "Knee", "Ankle")}
"""Each limb's joints from its root, by the part of their names after the side."""


HIP_DEPTH = 0.08
"""How far inside the drawn body's lowest ink, as a share of the torso's height, hips moved
onto it are put."""
PROPORTIONS: dict[str, tuple[float, float]] = {"arm": (0.51, 0.49), "leg": (0.56, 0.56)}
"""Each limb's bones as shares of the torso's height (the template's): chains are swept at
SCALES × these as well as at the lengths found, since a limb the tracker did not see comes
from a template stretched to a torso the tracker may have got wrong."""


@dataclass(frozen=True)
class LimbFit:
    """One limb laid onto the drawing: its new middle and end joints (elbow and wrist, or knee
    and ankle), and how well the old and new chains lie on the drawn limb (share of their
    samples on limb ink)."""

    middle: np.ndarray
    end: np.ndarray
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


@dataclass(frozen=True)
class LimbInk:
    """Masks at `factor` × the raster's pixels. ink: the drawing with its enclosed regions
    filled (an outlined limb counts), widened by REACH. arm, leg: that less the ink where the
    other parts are drawn, where a drawn arm (beside the torso, above the legs) or a drawn leg
    (below the pelvis) can be. depth: 'arm', 'leg' → (H, W) float32 pixels from each pixel of
    that limb's (unwidened) ink to its edge, 0 off it: the middle of a drawn limb is deepest,
    and the body's own ink, thick as it is, counts for nothing (a thigh run through the bottom
    of a round body to reach the other leg is not deep in a leg)."""

    ink: np.ndarray
    arm: np.ndarray
    leg: np.ndarray
    factor: float
    depth: dict[str, np.ndarray]


def filled_ink(raster: Raster) -> tuple[np.ndarray, float]:
    """(H, W) bool: the drawing at `factor` × the raster's pixels with its enclosed regions
    filled (an outlined limb or body counts as ink inside), and that factor."""
    height, width = raster.rgba.shape[:2]
    factor = FIT_SIDE / max(height, width)
    size = (max(1, int(round(width * factor))), max(1, int(round(height * factor))))
    drawn = cv2.resize(raster.rgba[..., 3], size, interpolation=cv2.INTER_AREA) > 24
    return fill_enclosed(drawn), factor


def hips_onto_body(raster: Raster, joints: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The hips moved up the spine onto the drawn body when the tracker put the pelvis below
    it, on no ink at all (it does so on stick figures with a round body, between their
    legs); {} when the pelvis lies on the drawing. The hips then sit HIP_DEPTH of the torso's
    height inside the body's lowest ink on the spine."""
    filled, factor = filled_ink(raster)
    point = {name: _to_pixels(raster, factor, joints[name]) for name in
             ("leftShoulder", "rightShoulder", "leftHip", "rightHip")}
    neck = (point["leftShoulder"] + point["rightShoulder"]) / 2
    pelvis = (point["leftHip"] + point["rightHip"]) / 2
    torso = float(np.linalg.norm(pelvis - neck))

    def on_ink(spot: np.ndarray) -> bool:
        x, y = np.round(spot).astype(int)
        return bool(0 <= x < filled.shape[1] and 0 <= y < filled.shape[0] and filled[y, x])

    if torso < 1 or on_ink(pelvis):
        return {}
    for share in np.arange(1.0, 0.0, -1.0 / torso):
        spot = neck + share * (pelvis - neck)
        if on_ink(spot):
            gap = float(np.linalg.norm(spot - pelvis))
            shift = (spot - pelvis) * (1 + HIP_DEPTH * torso / max(gap, 1e-9))
            return {name: joints[name] + shift / (raster.scale * factor)
                    for name in ("leftHip", "rightHip")}
    return {}


def limb_ink(raster: Raster, joints: dict[str, np.ndarray]) -> LimbInk:
    """The masks the chains are scored on (see `LimbInk`): the head around the face joints is
    neither arm nor leg; the run of ink through the spine and whatever lies below the pelvis
    are not arm; whatever lies above the pelvis is not leg."""
    filled, factor = filled_ink(raster)
    reach = max(1, int(round(REACH * FIT_SIDE)))
    square = np.ones((2 * reach + 1,) * 2, np.uint8)
    ink = cv2.dilate(filled.astype(np.uint8), square) > 0
    point = {name: _to_pixels(raster, factor, joints[name]) for name in
             ("leftShoulder", "rightShoulder", "rightHip", "leftHip")}
    neck = (point["leftShoulder"] + point["rightShoulder"]) / 2
    pelvis = (point["leftHip"] + point["rightHip"]) / 2
    head = np.zeros_like(filled, dtype=bool)
    face = np.array([_to_pixels(raster, factor, joints[name]) for name in FACE_JOINTS
                     if name in joints])
    if len(face):
        middle, half = (face.min(axis=0) + face.max(axis=0)) / 2, np.ptp(face, axis=0) / 2
        low = np.floor(middle - HEAD_GROWTH * half).astype(int)
        high = np.ceil(middle + HEAD_GROWTH * half).astype(int)
        head[max(low[1], 0):high[1] + 1, max(low[0], 0):high[0] + 1] = True
    not_arm = head | drawn_torso(filled, neck, pelvis)
    below = int(round(pelvis[1] + BELOW_PELVIS * np.linalg.norm(pelvis - neck)))
    not_arm[max(below, 0):] = True  # legs, skirts and the ground are not arms
    not_leg = head.copy()
    not_leg[:max(int(round(pelvis[1])), 0)] = True
    def depth(not_limb: np.ndarray) -> np.ndarray:
        return cv2.distanceTransform((filled & ~not_limb).astype(np.uint8), cv2.DIST_L2, 3)

    return LimbInk(ink, ink & ~(cv2.dilate(not_arm.astype(np.uint8), square) > 0),
                   ink & ~(cv2.dilate(not_leg.astype(np.uint8), square) > 0), factor,
                   {"arm": depth(not_arm), "leg": depth(not_leg)})


def away_from(mask: np.ndarray) -> np.ndarray:
    """(H, W) float32: pixels from each pixel to the nearest pixel of the mask (0 on it)."""
    return cv2.distanceTransform((~mask).astype(np.uint8), cv2.DIST_L2, 3)


def _cover(away: np.ndarray, starts: np.ndarray, ends: np.ndarray,
           samples: np.ndarray = SAMPLES) -> np.ndarray:
    """(…) share of `samples` along each segment (…, 2) → (…, 2) that lie on a mask (`away`:
    its `away_from` map), or within CURVE_SLACK of the segment's length of it."""
    points = starts[..., None, :] + samples[:, None] * (ends - starts)[..., None, :]
    spots = np.round(points).astype(int)
    height, width = away.shape
    inside = ((spots[..., 0] >= 0) & (spots[..., 0] < width)
              & (spots[..., 1] >= 0) & (spots[..., 1] < height))
    distance = away[np.clip(spots[..., 1], 0, height - 1), np.clip(spots[..., 0], 0, width - 1)]
    slack = CURVE_SLACK * np.linalg.norm(ends - starts, axis=-1)[..., None]
    return ((distance <= slack) & inside).mean(axis=-1)


def _unit(angles: np.ndarray) -> np.ndarray:
    return np.stack([np.cos(angles), np.sin(angles)], axis=-1)


def _upper_cover(limb: np.ndarray, ink: np.ndarray, roots: np.ndarray, middles: np.ndarray
                 ) -> np.ndarray:  # `away_from` maps of the limb's and of all ink
    """Like `_cover` for the limb's first bone: its root half may lie on any ink (see
    ROOT_SHARE)."""
    root = SAMPLES <= ROOT_SHARE
    on_ink = _cover(ink, roots, middles, SAMPLES[root]) * root.sum()
    on_limb = _cover(limb, roots, middles, SAMPLES[~root]) * (~root).sum()
    return (on_ink + on_limb) / len(SAMPLES)


def _depth(depth: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """(…) mean `depth` at the samples along each segment (…, 2) → (…, 2)."""
    spots = np.round(starts[..., None, :] + SAMPLES[:, None] * (ends - starts)[..., None, :])
    height, width = depth.shape
    return depth[np.clip(spots[..., 1].astype(int), 0, height - 1),
                 np.clip(spots[..., 0].astype(int), 0, width - 1)].mean(axis=-1)


def fit_chain(limb: np.ndarray, ink: np.ndarray, chain: tuple[np.ndarray, np.ndarray, np.ndarray],
              outward: np.ndarray, centre: np.ndarray, down: np.ndarray | None = None,
              proportional: tuple[float, float] | None = None, depth: np.ndarray | None = None
              ) -> tuple[np.ndarray, np.ndarray, float, float]:
    """(middle, end, score before, best score) in mask pixels: the two-bone chain from the
    root of `chain` (root, middle, end joints found) that lies best on the limb mask (`limb`,
    `ink`: `away_from` maps of the limb's mask and of all ink), its middle joint on ink and its
    end on the limb, with
    its middle and end joints on the limb's own side of the body (`outward` from `centre`)
    and, given `down`, below `centre` (a leg); of the chains that tie, a straight one reaching
    farthest (see NEAR_REACH). The chain found scores 0 when it crosses to the other side (it lies on the
    other limb, as the tracker's crossed legs on a stick figure do) or its bones are
    UNEVEN_BONES apart in length. Its bones are SCALES ×
    the lengths of the chain found and, given, SCALES × the `proportional` lengths."""
    root, middle, end = chain

    def allowed(middles: np.ndarray, ends: np.ndarray) -> np.ndarray:
        inside = (((middles - centre) @ outward) > 0) & (((ends - centre) @ outward) > 0)
        if down is not None:
            inside &= (((middles - centre) @ down) > 0) & (((ends - middles) @ down) > 0)
        return inside

    found = (float(np.linalg.norm(middle - root)), float(np.linalg.norm(end - middle)))
    even = max(found) <= UNEVEN_BONES * max(min(found), 1e-9)
    before = float((_upper_cover(limb, ink, root, middle) + _cover(limb, middle, end)) / 2
                   if allowed(middle, end) and even else 0.0)  # on the other side: the other limb
    bones = np.array([found] + ([proportional] if proportional else []))
    firsts, seconds = (np.outer(bones[:, k], SCALES).ravel()[:, None, None, None] for k in (0, 1))
    first_angle = np.arctan2(*(middle - root)[::-1])
    second_angle = np.arctan2(*(end - middle)[::-1])
    turns = UPPER_ANGLES[:, None] + BENDS[None, :]                                 # (A, B)
    middles = np.broadcast_to(root + firsts * _unit(UPPER_ANGLES)[:, None, :],
                              (len(firsts), len(UPPER_ANGLES), len(BENDS), 2))
    ends = middles + seconds * _unit(turns)                                        # (S, A, B, 2)
    score = (_upper_cover(limb, ink, np.broadcast_to(root, middles.shape), middles)
             + _cover(limb, middles, ends)) / 2
    on_ink = (_cover(limb, ends, ends) > 0) & (_cover(ink, middles, middles) > 0)
    even_bones = (np.maximum(firsts, seconds) <= UNEVEN_BONES * np.minimum(firsts, seconds))
    score = np.where(allowed(middles, ends) & on_ink & even_bones[:, :, :, 0], score, 0.0)
    top = float(score.max())
    reach = np.linalg.norm(ends - root, axis=-1)
    away = (np.abs(np.angle(np.exp(1j * (UPPER_ANGLES[:, None] - first_angle))))
            + np.abs(np.angle(np.exp(1j * (turns - second_angle)))))
    tied = score >= top - NEAR_BEST
    tied &= reach >= (1 - NEAR_REACH) * reach[tied].max()
    roots = np.broadcast_to(root, middles.shape)
    if depth is not None:
        drawn = (depth > 0).astype(np.float32)
        on_limb = (_depth(drawn, roots, middles) + _depth(drawn, middles, ends)) / 2
        tied &= on_limb >= on_limb[tied].max() - NEAR_ON
    middling = (_depth(depth, roots, middles) + _depth(depth, middles, ends)
                if depth is not None else -np.abs(BENDS))
    key = np.where(tied, middling - 1e-3 * away, -np.inf)
    best = np.unravel_index(np.argmax(key), key.shape)
    return middles[best], ends[best], before, top


def fit_limbs(raster: Raster, joints: dict[str, np.ndarray], limbs: tuple[str, ...]
              ) -> dict[str, LimbFit]:
    """Limb ('left arm', 'right leg', … of `limbs`) → the limb laid onto the drawn one, for
    each limb whose joints lie poorly on the drawing while a chain at its proportions lies
    well (a figure facing the viewer: its left on the viewer's right). An arm keeps to the
    ink beside the torso and a leg to the ink below the pelvis; a leg's knee and ankle stay
    below its hip, on its own side."""
    masks = limb_ink(raster, joints)
    point = {name: _to_pixels(raster, masks.factor, joints[name]) for name in
             ("leftShoulder", "rightShoulder", "leftHip", "rightHip")}
    neck = (point["leftShoulder"] + point["rightShoulder"]) / 2
    pelvis = (point["leftHip"] + point["rightHip"]) / 2
    down = (pelvis - neck) / max(float(np.linalg.norm(pelvis - neck)), 1e-9)
    away_ink = away_from(masks.ink)
    away = {"arm": away_from(masks.arm), "leg": away_from(masks.leg)}
    torso = float(np.linalg.norm(pelvis - neck))
    fits = {}
    for name in limbs:
        side, kind = name.split(" ")
        outward = (1.0 if side == "left" else -1.0) * np.array([down[1], -down[0]])
        root, middle, end = (_to_pixels(raster, masks.factor, joints[side + part])
                             for part in LIMBS[kind])
        centre = neck if kind == "arm" else pelvis
        first, second = PROPORTIONS[kind]
        middle, end, before, after = fit_chain(
            away[kind], away_ink, (root, middle, end), outward, centre,
            down if kind == "leg" else None, (first * torso, second * torso), masks.depth[kind])
        if before < POOR_FIT and after >= GOOD_FIT and after - before >= BETTER_BY:
            fits[name] = LimbFit(raster.to_user(middle / masks.factor),
                                 raster.to_user(end / masks.factor), before, after)
    return fits
