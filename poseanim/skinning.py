"""Linear-blend skinning of a drawing to the rig's bones, as `docs/format.md` states it.

Binding runs once per illustration and stores flat (point, bone) pair arrays; deforming a frame
is then a handful of gathers and one weighted sum per coordinate, so that a detailed character
(tens of thousands of pairs) poses in well under a millisecond.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

import numpy as np

from poseanim.fold_inside import (
    FoldInside, fold_inside, fold_inside_of_points, inside_correction, no_fold_inside,
)
from poseanim.geometry import as_complex, as_points, segment_distances, turn_signs
from poseanim.rig.tables import BONES, FINGERS, JOINT_NAMES, KEYPOINT_INDEX, SCALE_REGIONS
from poseanim.rotation_blend import (
    RotationBlend, blend_of_points, correction, mean_of_rotations, no_rotation_blend,
    rotation_blend,
)
from poseanim.shoulder_blend import shoulder_band

COLLINEAR_COS = 0.99
HIDE_BELOW_SCORE = 0.3
_TIE = 1e-9  # groups within this distance of the nearest count as tied

Skinning = Literal["shape", "pa"]
SKINNING_MODES: tuple[Skinning, ...] = ("shape", "pa")
"""`shape`: the default, shape-aware binding with smooth joint blends; `pa`: exactly Pose
Animator's binding (FORMAT.md, "Pose Animator's exact behaviour")."""

# Shape-aware binding (see `shape_aware_weights`).
BLEND_WIDTH = 0.3        # a joint blends over this fraction of each bone's length
FACE_BLEND_WIDTH = 0.15  # the face blends into the body over this fraction of its size
COVERED = 0.25           # a bone runs inside a shape when this fraction of it does
MIN_SHARE = 0.5          # a group joins a shape when covered this well relative to the best
TOUCHED = 0.1            # of a shape's groups, the bones running this far inside it are used
NEAR_AS = 1.25           # an uncovering shape also takes groups this near relative to the nearest
SAMPLES_PER_BONE = 12
STROKE_BAND = 0.1        # an open stroke's band reaches this fraction of a bone's length beyond its ink
ALONG_COS = 0.7          # ... for a bone running along it (a bone crossing a stroke is not drawn by it)
SIGHT_STEPS = 24        # samples along the way from a point to a bone
SIGHT_REACH = 2.5       # sight chooses among bones up to this much farther than the nearest
BACKING_COVER = 0.85    # a shape this much hidden under later shapes is a backing (see below)
COVER_SIDE = 256        # pixels of the larger side of the raster hiddenness is judged on
RIM_REACH = 2.0         # a backing's point may follow edges this many typical rims farther
RIM_CANDIDATES = 24     # of the edges nearest a backing's point, this many are looked at
SKIRT_FILLED = 0.6      # a shape filling this share of the way between the thighs is a skirt
SKIRT_SPREAD = 0.3      # of each leg's own motion, the share a skirt's side keeps
SKIRT_HIPS_APART = 0.25  # hips closer than this many thigh lengths: a side view, no skirt
SKIRT_BEYOND = 0.25     # a skirt spans this far beyond each thigh (in thigh spacings) ...
SKIRT_ACROSS = 0.9      # ... at this share of the points across, halfway down the thighs
HEIGHT_STEPS = 20       # heights a leg bone is judged at, for where a skirt ends
HEM_REACH = 3           # a point this many steps below the filled space is still the skirt's
LEG_JOINTS = ("Hip", "Knee", "Ankle", "Heel", "Toe")  # a skirt shares these between the legs
PRODUCT_COST = 10_000
"""What one dense product of the deformation layout costs beyond its coefficients, counted in
coefficients: a call into numpy and BLAS (~1.5 µs) takes as long as multiplying about that many
(Intel Xeon, OpenBLAS, float32; see `fewer_products`)."""


@dataclass(frozen=True)
class Skeleton:
    """The bones that can be posed, over an extended joint list.

    Joints 0..len(JOINT_NAMES)-1 are the rig's joints; the rest are local joint copies of
    secondary groups, each following `local_parent` (a rig joint) through the similarity
    defined by (parent, nose4) at rest and now.

    rest_joints: (J, 2) float64, NaN where the drawing lacks the joint.
    bone_joints: (B, 2) int – joint indices of each bone's two ends.
    bone_is_face: (B,) bool – the bone uses the face scale (else the body scale).
    bone_group: (B,) int – binding domain × bone group; points bind within their domain only.
    bone_primary: (B,) bool – a bone of the main skeleton (scales are measured on these).
    local_parent: (J - len(JOINT_NAMES),) int – rig joint each local copy follows.
    bone_sets_scale: (B,) bool – a body or face bone, whose length sets its region's scale; hand
    and foot bones follow the body scale without setting it (a fist must not shrink the body).
    """

    rest_joints: np.ndarray
    bone_joints: np.ndarray
    bone_is_face: np.ndarray
    bone_group: np.ndarray
    bone_primary: np.ndarray
    local_parent: np.ndarray
    bone_sets_scale: np.ndarray


def build_skeleton(joints: dict[str, np.ndarray], local_groups: list[dict[str, np.ndarray]],
                   torso_domain: bool = False) -> tuple[Skeleton, list[list[int]]]:
    """Bones of the main skeleton and of every secondary group.

    Returns the skeleton and, per binding domain (0: main, k: secondary group k-1, then with
    `torso_domain` one more holding the main skeleton's torso bones, for content bound to the
    torso alone), the list of bone indices a point of that domain may bind to. Bones with a
    missing end are dropped, and so are local copies of joints the main skeleton lacks (they
    would have no joint to follow).
    """
    rig_count = len(JOINT_NAMES)
    rest = np.full((rig_count, 2), np.nan)
    for name, position in joints.items():
        rest[KEYPOINT_INDEX[name]] = position
    local_positions: list[np.ndarray] = []
    local_parent: list[int] = []
    bone_joints: list[tuple[int, int]] = []
    bone_is_face: list[bool] = []
    bone_group: list[int] = []
    bone_primary: list[bool] = []
    sets_scale: list[bool] = []
    domains: list[list[int]] = []
    group_ids: dict[tuple[int, str], int] = {}

    def add_domain(domain: int, index_of: dict[str, int]) -> None:
        bones: list[int] = []
        for bone in BONES:
            if bone.joint0 in index_of and bone.joint1 in index_of:
                bones.append(len(bone_joints))
                bone_joints.append((index_of[bone.joint0], index_of[bone.joint1]))
                bone_is_face.append(bone.region == "face")
                bone_group.append(group_ids.setdefault((domain, bone.group), len(group_ids)))
                bone_primary.append(domain == 0)
                sets_scale.append(bone.region in SCALE_REGIONS)
        domains.append(bones)

    add_domain(0, {name: KEYPOINT_INDEX[name] for name in joints})
    torso = [index for index, bone in zip(domains[0], (b for b in BONES if b.joint0 in joints
                                                        and b.joint1 in joints))
             if bone.group == "torso"]
    for domain, local in enumerate(local_groups, start=1):
        index_of = {}
        for name, position in local.items():
            if name not in joints:
                continue
            index_of[name] = rig_count + len(local_positions)
            local_positions.append(position)
            local_parent.append(KEYPOINT_INDEX[name])
        add_domain(domain, index_of)
    if torso_domain:
        domains.append(torso)
    if local_positions:
        rest = np.vstack([rest, np.array(local_positions)])
    skeleton = Skeleton(rest, np.array(bone_joints, dtype=np.intp).reshape(-1, 2),
                        np.array(bone_is_face, dtype=bool), np.array(bone_group, dtype=np.intp),
                        np.array(bone_primary, dtype=bool), np.array(local_parent, dtype=np.intp),
                        np.array(sets_scale, dtype=bool))
    return skeleton, domains


@dataclass(frozen=True)
class DeformBlock:
    """One dense product: distinct coefficient rows against a slice of the gathered features.

    columns: the slice of `DeformLayout.features` this block's points touch (contiguous, so the
    product reads a view, not a gathered copy).
    matrix: (rows, c) float32 – the coefficients, one row per distinct row of its points.
    """

    columns: slice
    matrix: np.ndarray


@dataclass(frozen=True)
class DeformLayout:
    """The binding rearranged so that posing a frame is a few dense matrix products.

    A pair (point, bone) adds w·start + w·t·vector + w·along·û + w·across·n̂ to its point, where
    start and vector are linear in the bone's two joints and û, n̂ are the bone's scaled unit
    direction and normal now. Summed per point, that is one row of coefficients against the
    stacked features [joints; û per bone; n̂ per bone]: w·(1 - t) on joint0, w·t on joint1,
    w·along on û, w·across on n̂. A point of the rotation blend (hands and feet in `shape`
    mode) also carries its mean of rotations, −s·R̄·(p − c), which is linear in the same û and
    n̂ (`rotation_blend.mean_of_rotations`), so a frame adds only `rotation_blend.correction`
    (see `origin`).

    Why blocks: one matrix over every point and column is almost all zeros (a point of an arm
    touches a handful of the columns, a face point every face bone but no body bone), and the
    products are bound by memory, not arithmetic. The points are therefore sorted by the kinds
    of bones they bind to (body, hands and feet, face, secondary groups: at most a few kinds,
    so a few BLAS calls, never one per bone set; a hand is a kind of its own, left apart from
    right), and each block multiplies only the columns its points touch; kinds of few points
    (a wrist's, bound to a forearm and a hand) join another block where a call of their own would
    cost more than the zeros they add there (`fewer_products`). Points with the same
    coefficients (a segment's end and the next one's start, the smooth handles Pose Animator
    binds like their anchor: 10–35 % of a character's points) share one row, computed once.
    The products run in float32 on the features' change since the rest pose, added to the
    float64 rest points: half the memory traffic, the rest pose reproduced exactly, and an
    error of about 1e-7 of the motion (a thousandth of a pixel on a 4K frame). Each block is
    one product against the (c, 2) motion, by `np.dot` (whose call costs half `np.matmul`'s).
    The form is the machine's: on an Intel Xeon (OpenBLAS's SkylakeX kernels) it takes half the
    time of two matrix-vector products (x, then y; Ada's face, 1351×205: 31-37 against 67-80
    µs), where on an AMD EPYC OpenBLAS packed the whole matrix for a product of two columns and
    the two vectors were 2.6x faster. Re-measure the face's block both ways on a new machine.

    features: (C,) int – the rows of the stacked (J + 2·B, 2) features, block after block (a
    feature two blocks use appears in both), so that one gather serves every product.
    rest_features: (C, 2) float64 – those rows at rest (scales 1).
    blocks: the products; their results, concatenated, hold `rows` rows.
    source: (N,) int – the row of that concatenated result that moves each point.
    origin: (N, 2) float64 – the rest points, to which the products add the motion; for a
    point of the rotation blend, its centre of rotation c (the layout poses it at the linear
    blend less s·R̄·(p − c), which is c at rest, and `rotation_blend.correction` adds s·R̂·(p − c)).
    """

    features: np.ndarray
    rest_features: np.ndarray
    blocks: tuple[DeformBlock, ...]
    rows: int
    source: np.ndarray
    origin: np.ndarray


@dataclass(frozen=True)
class Binding:
    """The (point, bone) pairs of a bound drawing.

    pair_point, pair_bone: (K,) int; weight, t, along, across: (K,) float64 – the weight, the
    anchor fraction along the bone and the offset from the anchor in the bone's frame (units of
    the drawing, scaled by the region scale when posed).
    point_count: N, the number of bound control points.
    layout: the same pairs as dense rows for fast deformation (see `DeformLayout`).
    rotation: the points of hands and feet that blend their bones' rotations rather than their
    positions, so that a folded finger keeps its knuckle round (`poseanim.rotation_blend`;
    none in `pa` mode).
    inside: the points on the inside of finger folds, whose crease goes under the knuckle's cap
    when the finger folds flat (`poseanim.fold_inside`; none in `pa` mode).
    """

    pair_point: np.ndarray
    pair_bone: np.ndarray
    weight: np.ndarray
    t: np.ndarray
    along: np.ndarray
    across: np.ndarray
    point_count: int
    layout: DeformLayout
    rotation: RotationBlend
    inside: FoldInside


def deform_layout(skeleton: Skeleton, points: np.ndarray, pair_point: np.ndarray,
                  pair_bone: np.ndarray, weight: np.ndarray, t: np.ndarray, along: np.ndarray,
                  across: np.ndarray, rotation: RotationBlend) -> DeformLayout:
    """Collect (point, bone) pairs into the dense blocks of `DeformLayout`, with the rotation
    blend's mean of rotations (`rotation_blend.mean_of_rotations`) on the columns of the
    bones' directions."""
    point_count = len(points)
    joint_count, bone_count = len(skeleton.rest_joints), len(skeleton.bone_joints)
    stacked = joint_count + 2 * bone_count
    ends = skeleton.bone_joints[pair_bone]
    turning, bones_of, coefficient = mean_of_rotations(rotation)
    point, bone = rotation.points[turning], rotation.bones[bones_of]
    first, second = pair_point * stacked, point * stacked
    cells = np.concatenate([first + ends[:, 0], first + ends[:, 1], first + joint_count + pair_bone,
                            first + joint_count + bone_count + pair_bone, second + joint_count + bone,
                            second + joint_count + bone_count + bone])
    terms = np.concatenate([weight * (1 - t), weight * t, weight * along, weight * across,
                            coefficient.real, coefficient.imag])
    # One bincount sums each cell's terms in the order np.add.at would, 2-3x faster.
    dense = np.bincount(cells, terms, minlength=point_count * stacked).reshape(point_count, stacked)
    features = np.flatnonzero((dense != 0).any(axis=0))
    dense = dense[:, features]
    kind = np.where(~skeleton.bone_primary, 4, np.where(
        skeleton.bone_is_face, 3, np.where(skeleton.bone_sets_scale, 0, 1 + _right_side(skeleton))))
    touches = np.zeros((point_count, 5), dtype=bool)  # which kinds of bone each point binds to
    touches[pair_point, kind[pair_bone]] = True
    kinds = touches @ (1 << np.arange(5))
    starts = np.flatnonzero(np.diff(np.sort(kinds), prepend=-1))
    order = np.argsort(kinds, kind="stable")
    blocks, gathered, source = [], [], np.empty(point_count, dtype=np.intp)
    width = rows = 0
    for points_here, touched in fewer_products([
            (order[start:stop], (dense[order[start:stop]] != 0).any(axis=0))
            for start, stop in zip(starts, [*starts[1:], point_count])]):
        columns = np.flatnonzero(touched)
        distinct, row_of = distinct_rows(dense[np.ix_(points_here, columns)])
        source[points_here] = rows + row_of
        blocks.append(DeformBlock(slice(width, width + len(columns)),
                                  np.ascontiguousarray(distinct, dtype=np.float32)))
        gathered.append(features[columns])
        width, rows = width + len(columns), rows + len(distinct)
    used = np.concatenate(gathered) if gathered else np.zeros(0, dtype=np.intp)
    rest_features = stacked_features(skeleton, np.nan_to_num(skeleton.rest_joints), (1.0, 1.0))[used]
    origin = np.array(points, dtype=np.float64)
    origin[rotation.points] -= as_points(rotation.offset)  # their centres
    return DeformLayout(used, rest_features, tuple(blocks), rows, source, origin)


def fewer_products(blocks: list[tuple[np.ndarray, np.ndarray]]
                   ) -> list[tuple[np.ndarray, np.ndarray]]:
    """Blocks of (points, the columns they touch as a mask), merged two by two while one
    product over both (their points against the union of their columns) costs less than the two
    apart, the largest saving first. A product costs `PRODUCT_COST` plus one per coefficient:
    the few points bound to both a forearm and a hand (a wrist) join a block, where the big
    blocks stay apart (a hand's points against the face's columns would be zeros to multiply)."""
    def cost(rows: int, touched: np.ndarray) -> int:
        return PRODUCT_COST + rows * int(touched.sum())

    def saving(pair: tuple[int, int]) -> int:
        (points, touched), (others, touched_too) = blocks[pair[0]], blocks[pair[1]]
        return (cost(len(points), touched) + cost(len(others), touched_too)
                - cost(len(points) + len(others), touched | touched_too))

    blocks = list(blocks)
    while len(blocks) > 1:
        first, second = max(((i, j) for i in range(len(blocks)) for j in range(i)), key=saving)
        if saving((first, second)) <= 0:
            break
        (points, touched), (others, touched_too) = blocks[second], blocks.pop(first)
        blocks[second] = (np.concatenate([points, others]), touched | touched_too)
    return blocks


def distinct_rows(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(distinct, row_of): what `np.unique(matrix, axis=0, return_inverse=True)` gives for a
    finite float matrix (the distinct rows in lexicographic order, and each row's place among
    them), by one stable lexsort of the columns: np.unique sorts the rows as structured
    records, 5-7x slower on the face's block (1544 rows of 205 columns for Ada)."""
    if matrix.shape[1] == 0:  # points bound to no bone: one row of nothing
        return matrix[:1], np.zeros(len(matrix), dtype=np.intp)
    order = np.lexsort(matrix.T[::-1])
    ordered = matrix[order]
    new = np.ones(len(matrix), dtype=bool)
    new[1:] = (ordered[1:] != ordered[:-1]).any(axis=1)
    row_of = np.empty(len(matrix), dtype=np.intp)
    row_of[order] = np.cumsum(new) - 1
    return ordered[new], row_of


def finger_folds(skeleton: Skeleton) -> np.ndarray:
    """(B, 4) int: per bone of a finger (its palm bone included), the finger's wrist and base
    joints, the joint on the side it folds towards, and the bone's rank along the finger (0:
    the palm bone); -1 for other bones. The four fingers curl towards the palm, which the
    thumb's knuckle lies before; the thumb folds across the palm, towards the little finger."""
    folds = np.full((len(skeleton.bone_joints), 4), -1, dtype=np.intp)
    rig = len(JOINT_NAMES)
    for index, (_, end) in enumerate(skeleton.bone_joints):
        name = JOINT_NAMES[end] if end < rig else ""
        for side in ("left", "right"):
            finger, rank = name[len(side):-1], name[-1:]
            if name.startswith(side) and finger in FINGERS:
                towards = f"{side}Pinky1" if finger == "Thumb" else f"{side}Thumb2"
                folds[index] = (KEYPOINT_INDEX[f"{side}Wrist"], KEYPOINT_INDEX[f"{side}{finger}1"],
                                KEYPOINT_INDEX[towards], int(rank) - 1)
    return folds


def inside_of_folds(skeleton: Skeleton, folds: np.ndarray, pair_point: np.ndarray,
                    pair_bone: np.ndarray, weight: np.ndarray, across: np.ndarray,
                    count: int) -> np.ndarray:
    """(count,) bool: the points drawn on the side a finger folds towards (its palm side, as
    `finger_folds` reads it at rest) of their heaviest bone, a finger's or its palm bone.

    The rotation blend keeps them out and blends them linearly: turned about the knuckle by the
    mean angle, the inside of a finger folded past about 120° sweeps round the joint through the
    finger and back out (a loop in the outline), where the linear blend creases it into the
    joint, as skin folds there; the outside stays round. A hand turned over in the picture folds
    the other way round, which `poseanim.hand_mirror` undoes first.
    pair_point, pair_bone, weight, across: the binding's pairs, with each point's offset across
    its bone (positive on the side a positive turn heads for)."""
    inside = np.zeros(count, dtype=bool)
    if pair_point.size == 0:
        return inside
    order = np.lexsort((-weight, pair_point))
    heaviest = order[np.flatnonzero(np.diff(pair_point[order], prepend=-1))]
    finger = folds[pair_bone[heaviest]]
    rest = as_complex(np.nan_to_num(skeleton.rest_joints))
    wrist, base, towards = (rest[finger[:, k]] for k in range(3))
    way = turn_signs(base - wrist, towards - wrist)
    inside[pair_point[heaviest]] = (finger[:, 0] >= 0) & (way != 0) & (np.sign(across[heaviest]) == way)
    return inside


def _right_side(skeleton: Skeleton) -> np.ndarray:
    """(B,) int: 1 for a bone whose first joint is on the right (a hand or a foot's side)."""
    right = np.array([name.startswith("right") for name in JOINT_NAMES], dtype=np.intp)
    first = skeleton.bone_joints[:, 0]
    return np.where(first < len(JOINT_NAMES), right[np.minimum(first, len(JOINT_NAMES) - 1)], 0)


def smooth_handle_sources(subpath_points: np.ndarray, closed: bool) -> list[tuple[int, int]]:
    """(handle, anchor) index pairs where a point's two handles are collinear.

    subpath_points: (1 + 3·S, 2) – start, then (handle1, handle2, end) per segment. Such
    handles take their anchor's weights so that a smooth join stays smooth when posed.
    """
    count = len(subpath_points)
    segments = (count - 1) // 3
    pairs: list[tuple[int, int]] = []
    for k in range(segments + 1):
        anchor = 3 * k
        incoming = anchor - 1 if k > 0 else (count - 2 if closed and segments else None)
        outgoing = anchor + 1 if k < segments else (1 if closed and segments else None)
        if incoming is None or outgoing is None:
            continue
        a = subpath_points[incoming] - subpath_points[anchor]
        b = subpath_points[outgoing] - subpath_points[anchor]
        norms = np.linalg.norm(a) * np.linalg.norm(b)
        if norms > 1e-12 and abs(float(a @ b)) / norms > COLLINEAR_COS:
            pairs += [(incoming, anchor), (outgoing, anchor)]
    return pairs


@dataclass(frozen=True)
class ControlPoints:
    """A drawing's control points, as binding needs them.

    positions: (N, 2) float64 rest positions; domain: (N,) int binding domain (0: the main
    skeleton, k: secondary group k-1); shape: (N,) int the drawn shape each point belongs to;
    anchor: (N,) int the on-curve point each point belongs to (itself, or the point a handle
    leaves from or arrives at); weight_source: (N,) int the point whose weights each point takes
    (itself, or the anchor of a collinear handle, so that smooth joins stay smooth);
    outlines: per shape, its subpaths sampled as polygons ((M, 2) each; an open one ends at its
    last point): closed, its interior; an unfilled open one is a line (see `bone_cover`).
    ink: per shape, how it is painted (for the drawing's silhouette); None: every outline filled.
    """

    positions: np.ndarray
    domain: np.ndarray
    shape: np.ndarray
    anchor: np.ndarray
    weight_source: np.ndarray
    outlines: list[list[np.ndarray]]
    ink: list[ShapeInk] | None = None


@dataclass(frozen=True)
class ShapeInk:
    """How one shape puts ink down: which of its subpaths are closed, whether it is filled,
    and its stroke width in the drawing's units (0: no stroke)."""

    closed: list[bool]
    filled: bool
    stroke_width: float


SILHOUETTE_SIDE = 1024
"""Pixels of the larger side of the raster the drawing's silhouette is judged on."""
INSIDE_SIDE = 256
"""... and of the one the ways inside a shape are measured on (`_ways_inside`): a gap
between an arm and the torso wider than 0.4 % of the drawing parts them."""
SIGHT_SLACK = 2
"""Pixels the silhouette is widened by, so that a way along an outline never counts as
leaving it; narrower gaps (a hairline between two shapes) are not gaps."""


@dataclass(frozen=True)
class Silhouette:
    """Shapes at rest as one mask: where there is ink, or the inside of a closed outline.

    Binding asks it whether the way from a point to a bone stays on the figure, so that the
    straight line standing in for a way inside the figure does not cross the background
    between an arm and the torso, or between the legs.
    """

    mask: np.ndarray
    scale: float
    offset: np.ndarray

    @classmethod
    def of(cls, control: ControlPoints, shapes: list[int] | None = None,
           scale: float | None = None) -> Silhouette:
        """Rasterise the shapes (all by default) at `scale` pixels per unit (by default the
        whole drawing fits `SILHOUETTE_SIDE`): fills by the even-odd rule over a shape's
        subpaths (an unfilled closed outline too: in line art it bounds a body part), strokes
        at their width (at least a pixel)."""
        import cv2  # here: a drawing that is only read or listed does not need OpenCV

        shapes = list(range(len(control.outlines))) if shapes is None else shapes
        mask, scale, offset = _blank_raster(control, shapes, SILHOUETTE_SIDE, scale)
        for index in shapes:
            _paint_shape(mask, control, index, scale, offset)
        widened = cv2.dilate(mask, np.ones((2 * SIGHT_SLACK + 1,) * 2, np.uint8))  # edges: no gaps
        return cls(widened.astype(bool), scale, offset)

    def contains(self, points: np.ndarray) -> np.ndarray:
        """(...) bool: which points (..., 2) in drawing units lie on the silhouette."""
        pixels = np.round(points * self.scale + self.offset).astype(np.intp)
        height, width = self.mask.shape
        x, y = pixels[..., 0], pixels[..., 1]
        within = (x >= 0) & (x < width) & (y >= 0) & (y < height)
        return within & self.mask[np.clip(y, 0, height - 1), np.clip(x, 0, width - 1)]

    def sees(self, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
        """(n,) bool: whether the straight way from each start to its end (n, 2) stays on the
        figure: once on it, it never leaves it to come back (that would cross a gap). A way
        that starts off the figure (a handle outside it) or ends off it (a bone placed just
        beyond the outline) still sees."""
        steps = np.linspace(0.0, 1.0, SIGHT_STEPS)
        on = self.contains(starts[:, None] + steps[None, :, None] * (ends - starts)[:, None])
        reached = np.cumsum(on, axis=1) > 0
        comes_back = np.cumsum(on[:, ::-1], axis=1)[:, ::-1] > 0
        return ~(reached & ~on & comes_back).any(axis=1)


def _blank_raster(control: ControlPoints, shapes: list[int], side: int,
                  scale: float | None = None) -> tuple[np.ndarray, float, np.ndarray]:
    """(mask, scale, offset): an empty uint8 raster around the shapes, `side` pixels on its
    larger side unless `scale` (pixels per unit) is given; pixel = point · scale + offset."""
    corners = np.concatenate([ring for index in shapes for ring in control.outlines[index]]
                             or [control.positions])
    low, high = corners.min(axis=0), corners.max(axis=0)
    if scale is None:
        scale = (side - 4) / max(float((high - low).max()), 1e-9)
    size = np.ceil((high - low) * scale + 4).astype(int)
    return np.zeros((size[1], size[0]), np.uint8), scale, 2 - low * scale


_MAX_CV_THICKNESS = 32767  # OpenCV's MAX_THICKNESS: a wider line is an error, not a drawing


def _pixel_width(width: float, raster: tuple[int, ...]) -> int:
    """A stroke's width in whole pixels, as OpenCV draws it: at least one, at most one that
    covers the whole raster. A hostile `stroke-width` (1e300, infinite, or NaN after a
    singular transform) times the raster's scale is no integer OpenCV takes (fuzz cases
    13:23875, 13:57054: "Python int too large to convert to C long", OverflowError)."""
    cover = min(2 * max(raster) + 1, _MAX_CV_THICKNESS)
    return int(np.clip(np.rint(np.nan_to_num(width, nan=1.0, posinf=cover, neginf=1.0)), 1, cover))


def _paint_shape(mask: np.ndarray, control: ControlPoints, index: int, scale: float,
                 offset: np.ndarray) -> None:
    """Paint one shape's ink into `mask` (uint8, changed in place), as `Silhouette.of` says."""
    import cv2

    rings = [np.round((ring * scale + offset) * 16).astype(np.int32)  # in 1/16 pixels
             for ring in control.outlines[index]]
    ink = (control.ink[index] if control.ink is not None
           else ShapeInk([True] * len(rings), True, 0.0))
    width = _pixel_width(ink.stroke_width * scale, mask.shape)
    closed = [ring for ring, is_closed in zip(rings, ink.closed)
              if (is_closed or ink.filled) and len(ring) >= 3]
    if closed:
        fill = np.zeros_like(mask)
        for ring in closed:  # even-odd: each ring flips what it covers
            one = np.zeros_like(mask)
            cv2.fillPoly(one, [ring], (1,), cv2.LINE_8, 4)
            fill ^= one
        mask |= fill
    if ink.stroke_width > 0 or not closed:
        for ring, is_closed in zip(rings, ink.closed):
            if len(ring) >= 2:
                cv2.polylines(mask, [ring], is_closed, (1,), width, cv2.LINE_8, 4)


OUTLINE_SAMPLES = 6
"""Samples per cubic segment of the polygon standing in for a subpath's outline."""


def outline_polygon(subpath_points: np.ndarray, samples: int = OUTLINE_SAMPLES) -> np.ndarray:
    """(S·samples, 2): a cubic subpath (1 + 3·S, 2) sampled as a polygon (closed implicitly)."""
    segments = (len(subpath_points) - 1) // 3
    if segments == 0:
        return subpath_points[:1]
    s = np.arange(samples) / samples
    basis = np.stack([(1 - s) ** 3, 3 * s * (1 - s) ** 2, 3 * s ** 2 * (1 - s), s ** 3], axis=1)
    controls = np.stack([subpath_points[3 * k: 3 * k + 4] for k in range(segments)])  # (S, 4, 2)
    return np.einsum("sc,kcd->ksd", basis, controls).reshape(-1, 2)


SPLIT_STEPS = 32     # samples per cubic segment where a stroke is looked at for a joint it passes
SPLIT_MARGIN = 0.15  # a segment is cut at a joint only this far (in its parameter) from its ends


def split_at_joints(subpath_points: np.ndarray, joints: np.ndarray, reach: float) -> np.ndarray:
    """(1 + 3·S', 2): an open cubic subpath (1 + 3·S, 2) cut exactly (de Casteljau) where it
    passes within `reach` of one of the `joints` (J, 2), so that it can bend there.

    A stick figure draws shoulder, upper arm and forearm as one cubic: its four control points
    cannot bend at the elbow, but two cubics meeting at an anchor on the elbow can (the anchor
    blends over the elbow, each half follows its bone). The drawing at rest is unchanged.
    """
    t = np.linspace(0.0, 1.0, SPLIT_STEPS + 1)
    basis = np.stack([(1 - t) ** 3, 3 * t * (1 - t) ** 2, 3 * t ** 2 * (1 - t), t ** 3], axis=1)
    pieces = [subpath_points[:1]]
    for start in range(0, len(subpath_points) - 3, 3):
        rest = subpath_points[start:start + 4]
        to_joint = np.linalg.norm((basis @ rest)[:, None] - joints[None], axis=2)  # (T, J)
        nearest = to_joint.argmin(axis=0)
        cuts = np.unique(t[nearest[(to_joint[nearest, np.arange(len(joints))] <= reach)
                                   & (t[nearest] > SPLIT_MARGIN) & (t[nearest] < 1 - SPLIT_MARGIN)]])
        done = 0.0
        for cut in cuts:
            left, rest = _de_casteljau(rest, (cut - done) / (1 - done))
            pieces.append(left[1:])
            done = cut
        pieces.append(rest[1:])
    return np.concatenate(pieces)


def _de_casteljau(cubic: np.ndarray, at: float) -> tuple[np.ndarray, np.ndarray]:
    """The two cubics (4, 2) that one cubic (4, 2) is made of, cut at parameter `at`."""
    a, b, c = (cubic[:-1] + at * (cubic[1:] - cubic[:-1]))
    ab, bc = a + at * (b - a), b + at * (c - b)
    middle = ab + at * (bc - ab)
    return np.stack([cubic[0], a, ab, middle]), np.stack([middle, bc, c, cubic[3]])


def inside(samples: np.ndarray, rings: list[np.ndarray]) -> np.ndarray:
    """(m,) bool: which samples (m, 2) lie inside the rings by the even-odd rule.

    Only the samples within a ring's bounding box are tested against it: one outside crosses
    the ring an even number of times, so leaving it out keeps the parity (binding tests every
    bone's samples against every shape, and most lie far from a small shape)."""
    crossings = np.zeros(len(samples), dtype=np.intp)
    for ring in rings:
        if len(ring) < 3:
            continue
        low, high = ring.min(axis=0), ring.max(axis=0)
        near = np.flatnonzero(((samples >= low) & (samples <= high)).all(axis=1))
        if not len(near):
            continue
        x, y = samples[near, 0:1], samples[near, 1:2]
        a, b = ring, np.roll(ring, -1, axis=0)
        straddles = (a[None, :, 1] > y) != (b[None, :, 1] > y)
        dy = np.where(b[:, 1] == a[:, 1], 1e-300, b[:, 1] - a[:, 1])
        cross_x = a[None, :, 0] + (y - a[None, :, 1]) * (b[None, :, 0] - a[None, :, 0]) / dy[None]
        crossings[near] += (straddles & (x < cross_x)).sum(axis=1)
    return crossings % 2 == 1


def falloff(x: np.ndarray) -> np.ndarray:
    """1 at x ≤ 0, 0 at x ≥ 1, a smoothstep between: a joint blend with no kink at its edges."""
    x = np.clip(x, 0.0, 1.0)
    return 1.0 - x * x * (3.0 - 2.0 * x)


def inverse_square(distances: np.ndarray) -> np.ndarray:
    """Rows of 1/d² weights normalised to 1; a point lying on a bone belongs to it alone."""
    on_bone = distances <= _TIE
    weights = np.where(on_bone.any(axis=1, keepdims=True), on_bone.astype(float),
                       1.0 / np.maximum(distances, _TIE) ** 2)
    return weights / weights.sum(axis=1, keepdims=True)


def bone_weights(points: np.ndarray, skeleton: Skeleton, bones: list[int],
                 choose_by: np.ndarray | None = None) -> np.ndarray:
    """(N, len(bones)) Pose Animator's weights: nearest bone group, then 1/d² within it.

    choose_by: (N,) int, the row whose nearest group each point takes (Pose Animator weighs a
    handle over the group chosen for its anchor point); by default each point's own.
    """
    bone_index = np.asarray(bones, dtype=np.intp)
    ends = skeleton.rest_joints[skeleton.bone_joints[bone_index]]
    distances, _ = segment_distances(points, ends[:, 0], ends[:, 1])
    groups = skeleton.bone_group[bone_index]
    unique_groups = np.unique(groups)
    group_distance = np.stack([distances[:, groups == g].min(axis=1) for g in unique_groups], 1)
    nearest = group_distance.min(axis=1, keepdims=True)
    chosen_groups = group_distance <= nearest + _TIE
    if choose_by is not None:
        chosen_groups = chosen_groups[choose_by]
    in_chosen = chosen_groups[:, np.searchsorted(unique_groups, groups)]
    return inverse_square(np.where(in_chosen, distances, np.inf))


def bone_cover(rings: list[np.ndarray], bone_samples: np.ndarray,
               ink: ShapeInk | None = None) -> np.ndarray:
    """(B,) the share of each bone's samples (B, k, 2) that runs inside one shape.

    The inside of a filled shape or of a closed outline is what its rings enclose (even-odd).
    An open subpath of an unfilled shape encloses nothing (a stick figure's arms, one stroke
    from hand to hand): its inside is the band of the stroke around its centre line, half the
    stroke wide plus `STROKE_BAND` of the bone's length (a joint placed beside the line still
    lies along it) where the bone runs along the line within 45° (`ALONG_COS`), so the bones
    drawn by the stroke are the ones it covers, not those it crosses (a belt over the torso).
    """
    bone_count, per_bone = bone_samples.shape[:2]
    is_line = ([False] * len(rings) if ink is None or ink.filled else
               [not closed and len(ring) >= 2 for ring, closed in zip(rings, ink.closed)])
    open_line = [ring for ring, line in zip(rings, is_line) if line]
    enclosing = [ring for ring, line in zip(rings, is_line) if not line]
    covered = inside(bone_samples.reshape(-1, 2), enclosing).reshape(bone_count, per_bone)
    if open_line:
        lengths = np.linalg.norm(bone_samples[:, -1] - bone_samples[:, 0], axis=1) * (
            per_bone / max(per_bone - 1, 1))
        reach = 0.5 * (ink.stroke_width if ink else 0.0) + STROKE_BAND * lengths
        starts = np.concatenate([line[:-1] for line in open_line])
        ends = np.concatenate([line[1:] for line in open_line])
        to_line, _ = segment_distances(bone_samples.reshape(-1, 2), starts, ends)
        nearest = to_line.argmin(axis=1)
        near = to_line[np.arange(len(nearest)), nearest].reshape(bone_count, per_bone)
        along = ends[nearest] - starts[nearest]
        along /= np.maximum(np.linalg.norm(along, axis=1, keepdims=True), 1e-12)
        bone = bone_samples[:, -1] - bone_samples[:, 0]
        bone /= np.maximum(np.linalg.norm(bone, axis=1, keepdims=True), 1e-12)
        parallel = np.abs((along.reshape(bone_count, per_bone, 2) * bone[:, None]).sum(axis=2))
        covered = covered | ((near <= reach[:, None]) & (parallel >= ALONG_COS))
    return covered.mean(axis=1)


def shape_member_bones(covered: np.ndarray, distances: np.ndarray, groups: np.ndarray,
                       extremity: np.ndarray | None = None,
                       joint_of: np.ndarray | None = None,
                       past_free_end: np.ndarray | None = None) -> tuple[np.ndarray, bool]:
    """((B,) bool, covers): the bones one shape binds to, and whether it covers any.

    A group belongs to the shape when one of its bones runs inside the shape for at least
    `COVERED` of its length and at least `MIN_SHARE` as far as the best-covered group's (an arm
    drawn against the torso covers its own bones fully and the torso's side bone only at its
    edge); of those groups, the bones that run inside at all (`TOUCHED`) are used (trousers
    hold the hip bone, not the torso's sides). A shape that covers no bone (a hand beside the
    hip, a neck, a strand of hair) takes every bone of the group nearest to most of its points,
    and of any group about as near (a neck: face and torso), unless most of its points lie
    past the free end of one of those groups (a hand beyond the wrist, hanging beside the thigh:
    the arm's alone, not split between the arm and the leg, which streaked it from the hip to
    the raised hand).

    A hand's or foot's groups (palm, fingers: `extremity` bones, short enough to lie wholly
    inside a skirt the hand rests on) join a shape that covers more than them only together
    with the limb they hang from (a glove on a sleeve), never alone (a skirt with hands drawn
    at its sides must not follow the fingers).

    covered: (B,) the share of each candidate bone inside the shape (`bone_cover`);
    distances: (n, B) from the shape's points to the candidate bones; groups: (B,) their
    group; extremity: (B,) bool the hand and foot bones; joint_of: (B, 2) each bone's joints;
    past_free_end: (n, B) bool whether the bone's nearest point to each point is a joint that
    ends the skeleton there (a wrist with no hand bones, an ankle: `free_end_nearest`).
    """
    unique_groups = np.unique(groups)
    group_cover = np.array([covered[groups == g].max() for g in unique_groups])
    member = (group_cover >= COVERED) & (group_cover >= MIN_SHARE * group_cover.max())
    if member.any() and extremity is not None and joint_of is not None:
        member &= _extremities_with_their_limb(member, unique_groups, groups, extremity, joint_of)
    if member.any():
        return np.isin(groups, unique_groups[member]) & (covered >= TOUCHED), True
    typical = np.array([np.median(distances[:, groups == g].min(axis=1)) for g in unique_groups])
    near = typical <= NEAR_AS * typical.min() + _TIE
    if past_free_end is not None and near.sum() > 1:
        hanging = near & np.array([_hangs_from(distances[:, groups == g], past_free_end[:, groups == g])
                                   for g in unique_groups])
        if hanging.any():
            near = unique_groups == unique_groups[hanging][np.argmin(typical[hanging])]
    return np.isin(groups, unique_groups[near]), False


def _hangs_from(distances: np.ndarray, past_free_end: np.ndarray) -> bool:
    """Whether most points (rows) lie past a free end of the group (columns: its bones)."""
    nearest = distances.argmin(axis=1)
    return bool(past_free_end[np.arange(len(nearest)), nearest].mean() > 0.5)


def free_end_nearest(fraction: np.ndarray, joint_of: np.ndarray, face: np.ndarray) -> np.ndarray:
    """(n, B) bool: whether each point's nearest point on each body bone (fraction (n, B) along
    it, clipped to [0, 1]) is a joint no other body bone holds: where the skeleton ends (a wrist
    without hand bones, an ankle without a foot, a fingertip). The face's bones are none."""
    body_joints = joint_of[~face].ravel()
    free = np.isin(joint_of, body_joints[np.bincount(body_joints)[body_joints] == 1]) & ~face[:, None]
    return (free[None, :, 0] & (fraction <= 0.0)) | (free[None, :, 1] & (fraction >= 1.0))


def _extremities_with_their_limb(member: np.ndarray, unique_groups: np.ndarray, groups: np.ndarray,
                                 extremity: np.ndarray, joint_of: np.ndarray) -> np.ndarray:
    """(G,) bool: which member groups may stay: every limb group, and a hand's or foot's group
    only when no limb group is a member or one that holds its wrist or ankle is."""
    is_extremity = np.array([extremity[groups == g].all() for g in unique_groups])
    limbs = member & ~is_extremity
    if not limbs.any():
        return np.ones(len(unique_groups), dtype=bool)
    limb_joints = set(joint_of[np.isin(groups, unique_groups[limbs])].ravel().tolist())
    keep = ~is_extremity
    for index in np.flatnonzero(member & is_extremity):
        keep[index] = bool(limb_joints & set(joint_of[groups == unique_groups[index]].ravel().tolist()))
    return keep


def shape_aware_weights(control: ControlPoints, members: np.ndarray, skeleton: Skeleton,
                        bones: list[int]) -> np.ndarray:
    """(len(members), len(bones)) weights of the default binding (`skinning="shape"`).

    Each shape first picks the bones it belongs to (`shape_member_bones`), so that its
    points are never split between unrelated limbs; within them every body bone is its own
    unit and the whole face one unit. A point of a shape that covers bones and holds more than
    one unit measures its distance to each along the way inside the shape (`_ways_inside`):
    an arm drawn beside the torso in the same path is the arm's up to its inner edge, though
    that edge is nearer the torso's side bone, and the weights change smoothly round the armpit.
    An open stroke (a line) binds to the bones it can see along the figure instead
    (`Silhouette.sees`: the straight way there does not cross the background). (A shape
    covering no bone, a foot or a hand beside its bone, binds as the crow flies: every way from
    it leaves it.) Of those bones, the nearest unit
    gets weight 1 and every other unit falls off smoothly with how much farther it is, over
    `BLEND_WIDTH` of that bone's length (the face: `FACE_BLEND_WIDTH` of its size), so joints
    bend with a smooth blend proportional to the limb instead of a seam. Within the face,
    weights are 1/d² as in Pose Animator, which keeps expressions smooth.
    """
    bone_index = np.asarray(bones, dtype=np.intp)
    ends = skeleton.rest_joints[skeleton.bone_joints[bone_index]]
    points = control.positions[members]
    distances, fraction = segment_distances(points, ends[:, 0], ends[:, 1])
    groups = skeleton.bone_group[bone_index]
    face = skeleton.bone_is_face[bone_index]
    lengths = np.linalg.norm(ends[:, 1] - ends[:, 0], axis=1)
    sigma = np.maximum(BLEND_WIDTH * lengths, 1e-9)
    if face.any():
        face_ends = ends[face].reshape(-1, 2)
        face_sigma = max(FACE_BLEND_WIDTH * float(np.linalg.norm(np.ptp(face_ends, axis=0))), 1e-9)
    fractions = (np.arange(SAMPLES_PER_BONE) + 0.5) / SAMPLES_PER_BONE
    bone_samples = ends[:, None, 0] + fractions[None, :, None] * (ends[:, 1] - ends[:, 0])[:, None]
    figure = Silhouette.of(control)
    joint_of = skeleton.bone_joints[bone_index]
    extremity = ~skeleton.bone_sets_scale[bone_index] & ~face
    past_free_end = free_end_nearest(fraction, joint_of, face)
    weights = np.zeros((len(members), len(bones)))
    mirror = _mirrored_leg_columns(skeleton, bone_index)
    shapes = control.shape[members]
    spans_limbs = np.zeros(len(control.outlines), dtype=bool)
    for shape in np.unique(shapes):
        rows = np.flatnonzero(shapes == shape)
        ink = control.ink[shape] if control.ink is not None else None
        covered = bone_cover(control.outlines[shape], bone_samples, ink)
        columns, covers = shape_member_bones(covered, distances[rows], groups, extremity, joint_of,
                                             past_free_end[rows])
        spans_limbs[shape] = covers and len(np.unique(groups[columns & ~face])) > 1
        columns |= face & np.isin(groups, groups[columns & face])  # the face binds as a whole
        body, in_face = columns & ~face, columns & face
        own = distances[rows]
        face_distance = own[:, in_face].min(axis=1) if in_face.any() else np.full(len(rows), np.inf)
        stroke = ink is not None and not ink.filled and not all(ink.closed)
        ways = (_ways_inside(control, int(shape), points[rows], ends, body, in_face,
                             groups, extremity, figure.scale * INSIDE_SIDE / SILHOUETTE_SIDE)
                if covers and not stroke else None)  # a stroke's way is along its line anyway
        if ways is not None:  # the way inside the shape, wherever the shape leads to a bone
            own, face_distance, seen = ways
        else:
            interiors = [figure, Silhouette.of(control, [int(shape)], figure.scale)] if covers else []
            seen = _in_sight(interiors, points[rows], own, ends, fraction[rows], body)
        nearest = np.minimum(np.where(seen, own, np.inf).min(axis=1), face_distance)
        block = np.zeros((len(rows), len(bones)))
        block[:, body] = np.where(seen[:, body],
                                  falloff((own[:, body] - nearest[:, None]) / sigma[body]), 0.0)
        if in_face.any():
            face_share = falloff((face_distance - nearest) / face_sigma)
            block[:, in_face] = face_share[:, None] * inverse_square(own[:, in_face])
        weights[rows] = block / block.sum(axis=1, keepdims=True)
        skirt = (_skirt_share(control.outlines[shape], skeleton, bone_index, own, fraction[rows])
                 if covers and not in_face.any() and not stroke else None)  # a dress: no head, filled
        if skirt is not None:
            weights[rows] += skirt[:, None] * (_mean_of_the_legs(weights[rows], mirror)
                                               - weights[rows])
    backings = np.flatnonzero(spans_limbs & (hidden_under_later(control) >= BACKING_COVER))
    if backings.size:
        _follow_what_covers(control, members, weights, backings, figure)
    return weights


def _ways_inside(control: ControlPoints, shape: int, points: np.ndarray, ends: np.ndarray,
                 body: np.ndarray, in_face: np.ndarray, groups: np.ndarray, extremity: np.ndarray,
                 scale: float) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """(distances (n, B), face distance (n,), reached (n, B)): from each point of one shape to
    its bones along the way inside the shape (`poseanim.inside_distance`), for a shape that
    holds more than one unit (body bones, a hand, the face); None for one that holds one.

    Each body bone is a unit of its own; a hand's or foot's bones, and the face's, are one
    unit each (one wavefront per unit: a hand has twenty bones), their bones then as far as
    the straight distance plus the way round the unit takes beyond it. Never less than the
    straight distance. A point the shape joins to none of its units (a piece of the path apart
    from every bone) keeps the straight distances, every bone reached. A bone's wavefront
    starts only where the bone runs into the shape, not where it merely crosses a piece of it
    (`seed_pieces`: a forearm lying across the torso's side bone); later creases wall the way
    between groups (`crease_walls`)."""
    from poseanim.inside_distance import inside_distances, seed_pieces

    columns = np.flatnonzero(body)
    bones = columns[~extremity[columns]]  # a unit each, first
    unit_of = np.full(len(ends), -1, dtype=np.intp)
    unit_of[bones] = np.arange(len(bones))
    units: list[np.ndarray] = [ends[column][None] for column in bones]
    unit_group = groups[bones].tolist()  # the face: -1
    for group in np.unique(groups[columns[extremity[columns]]]):
        together = body & (groups == group)
        unit_of[together] = len(units)
        units.append(ends[together])
        unit_group.append(int(group))
    if in_face.any():
        unit_of[in_face] = len(units)
        units.append(ends[in_face])
        unit_group.append(-1)
    if len(units) < 2:
        return None
    mask, raster_scale, offset = _blank_raster(control, [shape], 0, scale)
    _paint_shape(mask, control, shape, raster_scale, offset)
    inside = mask.astype(bool)
    units[:len(bones)] = [seed_pieces(inside, raster_scale, offset, ends[column]) for column in bones]
    way = inside_distances(inside, raster_scale, offset, points, units)  # (n, U)
    walls = crease_walls(control, shape, mask.shape, raster_scale, offset) & inside
    if walls.any():
        walled = inside_distances(inside & ~walls, raster_scale, offset, points, units)
        way = way + wall_detours(way, walled, np.array(unit_group))
    straight, _ = segment_distances(points, ends[:, 0], ends[:, 1])
    unit_straight = np.full(way.shape, np.inf)
    for unit in range(len(units)):
        unit_straight[:, unit] = straight[:, unit_of == unit].min(axis=1)
    detour = np.maximum(way - unit_straight, 0.0)  # inf where the shape does not lead there
    lost = ~np.isfinite(detour).any(axis=1)
    detour[lost] = 0.0
    distances = straight.copy()  # the face's own bones keep theirs: 1/d² within the face
    distances[:, body] += detour[:, unit_of[body]]
    face = (straight[:, in_face].min(axis=1) + detour[:, -1] if in_face.any()
            else np.full(len(points), np.inf))
    return distances, face, np.isfinite(distances) & body[None]


def wall_detours(open_way: np.ndarray, walled_way: np.ndarray, unit_group: np.ndarray
                 ) -> np.ndarray:
    """(n, U): how much farther each point's way to each unit's group (unit_group: (U,)) is
    with the crease walls than without (inf: the walls shut the group off), the same for every
    unit of a group.

    Walls part limbs: the cuff from the hem beside it. Within one limb the blend across a joint
    stays as the open shape gives it, so that an elbow crease drawn inside a sleeve does not
    bend the sleeve's edge into a point (mira's sleeve did, with the walled way to each bone).
    A point the walls shut off from every group (in a pocket of its own) takes no detour."""
    detour = np.zeros_like(open_way)
    for group in np.unique(unit_group):
        own = unit_group == group
        before, after = open_way[:, own].min(axis=1), walled_way[:, own].min(axis=1)
        farther = np.subtract(after, before, out=np.zeros_like(before), where=np.isfinite(before))
        detour[:, own] = np.maximum(farther, 0.0)[:, None]
    detour[~np.isfinite(walled_way).any(axis=1)] = 0.0
    return detour


CREASE_DILATION = 2
"""A crease wall is widened to this many pixels square: a one-pixel line drawn diagonally
leaves gaps a diagonal step of the wavefront slips through, and then it walls nothing."""


def crease_walls(control: ControlPoints, shape: int, size: tuple[int, ...], scale: float,
                 offset: np.ndarray) -> np.ndarray:
    """(H, W) bool: the open strokes of the shapes painted after `shape`, on its raster for
    the ways inside it (pixel = point · scale + offset).

    An artist who draws a coat and its sleeve as one path separates them with a line stroked
    on top (the crease down the sleeve's inner edge); the outline alone has no boundary there,
    and the way inside would lead from the cuff straight across into the coat's hem. Such a
    line walls the way. Only open, unfilled, stroked subpaths do: the outlines of later closed
    shapes (pockets, lapels, a collar) are parts laid on the coat, not cuts through it, and
    walling with them cut sleeves in two (woman_chemist's arms crossed tore in session 5)."""
    import cv2

    walls = np.zeros(size, np.uint8)
    for later in range(shape + 1, len(control.outlines)):
        ink = control.ink[later] if control.ink is not None else None
        if ink is None or ink.filled or not ink.stroke_width > 0:
            continue
        width = _pixel_width(ink.stroke_width * scale, size)
        lines = [np.round((ring * scale + offset) * 16).astype(np.int32)  # in 1/16 pixels
                 for ring, closed in zip(control.outlines[later], ink.closed)
                 if not closed and len(ring) >= 2]
        if lines:
            cv2.polylines(walls, lines, False, (1,), width, cv2.LINE_8, 4)
    return cv2.dilate(walls, np.ones((CREASE_DILATION,) * 2, np.uint8)).astype(bool)


def _skirt_share(rings: list[np.ndarray], skeleton: Skeleton, bone_index: np.ndarray,
                 distances: np.ndarray, fraction: np.ndarray) -> np.ndarray | None:
    """(n,) 1 for the points of a skirt, 0 for the rest of its shape; None: not a skirt.

    A shape is a skirt (or a dress) when it fills the space between the thighs rather than
    leaving a gap between the legs as trousers do: at `SKIRT_FILLED` of the points halfway
    between the two thigh bones, from a third of the way down to the knees; and when, 0.45 and
    0.65 of the way down, it spans across both thighs and beyond them (`SKIRT_ACROSS` of the
    points from `SKIRT_BEYOND` outside one to as far outside the other: a pictogram's legs
    drawn close, or a line-art outline round the whole figure, do not). Of its points,
    those at a height down the legs where the space between them is still filled belong to
    the skirt, and so do those just below (`HEM_REACH`: the hem itself); the rest (legs drawn
    in the same path below the hem) to their own leg. A point's height is its place along the
    nearest leg bone (hip 0, knee 1, ankle 2).

    distances, fraction: (n, B) from the shape's points to the bones `bone_index`."""
    chains = skeleton.rest_joints[[[KEYPOINT_INDEX[side + joint] for joint in ("Hip", "Knee", "Ankle")]
                                   for side in ("left", "right")]]  # (leg, joint, xy)
    if not np.isfinite(chains[:, :2]).all():
        return None
    thigh = float(np.linalg.norm(chains[:, 1] - chains[:, 0], axis=1).mean())
    if np.linalg.norm(chains[0, 0] - chains[1, 0]) < SKIRT_HIPS_APART * thigh:
        return None  # seen from the side: no space between the legs to judge
    down = np.linspace(0.35, 0.95, 7)[:, None, None]
    thighs = chains[:, 0] + down * (chains[:, 1] - chains[:, 0])  # (height, leg, xy)
    if inside(thighs.mean(axis=1), rings).mean() < SKIRT_FILLED:
        return None
    across = np.linspace(-SKIRT_BEYOND, 1 + SKIRT_BEYOND, 16)[:, None]
    hem = [thighs[k, 0] + across * (thighs[k, 1] - thighs[k, 0]) for k in (1, 3)]
    if inside(np.concatenate(hem), rings).mean() < SKIRT_ACROSS:
        return None  # not across both legs and beyond: legs drawn together, or crossed bones
    joints = 3 if np.isfinite(chains).all() else 2
    column_of = {tuple(pair): column
                 for column, pair in enumerate(skeleton.bone_joints[bone_index].tolist())}
    height, nearest = np.full(len(distances), np.nan), np.full(len(distances), np.inf)
    for side in ("left", "right"):
        for place, (upper, lower) in enumerate((("Hip", "Knee"), ("Knee", "Ankle"))[:joints - 1]):
            column = column_of.get((KEYPOINT_INDEX[side + upper], KEYPOINT_INDEX[side + lower]))
            if column is not None:
                closer = distances[:, column] < nearest
                nearest = np.where(closer, distances[:, column], nearest)
                height = np.where(closer, place + fraction[:, column], height)
    heights = np.linspace(0.0, joints - 1, HEIGHT_STEPS * (joints - 1) + 1)
    legs = [np.stack([np.interp(heights, np.arange(joints), chain[:joints, axis])
                      for axis in (0, 1)], axis=1) for chain in chains]
    filled = inside((legs[0] + legs[1]) / 2, rings)
    near_hem = np.array([filled[max(k - HEM_REACH, 0):k + 1].any() for k in range(len(filled))])
    at = np.clip(np.searchsorted(heights, np.nan_to_num(height)), 0, len(heights) - 1)
    return (np.isfinite(height) & near_hem[at]).astype(float)


def _mirrored_leg_columns(skeleton: Skeleton, bone_index: np.ndarray) -> np.ndarray:
    """(B,) int: for each of the columns' bones that belongs to one leg (or its foot), the
    column of the same bone of the other leg; -1 for any other bone or one without its twin."""
    def leg_side(joint: int) -> str | None:
        name = JOINT_NAMES[joint] if joint < len(JOINT_NAMES) else ""
        side = next((s for s in ("left", "right") if name.startswith(s)), None)
        return side if side and name[len(side):] in LEG_JOINTS else None

    ends = skeleton.bone_joints[bone_index].tolist()
    column_of = {tuple(pair): column for column, pair in enumerate(ends)}
    twin_side = {"left": "right", "right": "left"}
    mirror = np.full(len(ends), -1, dtype=np.intp)
    for column, (a, b) in enumerate(ends):
        side = leg_side(a)
        if side is not None and leg_side(b) == side:
            twin = tuple(KEYPOINT_INDEX[twin_side[side] + JOINT_NAMES[j][len(side):]]
                         for j in (a, b))
            mirror[column] = column_of.get(twin, -1)
    return mirror


def _mean_of_the_legs(weights: np.ndarray, mirror: np.ndarray) -> np.ndarray:
    """(n, B) a skirt's weights with each leg bone's weight shared with its twin on the other
    leg, but for `SKIRT_SPREAD` of it: the skirt hangs from the hips and follows the mean of
    the legs, so that legs spread in a star come out from under it instead of dragging its
    two sides apart into a tent (rows still sum to 1: twins trade weight)."""
    paired = np.flatnonzero(mirror >= 0)
    shared = weights.copy()
    mean = 0.5 * (weights[:, paired] + weights[:, mirror[paired]])
    shared[:, paired] = SKIRT_SPREAD * weights[:, paired] + (1 - SKIRT_SPREAD) * mean
    return shared


def hidden_under_later(control: ControlPoints) -> np.ndarray:
    """(S,) the share of each shape's ink that shapes painted after it cover.

    Judged on a coarse raster of the whole drawing (`COVER_SIDE`), painted from the top down
    so that each shape is compared with the union of everything above it."""
    every = list(range(len(control.outlines)))
    above, scale, offset = _blank_raster(control, every, COVER_SIDE)
    hidden = np.zeros(len(every))
    for index in reversed(every):
        own = np.zeros_like(above)
        _paint_shape(own, control, index, scale, offset)
        area = int(own.sum())
        hidden[index] = float((own & above).sum()) / area if area else 0.0
        above |= own
    return hidden


def _follow_what_covers(control: ControlPoints, members: np.ndarray, weights: np.ndarray,
                        backings: np.ndarray, figure: Silhouette) -> None:
    """Give each point of a backing shape the weights of the nearest outline point of the
    shapes painted over it (changes `weights`, rows of `members`, in place).

    A backing is a shape that spans several limbs and lies almost wholly under later shapes:
    a black silhouette of the whole figure drawn first, so that it shows as an outline around
    the garments. What shows of it is the rim along their edges, so it must move as those
    edges do: bound by its own distances, its rim between an arm and the torso belongs to
    neither and is pulled into wedges when the arm rises. Along an outline the weights run
    linearly from one anchor's to the next (a segment moves about as its ends do).

    Only edges the point sees count (`Silhouette.sees`: the way there does not cross a gap
    of the figure; the rim on an arm's inner side follows the arm, not the torso across the
    gap). Where the edges of several shapes are about as near (within `RIM_REACH` typical rim
    widths: a hand resting on the hip, by the dress's side), the point follows the one that
    moves most like its own binding says it should, so that the rim along the dress stays
    with the dress and the rim round the hand goes with the hand."""
    row_of = np.full(len(control.positions), -1)
    row_of[members] = np.arange(members.size)
    samples, sample_weights, sample_shape = [], [], []
    for shape in range(int(backings.min()) + 1, len(control.outlines)):
        rows = row_of[np.flatnonzero(control.shape == shape)]
        if shape in backings or rows.size == 0 or (rows < 0).any():
            continue
        start = 0
        for ring in control.outlines[shape]:
            segments = len(ring) // OUTLINE_SAMPLES
            ring = ring[:segments * OUTLINE_SAMPLES]  # an open subpath's own end point left out
            if segments:
                step = np.arange(len(ring))
                s = (step % OUTLINE_SAMPLES / OUTLINE_SAMPLES)[:, None]
                anchor = start + 3 * (step // OUTLINE_SAMPLES)  # each sample's segment start
                samples.append(ring)
                sample_weights.append((1 - s) * weights[rows[anchor]] + s * weights[rows[anchor + 3]])
                sample_shape.append(np.full(len(ring), shape))
            start += 1 + 3 * segments
    if not samples:
        return
    points, weights_at, shape_at = (np.concatenate(samples), np.concatenate(sample_weights),
                                    np.concatenate(sample_shape))
    for shape in backings:
        own = np.flatnonzero(control.shape[members] == shape)
        above = np.flatnonzero(shape_at > shape)
        if above.size == 0:
            continue
        rest = control.positions[members[own]]
        sample = rest[:: max(1, len(rest) // 256)]  # the typical rim, from a few hundred points
        rim = float(np.median(_nearest_distance(sample, points[above])))
        for chunk in np.array_split(np.arange(own.size), max(1, own.size * above.size // 2**22)):
            weights[own[chunk]] = weights_at[above[_edge_to_follow(
                rest[chunk], points[above], weights[own[chunk]], weights_at[above], rim, figure)]]


def _nearest_distance(points: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """(n,) distance from each point to the nearest target, in chunks of bounded memory."""
    return np.concatenate([
        np.sqrt(((points[chunk, None] - targets[None]) ** 2).sum(axis=2)).min(axis=1)
        for chunk in np.array_split(np.arange(len(points)),
                                    max(1, len(points) * len(targets) // 2**22))])


def _edge_to_follow(rest: np.ndarray, samples: np.ndarray, own: np.ndarray, at: np.ndarray,
                    rim: float, figure: Silhouette) -> np.ndarray:
    """(n,) the index of the edge sample each backing point follows (see `_follow_what_covers`);
    own: (n, B) the points' own weights, at: (m, B) the samples'."""
    gap = np.sqrt(((rest[:, None] - samples[None]) ** 2).sum(axis=2))
    count = min(RIM_CANDIDATES, gap.shape[1])
    closest = np.argpartition(gap, count - 1, axis=1)[:, :count]
    closest = np.take_along_axis(closest, np.argsort(np.take_along_axis(gap, closest, axis=1),
                                                     axis=1), axis=1)  # nearest first
    near = np.take_along_axis(gap, closest, axis=1)
    seen = figure.sees(np.repeat(rest, closest.shape[1], axis=0),
                       samples[closest.ravel()]).reshape(closest.shape)
    seen[~seen.any(axis=1), 0] = True  # nothing in sight: the nearest
    reach = np.where(seen, near, np.inf).min(axis=1, keepdims=True) + RIM_REACH * rim
    unlike = np.abs(own[:, None] - at[closest]).sum(axis=2)
    tie_break = 1e-6 * near / max(float(near.max()), 1e-9)  # most alike first, then nearest
    choice = np.where(seen & (near <= reach), unlike + tie_break, np.inf)
    return np.take_along_axis(closest, choice.argmin(axis=1)[:, None], axis=1)[:, 0]


def _in_sight(interiors: list[Silhouette], points: np.ndarray, distances: np.ndarray,
              ends: np.ndarray, fraction: np.ndarray, body: np.ndarray) -> np.ndarray:
    """(n, B) bool: the body bones (columns where `body`) each point sees in every interior:
    the straight way to the bone's nearest point does not cross a gap of the figure (the whole
    drawing) nor, for a shape that covers bones, of the shape itself (trousers' inner edge does
    not see the other leg through a coat drawn over the gap).

    Sight only chooses between bones about as near (within `SIGHT_REACH` of the nearest, or a
    blend width beyond it): a point that sees none of those keeps every bone, as the crow flies
    (a claw's tip that cannot see its wrist round the claw must not go to the upper arm).
    distances, fraction: (n, B) to each bone's nearest point and that point's fraction along it.
    """
    seen = np.zeros(fraction.shape, dtype=bool)
    columns = np.flatnonzero(body)
    if not interiors or columns.size == 0:
        seen[:, columns] = True
        return seen
    rows, cols = np.nonzero(np.ones((len(points), columns.size), dtype=bool))
    cols = columns[cols]
    closest = ends[cols, 0] + fraction[rows, cols, None] * (ends[cols, 1] - ends[cols, 0])
    visible = np.ones(rows.size, dtype=bool)
    for interior in interiors:
        visible &= interior.sees(points[rows], closest)
    seen[rows, cols] = visible
    nearest = np.where(body, distances, np.inf).min(axis=1, keepdims=True)
    lengths = np.linalg.norm(ends[:, 1] - ends[:, 0], axis=1)
    seen &= distances <= np.maximum(SIGHT_REACH * nearest, nearest + BLEND_WIDTH * lengths)
    blind = ~seen.any(axis=1)
    seen[np.ix_(blind, columns)] = True
    return seen


def bind(control: ControlPoints, skeleton: Skeleton, domains: list[list[int]],
         skinning: Skinning = "shape") -> Binding:
    """Bind control points to bones, by `shape_aware_weights` or by Pose Animator's rule.

    Secondary groups bind as Pose Animator does in both modes: their bones are few and local.
    """
    points = control.positions
    pair_point, pair_bone, pair_weight = [], [], []
    for domain, bones in enumerate(domains):
        members = np.flatnonzero(control.domain == domain)
        if members.size == 0 or not bones:
            continue  # a group without bones of its own: its points stay unbound (hidden)
        row_of = np.full(len(points), -1)
        row_of[members] = np.arange(members.size)
        if skinning == "shape" and domain == 0:
            weights = shape_aware_weights(control, members, skeleton, bones)
        else:
            anchor_rows = row_of[control.anchor[members]]
            weights = bone_weights(points[members], skeleton, bones,
                                   np.where(anchor_rows >= 0, anchor_rows, np.arange(members.size)))
        source_rows = row_of[control.weight_source[members]]
        weights = weights[np.where(source_rows >= 0, source_rows, np.arange(members.size))]
        rows, columns = np.nonzero(weights > 1e-9)
        pair_point.append(members[rows])
        pair_bone.append(np.asarray(bones, dtype=np.intp)[columns])
        pair_weight.append(weights[rows, columns])
    empty = np.zeros(0, dtype=np.intp)
    point_index = np.concatenate(pair_point) if pair_point else empty
    bone_index = np.concatenate(pair_bone) if pair_bone else empty
    weight = np.concatenate(pair_weight) if pair_weight else np.zeros(0)
    weight = weight / np.bincount(point_index, weight, len(points))[point_index]
    ends = skeleton.rest_joints[skeleton.bone_joints[bone_index]]
    start, direction = ends[:, 0], ends[:, 1] - ends[:, 0]
    length = np.maximum(np.linalg.norm(direction, axis=1), 1e-12)
    unit = direction / length[:, None]
    relative = points[point_index] - start
    t = np.clip((relative * unit).sum(axis=1) / length, 0.0, 1.0)
    offset = relative - t[:, None] * direction
    along = (offset * unit).sum(axis=1)
    across = offset[:, 0] * -unit[:, 1] + offset[:, 1] * unit[:, 0]
    extremity = skeleton.bone_primary & ~skeleton.bone_sets_scale & ~skeleton.bone_is_face
    folds = finger_folds(skeleton)
    inner = inside_of_folds(skeleton, folds, point_index, bone_index, weight, across, len(points))
    outer = ~inner[point_index]
    anchor = start + t[:, None] * direction
    if skinning == "shape":
        shoulder, arm_folds = shoulder_band(skeleton.bone_joints, skeleton.rest_joints, points,
                                            point_index, bone_index)
        pair_folds = np.where(folds[bone_index] >= 0, folds[bone_index], arm_folds)
        rotation = rotation_blend(extremity, skeleton.bone_joints, skeleton.rest_joints, points,
                                  point_index[outer], bone_index[outer], weight[outer],
                                  anchor[outer], pair_folds[outer], shoulder)
        inside = fold_inside(inner, skeleton.bone_joints, skeleton.rest_joints, points,
                             point_index, bone_index, weight, anchor, folds)
    else:
        rotation, inside = no_rotation_blend(), no_fold_inside()
    layout = deform_layout(skeleton, points, point_index, bone_index, weight, t, along, across,
                           rotation)
    return Binding(point_index, bone_index, weight, t, along, across, len(points), layout, rotation,
                   inside)


def region_scales(skeleton: Skeleton, joints_now: np.ndarray) -> tuple[float, float]:
    """(s_body, s_face): total primary bone length now over at rest, per region."""
    ends_now = joints_now[skeleton.bone_joints]
    ends_rest = skeleton.rest_joints[skeleton.bone_joints]
    now = np.linalg.norm(ends_now[:, 1] - ends_now[:, 0], axis=1)
    rest = np.linalg.norm(ends_rest[:, 1] - ends_rest[:, 0], axis=1)
    valid = skeleton.bone_primary & skeleton.bone_sets_scale & np.isfinite(now) & np.isfinite(rest)
    scales = []
    for region in (~skeleton.bone_is_face, skeleton.bone_is_face):
        mask = valid & region
        total_rest = rest[mask].sum()
        scales.append(float(now[mask].sum() / total_rest) if total_rest > 0 else 1.0)
    return scales[0], scales[1]


def follow_local_joints(skeleton: Skeleton, rig_joints_now: np.ndarray) -> np.ndarray:
    """Extend (len(JOINT_NAMES), 2) rig joint positions with the secondary groups' local copies.

    Each local copy moves with its parent joint through the similarity that maps
    (parent, nose4) at rest onto (parent, nose4) now; a copy of nose4 itself just translates.
    """
    if skeleton.local_parent.size == 0:
        return rig_joints_now
    rig_count = len(JOINT_NAMES)
    nose = KEYPOINT_INDEX["nose4"]
    rest = as_complex(skeleton.rest_joints)
    now = as_complex(rig_joints_now)
    parents = skeleton.local_parent
    rest_span = rest[nose] - rest[parents]
    now_span = now[nose] - now[parents]
    usable = np.isfinite(rest_span) & np.isfinite(now_span) & (np.abs(rest_span) > 1e-9)
    rest_span, now_span = np.where(usable, rest_span, 1), np.where(usable, now_span, 1)
    factor = np.where(usable, now_span / np.where(usable, rest_span, 1), 1.0)
    local = now[parents] + factor * (rest[rig_count:] - rest[parents])
    return np.vstack([rig_joints_now, as_points(local)])


def stacked_features(skeleton: Skeleton, joints_now: np.ndarray,
                     scales: tuple[float, float]) -> np.ndarray:
    """(J + 2·B, 2): the joints now, then each bone's scaled unit direction, then its normal.

    A bound point is a fixed linear combination of these rows (see `DeformLayout`). Written on
    complex numbers (the normal is i·û), as a few whole-array calls: it runs every frame.
    """
    joints = np.ascontiguousarray(joints_now, dtype=np.float64).view(np.complex128)[:, 0]
    vector = joints.take(skeleton.bone_joints[:, 1]) - joints.take(skeleton.bone_joints[:, 0])
    scale = np.where(skeleton.bone_is_face, scales[1], scales[0])
    unit = vector * (scale / np.maximum(np.abs(vector), 1e-12))
    return np.concatenate([joints, unit, unit * 1j]).view(np.float64).reshape(-1, 2)


def deform(binding: Binding, skeleton: Skeleton, joints_now: np.ndarray,
           scales: tuple[float, float]) -> np.ndarray:
    """Posed control points (N, 2) for extended joint positions `joints_now` (J, 2).

    Points without any bone (a secondary group lacking bones) stay where they are at rest;
    their shapes score 0 and are hidden. Points of hands and feet then take the rotation
    blend's correction (`Binding.rotation`).
    """
    layout = binding.layout
    motion = (stacked_features(skeleton, joints_now, scales).take(layout.features, axis=0)
              - layout.rest_features).astype(np.float32)
    moved = np.empty((layout.rows, 2), dtype=np.float32)
    row = 0
    for block in layout.blocks:  # np.dot: a call costs half np.matmul's
        np.dot(block.matrix, motion[block.columns], out=moved[row:row + len(block.matrix)])
        row += len(block.matrix)
    posed = layout.origin.view(np.complex128)[:, 0] + moved.view(np.complex64)[:, 0].take(layout.source)
    if not binding.rotation.empty:  # added as complex numbers: a (M, 2) fancy add costs 5x
        posed[binding.rotation.points] += correction(binding.rotation, joints_now, scales[0])
    if not binding.inside.empty:
        under_cap = inside_correction(binding.inside, joints_now, scales[0])
        if under_cap is not None:
            posed[binding.inside.points] += under_cap
    return posed.view(np.float64).reshape(-1, 2)


def linearly_blended(binding: Binding, skeleton: Skeleton) -> Binding:
    """The binding without its rotation blend: every point blends its bones' positions (what
    benchmarks and the hand tools compare the rotation blend with). Its layout is laid out
    again, since the rotation blend's mean of rotations lives in the layout."""
    none = no_rotation_blend()
    layout = deform_layout(skeleton, _rest_points(binding), binding.pair_point, binding.pair_bone,
                           binding.weight, binding.t, binding.along, binding.across, none)
    return replace(binding, layout=layout, rotation=none, inside=no_fold_inside())


def binding_of_points(binding: Binding, skeleton: Skeleton, rows: np.ndarray) -> Binding:
    """The binding of the control points `rows` alone, numbered 0…n−1 in that order, with a
    layout of its own: posing it costs those points only, and gives what posing the whole
    binding gives them (`poseanim.hand_mirror` poses a turned-over hand a second time). The
    products run in float32 over fewer columns, so the two agree to float32's rounding."""
    row_of = np.full(binding.point_count, -1)
    row_of[rows] = np.arange(len(rows))
    pairs = row_of[binding.pair_point] >= 0
    point, bone = row_of[binding.pair_point[pairs]], binding.pair_bone[pairs]
    weight, t = binding.weight[pairs], binding.t[pairs]
    along, across = binding.along[pairs], binding.across[pairs]
    rotation = blend_of_points(binding.rotation, row_of)
    layout = deform_layout(skeleton, _rest_points(binding)[rows], point, bone, weight, t, along,
                           across, rotation)
    return Binding(point, bone, weight, t, along, across, len(rows), layout, rotation,
                   fold_inside_of_points(binding.inside, row_of))


def _rest_points(binding: Binding) -> np.ndarray:
    """(N, 2) the bound control points at rest (the layout keeps a rotation-blended point's
    centre in their place)."""
    points = binding.layout.origin.copy()
    points[binding.rotation.points] += as_points(binding.rotation.offset)
    return points
