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
from typing import Literal

import numpy as np

from poseanim.errors import PoseanimError
from poseanim.rig.joint_ids import has_prefix_id, joint_name_for_id
from poseanim.svg.document import (
    CONTAINER_TAGS, IDENTITY, INKSCAPE_LABEL, MAX_COORDINATE, SHAPE_TAGS, Affine, Subpath,
    apply_affine, bounding_box_centre, check_control_points, element_transform, inherit_style,
    invertible, local_tag, own_style, parse_stylesheets, read_svg_file, shape_subpaths, view_box,
)
from poseanim.rig.tables import missing_joint_names

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
    that a posed outline can be written back inside the author's own transforms.
    """

    element: ET.Element
    subpaths: list[Subpath]
    ctm: Affine
    style: dict[str, str]
    secondary_group: int | None
    outside: bool = False


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
    warnings: list[str]
    hidden: list[ET.Element] = field(default_factory=list)
    outside: list[ET.Element] = field(default_factory=list)
    outside_mode: OutsideMode = "static"


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


def _missing_group_message(source: str, name: str) -> str:
    return (f"{source} has no '{name}' group: a rigged drawing needs a <g id=\"{name}\"> "
            f"(Illustrator writes '{name}_1_'); in Inkscape, set the layer's ID to '{name}' "
            "in Object Properties (the layer name alone is its inkscape:label), "
            "or run `poseanim rig init` to add a skeleton")


def read_rigged_svg(path: str | Path, outside: OutsideMode = "static") -> RiggedDrawing:
    """Read a rigged SVG file; raises PoseanimError for anything that cannot be animated."""
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


def _describe(element: ET.Element) -> str:
    element_id = element.get("id")
    return f'<{local_tag(element)} id="{element_id}">' if element_id else f"<{local_tag(element)}>"


def read_rigged_tree(root: ET.Element, source: str, outside: OutsideMode = "static") -> RiggedDrawing:
    """Read a parsed rigged SVG tree (see `read_rigged_svg`)."""
    warnings: list[str] = []
    skeleton, skeleton_by_label = find_group(root, "skeleton")
    illustration, illustration_by_label = find_group(root, "illustration")
    missing = [name for name, group in (("skeleton", skeleton), ("illustration", illustration))
               if group is None]
    if missing:
        raise PoseanimError(_missing_group_message(source, missing[0]))
    assert skeleton is not None and illustration is not None
    for name, by_label in (("skeleton", skeleton_by_label), ("illustration", illustration_by_label)):
        if by_label:
            warnings.append(f"group '{name}' was found by its Inkscape label only; set its id to "
                            f"'{name}' so Pose Animator can read the file too")
    parents = _parent_map(root)
    rules = parse_stylesheets(root)
    box = view_box(root)
    viewport = (box[2], box[3])

    joints: dict[str, np.ndarray] = {}
    duplicates: list[str] = []
    for element in skeleton.iter():
        name = joint_name_for_id(element.get("id"))
        if name is None:
            continue
        centre = bounding_box_centre(element, element_ctm(element, parents, root), viewport)
        if centre is None:
            warnings.append(f"joint '{name}' (id '{element.get('id')}') has no geometry; ignored")
        elif name in joints:
            duplicates.append(name)
        else:
            joints[name] = centre
    if not joints:
        raise PoseanimError(f"{source}: the skeleton group has no joints (elements with ids such "
                            "as 'leftShoulder' or 'nose4'); run `poseanim rig template` for one")
    missing_joints = missing_joint_names(joints)

    shapes: list[DrawnShape] = []
    groups: list[SecondaryGroup] = []
    ignored: list[tuple[ET.Element, str]] = []
    point_total = 0

    hidden: list[ET.Element] = []
    orphan_copies: dict[str, list[str]] = {}

    def walk(element: ET.Element, ctm: Affine, style: dict[str, str], group: int | None,
             is_outside: bool = False) -> None:
        nonlocal point_total
        if element is skeleton:
            return
        tag = local_tag(element)
        own = own_style(element, rules)
        if own.get("display") == "none":
            hidden.append(element)
            return
        ctm = ctm @ element_transform(element)
        style = inherit_style(style, own)
        if (tag in SHAPE_TAGS or tag in IGNORED_REASONS) and is_hidden(own, style):
            hidden.append(element)
            return
        if tag in CONTAINER_TAGS:
            local = [(child, joint_name_for_id(child.get("id"))) for child in element]
            local = [(child, name) for child, name in local if name is not None]
            if local and element is not illustration and not is_outside:
                positions = {}
                for child, name in local:
                    centre = bounding_box_centre(child, ctm @ element_transform(child), viewport)
                    if centre is None or name in positions:
                        continue
                    if name in joints:
                        positions[name] = centre
                    else:  # a copy follows its skeleton joint; with none to follow it would be NaN
                        orphan_copies.setdefault(name, []).append(child.get("id") or name)
                groups.append(SecondaryGroup(element, positions, [child for child, _ in local]))
                group = len(groups) - 1
            local_elements = {id(child) for child, _ in local}
            for child in element:
                if id(child) not in local_elements:
                    walk(child, ctm, style, group, is_outside)
        elif tag in SHAPE_TAGS:
            subpaths = shape_subpaths(element, viewport)
            if subpaths:
                point_total += sum(len(subpath.points) for subpath in subpaths)
                check_control_points(point_total, source, len(shapes) + 1)
                for subpath in subpaths:
                    subpath.points = apply_affine(ctm, subpath.points)
                if invertible(ctm) and all(np.abs(s.points).max() < MAX_COORDINATE for s in subpaths):
                    shapes.append(DrawnShape(element, subpaths, ctm, style, group, is_outside))
                else:
                    ignored.append((element, UNDRAWABLE))
        elif tag in IGNORED_REASONS:
            ignored.append((element, IGNORED_REASONS[tag]))
        elif tag not in NOT_DRAWN_TAGS and isinstance(element.tag, str):
            ignored.append((element, f"<{tag}> is not an SVG shape poseanim can deform"))

    base_ctm = element_ctm(parents[illustration], parents, root) if illustration in parents else IDENTITY
    base_style = _style_of(parents[illustration], parents, rules) if illustration in parents else {}
    walk(illustration, base_ctm, base_style, None)
    if not shapes:
        flat = sum(1 for _, reason in ignored if reason == UNDRAWABLE)
        raise PoseanimError(f"{source}: the illustration group holds no shapes to draw "
                            "(paths, rects, circles, ellipses, lines, polylines or polygons)"
                            + (f"; {flat} were left out because {UNDRAWABLE}" if flat else ""))
    for name, ids in sorted(orphan_copies.items()):
        warnings.append(f"'{ids[0]}' is a feature group's copy of joint '{name}', which the "
                        f"skeleton lacks; the copy is ignored (add '{name}' to the skeleton)")
    hidden_outside, drawn_outside = _outside_elements(root, skeleton, illustration, rules)
    hidden += hidden_outside
    if drawn_outside and outside == "torso":
        for element in drawn_outside:
            if local_tag(element) in SHAPE_TAGS:
                walk(element, element_ctm(parents[element], parents, root),
                     _style_of(parents[element], parents, rules), None, True)
    elif drawn_outside:
        first = _describe(drawn_outside[0])
        warnings.append(f"{len(drawn_outside)} drawn element(s) lie outside the 'illustration' "
                        f"group (first: {first}) and stay still while the character moves; move "
                        "them into the group, or bind them to the torso (`--outside torso`)")
    return RiggedDrawing(source, root, box, skeleton, illustration, joints, shapes,
                         groups, missing_joints, sorted(set(duplicates)), ignored, warnings,
                         hidden, drawn_outside, outside)
