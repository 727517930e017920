"""`poseanim rig check`: every reason a drawing will not animate (or will animate badly), at once.

Reading a rig for animation stops at the first fatal problem, which makes fixing a file a slow
loop of "run, read one error, fix, run again". The checker instead takes every problem the
reader's rules find (`rig.reader.inspect_rigged_tree`: groups, joints, shapes, copies, what is
left out — each rule is written once, there), adds the rules that need the bound drawing
(bones, placement, features, posing) and a few about ids and clips, each with a stable code, a
message that says what is wrong where, and the fix, and only then decides whether the file
will animate (no errors).
"""

from __future__ import annotations

import difflib
import xml.etree.ElementTree as ET
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from poseanim.errors import PoseanimError
from poseanim.illustration import RIG_COUNT, Illustration
from poseanim.rig.joint_ids import joint_name_for_id
from poseanim.rig.problems import Problem, Severity, describe
from poseanim.rig.reader import find_group, inspect_rigged_tree
from poseanim.svg.document import (
    CONTAINER_TAGS, SHAPE_TAGS, local_tag, own_style, parse_stylesheets, read_svg_file,
)
from poseanim.rig.tables import BONES, FINGERS, JOINT_NAMES, KEYPOINT_INDEX

__all__ = ["CheckReport", "Problem", "Severity", "check_file", "check_tree", "describe"]

OFF_DRAWING_MARGIN = 0.25
"""A joint farther outside the drawing's bounds than this fraction of its larger side is off it."""
DEGENERATE_BONE = 1e-4
"""A bone shorter than this fraction of the drawing's larger side has no direction to follow."""
FEATURE_SHARE = 0.5
"""An eye or mouth shape must take at least this share of its weight from its own bones."""

FEATURES: dict[str, tuple[str, ...]] = {
    "right eye": tuple(f"rightEye{k}" for k in range(6)),
    "left eye": tuple(f"leftEye{k}" for k in range(6)),
    "mouth": tuple(name for name in JOINT_NAMES if "Lip" in name or "MouthCorner" in name),
}
"""Features whose shapes must follow their own joints for blinks and speech to show."""
EYELID_PAIRS = ((1, 5), (2, 4))
"""(upper lid, lower lid) joint numbers facing each other across an eye."""
FEATURE_EXTENT = 3.0
"""A shape wider than this many times its feature's joints is no part of it (a beard, the
face itself), so the feature check leaves it alone; so is an unfilled ring such as the frame
of glasses, which a blink need not move."""
TINY_BONE = 0.15
"""A limb bone shorter than this fraction of its neighbour (an elbow dragged onto the wrist)
bends the limb at the wrong place."""
LIMB_CHAINS = (("leftShoulder", "leftElbow", "leftWrist"), ("rightShoulder", "rightElbow", "rightWrist"),
               ("leftHip", "leftKnee", "leftAnkle"), ("rightHip", "rightKnee", "rightAnkle"))
PUPIL_OPEN = 0.75
"""With the eyes closed, a shape inside an eye that keeps more than this share of its height
(while the lids close onto each other) does not follow the lids and pokes through them; the
template's pupils, squeezed to 60 % by lids that close to a slit, do not."""
TRIED_POSES = ("arms up", "star")
"""The poses the checker tries on the body, judged by the quality score: the two that move
every limb farthest from rest, where a bone beside its drawn limb or a piece bound to the
wrong bone shows as a tear, a loose piece or a limb left behind."""
POSES_BADLY = "poses-badly"
"""The code of a tried pose that the quality score refuses: the file animates, but not well."""


@dataclass
class CheckReport:
    """All problems of one file; it animates when none is an error.

    illustration: the bound drawing when one could be built (the editor shows it), else None.
    """

    source: str
    problems: list[Problem] = field(default_factory=list)
    illustration: Illustration | None = None

    @property
    def animates(self) -> bool:
        """Whether the file will animate: it has no error (warnings and notes may remain)."""
        return not any(problem.severity == "error" for problem in self.problems)

    def count(self, severity: Severity) -> int:
        """How many problems of one severity."""
        return sum(problem.severity == severity for problem in self.problems)

    def summary(self) -> str:
        """One line: whether it animates, and how many errors, warnings and notes."""
        counts = ", ".join(f"{n} {severity}{'s' if n != 1 else ''}"
                           for severity in ("error", "warning", "note")
                           if (n := self.count(severity)))
        verdict = "will animate" if self.animates else "will not animate"
        if self.animates and any(problem.code == POSES_BADLY for problem in self.problems):
            verdict += ", but poses badly"
        return f"{self.source}: {verdict}" + (f" ({counts})" if counts else ", no problems found")

    def text(self) -> str:
        """The report for people: errors first, each problem with its fix, then the summary."""
        order = {"error": 0, "warning": 1, "note": 2}
        lines = []
        for problem in sorted(self.problems, key=lambda p: order[p.severity]):
            lines.append(f"{problem.severity} [{problem.code}] {problem.message}")
            lines.append(f"    fix: {problem.fix}")
        return "\n".join(lines + [self.summary()])

    def as_json(self) -> dict:
        """The report for tools: `{"file", "animates", "problems": [{code, severity, message, fix}]}`."""
        return {"file": self.source, "animates": self.animates,
                "problems": [asdict(problem) for problem in self.problems]}


class _Checker:
    """Collects the problems of one parsed document (see `check_tree`)."""

    def __init__(self, root: ET.Element, source: str) -> None:
        self.root = root
        self.source = source
        self.report = CheckReport(source)

    def add(self, code: str, severity: Severity, message: str, fix: str) -> None:
        self.report.problems.append(Problem(code, severity, message, fix))

    # -- groups and joints ---------------------------------------------------------------------

    def joint_ids(self, skeleton: ET.Element) -> None:
        """Ids in the skeleton that name no joint, or two."""
        unnamed: list[ET.Element] = []
        for element in skeleton.iter():
            element_id = element.get("id")
            if element is skeleton or not element_id:
                continue
            name = joint_name_for_id(element_id)
            if name is None:
                if local_tag(element) in SHAPE_TAGS and not self._unknown_id(element):
                    unnamed.append(element)
                continue
            others = [other for other in JOINT_NAMES
                      if other != name and other in element_id[len(name):]]
            if others:
                self.add("ambiguous-id", "warning",
                         f"id '{element_id}' names two joints, '{name}' and '{others[0]}'; it is "
                         f"read as '{name}'",
                         f"rename it to exactly '{name}' (or '{others[0]}', whichever it marks)")
        if unnamed:
            self.add("not-a-joint", "note",
                     f"{len(unnamed)} element(s) of the skeleton name no joint (first: "
                     f"{describe(unnamed[0])}); they are guides, ignored and never drawn",
                     "nothing to do; if one marks a joint, give it the joint's name as its id")

    def _unknown_id(self, element: ET.Element) -> bool:
        """Warn about an id that looks like a misspelt joint; False when it is not joint-like
        (an editor's own id such as `path845` or `line12`, a guide the artist named)."""
        element_id = element.get("id") or ""
        collision = next((name for name in sorted(JOINT_NAMES, key=len, reverse=True)
                          if element_id.startswith(name)), None)
        guess = collision or next(iter(difflib.get_close_matches(
            element_id.split("_")[0].split("-")[0], JOINT_NAMES, n=1, cutoff=0.75)), None)
        if guess is None:
            return False
        self.add("unknown-joint", "warning",
                 f"{describe(element)} in the skeleton is not a joint; did you mean '{guess}'?",
                 "give it a joint's name as its id; after the name only digits or an editor "
                 "suffix such as '_1_', '-1' or '.1' may follow (`poseanim rig template` shows "
                 "every name)")
        return True

    def bones(self, illustration: Illustration) -> None:
        joints = illustration.drawing.joints
        size = _drawing_size(illustration)
        for bone in BONES:
            if bone.joint0 in joints and bone.joint1 in joints:
                a, b = joints[bone.joint0], joints[bone.joint1]
                if np.linalg.norm(b - a) < DEGENERATE_BONE * size:
                    self.add("zero-length-bone", "error",
                             f"bone {bone.joint0}–{bone.joint1} has no length: both joints are "
                             f"at ({a[0]:.4g}, {a[1]:.4g}), so what it carries collapses onto it",
                             f"move '{bone.joint0}' or '{bone.joint1}' to its own place")

    def placement(self, illustration: Illustration) -> None:
        joints = illustration.drawing.joints
        low, high = illustration.rest_points.min(axis=0), illustration.rest_points.max(axis=0)
        margin = OFF_DRAWING_MARGIN * _drawing_size(illustration)
        off = [name for name, p in joints.items()
               if (p < low - margin).any() or (p > high + margin).any()]
        bounds = f"x {low[0]:.4g}…{high[0]:.4g}, y {low[1]:.4g}…{high[1]:.4g}"
        if len(off) > len(joints) / 2:
            self.add("skeleton-off-drawing", "error",
                     f"{len(off)} of {len(joints)} joints lie far outside the drawing ({bounds})",
                     "move the skeleton onto the drawing; if it looks right in your editor, a "
                     "transform on the skeleton or the illustration group differs between them")
            return
        for name in off:
            x, y = joints[name]
            self.add("joint-off-drawing", "warning",
                     f"joint '{name}' at ({x:.4g}, {y:.4g}) lies far outside the drawing "
                     f"({bounds})",
                     f"move '{name}' onto the part of the drawing it should move")

    def sides(self, joints: dict[str, np.ndarray]) -> None:
        pairs = [("leftShoulder", "rightShoulder"), ("leftHip", "rightHip"),
                 ("leftEye0", "rightEye0")]
        swapped = [(a, b) for a, b in pairs if a in joints and b in joints
                   and joints[a][0] < joints[b][0]]
        if swapped:
            a, b = swapped[0]
            self.add("left-right-swapped", "warning",
                     f"'{a}' is to the left of '{b}' as the drawing is seen; left and right are "
                     "the character's own, so a character facing you has its left on your right",
                     "swap the left and right joints (unless the character shows its back)")
        for side in ("left", "right"):
            for upper, lower in EYELID_PAIRS:
                top, bottom = f"{side}Eye{upper}", f"{side}Eye{lower}"
                if top in joints and bottom in joints and joints[top][1] > joints[bottom][1]:
                    self.add("eyelids-upside-down", "warning",
                             f"upper-lid joint '{top}' is below lower-lid joint '{bottom}', so a "
                             "blink would open the eye instead",
                             f"swap '{top}' and '{bottom}'")

    def unbound_shapes(self, illustration: Illustration) -> None:
        bound = np.zeros(illustration.binding.point_count, dtype=bool)
        bound[illustration.binding.pair_point] = True
        groups = illustration.drawing.secondary_groups
        for index, shape in enumerate(illustration.shapes):
            if bound[illustration.point_shape == index].any():
                continue
            if shape.secondary_group is not None:
                group = groups[shape.secondary_group]
                copies = ", ".join(sorted(group.joints))
                self.add("unbound-shape", "warning",
                         f"{describe(shape.element)} is moved by no bone, so it is never drawn: "
                         f"its group {describe(group.element)} holds its own copies of joints "
                         f"({copies}), and such a group binds only to bones with both ends among "
                         "its copies",
                         "add copies of the joints that complete a bone (bones.tsv lists them), "
                         "or remove the copies so the shapes follow the main skeleton")
            else:
                self.add("unbound-shape", "warning",
                         f"{describe(shape.element)} is moved by no bone, so it is never drawn",
                         "add the missing joints: a bone needs both of its joints")

    def features(self, illustration: Illustration) -> None:
        """Eye and mouth shapes must follow their own joints, or blinks and speech won't show."""
        names = _bone_joint_names(illustration)
        binding = illustration.binding
        shape_of = illustration.point_shape
        count = np.maximum(np.bincount(shape_of, minlength=len(illustration.shapes)), 1)
        centres = np.stack([np.bincount(shape_of, illustration.rest_points[:, axis],
                                        len(illustration.shapes)) / count for axis in (0, 1)], 1)
        extents = _shape_extents(illustration)
        filled = np.array([shape.style.get("fill", "black") not in ("none", "transparent")
                           for shape in illustration.shapes])
        for feature, joint_names in FEATURES.items():
            places = [illustration.drawing.joints[n] for n in joint_names
                      if n in illustration.drawing.joints]
            if len(places) < 3:
                continue
            low, high = np.min(places, axis=0), np.max(places, axis=0)
            grow = (high - low) * 0.25
            own_bones = np.array([a in joint_names and b in joint_names for a, b in names])
            share = np.bincount(shape_of[binding.pair_point],
                                binding.weight * own_bones[binding.pair_bone],
                                minlength=len(illustration.shapes)) / count
            # within the feature's box (brows sit above an eye's top joints, so vertically the
            # box does not grow), and no bigger than the feature (a lens, a beard, a head)
            inside = ((centres[:, 0] >= low[0] - grow[0]) & (centres[:, 0] <= high[0] + grow[0])
                      & (centres[:, 1] >= low[1]) & (centres[:, 1] <= high[1]))
            small = extents[:, 0] <= FEATURE_EXTENT * max(high[0] - low[0], 1e-9)
            weak = np.flatnonzero(inside & small & filled & (share < FEATURE_SHARE))
            if weak.size == 0:
                continue
            lids = "eyelid" if "eye" in feature else "lip"
            effect = "blinks" if lids == "eyelid" else "an opening mouth"
            low_share, high_share = f"{share[weak].min():.0%}", f"{share[weak].max():.0%}"
            if weak.size == 1:
                what = (f"{describe(illustration.shapes[weak[0]].element)} in the {feature} takes "
                        f"only {low_share} of its motion from the {lids} joints, so {effect} "
                        "will hardly show on it")
            else:
                shown = ", ".join(describe(illustration.shapes[i].element) for i in weak[:3])
                more = f" and {weak.size - 3} more" if weak.size > 3 else ""
                spread = low_share if low_share == high_share else f"{low_share[:-1]}–{high_share}"
                what = (f"{weak.size} shapes of the {feature} ({shown}{more}) take only {spread} "
                        f"of their motion from the {lids} joints, so {effect} will hardly show "
                        "on them")
            self.add("feature-not-driven", "warning", what,
                     f"put the {lids} joints ({joint_names[0]}, {joint_names[1]} …) on the "
                     f"{feature}'s outline, or, if the {feature} is drawn in a group with its "
                     "own joint copies, copy those joints too")

    def limbs(self, joints: dict[str, np.ndarray]) -> None:
        """A limb bone next to nothing beside its neighbour, and limbs crossed at rest."""
        for chain in LIMB_CHAINS:
            if not all(name in joints for name in chain):
                continue
            upper = float(np.linalg.norm(joints[chain[1]] - joints[chain[0]]))
            lower = float(np.linalg.norm(joints[chain[2]] - joints[chain[1]]))
            for short, long, (a, b), other in ((lower, upper, chain[1:], chain[:2]),
                                               (upper, lower, chain[:2], chain[1:])):
                if 0 < short < TINY_BONE * long:
                    self.add("tiny-bone", "warning",
                             f"bone {a}–{b} is only {short / long:.0%} as long as {other[0]}–"
                             f"{other[1]}: '{a}' and '{b}' nearly coincide, so the limb bends at "
                             "the wrong place and what lies between them is crushed",
                             f"drag '{a}' and '{b}' to the drawn joints they name (the elbow or "
                             "knee halfway down the drawn limb)")
        for limbs, left, right in (("arms", LIMB_CHAINS[0], LIMB_CHAINS[1]),
                                   ("legs", LIMB_CHAINS[2], LIMB_CHAINS[3])):
            if all(name in joints for name in left + right) and _chains_cross(
                    [joints[n] for n in left], [joints[n] for n in right]):
                self.add("crossed-limbs", "warning",
                         f"the {limbs} cross at rest ({left[1]}/{left[2]} against "
                         f"{right[1]}/{right[2]}), so shapes between them bind to the wrong "
                         "side and tear when posed",
                         "move the joints so that each limb's joints lie on its own drawn limb "
                         "(left and right are the character's own)")

    def fingers(self, joints: dict[str, np.ndarray]) -> None:
        """Each hand's fingers in order: along the line of knuckles from the index finger's
        base to the little finger's, the bases come index, middle, ring, little, and the
        thumb's knuckle lies on the index finger's side (fingers swapped in the skeleton, or
        a left hand's joints on the right hand, bend the wrong drawn fingers)."""
        for side in ("left", "right"):
            names = {finger: f"{side}{finger}{2 if finger == 'Thumb' else 1}" for finger in FINGERS}
            if not all(name in joints for name in names.values()):
                continue
            start, end = joints[names["Index"]], joints[names["Pinky"]]
            span = end - start
            length_sq = float(span @ span)
            if length_sq < 1e-12:
                continue
            along = {finger: float((joints[name] - start) @ span) / length_sq
                     for finger, name in names.items()}
            found = sorted(FINGERS, key=along.__getitem__)
            in_order = [along[f] for f in FINGERS[1:]] == sorted(along[f] for f in FINGERS[1:])
            if in_order and along["Thumb"] < along["Middle"]:
                continue
            said = ", ".join(names[f] for f in found)
            self.add("fingers-out-of-order", "warning",
                     f"the {side} hand's knuckles are not in order from the thumb to the little "
                     f"finger: along the hand they come {said}, so moving a finger bends "
                     "another drawn finger",
                     f"drag each finger's joints onto its own drawn finger ({side}Thumb… on "
                     f"the thumb, {side}Index… on the index finger, … {side}Pinky… on the little "
                     "finger)")

    def posing(self, illustration: Illustration) -> None:
        """Pose the drawing at rest and with the eyes closed: a frame that cannot be posed
        would be blank, and pupils that stay open poke through closed lids."""
        from poseanim.rigging.sample_poses import pose_named

        rest = illustration.rest_pose()
        try:
            rest_frame = illustration.pose(rest)
        except PoseanimError as error:
            self.add("pose-not-finite", "error", str(error),
                     "run `poseanim rig check` on a copy without the feature groups to find the "
                     "group that causes it, and report the file")
            return
        joints = {name: illustration.rest_joints[i] for i, name in enumerate(JOINT_NAMES)
                  if np.isfinite(illustration.rest_joints[i]).all()}
        self.tried_poses(illustration, joints, rest.image_size)
        if not all(f"{side}Eye{k}" in joints for side in ("left", "right") for k in range(6)):
            return
        closed = illustration.pose(pose_named("eyes closed", joints, rest.image_size))
        for side in ("left", "right"):
            ring = np.array([joints[f"{side}Eye{k}"] for k in range(6)])
            low, high = ring.min(axis=0), ring.max(axis=0)
            lid_gap = [abs(closed.joints[KEYPOINT_INDEX[f"{side}Eye{u}"]][1]
                           - closed.joints[KEYPOINT_INDEX[f"{side}Eye{d}"]][1])
                       for u, d in EYELID_PAIRS]
            opening = max(high[1] - low[1], 1e-9)
            for index, shape in enumerate(illustration.shapes):
                if not closed.visible[index]:
                    continue
                rows = illustration.point_shape == index
                rest_points, posed_points = rest_frame.points[rows], closed.points[rows]
                centre = rest_points.mean(axis=0)
                extent = np.ptp(rest_points, axis=0)
                if not ((centre > low).all() and (centre < high).all()
                        and (extent < high - low).all()) \
                        or shape.style.get("fill", "black") in ("none", "transparent"):
                    continue  # only filled shapes inside the eye: pupils, irises, highlights
                kept = np.ptp(posed_points[:, 1]) / max(extent[1], 1e-9)
                if kept > PUPIL_OPEN and max(lid_gap) < 0.3 * opening \
                        and _shows(illustration, closed, index):
                    self.add("pupil-through-lid", "warning",
                             f"{describe(shape.element)} inside the {side} eye keeps {kept:.0%} of "
                             "its height when the eyes close, so it pokes through the closed lid",
                             f"move the {side} eyelid joints ({side}Eye1, {side}Eye2, {side}Eye4, "
                             f"{side}Eye5) onto the drawn lids so the pupil binds to them, or draw "
                             "the eye in a group with its own copies of the eye joints")

    def tried_poses(self, illustration: Illustration, joints: dict[str, np.ndarray],
                    image_size: tuple[int, int]) -> None:
        """Pose the body in TRIED_POSES and report what the quality score finds: a file whose
        every joint is in place can still tear when a limb's bone lies beside its drawn limb."""
        from poseanim.rigging.quality import pose_quality
        from poseanim.rigging.sample_poses import pose_named

        for name in TRIED_POSES:
            for fault in pose_quality(illustration, pose_named(name, joints, image_size)).problems:
                self.add(POSES_BADLY, "warning", f"posed with {name}, {fault}",
                         "open the file in `poseanim rig edit`, try that pose, and drag the "
                         "joints of the limb that tears onto the middle of its drawn limb (not "
                         "beside it); a piece that comes loose needs its own joint or a drawn "
                         "link to the limb it belongs to")

    def backgrounds(self, illustration: Illustration) -> None:
        """A shape covering the whole canvas is a background; bound to bones, it would bend."""
        for shape in illustration.shapes:
            points = np.concatenate([subpath.points for subpath in shape.subpaths])
            if covers_view_box(points, illustration.view_box):
                self.add("background-in-drawing", "warning",
                         f"{describe(shape.element)} covers the whole canvas, like a background, "
                         "and will bend with the body",
                         "move it out of the 'illustration' group (before it, so it stays "
                         "behind the character)")

    def clips(self, illustration_group: ET.Element) -> None:
        rules = parse_stylesheets(self.root)
        for element in illustration_group.iter():
            style = own_style(element, rules)
            for name in ("clip-path", "mask"):
                value = style.get(name, "none")
                if value != "none" and local_tag(element) in SHAPE_TAGS | CONTAINER_TAGS:
                    self.add("clip-not-deformed", "warning",
                             f"the {name} of {describe(element)} is not deformed: it stays where "
                             "it is drawn while the shapes inside move out of it",
                             "release it (Inkscape: Object > Clip > Release; Figma: untick "
                             "'Clip content'), or draw the clipped shape as a path of its own")

def covers_view_box(points: np.ndarray, view_box: tuple[float, float, float, float]) -> bool:
    """Whether (N, 2) points span (nearly) all of the canvas: the mark of a background shape."""
    x, y, width, height = view_box
    low, high = points.min(axis=0), points.max(axis=0)
    return bool(low[0] <= x + 0.02 * width and low[1] <= y + 0.02 * height
                and high[0] >= x + 0.98 * width and high[1] >= y + 0.98 * height)


SHOWS_SIDE = 256
"""Pixels of the larger side of the picture in which a shape is looked for (`_shows`)."""
SHOWS_SHARE = 0.25
"""A shape shows when it changes more pixels than this share of its own box (an edge pixel or
two peeking past a lid line does not count), and at least SHOWS_MIN_PIXELS (a lash is no pupil)."""
SHOWS_MIN_PIXELS = 6
"""(the shape is painted a quarter of SHOWS_SIDE wide, so these are shares of its size)"""


def _shows(illustration: Illustration, frame, index: int) -> bool:
    """Whether shape `index` visibly changes `frame` as painted: a pupil clipped to its eye or
    covered by a drawn lid is still there, but hidden."""
    from dataclasses import replace

    from poseanim.render.cairo_painter import CairoPainter

    rows = illustration.point_shape == index
    low, high = frame.points[rows].min(axis=0), frame.points[rows].max(axis=0)
    scale = SHOWS_SIDE / 4 / max(float((high - low).max()), 1e-9)  # the shape a quarter wide
    offset = SHOWS_SIDE / 2 - (low + high) / 2 * scale
    fitted = frame.moved(scale, offset, (0.0, 0.0, float(SHOWS_SIDE), float(SHOWS_SIDE)))
    painter = CairoPainter(illustration, (SHOWS_SIDE, SHOWS_SIDE))
    with_shape = painter.paint(fitted).astype(int)
    without = fitted.visible.copy()
    without[index] = False
    without_shape = painter.paint(replace(fitted, visible=without)).astype(int)
    changed = int((np.abs(with_shape - without_shape).max(axis=2) > 24).sum())
    own = float(np.prod(np.ptp(fitted.points[rows], axis=0)))  # its box, in pixels
    return changed > max(SHOWS_MIN_PIXELS, SHOWS_SHARE * own)


def _shape_extents(illustration: Illustration) -> np.ndarray:
    """(S, 2) width and height of each shape's control points at rest."""
    extents = np.zeros((len(illustration.shapes), 2))
    for index in range(len(illustration.shapes)):
        extents[index] = np.ptp(illustration.rest_points[illustration.point_shape == index], axis=0)
    return extents


def _segments_cross(a: np.ndarray, b: np.ndarray, c: np.ndarray, d: np.ndarray) -> bool:
    """Whether segment ab properly crosses segment cd."""
    def side(p: np.ndarray, q: np.ndarray, r: np.ndarray) -> float:
        return float((q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0]))

    return side(a, b, c) * side(a, b, d) < 0 and side(c, d, a) * side(c, d, b) < 0


def _chains_cross(left: list[np.ndarray], right: list[np.ndarray]) -> bool:
    """Whether any bone of one limb chain crosses any bone of the other."""
    return any(_segments_cross(left[i], left[i + 1], right[j], right[j + 1])
               for i in range(len(left) - 1) for j in range(len(right) - 1))


def _drawing_size(illustration: Illustration) -> float:
    extent = illustration.rest_points.max(axis=0) - illustration.rest_points.min(axis=0)
    return float(max(extent.max(), 1e-9))


def _bone_joint_names(illustration: Illustration) -> list[tuple[str, str]]:
    """(joint0, joint1) rig names of every bone of the skeleton, local copies named as their parents."""
    skeleton = illustration.skeleton
    parent = np.concatenate([np.arange(RIG_COUNT), skeleton.local_parent])
    return [(JOINT_NAMES[parent[a]], JOINT_NAMES[parent[b]]) for a, b in skeleton.bone_joints]


def check_tree(root: ET.Element, source: str) -> CheckReport:
    """Check a parsed SVG document; see `check_file`."""
    checker = _Checker(root, source)
    drawing, problems = inspect_rigged_tree(root, source)
    checker.report.problems += problems
    skeleton, _ = find_group(root, "skeleton")
    if skeleton is not None:
        checker.joint_ids(skeleton)
    illustration_group, _ = find_group(root, "illustration")
    if illustration_group is not None:
        checker.clips(illustration_group)
    if drawing is None:
        return checker.report
    illustration = Illustration(drawing, Path(source).stem)
    checker.report.illustration = illustration
    checker.bones(illustration)
    checker.placement(illustration)
    checker.sides(drawing.joints)
    checker.limbs(drawing.joints)
    checker.fingers(drawing.joints)
    checker.unbound_shapes(illustration)
    checker.features(illustration)
    checker.posing(illustration)
    checker.backgrounds(illustration)
    return checker.report


def check_file(path: str | Path) -> CheckReport:
    """Every problem of an SVG file that stops it animating (errors) or spoils it (warnings).

    A file that cannot be read or parsed is reported as one error, not raised.
    """
    try:
        root = read_svg_file(path)
    except PoseanimError as error:
        report = CheckReport(str(path))
        report.problems.append(Problem("unreadable-file", "error", str(error),
                                       "check the path, or open and save the file again as SVG"))
        return report
    return check_tree(root, str(path))

