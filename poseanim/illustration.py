"""A bound, poseable character: the public face of rig reading and skinning.

`load_illustration` reads and binds a rigged SVG once; `Illustration.pose` turns a tracked
`Pose` into a `PosedFrame` (deformed control points plus which shapes are visible) that every
writer and painter draws from.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from poseanim.bundled import bundled_illustrations, resolve_illustration  # noqa: F401 (their old home)
from poseanim.errors import PoseanimError
from poseanim.extremities import EXTREMITIES
from poseanim.garments import garments
from poseanim.geometry import as_complex, as_points, similarity_fit, similarity_matrix
from poseanim.hand_mirror import hand_mirror, no_hand_mirror, turned_over
from poseanim.binding_cache import cached_bind
from poseanim.layering import Layering, Sides
from poseanim.pose import FACE_ROWS, LEFT_EAR, LEFT_JAW, RIGHT_EAR, RIGHT_JAW, EarAnchor, Pose
from poseanim.retarget import PROPORTIONS, Proportions, retarget
from poseanim.rig.reader import DrawnShape, OutsideMode, RiggedDrawing, read_rigged_svg
from poseanim.rig.tables import JOINT_NAMES, KEYPOINT_INDEX
from poseanim.skinning import (
    HIDE_BELOW_SCORE, SKINNING_MODES, Binding, ControlPoints, ShapeInk, Skinning, bind,
    STROKE_BAND, build_skeleton, deform, follow_local_joints, outline_polygon, region_scales,
    smooth_handle_sources, split_at_joints,
)
from poseanim.svg.document import stroke_width_number

RIG_COUNT = len(JOINT_NAMES)


def stroke_width(shape: DrawnShape) -> float:
    """A shape's stroke width in the drawing's units (0 when it has no stroke)."""
    if shape.style.get("stroke", "none") in ("none", ""):
        return 0.0
    scale = float(np.sqrt(abs(np.linalg.det(shape.ctm[:2, :2]))))
    return stroke_width_number(shape.style.get("stroke-width")) * scale


def fit_box(low: np.ndarray, high: np.ndarray, width: float, height: float,
            margin: float) -> tuple[float, np.ndarray, tuple[float, float, float, float]]:
    """(scale, offset (2,), canvas): the move that centres the box (low, high) on a canvas of
    width × height, aspect kept, `margin` (a fraction of the canvas) left around it."""
    size = np.maximum(high - low, 1e-9)
    scale = min(width * (1 - 2 * margin) / size[0], height * (1 - 2 * margin) / size[1])
    offset = np.array([width, height]) / 2 - (low + high) / 2 * scale
    return float(scale), offset, (0.0, 0.0, float(width), float(height))


@dataclass(frozen=True)
class PosedFrame:
    """A character posed for one frame, ready to be written or painted.

    points: (N, 2) float64 – every bound control point, in canvas coordinates.
    visible: (S,) bool – per shape of `illustration.shapes`, False when hidden by confidence.
    joints: (J, 2) float64 – rig joints (then local copies) where the skeleton now is.
    canvas: (x, y, width, height) – the visible area, in the same coordinates as the points.
    stroke_scale: (S,) float64 – how much each shape's strokes grow with the character: the
    body or face scale of its bones (a character drawn at a third of its size gets a third of
    the stroke width, so it keeps its look).
    scores: (S,) float64 – the confidence each shape's visibility is decided on (its garment's,
    in the default skinning); `visible` is scores ≥ 0.3 unless a `ShapeVisibility` filter
    decided it over time.
    opacity: (S,) float64 in [0, 1] – how much of each visible shape is painted (a shape fading
    in or out), or None for all of it.
    order: (S,) int – the order to paint the shapes in (an arm crossing in front of the body
    comes after the torso, see `poseanim.layering`), or None for the drawing's own.
    """

    illustration: Illustration
    points: np.ndarray
    visible: np.ndarray
    joints: np.ndarray
    canvas: tuple[float, float, float, float]
    stroke_scale: np.ndarray
    scores: np.ndarray | None = None
    opacity: np.ndarray | None = None
    order: np.ndarray | None = None

    def paint_order(self) -> np.ndarray:
        """(S,) the shapes in the order to paint them."""
        return np.arange(len(self.visible)) if self.order is None else self.order

    def subpaths(self, shape_index: int) -> list[tuple[np.ndarray, bool]]:
        """(points (1 + 3·S, 2), closed) for each subpath of one shape, posed."""
        return [(self.points[start:stop], closed)
                for start, stop, closed in self.illustration.subpath_ranges[shape_index]]

    def shape_motion(self, shape_index: int) -> np.ndarray:
        """(3, 3) affine: the similarity that best maps the shape's rest points onto its posed
        points (root space). Paint defined in user space, such as a userSpaceOnUse gradient,
        follows the shape through it."""
        ranges = self.illustration.subpath_ranges[shape_index]
        start, stop = ranges[0][0], ranges[-1][1]
        fit = similarity_fit(self.illustration.rest_points[start:stop], self.points[start:stop])
        if fit is None:
            rest_mean = self.illustration.rest_points[start:stop].mean(axis=0)
            fit = 1 + 0j, complex(*(self.points[start:stop].mean(axis=0) - rest_mean))
        return similarity_matrix(*fit)

    def fitted(self, width: float | None = None, height: float | None = None,
               margin: float = 0.05) -> PosedFrame:
        """This frame moved and scaled, aspect kept, into the middle of a canvas.

        The canvas defaults to the illustration's own; `margin` is a fraction of its size.
        """
        return self.moved(*self.fit(width, height, margin))

    def fit(self, width: float | None = None, height: float | None = None,
            margin: float = 0.05) -> tuple[float, np.ndarray, tuple[float, float, float, float]]:
        """(scale, offset (2,), canvas) that `fitted` applies (see `poseanim.framing` for a
        clip, which frames the character from every frame instead of one)."""
        box = self.illustration.view_box
        width = box[2] if width is None else width
        height = box[3] if height is None else height
        return fit_box(*self.bounds(), width, height, margin)

    def bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """(low (2,), high (2,)): the box around the visible shapes' control points (all points
        when nothing is visible). Control points hold the curves, so the ink lies inside."""
        shown = self.illustration.point_shape_visible(self.visible)
        points = self.points[shown] if shown.any() else self.points
        return points.min(axis=0), points.max(axis=0)

    def uncropped(self, margin: float = 0.02) -> PosedFrame:
        """This frame on its canvas grown, where needed, to hold the whole character (a tall
        head above the top of a photo is not cut off); `margin`: of the character's size."""
        low, high = self.bounds()
        pad = margin * float(np.max(high - low))
        x, y, width, height = self.canvas
        left, top = min(x, low[0] - pad), min(y, low[1] - pad)
        right, bottom = max(x + width, high[0] + pad), max(y + height, high[1] + pad)
        return replace(self, canvas=(float(left), float(top), float(right - left),
                                     float(bottom - top)))

    def moved(self, scale: float, offset: np.ndarray,
              canvas: tuple[float, float, float, float]) -> PosedFrame:
        """This frame scaled about the origin, shifted by `offset` (2,), on a new canvas."""
        return replace(self, points=self.points * scale + offset,
                       joints=self.joints * scale + offset, canvas=canvas,
                       stroke_scale=self.stroke_scale * scale)


class Illustration:
    """A rigged drawing bound to its skeleton (bind once, pose every frame).

    Build it with `load_illustration`. Attributes worth knowing: `name`, `drawing` (what was
    read from the file), `shapes` (drawn shapes in paint order), `view_box`, `rest_points`
    (N, 2), `control_points` (what binding was given), `binding` and `skeleton` (the skinning
    arrays), `skinning` (`shape` or `pa`) and
    `proportions` (`person` or `drawing`: whose bone lengths a pose takes).
    cache: whether the binding may come from, and go to, the on-disk binding cache
    (`poseanim.binding_cache`); drafts that are bound once and thrown away (the rig editor's
    joints while they are dragged) skip it, or every position would leave an entry behind.
    """

    def __init__(self, drawing: RiggedDrawing, name: str, skinning: Skinning = "shape",
                 proportions: Proportions = "person", cache: bool = True) -> None:
        if skinning not in SKINNING_MODES:
            raise PoseanimError(f"unknown skinning '{skinning}'; choose one of "
                                f"{', '.join(SKINNING_MODES)}")
        if proportions not in PROPORTIONS:
            raise PoseanimError(f"unknown proportions '{proportions}'; choose one of "
                                f"{', '.join(PROPORTIONS)}")
        self.name = name
        self.skinning: Skinning = skinning
        self.proportions: Proportions = proportions
        self.drawing = drawing
        self.shapes = drawing.shapes
        self.view_box = drawing.view_box
        local_groups = [group.joints for group in drawing.secondary_groups]
        bound_outside = any(shape.outside for shape in drawing.shapes)
        self.skeleton, domains = build_skeleton(drawing.joints, local_groups, bound_outside)
        control = self._control_points(len(domains) - 1)
        self.control_points = control
        self.rest_points = control.positions
        self.point_shape = control.shape
        self.binding = (cached_bind if cache else bind)(control, self.skeleton, domains, skinning)
        self._is_anchor = control.anchor == np.arange(len(control.anchor))
        self._shape_bone_share = self._bone_share_per_shape()
        self._layering = Layering(self.skeleton.bone_joints, self._shape_bone_share)
        self._shape_point_count = np.bincount(self.point_shape, minlength=len(self.shapes))
        self.garment = (self._garments(control) if skinning != "pa"
                        else np.arange(len(self.shapes)))
        self._rest_face = self.skeleton.rest_joints[FACE_ROWS]
        rest = self.skeleton.rest_joints[:RIG_COUNT]
        shapes = {limb.name: limb.shape(rest) for limb in EXTREMITIES}
        self._rest_extremity = {name: shape for name, shape in shapes.items() if shape is not None}
        self._drawn_extremities = [limb for limb in EXTREMITIES
                                   if limb.name in self._rest_extremity]

    def _control_points(self, outside_domain: int) -> ControlPoints:
        """Every subpath's control points in one array, with what binding needs to know of each.

        In `pa` mode a straight segment's handles sit on its end points (zero-length handles,
        as Pose Animator reads them), so the segment stays straight when posed.
        """
        points, domain_of, sources, anchors, ranges, shape_of, outlines = [], [], [], [], [], [], []
        sk = self.skeleton
        body = sk.bone_primary & sk.bone_sets_scale & ~sk.bone_is_face
        body_joints = sk.rest_joints[np.unique(sk.bone_joints[body])]
        bone_length = np.linalg.norm(np.diff(sk.rest_joints[sk.bone_joints[body]], axis=1), axis=2)
        reach = STROKE_BAND * float(np.median(bone_length)) if body.any() else 0.0
        offset = 0
        for index, shape in enumerate(self.shapes):
            shape_ranges, rings = [], []
            domain = (outside_domain if shape.outside else
                      0 if shape.secondary_group is None else shape.secondary_group + 1)
            cut = self.skinning == "shape" and shape.style.get("fill", "black") in ("none", "")
            for subpath in shape.subpaths:
                local = subpath.points
                if cut and not subpath.closed:  # a stroke drawing limbs bends at their joints
                    local = split_at_joints(local, body_joints, reach + stroke_width(shape) / 2)
                count = len(local)
                if self.skinning == "pa" and subpath.straight.any():
                    local = local.copy()
                    segments = np.flatnonzero(subpath.straight)
                    local[3 * segments + 1] = local[3 * segments]
                    local[3 * segments + 2] = local[3 * segments + 3]
                own = np.arange(offset, offset + count)
                for handle, anchor in smooth_handle_sources(local, subpath.closed):
                    own[handle] = offset + anchor
                anchor_of = 3 * ((np.arange(count) + 1) // 3)  # handle1 → its start, handle2 → its end
                points.append(local)
                sources.append(own)
                anchors.append(offset + anchor_of)
                domain_of.append(np.full(count, domain))
                shape_of.append(np.full(count, index))
                shape_ranges.append((offset, offset + count, subpath.closed))
                ring = outline_polygon(local)  # an open one also ends where the subpath does
                rings.append(ring if subpath.closed else np.concatenate([ring, local[-1:]]))
                offset += count
            ranges.append(shape_ranges)
            outlines.append(rings)
        self.subpath_ranges: list[list[tuple[int, int, bool]]] = ranges
        ink = [ShapeInk([closed for _, _, closed in shape_ranges],
                        shape.style.get("fill", "black") not in ("none", ""),
                        stroke_width(shape))
               for shape, shape_ranges in zip(self.shapes, ranges)]
        return ControlPoints(np.concatenate(points), np.concatenate(domain_of),
                             np.concatenate(shape_of), np.concatenate(anchors),
                             np.concatenate(sources), outlines, ink)

    def _garments(self, control: ControlPoints) -> np.ndarray:
        """(S,) the garment of each shape (see `poseanim.garments`)."""
        anchors = [control.positions[(control.shape == index) & self._is_anchor]
                   for index in range(len(self.shapes))]
        fills = [None if (fill := shape.style.get("fill", "black")) in ("none", "") or
                 fill.startswith("url(") else fill for shape in self.shapes]
        return garments(control.outlines, anchors, fills, self._shape_bone_share)

    def _bone_share_per_shape(self) -> np.ndarray:
        """(S, B): the mean over a shape's points of each bone's weight (for path scores).

        In `pa` mode the mean runs over anchor points only, handles excluded, as in Pose Animator.
        """
        b = self.binding
        counted = self._is_anchor if self.skinning == "pa" else np.ones(b.point_count, dtype=bool)
        share = np.zeros((len(self.shapes), len(self.skeleton.bone_joints)))
        pairs = counted[b.pair_point]
        np.add.at(share, (self.point_shape[b.pair_point[pairs]], b.pair_bone[pairs]),
                  b.weight[pairs])
        counts = np.bincount(self.point_shape[counted], minlength=len(self.shapes))
        return share / np.maximum(counts, 1)[:, None]

    def point_shape_visible(self, visible: np.ndarray) -> np.ndarray:
        """(N,) bool: whether each control point belongs to a visible shape."""
        return visible[self.point_shape]

    @property
    def binding(self) -> Binding:
        """The skinning arrays. Setting them (the tools and benchmarks compare the linear blend
        with the rotation blend) binds the hands that turn over again, as they pose their own
        points by their own binding taken from this one (`poseanim.hand_mirror`)."""
        return self._binding

    @binding.setter
    def binding(self, binding: Binding) -> None:
        self._binding = binding
        self._hand_mirror = (hand_mirror(self.skeleton, binding, self.point_shape)
                             if self.skinning != "pa" else no_hand_mirror())

    @property
    def rest_joints(self) -> np.ndarray:
        """(RIG_COUNT, 2) rig joint positions at rest, NaN for joints the drawing lacks."""
        return self.skeleton.rest_joints[:RIG_COUNT]

    def rest_pose(self) -> Pose:
        """The pose that reproduces the drawing unchanged (its own joints, full confidence)."""
        positions = np.full((len(KEYPOINT_INDEX), 2), np.nan)
        positions[:RIG_COUNT] = self.rest_joints
        x, y, width, height = self.view_box
        return Pose(positions, np.isfinite(positions[:, 0]).astype(float),
                    (int(round(x + width)), int(round(y + height))))

    def pose(self, pose: Pose, ears: EarAnchor | None = None,
             in_front: Sides | None = None) -> PosedFrame:
        """Deform the drawing so that its skeleton takes `pose`.

        Untracked joints keep the drawing's proportions: when the face is lost but the ears are
        seen, the face is rebuilt from the ears (`ears`: the face as last seen relative to them,
        or for a face never seen, and in `pa` mode, where the jaw sits relative to them, as
        docs/format.md states); the face scale is that of the rebuilt face, so it neither swells
        nor jumps. Other untracked joints follow the tracked ones rigidly and score 0, so the
        shapes bound to them are hidden.
        A drawn hand or foot whose joints are untracked while its forearm or shin is tracked
        keeps its drawn shape on that limb (at the body scale, with the limb's score), so it
        never vanishes or collapses.
        in_front: the arms to paint in front of the torso, as a stream decided them over time
        (`layering.arms_in_front`, with hysteresis); None: decided from this pose's depth.
        """
        joints = pose.positions[:RIG_COUNT].copy()
        scores = pose.scores[:RIG_COUNT].copy()
        face_from_ears = not pose.has_face and np.isfinite(pose.positions[[LEFT_EAR, RIGHT_EAR]]).all()
        if face_from_ears:
            joints[FACE_ROWS], scores[FACE_ROWS] = self._face_from_ears(pose, ears or EarAnchor())
        if self.proportions == "drawing":
            joints = retarget(joints, self.rest_joints)
        lost = [limb for limb in self._drawn_extremities
                if not limb.has_all(joints) and limb.limb_direction(joints) is not None]
        joints, scores = self._fill_untracked(joints, scores)
        extended = follow_local_joints(self.skeleton, joints)
        body_scale, face_scale = region_scales(self.skeleton, extended)
        if lost:
            for limb in lost:
                joints[limb.rows] = limb.placed(joints, body_scale * self._rest_extremity[limb.name])
                scores[limb.rows] = (scores[limb.base] + scores[limb.end]) / 2
            extended = follow_local_joints(self.skeleton, joints)
        points = deform(self.binding, self.skeleton, extended, (body_scale, face_scale))
        turned = turned_over(self._hand_mirror, extended)
        if turned is not None:  # a hand seen from its other side: drawn mirrored
            points = turned.back(self._hand_mirror, self.skeleton, (body_scale, face_scale), points)
        if not np.isfinite(points).all():
            self._refuse_non_finite(points)
        joint_scores = np.concatenate([scores, scores[self.skeleton.local_parent]])
        bone_scores = joint_scores[self.skeleton.bone_joints].mean(axis=1)
        shape_scores = self._shape_bone_share @ bone_scores
        if self.skinning != "pa":  # a garment is shown or hidden as a whole
            counts = self._shape_point_count
            garment_scores = (np.bincount(self.garment, shape_scores * counts, len(self.shapes))
                              / np.maximum(np.bincount(self.garment, counts, len(self.shapes)), 1))
            shape_scores = garment_scores[self.garment]
        visible = shape_scores >= HIDE_BELOW_SCORE
        if self.skinning == "pa":
            stroke_scale = np.ones(len(self.shapes))  # Pose Animator keeps stroke widths
        else:
            bone_scales = np.where(self.skeleton.bone_is_face, face_scale, body_scale)
            stroke_scale = self._shape_bone_share @ bone_scales
            stroke_scale[self._shape_bone_share.sum(axis=1) == 0] = body_scale
        width, height = pose.image_size
        order = (None if self.skinning == "pa"  # Pose Animator paints in the drawing's order
                 else self._layering.order(pose.depth, pose.positions, in_front))
        if turned is not None:
            order = turned.paint_order(self._hand_mirror, order, len(self.shapes))
        return PosedFrame(self, points, visible, extended, (0.0, 0.0, float(width), float(height)),
                          stroke_scale, shape_scores, order=order)

    def _refuse_non_finite(self, points: np.ndarray) -> None:
        """A NaN or infinite coordinate would be written as `Mnan,nan` and paint nothing; it is
        a bug in the rig's reading or binding, so it stops the frame instead of blanking it."""
        bad = np.unique(self.point_shape[~np.isfinite(points).all(axis=1)])
        names = ", ".join(self.shapes[i].element.get("id") or f"shape {i}" for i in bad[:3])
        raise PoseanimError(f"{self.drawing.source}: posing gave non-finite coordinates for "
                            f"{len(bad)} shape(s) ({names}); this is a bug in poseanim, please "
                            "report it with the file (`poseanim rig check` may show the cause)")

    def _face_from_ears(self, pose: Pose, ears: EarAnchor) -> tuple[np.ndarray, np.ndarray]:
        left_ear, right_ear = as_complex(pose.positions[[LEFT_EAR, RIGHT_EAR]])
        span = right_ear - left_ear
        score = min(pose.scores[LEFT_EAR], pose.scores[RIGHT_EAR])
        if ears.face is not None and self.skinning != "pa":
            face_now = left_ear + span * ears.face
            return as_points(face_now), np.full(len(face_now), score)
        jaw_now = np.array([left_ear + ears.left * span, left_ear + ears.right * span])
        jaw_rest = as_complex(self.skeleton.rest_joints[[LEFT_JAW, RIGHT_JAW]])
        factor = (jaw_now[1] - jaw_now[0]) / (jaw_rest[1] - jaw_rest[0])
        face_now = jaw_now[0] + factor * (as_complex(self._rest_face) - jaw_rest[0])
        return as_points(face_now), np.full(len(face_now), score)

    def _fill_untracked(self, joints: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Place untracked joints by the similarity that best maps tracked rest joints to now."""
        missing = ~np.isfinite(joints).all(axis=1)
        if not missing.any():
            return joints, scores
        joints, scores = joints.copy(), scores.copy()
        scores[missing] = 0.0
        rest = self.rest_joints
        fit = similarity_fit(rest, joints)
        if fit is None:
            tracked = np.flatnonzero(~missing & np.isfinite(rest).all(axis=1))
            shift = joints[tracked[0]] - rest[tracked[0]] if tracked.size else np.zeros(2)
            fit = 1 + 0j, complex(*shift)
        factor, shift = fit
        joints[missing] = as_points(factor * as_complex(rest[missing]) + shift)
        return np.nan_to_num(joints), scores


def load_illustration(path_or_name: str | Path, outside: OutsideMode = "static",
                      skinning: Skinning = "shape",
                      proportions: Proportions = "person") -> Illustration:
    """Read and bind a rigged SVG: a file path, or the name of a bundled illustration.

    outside: what becomes of drawn content outside the illustration group (see `OutsideMode`).
    skinning: `shape` (the default: shape-aware binding) or `pa` (exactly Pose Animator's).
    proportions: `person` (the person's own bone lengths, as Pose Animator) or `drawing` (the
    drawing's, with the person's angles and placement; see `poseanim.retarget`).
    Raises PoseanimError with a message saying what to fix when the file cannot be animated.
    """
    path = resolve_illustration(path_or_name)
    return Illustration(read_rigged_svg(path, outside), path.stem, skinning, proportions)
