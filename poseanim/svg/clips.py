"""Clip paths read as outlines, so that a painter can clip by itself (`render.at_rest`).

A `clip-path="url(#id)"` is read as cairosvg renders it: the `<clipPath>`'s children laid
into one path, in the user space of the element that refers to it (its own transform
included), and clipped to by the nonzero rule. Only what that reading gets right is read;
anything else (`clipPathUnits="objectBoundingBox"`, text or `<use>` inside the clip, an even-odd
`clip-rule`, which cairosvg ignores and SVG does not, a clip clipped or hidden itself, a
reference to nothing) is `None`, and the document is left to cairosvg.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

import numpy as np

from poseanim.svg.document import (
    SHAPE_TAGS, Stylesheet, inherit_style, local_tag, own_style,
)
from poseanim.svg.geometry import (
    MAX_COORDINATE, Affine, Subpath, apply_affine, element_transform, invertible, shape_subpaths,
)

_REFERENCE = re.compile(r"\s*url\(\s*['\"]?#([^'\")\s]+)['\"]?\s*\)\s*$")
_EFFECTS = ("clip-path", "mask", "filter")


@dataclass(frozen=True)
class Clip:
    """One clip path: its outline as cubic subpaths in root user space (every transform from the
    referring element down to each child applied); what lies outside it by the nonzero rule is
    not painted."""

    element: ET.Element
    subpaths: list[Subpath]


@dataclass
class ClipReader:
    """Reads the clips of one document (`read`). The ids are looked up once, when first needed,
    and each `<clipPath>` is parsed once, however many elements it clips."""

    root: ET.Element
    rules: Stylesheet
    viewport: tuple[float, float]
    _ids: dict[str, ET.Element] | None = field(default=None, init=False)
    _outlines: dict[int, list[Subpath] | None] = field(default_factory=dict, init=False)

    def read(self, value: str, ctm: Affine) -> Clip | None:
        """The clip a `clip-path` value names, for an element whose user space is `ctm` (its
        own transform included); None when it cannot be read as cairosvg draws it (see the
        module)."""
        match = _REFERENCE.match(value)
        if match is None:
            return None
        if self._ids is None:
            self._ids = {}
            for node in self.root.iter():
                self._ids.setdefault(node.get("id") or "", node)
        element = self._ids.get(match.group(1))
        if element is None or local_tag(element) != "clipPath":
            return None
        if id(element) not in self._outlines:
            self._outlines[id(element)] = self._outline(element)
        outline = self._outlines[id(element)]
        if outline is None or not invertible(ctm):
            return None
        subpaths = [Subpath(apply_affine(ctm, subpath.points), subpath.closed, subpath.straight)
                    for subpath in outline]
        if any(np.abs(subpath.points).max() >= MAX_COORDINATE for subpath in subpaths):
            return None
        return Clip(element, subpaths)

    def _outline(self, element: ET.Element) -> list[Subpath] | None:
        """A `<clipPath>`'s children as one outline in the referring element's user space (the
        clipPath's transform and each child's applied); None when it cannot be read."""
        if element.get("clipPathUnits", "userSpaceOnUse").strip() != "userSpaceOnUse":
            return None
        own = own_style(element, self.rules)
        if _clipped_or_hidden(own):
            return None
        placement = element_transform(element)
        style = inherit_style({}, own)
        subpaths: list[Subpath] = []
        for child in element:
            if not isinstance(child.tag, str) or local_tag(child) in ("title", "desc", "metadata"):
                continue
            child_own = own_style(child, self.rules)
            child_style = inherit_style(style, child_own)
            if (local_tag(child) not in SHAPE_TAGS or _clipped_or_hidden(child_own)
                    or child_style.get("visibility") in ("hidden", "collapse")
                    or child_style.get("clip-rule", "nonzero").strip() != "nonzero"):
                return None
            placed = placement @ element_transform(child)
            if not invertible(placed):
                return None
            for subpath in shape_subpaths(child, self.viewport):
                subpath.points = apply_affine(placed, subpath.points)
                subpaths.append(subpath)
        return subpaths


def _clipped_or_hidden(own: dict[str, str]) -> bool:
    return own.get("display") == "none" or any(
        own.get(name, "none").strip() != "none" for name in _EFFECTS)
