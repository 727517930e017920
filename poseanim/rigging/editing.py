"""A rigged SVG open for editing: its joints, and the file text for any new joint positions.

The editor moves joints freely in memory as plain `{name: (x, y)}` dicts (cheap to undo and
redo); this module turns such a dict back into the author's file by changing only the moved
joints' coordinates and inserting the added joints (see `poseanim.svg.text`), so a saved file
differs from the original in those few numbers and nothing else.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import numpy as np

from poseanim.atomic import write_bytes_atomic
from poseanim.illustration import Illustration
from poseanim.rigging.auto_hands import SIDES, fitted_extremity
from poseanim.rigging.auto_rig import fitted_template, rig_source, similarity, wrap_drawing
from poseanim.rigging.check import CheckReport, check_tree
from poseanim.rig.joint_ids import joint_name_for_id
from poseanim.rig.reader import element_ctm, find_group
from poseanim.svg.document import local_tag, view_box
from poseanim.svg.geometry import bounding_box_centre
from poseanim.svg.text import Splice, SvgSource
from poseanim.extremities import EXTREMITIES
from poseanim.rig.tables import (
    JOINT_NAMES, KEYPOINT_INDEX, KEYPOINT_NAMES, foot_joints, hand_joints, missing_joint_names,
)
from poseanim.rig.template import joint_circles, number, template_joints

Joints = dict[str, np.ndarray]
"""Joint name → (2,) position in the document's user space (where the reader puts joints)."""

_POINT_ATTRIBUTES = {"circle": (("cx", "cy"),), "ellipse": (("cx", "cy"),), "rect": (("x", "y"),),
                     "line": (("x1", "y1"), ("x2", "y2"))}
"""Attributes that place an element, per tag: a joint of these tags moves by changing them."""


def _radius(circle: ET.Element) -> float | None:
    """A circle's radius when written as a plain number."""
    try:
        return float(circle.get("r") or "")
    except ValueError:
        return None


class RigDocument:
    """One SVG file being rigged.

    source: the document text the editor works on (the file's, or the file's plus what
    opening it had to add, see `opened_note`). rest: where each joint is in that text.
    report: `rig check`'s verdict on that text; its `illustration` is the bound drawing, or
    None when the drawing cannot be read.
    """

    def __init__(self, source: SvgSource, path: str | Path, opened_note: str | None = None) -> None:
        self.path = Path(path)
        self.source = source
        self.opened_note = opened_note
        self.report: CheckReport = check_tree(source.root, str(path))
        self.skeleton, _ = find_group(source.root, "skeleton")
        self._parents = {child: parent for parent in source.root.iter() for child in parent}
        self.joint_elements: dict[str, ET.Element] = {}
        self.rest: Joints = {}
        for element in (self.skeleton.iter() if self.skeleton is not None else ()):
            name = joint_name_for_id(element.get("id"))
            if name is None or name in self.joint_elements:
                continue
            centre = bounding_box_centre(element, self._ctm(element))
            if centre is not None:
                self.joint_elements[name] = element
                self.rest[name] = centre

    @classmethod
    def open(cls, path: str | Path) -> RigDocument:
        """Open any SVG: a rig as it is; a drawing without a skeleton gets the template fitted
        to it, one without an illustration group gets its drawing wrapped (in memory until
        saved). PoseanimError only for files that are not SVG or draw nothing."""
        source = SvgSource.from_file(path)
        if find_group(source.root, "skeleton")[0] is None:
            result = rig_source(source)
            return cls(result.document, path, f"{path} had no skeleton: {result.placement}")
        if find_group(source.root, "illustration")[0] is None:
            return cls(source.edited(wrap_drawing(source)), path,
                       f"{path} had no illustration group: its drawing was wrapped in one")
        return cls(source, path)

    @property
    def view_box(self) -> tuple[float, float, float, float]:
        """The document's viewBox (x, y, width, height): the canvas the joints live on."""
        return view_box(self.source.root)

    @property
    def illustration(self) -> Illustration | None:
        """The drawing bound to the joints as they are in the text, or None."""
        return self.report.illustration

    def _ctm(self, element: ET.Element) -> np.ndarray:
        return element_ctm(element, self._parents, self.source.root)

    # -- joints → text ---------------------------------------------------------------------

    def _move(self, element: ET.Element, shift: np.ndarray) -> list[Splice]:
        """Splices that move one joint element by `shift` (user space)."""
        local = np.linalg.solve(self._ctm(element)[:2, :2], shift)
        pairs = _POINT_ATTRIBUTES.get(local_tag(element), ())
        try:
            values = {name: number(float(element.get(name) or 0) + delta)
                      for pair in pairs for name, delta in zip(pair, local)}
        except ValueError:  # a coordinate with units: move it with a transform instead
            pairs = ()
        if not pairs:
            parent_ctm = self._ctm(self._parents[element])
            dx, dy = np.linalg.solve(parent_ctm[:2, :2], shift)
            existing = element.get("transform") or ""
            values = {"transform": f"translate({number(dx)},{number(dy)}) {existing}".strip()}
        return self.source.set_attributes(element, values)

    def _added(self, joints: Joints) -> list[Splice]:
        """The splice that inserts circles for joints the text does not have yet."""
        new = {name: joints[name] for name in JOINT_NAMES
               if name in joints and name not in self.joint_elements}
        if not new or self.skeleton is None:
            return []
        to_local = np.linalg.inv(self._ctm(self.skeleton))
        local = {name: to_local[:2, :2] @ p + to_local[:2, 2] for name, p in new.items()}
        radii = [_radius(e) for e in self.joint_elements.values() if local_tag(e) == "circle"]
        radius = float(np.median([r for r in radii if r])) if any(radii) else 3.0
        prefix = self.source.span(self.skeleton).prefix
        return [self.source.insert_into(self.skeleton, joint_circles(local, radius, prefix) + "\n")]

    def text_with(self, joints: Joints) -> str:
        """The document text with joints at `joints`: moved ones changed, new ones added."""
        splices = self._added(joints)
        for name, element in self.joint_elements.items():
            if name in joints and not np.allclose(joints[name], self.rest[name], atol=1e-9):
                splices += self._move(element, np.asarray(joints[name]) - self.rest[name])
        return self.source.edited(splices).text

    def save(self, joints: Joints, path: str | Path | None = None) -> Path:
        """Write the document with `joints` atomically (to its own path unless given)."""
        target = Path(path) if path is not None else self.path
        return write_bytes_atomic(target, self.source.to_bytes(self.text_with(joints)))

    # -- what the joints do ----------------------------------------------------------------

    def rebound(self, joints: Joints) -> Illustration | None:
        """The drawing bound to `joints` without touching the text (fast enough while dragging);
        a draft, so it skips the binding cache."""
        if self.illustration is None:
            return None
        drawing = replace(self.illustration.drawing, joints=dict(joints),
                          missing_joints=missing_joint_names(joints))
        return Illustration(drawing, self.illustration.name, cache=False)

    def check(self, joints: Joints) -> CheckReport:
        """`rig check` on the document as it would be saved with `joints`."""
        edited = SvgSource(self.text_with(joints), str(self.path), self.source.encoding,
                           self.source.bom)
        return check_tree(edited.root, str(self.path))

    @staticmethod
    def placed_extremities(joints: Joints) -> Joints:
        """Hand and foot joints for every hand or foot `joints` has none of: the template's
        hand on this drawing's forearm (its shape in the forearm's frame, scaled by the
        forearm's length against the template's), and its heel and toe on the shin likewise.
        An extremity whose limb joints are missing is left out."""
        template = template_joints()
        rest = np.full((len(KEYPOINT_INDEX), 2), np.nan)
        here = np.full((len(KEYPOINT_INDEX), 2), np.nan)
        for name, position in template.items():
            rest[KEYPOINT_INDEX[name]] = position
        for name, position in joints.items():
            here[KEYPOINT_INDEX[name]] = position
        placed: Joints = {}
        for limb in EXTREMITIES:
            names = [KEYPOINT_NAMES[row] for row in limb.rows]
            if any(name in joints for name in names) or limb.limb_direction(here) is None:
                continue
            shape = limb.shape(rest)
            if shape is None:  # the template always measures; a guard for the types
                continue
            scale = (np.linalg.norm(here[limb.end] - here[limb.base])
                     / np.linalg.norm(rest[limb.end] - rest[limb.base]))
            points = limb.placed(here, scale * shape)
            if points is not None:
                placed.update({name: point for name, point in zip(names, points)})
        return placed

    def fitted_extremities(self, joints: Joints) -> Joints:
        """`placed_extremities`, with each hand and foot that the drawing draws beyond its
        wrist or ankle fitted to it instead (`auto_hands.fitted_extremity`: the template's hand
        mapped onto the drawn one's ink, its thumb on the side the drawing shows, each finger
        ending on ink), as `rig init --auto` does when the hand tracker cannot see the hand.
        The skeleton is hidden while measuring, so that its circles are not taken for ink."""
        placed = self.placed_extremities(joints)
        drawing = (self.source if self.skeleton is None else self.source.edited(
            self.source.set_attributes(self.skeleton, {"display": "none"})))
        for side in SIDES:
            for kind, names in (("hand", hand_joints(side)), ("foot", foot_joints(side))):
                if all(name in placed for name in names):
                    placed.update(fitted_extremity(drawing, joints, side, kind) or {})
        return placed

    def placed_missing(self, joints: Joints) -> Joints:
        """Positions for the joints `joints` lacks: the template, fitted by similarity to the
        joints there are (or to the drawing's bounds when fewer than two exist)."""
        template = template_joints()
        missing = [name for name in missing_joint_names(joints) if name in template]
        present = [name for name in JOINT_NAMES if name in joints and name in template]
        if len(present) >= 2:
            to_drawing = similarity(np.array([template[n] for n in present]),
                                    np.array([joints[n] for n in present]))
            return {name: to_drawing(template[name]) for name in missing}
        if self.illustration is not None:
            points = self.illustration.rest_points
            fitted = fitted_template(points.min(axis=0), points.max(axis=0))
        else:
            x, y, width, height = self.view_box
            fitted = fitted_template(np.array([x, y]), np.array([x + width, y + height]))
        return {name: fitted[name] for name in missing}
