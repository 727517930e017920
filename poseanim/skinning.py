"""Linear-blend skinning of a drawing to the rig's bones, as `docs/format.md` states it.

Binding runs once per illustration and stores flat (point, bone) pair arrays; deforming a frame
is then a handful of gathers and one weighted sum per coordinate, so that a detailed character
(tens of thousands of pairs) poses in well under a millisecond.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from poseanim.geometry import as_complex, as_points
from poseanim.rig.tables import BONES, JOINT_NAMES, KEYPOINT_INDEX

COLLINEAR_COS = 0.99
HIDE_BELOW_SCORE = 0.3
_TIE = 1e-9  # groups within this distance of the nearest count as tied


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
    """

    rest_joints: np.ndarray
    bone_joints: np.ndarray
    bone_is_face: np.ndarray
    bone_group: np.ndarray
    bone_primary: np.ndarray
    local_parent: np.ndarray


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
                        np.array(bone_primary, dtype=bool), np.array(local_parent, dtype=np.intp))
    return skeleton, domains


def segment_distances(points: np.ndarray, starts: np.ndarray, ends: np.ndarray
                      ) -> tuple[np.ndarray, np.ndarray]:
    """Distance from each point to each segment, and the fraction t of the closest point.

    points: (N, 2); starts, ends: (B, 2). Returns (N, B) distances and (N, B) t in [0, 1].
    """
    direction = ends - starts
    length_sq = np.maximum((direction ** 2).sum(axis=1), 1e-12)
    relative = points[:, None, :] - starts[None, :, :]
    t = np.clip((relative * direction[None]).sum(axis=2) / length_sq, 0.0, 1.0)
    closest = starts[None] + t[..., None] * direction[None]
    return np.linalg.norm(points[:, None, :] - closest, axis=2), t


@dataclass(frozen=True)
class DenseBlock:
    """Points that share one set of bones, with their coefficients as a dense matrix.

    Points of one bone group all carry a weight for every bone of it (1/d² is never zero), so
    grouping points by bone set turns the sparse sum over (point, bone) pairs into a few small
    dense matrix products, which BLAS does several times faster than gathers and bincounts.

    points: (n,) int; bones: (m,) int; coefficients: (n, 4·m) – per bone the weight w and
    w·t, w·along, w·across (see `Binding`).
    """

    points: np.ndarray
    bones: np.ndarray
    coefficients: np.ndarray


@dataclass(frozen=True)
class Binding:
    """The (point, bone) pairs of a bound drawing.

    pair_point, pair_bone: (K,) int; weight, t, along, across: (K,) float64 – the weight, the
    anchor fraction along the bone and the offset from the anchor in the bone's frame (units of
    the drawing, scaled by the region scale when posed).
    point_count: N, the number of bound control points.
    blocks: the same pairs regrouped for fast deformation (see `DenseBlock`).
    """

    pair_point: np.ndarray
    pair_bone: np.ndarray
    weight: np.ndarray
    t: np.ndarray
    along: np.ndarray
    across: np.ndarray
    point_count: int
    blocks: tuple[DenseBlock, ...] = ()


def dense_blocks(pair_point: np.ndarray, pair_bone: np.ndarray,
                 coefficients: np.ndarray) -> tuple[DenseBlock, ...]:
    """Group pairs by their point's bone set. coefficients: (K, 4) per pair."""
    order = np.lexsort((pair_bone, pair_point))
    points, bones, coefficients = pair_point[order], pair_bone[order], coefficients[order]
    starts = np.flatnonzero(np.r_[True, points[1:] != points[:-1]])
    ends = np.r_[starts[1:], len(points)]
    by_bone_set: dict[bytes, list[int]] = {}
    for start, end in zip(starts, ends):
        by_bone_set.setdefault(bones[start:end].tobytes(), []).append(start)
    blocks = []
    for key, block_starts in by_bone_set.items():
        bone_set = np.frombuffer(key, dtype=bones.dtype).copy()
        rows = np.add.outer(np.asarray(block_starts), np.arange(len(bone_set)))  # (n, m)
        blocks.append(DenseBlock(points[block_starts], bone_set,
                                 coefficients[rows].reshape(len(block_starts), -1)))
    return tuple(blocks)


def bone_weights(points: np.ndarray, skeleton: Skeleton, bones: list[int]) -> np.ndarray:
    """(N, len(bones)) skinning weights: nearest bone group, then 1/d² within it."""
    bone_index = np.asarray(bones, dtype=np.intp)
    ends = skeleton.rest_joints[skeleton.bone_joints[bone_index]]
    distances, _ = segment_distances(points, ends[:, 0], ends[:, 1])
    groups = skeleton.bone_group[bone_index]
    unique_groups = np.unique(groups)
    group_distance = np.stack([distances[:, groups == g].min(axis=1) for g in unique_groups], 1)
    nearest = group_distance.min(axis=1, keepdims=True)
    chosen_groups = group_distance <= nearest + _TIE
    in_chosen = chosen_groups[:, np.searchsorted(unique_groups, groups)]
    on_bone = in_chosen & (distances <= _TIE)
    inverse_sq = np.where(in_chosen, 1.0 / np.maximum(distances, _TIE) ** 2, 0.0)
    weights = np.where(on_bone.any(axis=1, keepdims=True), on_bone.astype(float), inverse_sq)
    return weights / weights.sum(axis=1, keepdims=True)


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


def bind(points: np.ndarray, point_domain: np.ndarray, skeleton: Skeleton,
         domains: list[list[int]], weight_sources: np.ndarray) -> Binding:
    """Bind control points to bones.

    points: (N, 2) rest positions; point_domain: (N,) int binding domain of each point;
    weight_sources: (N,) int – the point whose weights each point takes (itself, or the
    anchor of a collinear handle).
    """
    pair_point, pair_bone, pair_weight = [], [], []
    for domain, bones in enumerate(domains):
        members = np.flatnonzero(point_domain == domain)
        if members.size == 0:
            continue
        if not bones:
            continue  # a group without bones of its own: its points stay unbound (hidden)
        weights = bone_weights(points[members], skeleton, bones)
        row_of = np.full(len(points), -1)
        row_of[members] = np.arange(members.size)
        source_rows = row_of[weight_sources[members]]
        weights = weights[np.where(source_rows >= 0, source_rows, np.arange(members.size))]
        rows, columns = np.nonzero(weights > 1e-9)
        pair_point.append(members[rows])
        pair_bone.append(np.asarray(bones, dtype=np.intp)[columns])
        pair_weight.append(weights[rows, columns])
    if not pair_point:
        empty = np.zeros(0)
        return Binding(empty.astype(np.intp), empty.astype(np.intp), empty, empty, empty, empty,
                       len(points))
    point_index = np.concatenate(pair_point)
    bone_index = np.concatenate(pair_bone)
    weight = np.concatenate(pair_weight)
    weight /= np.bincount(point_index, weight, len(points))[point_index]
    ends = skeleton.rest_joints[skeleton.bone_joints[bone_index]]
    start, direction = ends[:, 0], ends[:, 1] - ends[:, 0]
    length = np.maximum(np.linalg.norm(direction, axis=1), 1e-12)
    unit = direction / length[:, None]
    relative = points[point_index] - start
    t = np.clip((relative * unit).sum(axis=1) / length, 0.0, 1.0)
    offset = relative - t[:, None] * direction
    along = (offset * unit).sum(axis=1)
    across = offset[:, 0] * -unit[:, 1] + offset[:, 1] * unit[:, 0]
    coefficients = np.stack([weight, weight * t, weight * along, weight * across], axis=1)
    return Binding(point_index, bone_index, weight, t, along, across, len(points),
                   dense_blocks(point_index, bone_index, coefficients))


def region_scales(skeleton: Skeleton, joints_now: np.ndarray) -> tuple[float, float]:
    """(s_body, s_face): total primary bone length now over at rest, per region."""
    ends_now = joints_now[skeleton.bone_joints]
    ends_rest = skeleton.rest_joints[skeleton.bone_joints]
    now = np.linalg.norm(ends_now[:, 1] - ends_now[:, 0], axis=1)
    rest = np.linalg.norm(ends_rest[:, 1] - ends_rest[:, 0], axis=1)
    valid = skeleton.bone_primary & np.isfinite(now) & np.isfinite(rest)
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


def bone_features(skeleton: Skeleton, joints_now: np.ndarray,
                  scales: tuple[float, float]) -> np.ndarray:
    """(B, 4, 2): per bone its start, its vector, and its scaled unit direction and normal.

    A bound point is Σ over its bones of w·start + w·t·vector + w·along·s·dir + w·across·s·normal,
    so these four rows against a block's coefficients give the posed points.
    """
    ends = joints_now[skeleton.bone_joints]
    start = ends[:, 0]
    vector = ends[:, 1] - start
    length = np.maximum(np.sqrt((vector ** 2).sum(axis=1)), 1e-12)
    scale = np.where(skeleton.bone_is_face, scales[1], scales[0])
    unit = vector * (scale / length)[:, None]
    features = np.empty((len(start), 4, 2))
    features[:, 0] = start
    features[:, 1] = vector
    features[:, 2] = unit
    features[:, 3, 0] = -unit[:, 1]
    features[:, 3, 1] = unit[:, 0]
    return features


def deform(binding: Binding, skeleton: Skeleton, joints_now: np.ndarray,
           scales: tuple[float, float]) -> np.ndarray:
    """Posed control points (N, 2) for extended joint positions `joints_now` (J, 2).

    Points without any bone (a secondary group lacking bones) come out at the origin; their
    shapes score 0 and are hidden.
    """
    features = bone_features(skeleton, joints_now, scales)
    points = np.zeros((binding.point_count, 2))
    for block in binding.blocks:
        points[block.points] = block.coefficients @ features[block.bones].reshape(-1, 2)
    return points
