"""Reading a rigged illustration: the skeleton's joints and the drawing's shapes.

Follows `docs/format.md`: the `skeleton…` and `illustration…` groups are found by id prefix anywhere
in the tree, joints by the longest joint name that prefixes their id, every shape is flattened
into cubic subpaths in root user space (all ancestor transforms applied), and sub-groups of the
drawing that carry their own joint copies become secondary-bone groups.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Collection, Literal

import numpy as np

from poseanim.rig.joint_ids import has_prefix_id, joint_name_for_id
from poseanim.rig.problems import Problem, RigError, describe
from poseanim.svg.document import (
    CONTAINER_TAGS, INKSCAPE_LABEL, SHAPE_TAGS, inherit_style, local_tag, own_style,
    Stylesheet, parse_stylesheets, read_svg_file, view_box,
)
from poseanim.svg.geometry import (
    IDENTITY, MAX_COORDINATE, Affine, Subpath, apply_affine, bounding_box_centre,
    check_control_points, element_transform, invertible, shape_subpaths,
)
from poseanim.rig.tables import BONES, CORE_JOINTS, missing_joint_names
from poseanim.svg.clips import Clip, ClipReader

NOT_DRAWN_TAGS = frozenset({
    "defs", "style", "title", "desc", "metadata", "clipPath", "mask", "symbol", "marker",
    "pattern", "linearGradient", "radialGradient", "filter", "script", "namedview",
})
IGNORED_REASONS = {
    "text": "text is not deformed; convert it to paths (Inkscape: Path > Object to Path)",
    "image": "embedded pictures cannot be deformed; trace or redraw them as paths",
    "use": "<use> clones are not deformed; unlink the clone (Inkscape: Edit > Clone > Unlink Clone)",
    "foreignObject": "foreign content cannot be deformed",
}
UNDRAWABLE = ("its transform squashes it flat or its coordinates are out of range "
              f"(beyond ±{MAX_COORDINATE:.0e}); fix or delete it")


OutsideMode = Literal["static", "torso"]
"""What becomes of drawn content outside the illustration group: `static` leaves it where it is
drawn (the SVG writer keeps it in the document, as Pose Animator's files expect of a backdrop),
`torso` binds it to the torso bones so that it moves with the character."""
TORSO_GROUP = "torso"


def is_hidden(own: dict[str, str], computed: dict[str, str]) -> bool:
    """Whether an element is never painted: `display:none` on itself (then on none of its
    subtree either) or a computed `visibility` of hidden/collapse (children may turn it back on)."""
    return own.get("display") == "none" or computed.get("visibility") in ("hidden", "collapse")


@dataclass
class SecondaryGroup:
    """A sub-group of the drawing with its own copies of some joints (e.g. eyes drawn apart).

    joints: local joint name → rest position (2,) in root user space.
    """

    element: ET.Element
    joints: dict[str, np.ndarray]
    joint_elements: list[ET.Element] = field(default_factory=list)


@dataclass
class DrawnShape:
    """One drawn element of the illustration, ready to be bound.

    subpaths: cubic subpaths in root user space. ctm: element-local → root user space, kept so
    that a posed outline can be written back inside the author's own transforms. clips: the
    clip paths of the shape and of the groups around it, outermost first (read only for a
    drawing read whole, `document_walk`; a rig's shapes have none).
    """

    element: ET.Element
    subpaths: list[Subpath]
    ctm: Affine
    style: dict[str, str]
    secondary_group: int | None
    outside: bool = False
    clips: tuple[Clip, ...] = ()


@dataclass
class RiggedDrawing:
    """Everything read from a rigged SVG, before binding.

    hidden: elements never painted (display:none, visibility:hidden), which every writer must
    leave out (cairosvg paints a hidden `<image>`). outside: drawn elements outside both groups.
    """

    source: str
    root: ET.Element
    view_box: tuple[float, float, float, float]
    skeleton: ET.Element
    illustration: ET.Element
    joints: dict[str, np.ndarray]
    shapes: list[DrawnShape]
    secondary_groups: list[SecondaryGroup]
    missing_joints: list[str]
    duplicate_joints: list[str]
    ignored: list[tuple[ET.Element, str]]
    problems: list[Problem]
    """What the format's rules found (`rig.problems`; none is an error in a drawing read)."""
    hidden: list[ET.Element] = field(default_factory=list)
    outside: list[ET.Element] = field(default_factory=list)
    outside_mode: OutsideMode = "static"

    @property
    def warnings(self) -> list[str]:
        """The warnings among `problems`, each as one line (message; fix)."""
        return [problem.text for problem in self.problems if problem.severity == "warning"]


def find_group(root: ET.Element, prefix: str) -> tuple[ET.Element | None, bool]:
    """The first element whose id starts with `prefix`, else one whose Inkscape label does.

    Returns (element, found_by_label).
    """
    for element in root.iter():
        if has_prefix_id(element.get("id"), prefix):
            return element, False
    for element in root.iter():
        if local_tag(element) == "g" and (element.get(INKSCAPE_LABEL) or "").startswith(prefix):
            return element, True
    return None, False


def _parent_map(root: ET.Element) -> dict[ET.Element, ET.Element]:
    return {child: parent for parent in root.iter() for child in parent}


def element_ctm(element: ET.Element, parents: dict[ET.Element, ET.Element], root: ET.Element) -> Affine:
    """element-local → root user space: every transform from the root's children down to
    `element` itself (the root's own transform is left out, as everywhere in the reader)."""
    chain = []
    node: ET.Element | None = element
    while node is not None and node is not root:
        chain.append(node)
        node = parents.get(node)
    matrix = IDENTITY
    for node in reversed(chain):
        matrix = matrix @ element_transform(node)
    return matrix


def _style_of(element: ET.Element, parents: dict[ET.Element, ET.Element], rules) -> dict[str, str]:
    chain = []
    node: ET.Element | None = element
    while node is not None:
        chain.append(node)
        node = parents.get(node)
    style: dict[str, str] = {}
    for node in reversed(chain):
        style = inherit_style(style, own_style(node, rules))
    return style


def read_rigged_svg(path: str | Path, outside: OutsideMode = "static") -> RiggedDrawing:
    """Read a rigged SVG file; raises PoseanimError (a `RigError`) for anything that cannot
    be animated; what can be animated but not fully is in `RiggedDrawing.problems`."""
    root = read_svg_file(path)
    return read_rigged_tree(root, str(path), outside)


def _is_drawn(element: ET.Element) -> bool:
    tag = local_tag(element)
    return tag in SHAPE_TAGS or tag in IGNORED_REASONS


def _outside_elements(root: ET.Element, skeleton: ET.Element, illustration: ET.Element,
                      rules) -> tuple[list[ET.Element], list[ET.Element]]:
    """(hidden, drawn) elements outside the skeleton and illustration groups.

    Drawn ones are shapes, pictures and text that will be painted; hidden ones are not painted.
    """
    hidden: list[ET.Element] = []
    drawn: list[ET.Element] = []

    def walk(element: ET.Element, style: dict[str, str]) -> None:
        if element is skeleton or element is illustration:
            return
        tag = local_tag(element)
        if tag in NOT_DRAWN_TAGS or not isinstance(element.tag, str):
            return
        own = own_style(element, rules)
        style = inherit_style(style, own)
        if own.get("display") == "none":
            hidden.append(element)
            return
        if _is_drawn(element):
            (hidden if is_hidden(own, style) else drawn).append(element)
        for child in element:
            walk(child, style)

    for child in root:
        walk(child, inherit_style({}, own_style(root, rules)))
    return hidden, drawn


OPTIONAL_JOINTS = frozenset({"leftMiddleLip", "rightMiddleLip"})
"""Joints that Pose Animator's own template lacks: their absence only drops inner-lip bones."""
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_GROUP_FIXES = {
    "skeleton": ("a rigged drawing needs a <g id=\"skeleton\"> (Illustrator writes 'skeleton_1_'; "
                 "in Inkscape set the layer's ID to 'skeleton' in Object Properties, the layer "
                 "name alone is its inkscape:label): run `poseanim rig init FILE -o rigged.svg` "
                 "to add a skeleton placed on the drawing, or paste the group from "
                 "`poseanim rig template`"),
    "illustration": ("put everything drawn into one group with the id 'illustration' (Inkscape: "
                     "Object Properties > ID; Illustrator: name the layer 'illustration'), or run "
                     "`poseanim rig init FILE -o rigged.svg`"),
}


def _bones_needing(name: str, present: Collection[str]) -> list[str]:
    """The bones a missing joint takes away: those whose other end is in the file or belongs to
    Pose Animator's rig (a hand-less file loses no finger bones); when its neighbours are
    missing too (a whole finger of a hand), every bone it belongs to."""
    wanted = set(present) | set(CORE_JOINTS)
    touching = [bone for bone in BONES if name in (bone.joint0, bone.joint1)]
    needing = [bone for bone in touching if ({bone.joint0, bone.joint1} - {name}) <= wanted]
    return [f"{bone.joint0}–{bone.joint1}" for bone in needing or touching]


def missing_joint_problem(name: str, present: Collection[str]) -> Problem:
    """The problem of a skeleton without joint `name` (a note for Pose Animator's own gaps)."""
    bones = ", ".join(_bones_needing(name, present))
    if name in OPTIONAL_JOINTS:
        return Problem("missing-joint", "note",
                       f"joint '{name}' is missing (Pose Animator's template lacks it too); the "
                       f"inner-lip bones {bones} are left out",
                       f"add a circle with the id '{name}' at the {name[:-9]} corner of the "
                       "lips' opening for a mouth that opens more exactly")
    return Problem("missing-joint", "warning",
                   f"joint '{name}' is missing from the skeleton; the bones {bones} are left out "
                   "and what they would move follows the nearest other bones",
                   f"add a circle with the id '{name}' (`poseanim rig edit FILE` adds missing "
                   "joints where the template puts them)")


def _ignored_problem(root_ids: set[str | None], element: ET.Element, reason: str) -> Problem:
    why, _, fix = reason.partition("; ")
    target = element.get("href") or element.get(XLINK_HREF) or ""
    if local_tag(element) == "use" and target[1:] not in root_ids:
        why = f"it points to '{target}', which is not in this document"
        fix = "point it at an element of this file, or delete it"
    return Problem("ignored-element", "warning", f"{describe(element)} is ignored: {why}",
                   fix or "remove it, or redraw it as paths")


def _place(subpaths: list[Subpath], ctm: Affine) -> bool:
    """Move a shape's subpaths into root user space; False when it cannot be drawn there
    (`UNDRAWABLE`)."""
    for subpath in subpaths:
        subpath.points = apply_affine(ctm, subpath.points)
    return invertible(ctm) and all(np.abs(s.points).max() < MAX_COORDINATE for s in subpaths)


GroupSplit = Callable[[ET.Element, Affine, int | None], tuple[int | None, list[ET.Element]]]
"""How a container divides its children: (the secondary group they belong to, the children to
walk). The rig's reader takes joint copies out of a group here; a drawing read whole walks all."""


def _every_child(element: ET.Element, ctm: Affine, group: int | None
                 ) -> tuple[int | None, list[ET.Element]]:
    return group, list(element)


@dataclass
class ShapeWalk:
    """The one walk over drawn content, in paint order, that every reading of shapes shares
    (`inspect_rigged_tree` for a rig, `document_shapes` for a drawing read whole), so that both
    see the same shapes: own and inherited style, `display:none` and hidden visibility, the
    transform chain, the control-point limit and `_place`.

    What it finds is gathered here: `shapes`, `ignored` (element, reason: what is drawn but
    cannot be a shape) and `hidden` (what is never painted). `skip` is not entered (the
    skeleton); `split` says how a container divides its children. With `clips` (a reader of
    the document's clip paths) every shape carries the clips around it, and the elements whose
    clip it cannot read are in `unread_clips`; without, clip paths are not looked at.
    """

    rules: Stylesheet
    viewport: tuple[float, float]
    source: str
    skip: ET.Element | None = None
    split: GroupSplit = _every_child
    clips: ClipReader | None = None
    shapes: list[DrawnShape] = field(default_factory=list)
    ignored: list[tuple[ET.Element, str]] = field(default_factory=list)
    hidden: list[ET.Element] = field(default_factory=list)
    unread_clips: list[ET.Element] = field(default_factory=list)
    point_total: int = 0

    def walk(self, element: ET.Element, ctm: Affine, style: dict[str, str],
             group: int | None = None, outside: bool = False,
             clips: tuple[Clip, ...] = ()) -> None:
        """Read `element` and what it holds; `ctm`, `style` and `clips` are its parent's."""
        if element is self.skip or not isinstance(element.tag, str):
            return
        tag = local_tag(element)
        own = own_style(element, self.rules)
        if own.get("display") == "none":
            self.hidden.append(element)
            return
        if tag in NOT_DRAWN_TAGS:
            return
        ctm = ctm @ element_transform(element)
        style = inherit_style(style, own)
        if self.clips is not None and own.get("clip-path", "none").strip() != "none":
            clip = self.clips.read(own["clip-path"], ctm)
            if clip is None:
                self.unread_clips.append(element)
            else:
                clips = (*clips, clip)
                self.point_total += sum(len(subpath.points) for subpath in clip.subpaths)
                check_control_points(self.point_total, self.source, len(self.shapes))
        if (tag in SHAPE_TAGS or tag in IGNORED_REASONS) and is_hidden(own, style):
            self.hidden.append(element)
        elif tag in CONTAINER_TAGS:
            group, children = self.split(element, ctm, group)
            for child in children:
                self.walk(child, ctm, style, group, outside, clips)
        elif tag in SHAPE_TAGS:
            self._shape(DrawnShape(element, [], ctm, style, group, outside, clips))
        else:
            self.ignored.append((element, IGNORED_REASONS.get(
                tag, f"<{tag}> is not an SVG shape poseanim can deform")))

    def _shape(self, shape: DrawnShape) -> None:
        """Keep a shape (its `subpaths` still to read) when it draws something drawable. Its
        clips count towards the control-point limit with it: a painter draws them for every
        shape they clip."""
        shape.subpaths = shape_subpaths(shape.element, self.viewport)
        if not shape.subpaths:
            return
        self.point_total += sum(len(subpath.points) for subpath in shape.subpaths) + sum(
            len(subpath.points) for clip in shape.clips for subpath in clip.subpaths)
        check_control_points(self.point_total, self.source, len(self.shapes) + 1)
        if _place(shape.subpaths, shape.ctm):
            self.shapes.append(shape)
        else:
            self.ignored.append((shape.element, UNDRAWABLE))


def document_walk(root: ET.Element, source: str) -> ShapeWalk:
    """The whole document read: every shape it draws, in paint order, read as the illustration
    group's are (cubic subpaths in root user space, computed style) with the clips around it:
    the drawing as it looks before it is rigged, which `render.at_rest` paints for `rig init`
    and the rig editor.

    Text, pictures and `<use>` copies are no shapes: `render.painter.holds_document_content`
    sends a document holding them to cairosvg instead, and `render.at_rest` one with
    `unread_clips` (the root's own clip among them: the shapes are read without the root's
    transform, its clip's space). Shapes that cannot be drawn are left out, as the reader
    leaves them out of a rig.
    """
    box = view_box(root)
    rules = parse_stylesheets(root)
    reading = ShapeWalk(rules, (box[2], box[3]), source,
                        clips=ClipReader(root, rules, (box[2], box[3])))
    own = own_style(root, rules)
    if own.get("clip-path", "none").strip() != "none":
        reading.unread_clips.append(root)
    for child in root:
        reading.walk(child, IDENTITY, inherit_style({}, own))
    return reading


def document_shapes(root: ET.Element, source: str) -> list[DrawnShape]:
    """Every shape the whole document draws (`document_walk`), in paint order."""
    return document_walk(root, source).shapes


def read_rigged_tree(root: ET.Element, source: str, outside: OutsideMode = "static") -> RiggedDrawing:
    """Read a parsed rigged SVG tree (see `read_rigged_svg`); RigError names the first error."""
    drawing, problems = inspect_rigged_tree(root, source, outside)
    if drawing is None:
        raise RigError(source, next(p for p in problems if p.severity == "error"))
    return drawing


def inspect_rigged_tree(root: ET.Element, source: str, outside: OutsideMode = "static"
                        ) -> tuple[RiggedDrawing | None, list[Problem]]:
    """Read a parsed tree as far as it goes: the drawing (None when it cannot be animated) and
    every problem the format's rules found in it, errors included (`rig check` reports them)."""
    problems: list[Problem] = []
    groups_found: dict[str, ET.Element] = {}
    for name in ("skeleton", "illustration"):
        group, by_label = find_group(root, name)
        if group is None:
            problems.append(Problem(
                "missing-group", "error",
                f"no '{name}' group: no element's id starts with '{name}' and no Inkscape layer "
                f"is labelled '{name}'", _GROUP_FIXES[name]))
            continue
        groups_found[name] = group
        if by_label:
            problems.append(Problem(
                "group-found-by-label", "warning",
                f"group '{name}' is found only by its Inkscape label (its id is "
                f"'{group.get('id')}')",
                f"set its id to '{name}' (Inkscape: Object Properties > ID) so that Pose "
                "Animator reads the file too"))
    if len(groups_found) < 2:
        return None, problems
    skeleton, illustration = groups_found["skeleton"], groups_found["illustration"]
    parents = _parent_map(root)
    rules = parse_stylesheets(root)
    box = view_box(root)
    viewport = (box[2], box[3])

    joints: dict[str, np.ndarray] = {}
    joint_elements: dict[str, list[ET.Element]] = {}
    for element in skeleton.iter():
        joint = joint_name_for_id(element.get("id")) if element is not skeleton else None
        if joint is None:
            continue
        joint_elements.setdefault(joint, []).append(element)
        centre = bounding_box_centre(element, element_ctm(element, parents, root), viewport)
        if centre is not None and joint not in joints:
            joints[joint] = centre
    for name, found in joint_elements.items():
        if len(found) > 1:
            ids = ", ".join(f"'{element.get('id')}'" for element in found)
            problems.append(Problem(
                "duplicate-joint", "warning",
                f"joint '{name}' is given {len(found)} times ({ids}); the first is used",
                "delete the extra copies, or rename the one that marks another joint"))
        if name not in joints:
            problems.append(Problem(
                "joint-without-geometry", "warning",
                f"joint '{name}' ({describe(found[0])}) has no outline to take its centre from, "
                "so it is treated as missing",
                "make it a circle with a radius (for example r=\"3\") at the joint's place"))
    if not joints:
        problems.append(Problem(
            "no-joints", "error",
            f"the skeleton group {describe(skeleton)} holds no joints (elements with ids such as "
            "'leftShoulder' or 'nose4')",
            "paste the skeleton of `poseanim rig template`, or run `poseanim rig init`"))
        return None, problems
    missing_joints = missing_joint_names(joints)
    problems += [missing_joint_problem(name, joints) for name in missing_joints
                 if name not in joint_elements]
    duplicates = [name for name, found in joint_elements.items() if len(found) > 1]

    groups: list[SecondaryGroup] = []
    orphan_copies: list[tuple[ET.Element, ET.Element, str]] = []

    def split(element: ET.Element, ctm: Affine, group: int | None
              ) -> tuple[int | None, list[ET.Element]]:
        """A container holding joint copies becomes a secondary group; the copies are no shapes."""
        named = [(child, joint_name_for_id(child.get("id"))) for child in element]
        local = [(child, name) for child, name in named if name is not None]
        if local and element is not illustration:
            positions = {}
            for child, name in local:
                centre = bounding_box_centre(child, ctm @ element_transform(child), viewport)
                if centre is None or name in positions:
                    continue
                if name in joints:
                    positions[name] = centre
                else:  # a copy follows its skeleton joint; with none to follow it would be NaN
                    orphan_copies.append((element, child, name))
            groups.append(SecondaryGroup(element, positions, [child for child, _ in local]))
            group = len(groups) - 1
        local_elements = {id(child) for child, _ in local}
        return group, [child for child in element if id(child) not in local_elements]

    reading = ShapeWalk(rules, viewport, source, skip=skeleton, split=split)
    base_ctm = element_ctm(parents[illustration], parents, root) if illustration in parents else IDENTITY
    base_style = _style_of(parents[illustration], parents, rules) if illustration in parents else {}
    reading.walk(illustration, base_ctm, base_style)
    shapes, ignored, hidden = reading.shapes, reading.ignored, reading.hidden
    root_ids = {element.get("id") for element in root.iter()}
    problems += [_ignored_problem(root_ids, element, reason) for element, reason in ignored]
    if not shapes:
        flat = sum(1 for _, reason in ignored if reason == UNDRAWABLE)
        problems.append(Problem(
            "no-shapes", "error",
            "the illustration group holds nothing that can be drawn and deformed",
            "move the drawing's paths, rects, circles, ellipses, lines, polylines or polygons "
            "into the 'illustration' group (convert text to paths first)"
            + (f"; {flat} were left out because {UNDRAWABLE}" if flat else "")))
        return None, problems
    for group_element, copy, name in orphan_copies:
        problems.append(Problem(
            "copy-without-joint", "warning",
            f"{describe(copy)} in {describe(group_element)} copies joint '{name}', which the "
            "skeleton lacks, so the copy is ignored and the bones it would end are left out of "
            "that group",
            f"add '{name}' to the skeleton (`poseanim rig edit` adds missing joints), or delete "
            "the copy"))
    hidden_outside, drawn_outside = _outside_elements(root, skeleton, illustration, rules)
    hidden += hidden_outside
    if drawn_outside and outside == "torso":
        for element in drawn_outside:
            if local_tag(element) in SHAPE_TAGS:
                reading.walk(element, element_ctm(parents[element], parents, root),
                             _style_of(parents[element], parents, rules), outside=True)
    elif drawn_outside:
        shown = ", ".join(describe(element) for element in drawn_outside[:3])
        more = f" and {len(drawn_outside) - 3} more" if len(drawn_outside) > 3 else ""
        problems.append(Problem(
            "outside-illustration", "warning",
            f"{len(drawn_outside)} drawn element(s) lie outside the 'illustration' group "
            f"({shown}{more}): they stay still while the character moves",
            "move them into the 'illustration' group if they belong to the character, or pass "
            "`--outside torso` to bind them to its torso; a backdrop may stay"))
    drawing = RiggedDrawing(source, root, box, skeleton, illustration, joints, shapes, groups,
                            missing_joints, sorted(duplicates), ignored, problems, hidden,
                            drawn_outside, outside)
    return drawing, problems
