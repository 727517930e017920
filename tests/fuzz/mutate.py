"""Hostile SVG documents for the fuzzing harness: seeds, structure-aware and byte mutations.

Every case is a pure function of its case key (`"<run seed>:<case number>"`), so any case a
long run reports can be rebuilt and replayed with `harness.py --replay KEY`. Mutations work
on the element tree of a seed (a real rigged drawing: the bundled characters, the rig
template and a small drawing built in code), so that most cases still reach the deep stages
(binding, posing, painting) instead of stopping at the XML parser; a quarter of the cases
then get byte-level damage on top, and some are re-encoded or wrapped in DTDs.
"""

from __future__ import annotations

import copy
import gzip
import random
import re
import struct
import sys
import xml.etree.ElementTree as ET
import zlib
from base64 import b64encode
from pathlib import Path
from typing import Callable

TESTS = Path(__file__).resolve().parent.parent
SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
ET.register_namespace("", SVG)
ET.register_namespace("xlink", XLINK)

CONTAINERS = ("g", "svg", "a", "switch")
SHAPES = ("path", "rect", "circle", "ellipse", "line", "polyline", "polygon")
GEOMETRY = {"path": ("d",), "rect": ("x", "y", "width", "height", "rx", "ry"),
            "circle": ("cx", "cy", "r"), "ellipse": ("cx", "cy", "rx", "ry"),
            "line": ("x1", "y1", "x2", "y2"), "polyline": ("points",), "polygon": ("points",)}
PAINT_PROPERTIES = ("fill", "stroke", "stroke-width", "opacity", "fill-opacity", "stroke-opacity",
                    "stroke-dasharray", "stroke-dashoffset", "stroke-linecap", "stroke-linejoin",
                    "stroke-miterlimit", "fill-rule", "display", "visibility", "paint-order",
                    "color", "clip-path", "mask", "filter", "marker-start", "marker-mid",
                    "marker-end", "font-size", "stop-color", "stop-opacity", "offset")
REFERENCE_PROPERTIES = ("fill", "stroke", "clip-path", "mask", "filter", "marker-start",
                        "marker-mid", "marker-end")
WEIRD_NUMBERS = ("0", "-0", "1", "-1", "1e308", "-1e308", "1e-320", "nan", "NaN", "inf", "-inf",
                 "1e999", "3.4e38", "12345678901234567890", "", " ", "abc", "1,2", "--1", "1e",
                 ".", "1px", "2em", "50%", "3in", "-1e-7", "0x10", "+.5e+3", "١٢")
WEIRD_PAINTS = ("none", "red", "#fff", "#12345", "rgb(300,-1,nan)", "rgba(1,2,3,4)", "currentColor",
                "inherit", "transparent", "url(#missing)", "url(#)", "url(", "url(#a) red",
                "url(http://127.0.0.1/x.svg#a)", "url(file:///etc/passwd#a)", "hsl(400, 200%, 50%)",
                "context-fill", "icc-color(x, 1)", "#" + "f" * 300, "")
JOINT_SUFFIXES = ("_1_", "_2_", "-1", "-copy", " copy", "0", "x", "_", "Left", "")


def seeds() -> list[tuple[str, bytes]]:
    """(name, bytes) of every seed document: real rigged drawings of different authorship."""
    sys.path.insert(0, str(TESTS))
    from svg_factory import rigged_svg

    from poseanim.illustration import bundled_illustrations
    from poseanim.rig.template import template_svg

    found = [("factory", rigged_svg().encode()), ("template", template_svg().encode())]
    found += [(name, path.read_bytes()) for name, path in sorted(bundled_illustrations().items())]
    return found


# ---- values -----------------------------------------------------------------------------------

def number(rng: random.Random) -> str:
    """A number as SVG text: usually plausible, sometimes extreme or malformed."""
    roll = rng.random()
    if roll < 0.15:
        return rng.choice(WEIRD_NUMBERS)
    if roll < 0.3:
        return repr(rng.uniform(-1, 1) * 10 ** rng.randint(-30, 30))
    if roll < 0.35:
        return str(rng.randint(-2 ** 63, 2 ** 63))
    return f"{rng.uniform(-50, 650):.{rng.randint(0, 4)}f}"


def numbers(rng: random.Random, count: int) -> str:
    return rng.choice((" ", ",", ", ", "")).join(number(rng) for _ in range(count))


def transform(rng: random.Random) -> str:
    """A transform list: rotations, scales (some singular), skews, matrices, garbage."""
    functions = []
    for _ in range(rng.choice((1, 1, 2, 3, 8, 200))):
        name = rng.choice(("matrix", "translate", "scale", "rotate", "skewX", "skewY", "bogus"))
        count = {"matrix": 6, "translate": 2, "scale": rng.choice((1, 2)), "rotate": rng.choice((1, 3)),
                 "skewX": 1, "skewY": 1, "bogus": 2}[name]
        if rng.random() < 0.2:
            count = rng.randint(0, 8)
        values = numbers(rng, count)
        if name == "matrix" and rng.random() < 0.3:
            values = rng.choice(("0 0 0 0 0 0", "1 2 2 4 0 0", "1e-300 0 0 1e-300 0 0",
                                 "1e300 0 0 1e300 0 0", "nan 0 0 1 0 0"))
        if name == "scale" and rng.random() < 0.3:
            values = rng.choice(("0", "0 1", "1e-320", "-0"))
        if name == "skewX" and rng.random() < 0.3:
            values = "90"
        functions.append(f"{name}({values})")
    text = rng.choice((" ", ",", "")).join(functions)
    return text if rng.random() > 0.05 else text[: rng.randint(0, len(text))]


def path_data(rng: random.Random) -> str:
    """Path data: plausible curves, degenerate ones, malformed commands, or a great many."""
    arity = {"M": 2, "L": 2, "H": 1, "V": 1, "C": 6, "S": 4, "Q": 4, "T": 2, "A": 7, "Z": 0}
    size = rng.choice((1, 2, 3, 5, 10, 30, 100)) if rng.random() > 0.03 else rng.choice((10_000, 200_000))
    parts = [] if rng.random() < 0.1 else [f"M{number(rng)},{number(rng)}"]
    for _ in range(min(size, 200)):
        command = rng.choice("MLHVCSQTAZ")
        if command == "A" and rng.random() < 0.7:
            values = f"{number(rng)} {number(rng)} {number(rng)} {rng.choice('0123')} " \
                     f"{rng.choice('01')} {number(rng)} {number(rng)}"
        else:
            values = numbers(rng, arity[command] + (rng.randint(-1, 2) if rng.random() < 0.2 else 0))
        parts.append((command if rng.random() < 0.5 else command.lower()) + values)
    text = " ".join(parts)
    if size > 200:  # a huge path: repeat what was made
        text = (text + " ") * (size // max(len(parts), 1))
    if rng.random() < 0.05:
        text = text[: rng.randint(0, len(text))]
    return text


def url_to(identifier: str) -> str:
    return f"url(#{identifier})"


def tiny_png(width: int, height: int, claimed: tuple[int, int] | None = None) -> bytes:
    """A valid grey PNG of width × height; `claimed` writes other dimensions into its header."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    w, h = claimed or (width, height)
    header = struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))


def image_uri(rng: random.Random) -> str:
    """A data URI an `<image>` might carry: small, lying about its size, broken, or remote."""
    kind = rng.choice(("png", "bomb", "huge-claim", "broken", "svg", "remote", "file", "jpeg-claim"))
    if kind == "png":
        return "data:image/png;base64," + b64encode(tiny_png(4, 3)).decode()
    if kind == "bomb":
        return "data:image/png;base64," + b64encode(tiny_png(4, 3, (100_000, 100_000))).decode()
    if kind == "huge-claim":
        return "data:image/png;base64," + b64encode(tiny_png(2, 2, (2 ** 31 - 1, 1))).decode()
    if kind == "broken":
        return "data:image/png;base64," + b64encode(tiny_png(4, 3))[:30].decode() + "!!"
    if kind == "svg":  # an SVG picture, sometimes with what must never reach cairo inside
        inside = rng.choice(('<rect width="9" height="9"/>', f'<path d="{path_data(rng)}" stroke="red"/>',
                             '<path d="M0 0 A1e308 1 0 0 1 5 5" stroke="red"/>',
                             '<path d="M0 0 L5 5 Z 5" stroke="red"/>'))
        inner = f'<svg xmlns="http://www.w3.org/2000/svg" width="{number(rng)}" height="1e9">{inside}</svg>'
        data = gzip.compress(inner.encode()) if rng.random() < 0.2 else inner.encode()
        return "data:image/svg+xml;base64," + b64encode(data).decode()
    if kind == "jpeg-claim":
        header = b"\xff\xd8\xff\xc0\x00\x11\x08" + struct.pack(">HH", 65000, 65000) + b"\x03" + b"\x01\x22\x00" * 3
        return "data:image/jpeg;base64," + b64encode(header + b"\xff\xd9").decode()
    return "http://127.0.0.1:9/x.png" if kind == "remote" else "file:///etc/hostname"


# ---- tree helpers -----------------------------------------------------------------------------

NAMESPACE_PREFIXES = {SVG: "", XLINK: "xlink", "http://www.inkscape.org/namespaces/inkscape": "inkscape",
                      "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd": "sodipodi",
                      "http://www.w3.org/XML/1998/namespace": "xml"}


def _escape(text: str, attribute: bool = False) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;").replace("\n", "&#10;") if attribute else text


def serialise(root: ET.Element) -> str:
    """The tree as XML text, without recursion (ElementTree's own writer recurses once per
    level, and nesting tens of thousands deep is one of the mutations)."""
    prefixes = dict(NAMESPACE_PREFIXES)

    def name(qualified: str) -> str:
        if not qualified.startswith("{"):
            return qualified
        uri, local_name = qualified[1:].split("}", 1)
        if uri not in prefixes:
            prefixes[uri] = f"ns{len(prefixes)}"
        return f"{prefixes[uri]}:{local_name}" if prefixes[uri] else local_name

    parts: list[str] = []
    stack: list[tuple[ET.Element, bool]] = [(root, False)]
    while stack:
        element, closing = stack.pop()
        if not isinstance(element.tag, str):  # comments and processing instructions
            parts.append(_escape(element.tail or ""))
            continue
        if closing:
            parts.append(f"</{name(element.tag)}>" + _escape(element.tail or ""))
            continue
        attributes = "".join(f' {name(k)}="{_escape(v, True)}"' for k, v in element.attrib.items())
        if len(element) == 0 and not element.text:
            parts.append(f"<{name(element.tag)}{attributes}/>" + _escape(element.tail or ""))
            continue
        parts.append(f"<{name(element.tag)}{attributes}>" + _escape(element.text or ""))
        stack.append((element, True))
        stack.extend((child, False) for child in reversed(element))
    declarations = "".join(f' xmlns{":" + p if p else ""}="{uri}"' for uri, p in prefixes.items()
                           if p != "xml")
    first = parts[0]
    cut = first.index("/>") if first.endswith("/>") and ">" not in first[:-2] else first.index(">")
    parts[0] = first[:cut] + declarations + first[cut:]
    return "".join(parts)


def local(element: ET.Element) -> str:
    return element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""


def tag(name: str) -> str:
    return f"{{{SVG}}}{name}"


class Document:
    """A seed's tree under mutation, with the lookups mutators need."""

    def __init__(self, data: bytes) -> None:
        self.root = ET.fromstring(data)

    def elements(self) -> list[ET.Element]:
        return [e for e in self.root.iter() if isinstance(e.tag, str)]

    def parents(self) -> dict[ET.Element, ET.Element]:
        return {child: parent for parent in self.root.iter() for child in parent}

    def pick(self, rng: random.Random, kinds: tuple[str, ...] | None = None) -> ET.Element:
        candidates = [e for e in self.elements() if kinds is None or local(e) in kinds]
        return rng.choice(candidates) if candidates else self.root

    def ids(self) -> list[str]:
        return [e.get("id") for e in self.elements() if e.get("id")]

    def group(self, prefix: str) -> ET.Element | None:
        return next((e for e in self.elements() if (e.get("id") or "").startswith(prefix)), None)

    def defs(self) -> ET.Element:
        found = next((e for e in self.root if local(e) == "defs"), None)
        if found is None:
            found = ET.Element(tag("defs"))
            self.root.insert(0, found)
        return found

    def new_id(self, rng: random.Random) -> str:
        return f"fz{rng.randrange(10 ** 9)}"


# ---- structure-aware mutators -----------------------------------------------------------------

def set_attribute(doc: Document, rng: random.Random) -> None:
    element = doc.pick(rng)
    roll = rng.random()
    if roll < 0.4:
        name = rng.choice(PAINT_PROPERTIES)
        value = rng.choice(WEIRD_PAINTS) if rng.random() < 0.5 else number(rng)
    elif roll < 0.7:
        name = rng.choice(sum(GEOMETRY.values(), ()) + ("viewBox", "preserveAspectRatio", "pathLength"))
        value = numbers(rng, rng.choice((1, 1, 2, 4, 5)))
    else:
        name = rng.choice(("class", "id", "style", "transform", "gradientUnits", "gradientTransform",
                           "patternUnits", "clipPathUnits", "maskUnits", "x", "y"))
        value = transform(rng) if "ransform" in name else rng.choice(
            ("cls-1", "userSpaceOnUse", "objectBoundingBox", "", "a b c", "skeleton", "nose",
             "fill:url(#missing)", "display:none", "{}", "x" * rng.randint(1, 5000)))
    element.set(name, value)


def set_transform(doc: Document, rng: random.Random) -> None:
    doc.pick(rng).set(rng.choice(("transform", "transform", "gradientTransform")), transform(rng))


def set_path(doc: Document, rng: random.Random) -> None:
    element = doc.pick(rng, SHAPES)
    if local(element) != "path":
        element.tag = tag("path")
    element.set("d", path_data(rng))


def set_geometry(doc: Document, rng: random.Random) -> None:
    element = doc.pick(rng, SHAPES)
    for name in GEOMETRY.get(local(element), ()):
        if rng.random() < 0.5:
            count = rng.choice((1, 2, 3, 7, 1000, 100_000)) if name == "points" else 1
            element.set(name, numbers(rng, count) if count < 1000 else ("1,2 3,4 " * (count // 2)))


def nest(doc: Document, rng: random.Random) -> None:
    """Wrap an element (often the whole drawing) in a deep chain of containers."""
    depth = rng.choice((2, 10, 60, 300, 1500, 5000, 30_000))
    parents = doc.parents()
    target = doc.group("illustration") if rng.random() < 0.4 else doc.pick(rng)
    if target is None or target not in parents:
        return
    parent = parents[target]
    outer = inner = ET.Element(tag(rng.choice(CONTAINERS)))
    for _ in range(depth - 1):
        child = ET.SubElement(inner, tag(rng.choice(CONTAINERS)))
        if rng.random() < 0.01:
            child.set("transform", transform(rng))
        inner = child
    index = list(parent).index(target)
    parent.remove(target)
    inner.append(target)
    parent.insert(index, outer)


def reference(doc: Document, rng: random.Random) -> None:
    """Add references that point at nothing, at themselves, in long chains or in cycles."""
    defs = doc.defs()
    kind = rng.choice(("gradient-chain", "gradient-cycle", "missing", "self-clip", "use-cycle",
                       "pattern-self", "mask", "filter", "marker", "remote", "use-bomb",
                       "pattern-bomb", "css-bomb", "marker-vertices"))
    shape = doc.pick(rng, SHAPES)
    prop = rng.choice(REFERENCE_PROPERTIES)
    if kind in ("gradient-chain", "gradient-cycle"):
        length = rng.choice((1, 2, 20, 200, 5000))
        names = [doc.new_id(rng) for _ in range(length)]
        for index, name in enumerate(names):
            gradient = ET.SubElement(defs, tag(rng.choice(("linearGradient", "radialGradient"))), id=name)
            if index + 1 < length or kind == "gradient-cycle":
                gradient.set(f"{{{XLINK}}}href" if rng.random() < 0.5 else "href",
                             "#" + names[(index + 1) % length])
            if index == length - 1 or rng.random() < 0.1:
                ET.SubElement(gradient, tag("stop"), offset=number(rng), attrib={"stop-color": "red"})
            if rng.random() < 0.3:
                gradient.set("gradientUnits", rng.choice(("userSpaceOnUse", "objectBoundingBox", "x")))
            if rng.random() < 0.2:
                gradient.set("gradientTransform", transform(rng))
            for name_ in ("x1", "y1", "x2", "y2", "cx", "cy", "r", "fx", "fy", "fr"):
                if rng.random() < 0.1:
                    gradient.set(name_, number(rng))
        shape.set(rng.choice(("fill", "stroke")), url_to(names[0]))
    elif kind == "missing":
        shape.set(prop, url_to(doc.new_id(rng)))
        shape.set("stroke", rng.choice(("red", url_to("nowhere"))))
    elif kind == "self-clip":
        name = doc.new_id(rng)
        clip = ET.SubElement(defs, tag("clipPath"), id=name)
        clip.set("clip-path", url_to(name))
        ET.SubElement(clip, tag("use"), attrib={"href": "#" + name})
        shape.set("clip-path", url_to(name))
    elif kind == "use-cycle":
        name = doc.new_id(rng)
        group = ET.SubElement(doc.pick(rng, CONTAINERS), tag("g"), id=name)
        ET.SubElement(group, tag("use"), attrib={f"{{{XLINK}}}href": "#" + name})
    elif kind in ("use-bomb", "pattern-bomb"):  # each level draws the one below `fan` times
        levels, fan = rng.choice((2, 4, 9)), rng.choice((2, 10))
        names = [doc.new_id(rng) for _ in range(levels + 1)]
        bottom = ET.SubElement(defs, tag("g" if kind == "use-bomb" else "pattern"), id=names[0],
                               width="5", height="5", patternUnits="userSpaceOnUse")
        ET.SubElement(bottom, tag("rect"), width="5", height="5", fill="red")
        for below, name in zip(names, names[1:]):
            level = ET.SubElement(defs, tag("g" if kind == "use-bomb" else "pattern"), id=name,
                                  width="5", height="5", patternUnits="userSpaceOnUse")
            for _ in range(fan):
                if kind == "use-bomb":
                    ET.SubElement(level, tag("use"), attrib={f"{{{XLINK}}}href": "#" + below})
                else:
                    ET.SubElement(level, tag("rect"), width="5", height="5", fill=url_to(below))
        if kind == "use-bomb":
            ET.SubElement(doc.pick(rng, CONTAINERS), tag("use"), attrib={"href": "#" + names[-1]})
        else:
            shape.set("fill", url_to(names[-1]))
    elif kind == "css-bomb":  # the pattern bomb through a style sheet and inherited fills
        levels = rng.choice((2, 4, 9))
        names = [doc.new_id(rng) for _ in range(levels + 1)]
        rules = " ".join(f".{name} {{ fill: url(#{name}) }}" for name in names)
        ET.SubElement(doc.root, tag("style")).text = rules
        for index, name in enumerate(names):
            pattern = ET.SubElement(defs, tag("pattern"), id=name, width="5", height="5",
                                    patternUnits="userSpaceOnUse")
            holder = ET.SubElement(pattern, tag("g"), attrib={"class": names[index - 1]} if index else {})
            for _ in range(10 if index else 1):
                ET.SubElement(holder, tag("rect"), width="5", height="5")
        shape.set("class", names[-1])
    elif kind == "marker-vertices":  # a heavy marker at every vertex of a long outline
        name = doc.new_id(rng)
        marker = ET.SubElement(defs, tag("marker"), id=name, markerWidth="3", markerHeight="3")
        for _ in range(rng.choice((10, 500))):
            ET.SubElement(marker, tag("circle"), cx="1", cy="1", r="1")
        line = ET.SubElement(doc.pick(rng, CONTAINERS), tag("path"), stroke="#000",
                             d="M10,10" + " l0.1,0.1" * rng.choice((10, 3000)))
        line.set(rng.choice(("marker-mid", "marker-start", "style")),
                 url_to(name) if rng.random() < 0.7 else f"marker: {url_to(name)}")
    elif kind == "pattern-self":
        name = doc.new_id(rng)
        pattern = ET.SubElement(defs, tag("pattern"), id=name, width=number(rng), height=number(rng))
        ET.SubElement(pattern, tag("rect"), width="10", height="10", fill=url_to(name))
        shape.set("fill", url_to(name))
    elif kind in ("mask", "filter", "marker"):
        name = doc.new_id(rng)
        element = ET.SubElement(defs, tag(kind), id=name)
        ET.SubElement(element, tag(rng.choice(("rect", "path", "use", "feImage", "feGaussianBlur"))),
                      attrib={"width": number(rng), "height": number(rng), "d": path_data(rng),
                              "href": "#" + rng.choice(doc.ids() or [name]),
                              "stdDeviation": number(rng)})
        shape.set(prop if kind != "filter" else "filter", url_to(name))
    else:
        shape.set(prop, "url(http://127.0.0.1:9/a.svg#x)")
        ET.SubElement(doc.pick(rng, CONTAINERS), tag("use"), attrib={"href": "file:///etc/passwd#x"})


def style_sheet(doc: Document, rng: random.Random) -> None:
    """A `<style>` of rules for the drawing's own classes, ids and tags, some of them broken."""
    classes = sorted({c for e in doc.elements() for c in (e.get("class") or "").split()}) or ["cls-1"]
    selectors = [f".{c}" for c in classes] + [f"#{i}" for i in doc.ids()[:50]] + list(SHAPES) + ["g", "*"]
    rules = []
    for _ in range(rng.choice((1, 3, 10, 30, 20_000))):
        chosen = ", ".join(rng.choice(selectors) for _ in range(rng.randint(1, 3)))
        body = "; ".join(f"{rng.choice(PAINT_PROPERTIES)}: "
                         f"{rng.choice(WEIRD_PAINTS) if rng.random() < 0.5 else number(rng)}"
                         f"{' !important' if rng.random() < 0.1 else ''}" for _ in range(rng.randint(0, 4)))
        rules.append(f"{chosen} {{{body}}}")
    text = "\n".join(rules)
    if rng.random() < 0.2:
        text = rng.choice(("@import url(http://127.0.0.1:9/a.css);", "/* unclosed", "}}}{{{",
                           "@font-face { src: url(file:///etc/passwd) }")) + text
    style = ET.Element(tag("style"))
    style.text = text
    doc.root.insert(rng.randint(0, len(doc.root)), style)
    if rng.random() < 0.5:
        doc.pick(rng).set("style", "; ".join(rules[0].split("{", 1)[-1].rstrip("}").split(";")))


def structure(doc: Document, rng: random.Random) -> None:
    """Delete, duplicate, move or re-tag elements (the ids and references stay as they were)."""
    parents = doc.parents()
    element = doc.pick(rng)
    if element not in parents:
        return
    parent = parents[element]
    action = rng.choice(("delete", "duplicate", "move", "retag", "many"))
    if action == "delete":
        parent.remove(element)
    elif action == "duplicate":
        parent.insert(list(parent).index(element), copy.deepcopy(element))
    elif action == "many":
        for _ in range(rng.choice((50, 500, 5000))):
            parent.append(copy.deepcopy(element) if len(element) < 5 else ET.Element(element.tag, element.attrib))
    elif action == "move":
        inside = set(element.iter())
        targets = [e for e in doc.elements() if e not in inside]
        if targets:
            parent.remove(element)
            rng.choice(targets).append(element)
    else:
        element.tag = tag(rng.choice(CONTAINERS + SHAPES + ("text", "image", "use", "foreignObject",
                                                            "defs", "symbol", "clipPath", "bogus")))


def joints(doc: Document, rng: random.Random) -> None:
    """Break the joint set: remove, duplicate, stack, rename, re-shape or fling joints."""
    skeleton = doc.group("skeleton")
    if skeleton is None:
        return
    joint_elements = [e for e in skeleton.iter() if e is not skeleton and e.get("id")]
    if not joint_elements:
        return
    action = rng.choice(("remove", "duplicate", "stack", "rename", "reshape", "fling", "secondary",
                         "zero", "transform"))
    chosen = rng.sample(joint_elements, min(len(joint_elements), rng.choice((1, 2, 5, 40, 1000))))
    parents = doc.parents()
    for element in chosen:
        if action == "remove":
            parents[element].remove(element)
        elif action == "duplicate":
            parents[element].append(copy.deepcopy(element))
        elif action == "stack":
            element.tag = tag("circle")
            element.attrib.update(cx="300", cy="300", r="3")
        elif action == "rename":
            element.set("id", element.get("id") + rng.choice(JOINT_SUFFIXES))
        elif action == "reshape":
            element.tag = tag(rng.choice(SHAPES + ("g", "text")))
            for name in GEOMETRY.get(local(element), ()):
                element.set(name, numbers(rng, 2 if name in ("points", "d") else 1)
                            if name != "d" else path_data(rng))
        elif action == "fling":
            for name in ("cx", "cy", "x", "y"):
                if element.get(name) is not None:
                    element.set(name, rng.choice(("1e300", "-1e300", "nan", "inf", "1e15")))
        elif action == "secondary":
            illustration = doc.group("illustration")
            if illustration is not None:
                rng.choice([e for e in illustration.iter() if local(e) in CONTAINERS]).append(
                    copy.deepcopy(element))
        elif action == "zero":
            element.set("r", rng.choice(("0", "-1", "")))
        else:
            element.set("transform", transform(rng))


def embedded_image(doc: Document, rng: random.Random) -> None:
    image = ET.SubElement(doc.pick(rng, CONTAINERS), tag("image"),
                          width=number(rng), height=number(rng))
    image.set(f"{{{XLINK}}}href" if rng.random() < 0.5 else "href", image_uri(rng))
    if rng.random() < 0.3:  # an element that refers to it through a pattern fill
        name = doc.new_id(rng)
        pattern = ET.SubElement(doc.defs(), tag("pattern"), id=name, width="10", height="10")
        pattern.append(copy.deepcopy(image))
        doc.pick(rng, SHAPES).set("fill", url_to(name))


def foreign(doc: Document, rng: random.Random) -> None:
    """Text, foreign content and unknown elements in the drawing."""
    parent = doc.pick(rng, CONTAINERS)
    kind = rng.choice(("text", "foreignObject", "bogus", "script", "switch"))
    element = ET.SubElement(parent, tag(kind) if kind != "bogus" else "{urn:x}bogus")
    element.text = rng.choice(("hello", "x" * 10_000, "\u202e", ""))
    if kind == "switch":
        ET.SubElement(element, tag("rect"), width=number(rng), height=number(rng),
                      requiredFeatures="http://www.w3.org/TR/SVG11/feature#Shape")


def root_size(doc: Document, rng: random.Random) -> None:
    """The canvas: huge, zero, negative, percentages, malformed viewBox."""
    for name in ("width", "height", "viewBox"):
        if rng.random() < 0.6:
            if name == "viewBox":
                doc.root.set(name, rng.choice((numbers(rng, 4), "0 0 1e9 1e9", "0 0 0 0", "0 0 -5 5",
                                               "0 0 100000 100000", "nan nan nan nan", "1 2 3")))
            else:
                doc.root.set(name, rng.choice((number(rng), "1e9", "100000", "0", "-10", "100%", "1e6mm")))


THIN_SHARE = 0.9
"""Share of cases cut down to a few of the seed's shapes before mutating: a case then costs
tens of milliseconds instead of seconds (binding and reading scale with the shapes), so a
long run reaches 100 000 cases, and each mutation is a larger part of what is left. The
joints all stay, so thinned cases still reach binding, posing and painting."""
THIN_KEEP = (1, 2, 3, 5, 8, 13)


def thin(doc: Document, rng: random.Random) -> None:
    """Keep a few of the illustration's shapes (and every container, definition and joint)."""
    illustration = doc.group("illustration")
    if illustration is None:
        return
    parents = doc.parents()
    shapes = [e for e in illustration.iter() if local(e) in SHAPES]
    keep = set(rng.sample(shapes, min(len(shapes), rng.choice(THIN_KEEP))))
    for element in shapes:
        if element not in keep and element in parents:
            parents[element].remove(element)


STRUCTURE_MUTATORS: tuple[tuple[Callable[[Document, random.Random], None], float], ...] = (
    (set_attribute, 4), (set_transform, 2), (set_path, 2), (set_geometry, 2), (nest, 1),
    (reference, 2), (style_sheet, 1), (structure, 2), (joints, 3), (embedded_image, 0.6),
    (foreign, 0.4), (root_size, 0.8),
)


# ---- serialisation, encodings and bytes -------------------------------------------------------

def encode(text: str, rng: random.Random) -> bytes:
    """Serialised text as bytes, sometimes in another (or a bogus, or a lying) encoding."""
    roll = rng.random()
    body = re.sub(r"^<\?xml[^>]*\?>\s*", "", text)
    if roll < 0.82:
        return body.encode()
    name = rng.choice(("utf-16", "latin-1", "bogus-encoding", "utf-32", "ascii", "shift_jis",
                       "UTF-8", "x-mac-roman", "utf-7", ""))
    declaration = f'<?xml version="1.0" encoding="{name}"?>'
    try:
        data = (declaration + body).encode(name if rng.random() < 0.7 else "utf-8")
    except LookupError:
        data = (declaration + body).encode()
    except UnicodeEncodeError:
        data = (declaration + body).encode(name, errors="replace")
    return (b"\xef\xbb\xbf" + data) if rng.random() < 0.2 else data


def doctype(data: bytes, rng: random.Random) -> bytes:
    """A DTD in front: entity bombs, external entities, parameter entities, XInclude."""
    kind = rng.choice(("bomb", "external", "parameter", "xinclude", "plain"))
    if kind == "xinclude":
        return data.replace(b">", b'><xi:include xmlns:xi="http://www.w3.org/2001/XInclude" '
                                  b'href="file:///etc/passwd" parse="text"/>', 1)
    declaration = {
        "bomb": '<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
                '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;">]>',
        "external": '<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
        "parameter": '<!DOCTYPE svg [<!ENTITY % p SYSTEM "http://127.0.0.1:9/x.dtd"> %p;]>',
        "plain": '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
                 '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">',
    }[kind]
    if kind in ("bomb", "external"):
        data = data.replace(b'id="', b'data-e="&' + (b"d" if kind == "bomb" else b"x") + b';" id="', 1)
    return declaration.encode() + data


def damage_bytes(data: bytes, rng: random.Random) -> bytes:
    """Byte-level damage: flips, insertions, deletions, duplicated runs, truncation."""
    buffer = bytearray(data)
    for _ in range(rng.choice((1, 1, 2, 4, 16))):
        if not buffer:
            break
        where = rng.randrange(len(buffer))
        action = rng.choice(("flip", "insert", "delete", "duplicate", "truncate", "token"))
        if action == "flip":
            buffer[where] ^= 1 << rng.randrange(8)
        elif action == "insert":
            buffer[where:where] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        elif action == "delete":
            del buffer[where:where + rng.randint(1, 64)]
        elif action == "duplicate":
            run = buffer[where:where + rng.randint(1, 400)]
            buffer[where:where] = run * rng.choice((1, 2, 50))
        elif action == "truncate" and rng.random() < 0.3:
            del buffer[where:]
        else:
            buffer[where:where] = rng.choice((b"<", b">", b"&", b"&#0;", b"]]>", b"\x00", b"<!--",
                                              b'"', b"\xff\xfe", b"\xc3", b"<g>", b"</g>", b"e9"))
    return bytes(buffer)


def make_case(key: str, seed_documents: list[tuple[str, bytes]]) -> tuple[str, bytes]:
    """(description, document bytes) of the case `key`, e.g. "7:1234"."""
    for attempt in range(10):
        try:
            return _make_case(f"{key}/{attempt}" if attempt else key, seed_documents)
        except RecursionError:  # copying an element nested deeper than Python recurses
            continue
    raise RuntimeError(f"case {key}: no mutation could be built")


def _make_case(key: str, seed_documents: list[tuple[str, bytes]]) -> tuple[str, bytes]:
    rng = random.Random(key)
    name, data = rng.choice(seed_documents)
    doc = Document(data)
    thinned = rng.random() < THIN_SHARE
    if thinned:
        thin(doc, rng)
    mutators, weights = zip(*STRUCTURE_MUTATORS)
    applied = rng.choices(mutators, weights, k=rng.choice((1, 1, 2, 3, 5)))
    for mutator in applied:
        mutator(doc, rng)
    output = encode(serialise(doc.root), rng)
    steps = ["thin"] * thinned + [m.__name__ for m in applied]
    if rng.random() < 0.04:
        output, steps = doctype(output, rng), steps + ["doctype"]
    if rng.random() < 0.25:
        output, steps = damage_bytes(output, rng), steps + ["bytes"]
    return f"{name}+{'+'.join(steps)}", output
