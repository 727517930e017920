"""Posed frame → SVG document, keeping the author's document as it was.

The output is the input document with the skeleton removed, each drawn shape replaced by a
`<path>` carrying the posed outline (in the shape's own coordinate system, so the author's
transforms, ids, classes, styles, `<style>` rules and `<defs>` all still apply), shapes hidden
by low confidence left out, and the canvas set to the frame's.
"""

from __future__ import annotations

import copy
import re
import xml.etree.ElementTree as ET
from typing import Callable

import numpy as np

from poseanim.illustration import PosedFrame
from poseanim.limits import MAX_REFERENCE_CHAIN
from poseanim.svg.document import SVG_NS, local_tag, stroke_width_number
from poseanim.svg.geometry import apply_affine, parse_transform

XLINK = "http://www.w3.org/1999/xlink"

GEOMETRY_ATTRIBUTES = ("d", "x", "y", "width", "height", "rx", "ry", "cx", "cy", "r",
                       "x1", "y1", "x2", "y2", "points", "pathLength")
NAMESPACES = {
    "": SVG_NS,
    "xlink": XLINK,
    "inkscape": "http://www.inkscape.org/namespaces/inkscape",
    "sodipodi": "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd",
}
for _prefix, _uri in NAMESPACES.items():
    ET.register_namespace(_prefix, _uri)


def format_number(value: float, precision: int) -> str:
    """Shortest decimal text at `precision` places: 12.50 → 12.5, -0.00 → 0."""
    text = f"{value:.{precision}f}".rstrip("0").rstrip(".") if precision > 0 else f"{value:.0f}"
    return "0" if text in ("-0", "") else text


_TRAILING_ZEROS = re.compile(r"(\.\d*?)0+(?=[ ,]|$)")
_BARE_POINT = re.compile(r"\.(?=[ ,]|$)")
_NEGATIVE_ZERO = re.compile(r"(?<![\d.])-0(?=[ ,]|$)")


def _coordinates(points: np.ndarray, precision: int) -> list[str]:
    """`x,y` texts of (N, 2) points, shortest at `precision` places (as `format_number`).

    Formats a whole subpath in one string and trims it with regular expressions: several times
    faster than formatting each number, which matters for animated SVGs of many frames.
    """
    text = " ".join(f"{x:.{precision}f},{y:.{precision}f}" for x, y in points.tolist())
    if precision > 0:
        text = _BARE_POINT.sub("", _TRAILING_ZEROS.sub(r"\1", text))
    return _NEGATIVE_ZERO.sub("0", text).split(" ")


def path_data(subpaths: list[tuple[np.ndarray, bool]], precision: int) -> str:
    """SVG path data for cubic subpaths: `M x,y C x,y x,y x,y … Z`."""
    parts = []
    for points, closed in subpaths:
        coordinates = _coordinates(points, precision)
        text = "M" + coordinates[0]
        if len(coordinates) > 1:
            text += "C" + " ".join(coordinates[1:])
        parts.append(text + ("Z" if closed else ""))
    return "".join(parts)


class _UserSpaceGradients:
    """Per-shape copies of userSpaceOnUse gradients that move with their shape.

    A gradient in user space stays where the author drew it while the shape moves away from it;
    a copy that refers back to the original (`href`, so stops and coordinates are inherited) with
    the shape's motion prepended to its gradientTransform keeps the colours on the shape.
    """

    def __init__(self, root: ET.Element) -> None:
        self._by_id = {el.get("id"): el for el in root.iter() if el.get("id")}
        self._namespace = root.tag[: -len(local_tag(root))]
        self._copies: list[ET.Element] = []

    def _user_space_gradient(self, paint: str | None) -> ET.Element | None:
        match = re.match(r"url\(\s*['\"]?#([^'\")\s]+)", paint or "")
        element = self._by_id.get(match.group(1)) if match else None
        seen = 0
        while element is not None and seen < MAX_REFERENCE_CHAIN:
            if local_tag(element) not in ("linearGradient", "radialGradient"):
                return None
            if element.get("gradientUnits") is not None:
                return element if element.get("gradientUnits") == "userSpaceOnUse" else None
            href = element.get("href") or element.get(f"{{{XLINK}}}href") or ""
            element, seen = self._by_id.get(href[1:]) if href.startswith("#") else None, seen + 1
        return None

    def follow(self, element: ET.Element, style: dict[str, str],
               motion_of_shape: Callable[[], np.ndarray]) -> None:
        """Point the shape's fill/stroke at moved copies of its user-space gradients.

        motion_of_shape: the shape's local-space motion, asked for only when it has such a
        gradient (fitting it for every shape would double the time to write a frame).
        """
        motion = None
        for prop in ("fill", "stroke"):
            original = self._user_space_gradient(style.get(prop))
            if original is None:
                continue
            motion = motion_of_shape() if motion is None else motion
            if np.allclose(motion, np.eye(3), atol=1e-9):
                return
            copy_id = f"{original.get('id')}-posed-{len(self._copies)}"
            existing = parse_transform(original.get("gradientTransform"))
            matrix = motion @ existing
            moved = ET.Element(original.tag, {
                "id": copy_id, f"{{{XLINK}}}href": f"#{original.get('id')}",
                "gradientTransform": "matrix(" + " ".join(format_number(v, 6) for v in (
                    matrix[0, 0], matrix[1, 0], matrix[0, 1], matrix[1, 1], matrix[0, 2],
                    matrix[1, 2])) + ")"})
            self._copies.append(moved)
            declarations = [part for part in (element.get("style") or "").split(";")
                            if part.split(":")[0].strip() not in ("", prop)]
            element.set("style", ";".join(declarations + [f"{prop}:url(#{copy_id})"]))

    def insert_into(self, root: ET.Element) -> None:
        """Add the copies in a `<defs>` at the start of the document."""
        if self._copies:
            defs = ET.Element(f"{self._namespace}defs")
            defs.extend(self._copies)
            root.insert(0, defs)


def _scale_stroke(element: ET.Element, style: dict[str, str], scale: float) -> None:
    """Override the stroke width with the character's scale (inline style beats classes)."""
    if abs(scale - 1.0) < 1e-3 or style.get("stroke", "none") == "none":
        return
    width = stroke_width_number(style.get("stroke-width"))
    _set_inline(element, "stroke-width", format_number(width * scale, 3))


def own_opacity(style: dict[str, str]) -> float:
    """The opacity the author gave a shape (attribute, inline style or class), in [0, 1]."""
    try:
        return min(max(float(style.get("opacity", "1") or 1), 0.0), 1.0)
    except ValueError:
        return 1.0


def _fade(element: ET.Element, style: dict[str, str], fade: float) -> None:
    """Multiply the shape's own opacity by its fade, inline, so that no class rule or earlier
    declaration wins over it."""
    _set_inline(element, "opacity", format_number(own_opacity(style) * fade, 3))
    element.attrib.pop("opacity", None)


def _set_inline(element: ET.Element, name: str, value: str) -> None:
    """Set one property in the element's style attribute (inline style beats classes and
    presentation attributes), replacing any declaration of it there."""
    declarations = (element.get("style") or "").rstrip().rstrip(";")
    declarations = ";".join(part for part in declarations.split(";")
                            if part.split(":")[0].strip() != name)
    element.set("style", f"{declarations};{name}:{value}" if declarations else f"{name}:{value}")


def shape_path_data(frame: PosedFrame, shape_index: int, precision: int) -> str:
    """The posed outline of one shape as path data in the shape's own coordinate system."""
    to_local = np.linalg.inv(frame.illustration.shapes[shape_index].ctm)
    return path_data([(apply_affine(to_local, points), closed)
                      for points, closed in frame.subpaths(shape_index)], precision)


def posed_document(frame: PosedFrame, precision: int = 2, background: str | None = None,
                   underlay: str | None = None) -> ET.Element:
    """A new SVG element tree showing `frame` (the illustration's own tree is not changed).

    background: a colour painted over the whole canvas first. underlay: an image URI (the
    photo, for `--overlay`) stretched over the canvas under the character.
    """
    return posed_tree(frame, precision, background, underlay)[0]


def _reorder(elements: list[ET.Element | None], order: np.ndarray,
             parents: dict[ET.Element, ET.Element]) -> None:
    """Move drawn shape elements so that they paint in `order` (an arm in front of the body).

    Only within a parent group: a shape is moved right after the one painted before it when
    both sit in the same group, so the author's transforms and group styles stay as written.
    """
    previous: ET.Element | None = None
    for index in order:
        element = elements[index]
        if element is None:
            continue
        parent = parents.get(element)
        if previous is not None and parent is not None and parents.get(previous) is parent:
            children = list(parent)
            if children.index(element) < children.index(previous):
                parent.remove(element)
                parent.insert(list(parent).index(previous) + 1, element)
        previous = element


def posed_tree(frame: PosedFrame, precision: int = 2, background: str | None = None,
               underlay: str | None = None) -> tuple[ET.Element, list[ET.Element | None]]:
    """`posed_document`, and the `<path>` drawing each shape in it (None for hidden shapes),
    for writers that go on to animate the shapes."""
    illustration = frame.illustration
    drawing = illustration.drawing
    root = copy.deepcopy(drawing.root)
    twin = dict(zip(map(id, drawing.root.iter()), root.iter()))
    parents = {child: parent for parent in root.iter() for child in parent}

    def remove(original: ET.Element) -> None:
        element = twin[id(original)]
        if element in parents:
            parents[element].remove(element)

    gradients = _UserSpaceGradients(root)
    shape_elements: list[ET.Element | None] = [None] * len(illustration.shapes)
    remove(drawing.skeleton)
    for group in drawing.secondary_groups:
        for joint in group.joint_elements:
            remove(joint)
    for element, _reason in drawing.ignored:
        remove(element)
    for element in drawing.hidden:  # never painted, but cairosvg would paint a hidden <image>
        remove(element)
    for index, shape in enumerate(illustration.shapes):
        if not frame.visible[index]:
            remove(shape.element)
            continue
        element = twin[id(shape.element)]
        namespace = element.tag[: -len(local_tag(element))]
        element.tag = f"{namespace}path"
        for name in GEOMETRY_ATTRIBUTES:
            element.attrib.pop(name, None)
        element.set("d", shape_path_data(frame, index, precision))
        shape_elements[index] = element
        _scale_stroke(element, shape.style, float(frame.stroke_scale[index]))
        if frame.opacity is not None and frame.opacity[index] < 1.0:  # fading in or out
            _fade(element, shape.style, float(frame.opacity[index]))
        gradients.follow(element, shape.style, _motion_in_shape(frame, index, shape.ctm))

    if frame.order is not None:
        _reorder(shape_elements, frame.order, parents)
    gradients.insert_into(root)
    x, y, width, height = frame.canvas
    root.set("viewBox", " ".join(format_number(v, 3) for v in (x, y, width, height)))
    root.set("width", format_number(width, 3))
    root.set("height", format_number(height, 3))
    root.attrib.pop("preserveAspectRatio", None)
    if not root.tag.startswith("{"):
        root.set("xmlns", SVG_NS)  # a file written without its namespace still opens in browsers
    namespace = root.tag[: -len(local_tag(root))]
    box = {"x": format_number(x, 3), "y": format_number(y, 3), "width": format_number(width, 3),
           "height": format_number(height, 3)}
    first_drawn = next((i for i, child in enumerate(root)
                        if local_tag(child) not in ("defs", "style", "title", "desc", "metadata",
                                                    "namedview")), len(root))
    if underlay:
        image = ET.Element(f"{namespace}image", {**box, "preserveAspectRatio": "none"})
        image.set("{http://www.w3.org/1999/xlink}href", underlay)
        root.insert(first_drawn, image)
    if background:
        root.insert(first_drawn, ET.Element(f"{namespace}rect", {**box, "fill": background}))
    return root, shape_elements


def _motion_in_shape(frame: PosedFrame, index: int, ctm: np.ndarray) -> Callable[[], np.ndarray]:
    """Shape `index`'s motion in its own coordinates, worked out only when a gradient asks."""
    return lambda: np.linalg.inv(ctm) @ frame.shape_motion(index) @ ctm


def svg_text(frame: PosedFrame, precision: int = 2, background: str | None = None,
             underlay: str | None = None, size: tuple[int, int] | None = None) -> bytes:
    """The posed frame as a standalone SVG file's bytes (UTF-8, with XML declaration),
    displayed at `size` pixels when given."""
    return svg_bytes(posed_document(frame, precision, background, underlay), size)


def svg_bytes(root: ET.Element, size: tuple[int, int] | None) -> bytes:
    """A posed document as file bytes, displayed at `size` pixels (its viewBox unchanged)."""
    if size is not None:
        root.set("width", str(size[0]))
        root.set("height", str(size[1]))
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
