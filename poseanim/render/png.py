"""SVG document → PNG with cairosvg, never reaching outside the document, within the limits.

The posed document is the user's own SVG, so it is untrusted. cairosvg (≥ 2.7.1) in its default
safe mode (`unsafe=False`) parses without entities and serves only `data:` URIs to
`<image>`, `<use>` and stylesheet references, so `file://` and `http(s)://` references are never
read; we rely on that and test it. What it is asked to allocate is bounded here, before it
draws: the output surface by `MAX_RASTER_SIDE`/`MAX_RASTER_PIXELS`, and every embedded
picture by the pixel count its header states (`MAX_EMBEDDED_IMAGE_PIXELS`). Whatever else
cairosvg trips over in a hostile document ends as a one-line PoseanimError.
"""

from __future__ import annotations

import base64
import binascii
import copy
import io
import re
import urllib.parse
import warnings
import xml.etree.ElementTree as ET

import cairosvg
import cairosvg.surface
import numpy as np

from poseanim.errors import PoseanimError
from poseanim.limits import (
    MAX_ELEMENTS, MAX_EMBEDDED_IMAGE_PIXELS, MAX_NESTING_DEPTH, MAX_RASTER_PIXELS, MAX_RASTER_SIDE,
    MAX_REFERENCED_ELEMENTS, MAX_TEXT_CHARACTERS,
)
from poseanim.render import round_shapes, stroke_bound

_DATA_URI = re.compile(rb"data:([\w.+/-]*)((?:;[\w=.+-]+)*),([^\"'<>)\s]*)")
_NESTED_SVG_DEPTH = 4  # an SVG picture inside an SVG picture inside …: enough for any real file


def check_raster_size(width: float, height: float) -> tuple[int, int]:
    """Rounded (width, height) of a picture to draw, or a PoseanimError naming the limit."""
    if not (np.isfinite(width) and np.isfinite(height)):
        raise PoseanimError("the picture's size is not a number; check the SVG's width, height "
                            "and viewBox")
    size = int(round(width)), int(round(height))
    if not all(1 <= side <= MAX_RASTER_SIDE for side in size) or size[0] * size[1] > MAX_RASTER_PIXELS:
        raise PoseanimError(f"the picture would be {size[0]}×{size[1]} pixels; each side must be "
                            f"between 1 and {MAX_RASTER_SIDE} and the total at most "
                            f"{MAX_RASTER_PIXELS:,} pixels (use --width/--height, or raise "
                            "POSEANIM_MAX_RASTER_SIDE / POSEANIM_MAX_RASTER_PIXELS)")
    return size


class _BoundedPNGSurface(cairosvg.surface.PNGSurface):
    """cairosvg's PNG surface, refusing to allocate more pixels than the limits allow."""

    def _create_surface(self, width, height):
        check_raster_size(width, height)
        return super()._create_surface(width, height)


def embedded_pictures(svg: bytes) -> list[tuple[str, bytes]]:
    """(media type, decoded bytes) of every `data:` URI in the document's text."""
    found = []
    for match in _DATA_URI.finditer(svg):
        media, parameters, payload = match.group(1).decode(), match.group(2), match.group(3)
        try:
            data = (base64.b64decode(urllib.parse.unquote_to_bytes(payload) + b"==", validate=False)
                    if b";base64" in parameters.lower() else urllib.parse.unquote_to_bytes(payload))
        except (binascii.Error, ValueError):
            continue  # not decodable: cairosvg will not draw it either
        found.append((media, data))
    return found


def _header_size(data: bytes) -> tuple[int, int]:
    """A picture's (width, height) from its header, without decoding it (PIL opens lazily;
    its own bomb check is lifted for the call, since this is the check)."""
    from PIL import Image

    limit, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None
    try:
        with Image.open(io.BytesIO(data)) as picture:
            return picture.size
    finally:
        Image.MAX_IMAGE_PIXELS = limit


def _raster_pixels(uri: str) -> int:
    """Pixels of the raster picture a `data:` URI holds, from its header (0 if unreadable:
    cairosvg skips what it cannot read)."""
    found = embedded_pictures(uri.strip().encode("utf-8", "replace"))
    if not found:
        return 0
    try:
        width, height = _header_size(found[0][1])
    except Exception:  # noqa: BLE001 – PIL raises many types; unreadable draws nothing
        return 0
    return width * height


def check_embedded_pictures(svg: bytes, depth: int = 0) -> None:
    """Refuse embedded pictures whose header claims more than `MAX_EMBEDDED_IMAGE_PIXELS`.

    Reads each picture's header only (PIL's lazy open), so a 12-byte claim of 100000×100000
    is refused without decoding a pixel; embedded SVG pictures are checked the same way,
    down to `_NESTED_SVG_DEPTH` levels.
    """
    for media, data in embedded_pictures(svg):
        if data[:5] in (b"<svg ", b"<?xml", b"<!DOC") or b"<svg" in data[:4096] or data[:2] == b"\x1f\x8b":
            if depth >= _NESTED_SVG_DEPTH:
                raise PoseanimError(f"the drawing embeds SVG pictures more than {_NESTED_SVG_DEPTH} "
                                    "levels deep; flatten them")
            check_embedded_pictures(data, depth + 1)
            continue
        try:
            width, height = _header_size(data)
        except Exception:  # noqa: BLE001 – PIL raises many types; cairosvg skips what it cannot read
            continue
        if width * height > MAX_EMBEDDED_IMAGE_PIXELS:
            raise PoseanimError(f"the drawing embeds a {media or 'picture'} of {width}×{height} "
                                f"pixels; embedded pictures over {MAX_EMBEDDED_IMAGE_PIXELS:,} pixels "
                                "are refused (scale it down, or raise "
                                "POSEANIM_MAX_EMBEDDED_IMAGE_PIXELS)")


_ARC = re.compile(r"[Aa]")
_TEXT_AFTER_CLOSE = re.compile(r"[Zz][\s,]*[^\sMmZzLlHhVvCcSsQqTtAa,]")
"""Anything but a command after a close: cairosvg's path parser loops for ever on `Z 1 2`."""
_NOT_FINITE = re.compile(r"nan|inf", re.IGNORECASE)
_LARGE = re.compile(r"\d{10}|[eE]\+?\d")  # what a number beyond ±1e9 must contain
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def _out_of_range(text: str) -> bool:
    """Whether geometry text holds NaN, an infinity or a coordinate cairo cannot place
    (beyond ±MAX_COORDINATE: its fixed-point arithmetic overflows and can spin for ever)."""
    from poseanim.svg.geometry import MAX_COORDINATE

    if _NOT_FINITE.search(text):
        return True
    return bool(_LARGE.search(text)) and any(abs(float(n)) > MAX_COORDINATE
                                             for n in _NUMBER.findall(text))
_TRANSFORM_TOKEN = re.compile(r"\s*(?:(matrix|translate|scale|rotate|skewX|skewY)\s*\(|"
                              r"([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)|(\))|,)")


def _well_formed_transform(text: str) -> bool:
    """Whether a transform list is only `name(numbers)` items: one token at a time (a regex
    for the whole list backtracks exponentially on a long digit run)."""
    position, inside = 0, False
    while position < len(text):
        token = _TRANSFORM_TOKEN.match(text, position)
        if token is None:
            return not inside and not text[position:].strip()
        name, number, close = token.groups()
        if (name and inside) or ((number or close) and not inside):
            return False
        inside = bool(name) or (inside and not close)
        position = token.end()
    return not inside


_TRANSFORMS = ("transform", "gradientTransform", "patternTransform")
_GEOMETRY = ("x", "y", "width", "height", "r", "rx", "ry", "cx", "cy", "x1", "y1", "x2", "y2",
             "points")
_PLACED_BY = frozenset((*_GEOMETRY, "d", *_TRANSFORMS))  # the attributes that place a shape


_URL_REFERENCE = re.compile(r"url\(\s*['\"]?#([^)'\"\s]+)")
_HREFS = ("href", "{http://www.w3.org/1999/xlink}href")
_DRAWN_BY_REFERENCE = frozenset({"defs", "symbol", "pattern", "clipPath", "mask", "marker",
                                 "linearGradient", "radialGradient", "filter", "style"})
"""Elements drawn only where something refers to them, never where they stand."""
_SIMPLE_SELECTOR = re.compile(r"\.[\w-]+|#[\w-]+|[a-zA-Z]+")  # what svg.document's sheet matches
_PAINTS = ("fill", "stroke")
_MARKERS = ("marker-start", "marker-mid", "marker-end")
_OWN_REFERENCES = ("clip-path", "mask", "filter")  # not inherited: drawn once for the element


def _use_without_target(element: ET.Element) -> bool:
    """Whether a `<use>` names no element: no href, `""`, `"#"` (read as cairosvg reads it,
    xlink:href first). SVG 2 draws nothing for it; cairosvg resolves it to the whole document
    and draws that inside itself until Python's recursion limit, ~200 copies deep: 14 s of
    processor time for 150 lines of text (fuzz case 12:3770), so it is dropped instead."""
    import cairosvg.url

    href = element.get(_HREFS[1], element.get(_HREFS[0]))
    return not any(cairosvg.url.parse_url(href))


_VANISHING = 1e-9
"""A picture side under this many units (1/MAX_COORDINATE) draws nothing one could see."""


def _vanishing_picture(element: ET.Element) -> bool:
    """Whether an `<image>` is narrower or lower than `_VANISHING` (but not 0, which cairosvg
    reads as "the picture's own size"). cairosvg scales the picture to it; inside a pattern
    tile a scale of 1e-320 makes cairo *abort the process* (an assertion in
    cairo-pattern.c: fuzz case 13:63389), so it is dropped: it would draw nothing."""
    from poseanim.svg.document import svg_length

    return any(0 < abs(svg_length(element.get(name), 1.0)) < _VANISHING
               for name in ("width", "height"))


def check_expansion(root: ET.Element, depth: int = 0) -> int:
    """The number of elements the renderer draws for the document, once its references are
    followed; a document over `MAX_ELEMENTS` of them (over `MAX_REFERENCED_ELEMENTS` drawn
    through references: each costs cairosvg five plain ones), or nesting deeper than
    `MAX_NESTING_DEPTH` through them, is refused.

    A `<use>` draws its target again; a pattern, clip path, mask or filter named by `url(#…)`
    (in an attribute, a `style` or a style sheet, or inherited: a group's fill pattern is
    drawn for every shape in it) draws its content again for each element that takes it, and
    a marker at every vertex. Ten levels of ten `<use>`s each is 10¹⁰ drawings from a few
    hundred bytes (a "use bomb"; 10⁴ already takes seconds), a marker of 500 shapes on a
    3000-vertex path 1.5 million. An SVG picture embedded as a `data:` URI (`<image>` or
    `<use>`) counts as the elements it draws (`depth`: how many pictures it is inside), so a
    thousand `<use>`s of one 2000-shape picture (160 KB: minutes) are 2 million, refused; a
    raster picture counts its pixels each time it is drawn (cairosvg decodes it each time:
    0.2 s for 16 Mpx), at most `MAX_RASTER_PIXELS` in all.
    Each element is counted once per inherited reference (memoised), so the check is linear
    in the file.
    """
    from poseanim.svg.document import (
        SHAPE_TAGS, local_tag, parse_declarations, parse_stylesheets, parse_svg_text,
    )

    sheet = parse_stylesheets(root)
    targets = {e.get("id"): e for e in root.iter() if isinstance(e.tag, str) and e.get("id")}
    # References in rules whose selectors our sheet does not match (`g rect`, `*`, `[a]` …):
    # counted as if every shape took them, an upper bound of what cairosvg's selectors match.
    anywhere = [(name, value) for style in root.iter() if local_tag(style) == "style"
                for selectors, body in re.findall(r"([^{}]+)\{([^}]*)\}", style.text or "")
                if "url(" in body and not all(_SIMPLE_SELECTOR.fullmatch(selector.strip())
                                              for selector in selectors.split(","))
                for name, value in parse_declarations(body).items() if "url(" in value]
    # → (elements, levels below, raster pixels, elements of those reached through a reference)
    measured: dict[tuple[int, tuple], tuple[int, int, int, int]] = {}
    open_now: set[int] = set()
    pictures: dict[str, tuple[int, int]] = {}  # data: URI → (elements, raster pixels) it draws

    def picture(element: ET.Element) -> tuple[int, int]:
        """(elements drawn by the SVG picture, pixels of the raster picture) the element
        embeds; cairosvg decodes a raster picture again each time it is drawn."""
        href = next((v for name in _HREFS if (v := element.get(name))), "")
        if not href.lstrip().startswith("data:"):
            return 0, 0
        if href not in pictures:
            inner = _embedded_svg(href) if depth < _NESTED_SVG_DEPTH else None
            try:
                document = None if inner is None else parse_svg_text(inner, "an embedded picture")
            except PoseanimError:
                document = None  # unreadable: `renderable` replaces it by nothing
            pictures[href] = (check_expansion(document, depth + 1) if document is not None else 0,
                              _raster_pixels(href) if inner is None else 0)
        return pictures[href]

    def too_many_pixels(pixels: int) -> PoseanimError:
        return PoseanimError(
            f"cannot render the drawing: its embedded pictures, counted each time a reference "
            f"draws one, come to {pixels:,} pixels, more than {MAX_RASTER_PIXELS:,}; draw a "
            "large picture once (not through many <use>s), or raise POSEANIM_MAX_RASTER_PIXELS")

    def too_much() -> PoseanimError:
        return PoseanimError(
            f"cannot render the drawing: its references (<use>, patterns, clip paths, markers, "
            f"embedded SVG pictures) would draw more than {MAX_REFERENCED_ELEMENTS:,} elements "
            f"({MAX_ELEMENTS:,} in all) or nest more than {MAX_NESTING_DEPTH} deep; remove the "
            "repeated references, or raise POSEANIM_MAX_REFERENCED_ELEMENTS / "
            "POSEANIM_MAX_ELEMENTS / POSEANIM_MAX_NESTING_DEPTH")

    def declared(element: ET.Element) -> dict[str, str]:
        """What the element sets itself: attributes < style sheet < `style`."""
        style = dict(element.attrib)
        for rule in sheet.matching(element):
            style.update(rule.declarations)
        style.update(parse_declarations(element.get("style") or ""))
        if "marker" in style:  # the shorthand sets all three
            style.update({name: style["marker"] for name in _MARKERS if name not in style})
        return style

    def target(value: str | None) -> ET.Element | None:
        found = _URL_REFERENCE.findall(value or "")
        return targets.get(found[0]) if found else None

    def measure(element: ET.Element,
                inherited: tuple[tuple[str, str], ...]) -> tuple[int, int, int, int]:
        style = declared(element)
        paints = dict(inherited)
        paints.update({name: style[name] for name in (*_PAINTS, *_MARKERS)
                       if name in style and style[name] != "inherit"})
        context = tuple(sorted((k, v) for k, v in paints.items() if "url(" in v))
        key = (id(element), context)
        if key in measured:
            return measured[key]
        if id(element) in open_now:
            raise PoseanimError("cannot render the drawing: a reference (<use>, or url(#…)) leads "
                                "back to an element containing it; remove that reference")
        open_now.add(id(element))
        tag = local_tag(element)
        # (element drawn, times, inherited paints, reached through a reference)
        drawn: list[tuple[ET.Element, int, tuple, bool]] = [
            (child, 1, context, False) for child in element
            if isinstance(child.tag, str) and local_tag(child) not in _DRAWN_BY_REFERENCE]
        if tag == "use":
            href = next((v.strip() for name in _HREFS if (v := element.get(name))), "")
            if href.startswith("#") and href[1:] in targets:
                drawn.append((targets[href[1:]], 1, context, True))
        if tag in SHAPE_TAGS or tag == "text":
            vertices = 1 + sum(len(_NUMBER.findall(element.get(n) or "")) for n in ("d", "points"))
            for name, value in [*((n, paints.get(n)) for n in (*_PAINTS, *_MARKERS)), *anywhere]:
                found = target(value)
                if found is not None and not (id(found) in open_now and (name, value) in anywhere):
                    drawn.append((found, vertices if name.startswith("marker") else 1, (), True))
        for name in _OWN_REFERENCES:
            found = target(style.get(name))
            if found is not None:
                drawn.append((found, 1, (), True))
        referenced, pixels = picture(element) if tag in ("use", "image") else (0, 0)
        count, levels = referenced + 1, 0
        for child, times, child_context, by_reference in drawn:
            size, below, child_pixels, child_referenced = measure(child, child_context)
            count, levels = count + size * times, max(levels, below + 1)
            referenced += (size if by_reference else child_referenced) * times
            pixels += child_pixels * times
            if (count > MAX_ELEMENTS or referenced > MAX_REFERENCED_ELEMENTS
                    or levels > MAX_NESTING_DEPTH):
                raise too_much()
        if count > MAX_ELEMENTS or referenced > MAX_REFERENCED_ELEMENTS:
            raise too_much()
        if pixels > MAX_RASTER_PIXELS:
            raise too_many_pixels(pixels)
        open_now.discard(id(element))
        measured[key] = (count, levels, pixels, referenced)
        return count, levels, pixels, referenced

    return measure(root, ())[0]


def check_text(root: ET.Element) -> None:
    """Refuse more than `MAX_TEXT_CHARACTERS` characters of text: cairosvg lays out every one
    (a million took 30 s)."""
    from poseanim.svg.document import local_tag

    count = sum(len("".join(e.itertext())) for e in root.iter() if local_tag(e) == "text")
    if count > MAX_TEXT_CHARACTERS:
        raise PoseanimError(f"cannot render the drawing: it holds {count:,} characters of text, "
                            f"more than {MAX_TEXT_CHARACTERS:,}; convert the text to paths or "
                            "delete it (poseanim does not animate text), or raise "
                            "POSEANIM_MAX_TEXT_CHARACTERS")


def _embedded_svg(value: str) -> bytes | None:
    """The SVG document a `data:` URI holds (gzipped ones inflated, to at most
    `MAX_SVG_BYTES`), else None."""
    import zlib

    from poseanim.limits import MAX_SVG_BYTES

    found = embedded_pictures(value.strip().encode("utf-8", "replace"))
    data = found[0][1] if found and value.lstrip().startswith("data:") else b""
    if data[:2] == b"\x1f\x8b":
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            data = inflater.decompress(data, MAX_SVG_BYTES)
        except zlib.error:
            return None
        if inflater.unconsumed_tail:
            raise PoseanimError(f"the drawing embeds a compressed SVG picture of more than "
                                f"{MAX_SVG_BYTES:,} bytes; embed a smaller one")
    return data if b"<svg" in data[:4096] else None


_GRADIENTS = ("linearGradient", "radialGradient")


def _copy_inherited_stops(root: ET.Element) -> bool:
    """Give every gradient without stops of its own the stops it inherits through `href`
    (SVG 1.1 §13.2.4); whether any changed.

    cairosvg resolves the inheritance by moving the stops onto the gradient the first time a
    shape uses it, and then paints every other shape using it with nothing: Inkscape writes
    its gradients this way, so half the hands and feet of such drawings went missing.
    """
    from poseanim.svg.document import local_tag

    by_id = {element.get("id"): element for element in root.iter()
             if isinstance(element.tag, str) and local_tag(element) in _GRADIENTS}
    changed = False
    for gradient in by_id.values():
        if any(local_tag(child) == "stop" for child in gradient if isinstance(child.tag, str)):
            continue
        source: ET.Element | None = gradient
        seen = {id(gradient)}
        while source is not None:  # to the first gradient with stops (a cycle ends it)
            link = next((value for name in _HREFS if (value := source.get(name))), "")
            source = by_id.get(link[1:]) if link.startswith("#") else None
            if source is None or id(source) in seen:
                break
            seen.add(id(source))
            stops = [child for child in source
                     if isinstance(child.tag, str) and local_tag(child) == "stop"]
            if stops:
                gradient.extend(copy.deepcopy(stop) for stop in stops)
                changed = True
                break
    return changed


def renderable(svg: bytes, depth: int = 0) -> bytes:
    """The document with what cairo cannot survive taken out of cairosvg's hands.

    cairo *aborts the process* (an assertion in cairo-arc.c) on arcs whose angles come out
    NaN, e.g. `A1e308 …`, and on NaN radii; no exception can catch that; cairosvg's path
    parser loops for ever on anything but a command after a close (`M0 0 L9 9 Z 5`). So every
    path with arcs, or with text after a `Z`, gets our own cubic outline (finite or nothing),
    and every shape with a NaN, infinite or out-of-range (beyond ±1e9) coordinate is dropped:
    cairo spins on those. Links (`<a>`) become plain groups, which is how they draw: cairosvg
    handles them as text, at a cost that doubles with every nesting level (15 nested links
    took seconds, 60 forever). The references and the text are counted (`check_expansion`,
    `check_text`). A `<use>` that names no element is dropped (`_use_without_target`), and so
    is every `<tref>`: SVG 2 removed it and browsers draw nothing for it, while cairosvg copies
    the text it names (uncounted by `check_text`) and recurses for ever when that is an
    ancestor (3 s for 600 lines of text before its RecursionError). A gradient that takes its
    stops from another (`xlink:href`) gets copies of them: cairosvg paints only the first shape
    that uses it (`_copy_inherited_stops`). An `<image>` less than a billionth of a unit wide
    or high is dropped (`_vanishing_picture`: cairo aborts on it inside a pattern). SVG
    pictures embedded as `data:` URIs get the same treatment, as cairosvg draws them with the
    same code.
    """
    from poseanim.svg.document import local_tag, parse_svg_text
    from poseanim.svg.geometry import parse_transform, shape_subpaths

    root = parse_svg_text(svg, "the drawing")
    check_expansion(root)
    check_text(root)
    changed = _copy_inherited_stops(root)
    for parent in list(root.iter()):
        for element in list(parent):
            tag = local_tag(element)
            if (tag == "tref" or (tag == "use" and _use_without_target(element))
                    or (tag == "image" and _vanishing_picture(element))):
                parent.remove(element)
                changed = True
                continue
            if tag == "a":
                element.tag = element.tag[: -1] + "g"
                changed = True
            for name in _HREFS:
                inner = _embedded_svg(element.get(name) or "")
                if inner is not None and depth < _NESTED_SVG_DEPTH:
                    try:
                        inner = renderable(inner, depth + 1)
                    except PoseanimError:
                        inner = b""  # a picture that cannot be drawn draws nothing
                    element.set(name, "data:image/svg+xml;base64," + base64.b64encode(inner).decode())
                    changed = True
            for name in _TRANSFORMS:  # cairosvg reads a malformed one its own way: give it ours
                text = element.get(name)
                if text is None or (_well_formed_transform(text) and not _out_of_range(text)):
                    continue
                matrix = parse_transform(text)
                element.set(name, "matrix(" + " ".join(repr(float(v)) for v in matrix[:2].T.ravel()) + ")")
                changed = True
            if any(_out_of_range(value) for name, value in element.attrib.items() if name in _PLACED_BY):
                parent.remove(element)
                changed = True
            elif tag == "path" and (_ARC.search(data := element.get("d") or "")
                                    or _TEXT_AFTER_CLOSE.search(data)):
                subpaths = shape_subpaths(element)
                element.set("d", " ".join(
                    "M" + " ".join(f"{x!r},{y!r}" for x, y in sub.points[:1].tolist())
                    + ("C" + " ".join(f"{x!r},{y!r}" for x, y in sub.points[1:].tolist())
                       if len(sub.points) > 1 else "") + ("Z" if sub.closed else "")
                    for sub in subpaths))
                changed = True
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) if changed else svg


def render_png(svg: bytes, width: int | None = None, height: int | None = None,
               scale: float = 1.0, background: str | None = None) -> bytes:
    """Rasterise SVG bytes to PNG bytes.

    width/height: output pixels (one given keeps the aspect ratio); else the SVG's size × scale.
    background: a CSS colour, or None for transparency.
    """
    png = _draw(_BoundedPNGSurface, svg, width, height, scale, background)
    assert isinstance(png, bytes)
    return png


def render_rgba(svg: bytes, width: int | None = None, height: int | None = None,
                scale: float = 1.0, background: str | None = None) -> np.ndarray:
    """Rasterise SVG bytes to an (H, W, 4) uint8 RGBA array: the pixels `render_png` would
    encode, without encoding and decoding a PNG (for 1024² pixels that round trip cost
    50 ms, more than drawing a small drawing)."""
    rgba = _draw(_PixelSurface, svg, width, height, scale, background)
    assert isinstance(rgba, np.ndarray)
    return rgba


class _PixelSurface(_BoundedPNGSurface):
    """The bounded surface, keeping its pixels as RGBA instead of writing a PNG."""

    def finish(self) -> None:
        rows = (self.cairo.get_height(), self.cairo.get_stride() // 4, 4)
        data: np.ndarray = np.ndarray(rows, np.uint8, self.cairo.get_data())
        self.output.pixels = straight_rgba(data[:, : self.cairo.get_width()])
        self.cairo.finish()


def straight_rgba(premultiplied: np.ndarray) -> np.ndarray:
    """cairo's native ARGB32 pixels (premultiplied; B G R A in memory on little-endian
    machines, A R G B on big-endian ones) as straight RGBA, rounded as cairo rounds when it
    writes a PNG (OpenCV's (v·255 + a/2)/a), so the result equals the PNG's pixels exactly."""
    import sys

    import cv2

    bgra = premultiplied if sys.byteorder == "little" else premultiplied[..., ::-1]
    return cv2.cvtColor(cv2.cvtColor(np.ascontiguousarray(bgra), cv2.COLOR_BGRA2RGBA),
                        cv2.COLOR_mRGBA2RGBA)


class _Output(io.BytesIO):
    """Where a surface writes: PNG bytes, or `_PixelSurface`'s pixels."""

    pixels: np.ndarray | None = None


def _draw(surface: type[_BoundedPNGSurface], svg: bytes, width: int | None, height: int | None,
          scale: float, background: str | None) -> bytes | np.ndarray:
    """Draw the document on `surface` within the limits: PNG bytes, or RGBA pixels for
    `_PixelSurface`; every failure of cairosvg's becomes one PoseanimError line."""
    from PIL import Image

    check_embedded_pictures(svg)
    svg = renderable(svg)
    round_shapes.install()  # circles without cairo's arc, which can spin for ever in C
    stroke_bound.install()  # strokes at most MAX_STROKE_PIXELS wide (cairo's stroker)
    output = _Output()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            surface.convert(bytestring=svg, write_to=output, output_width=width,
                            output_height=height, scale=scale, background_color=background,
                            unsafe=False)
    except PoseanimError:
        raise
    except RecursionError:
        raise PoseanimError(f"cannot render the drawing: its references nest too deep (more than "
                            f"{MAX_NESTING_DEPTH} levels, or a <use>/pattern cycle); run "
                            "`poseanim rig check` on it") from None
    except MemoryError:
        raise PoseanimError("cannot render the drawing: it needs more memory than is free; "
                            "render it smaller (--width/--height)") from None
    except Exception as error:  # noqa: BLE001 – cairosvg's many failure types on hostile input
        detail = " ".join(str(error).split())[:160] or "no detail"
        raise PoseanimError(f"cannot render the drawing to PNG (cairosvg: {type(error).__name__}: "
                            f"{detail}); an element of it cannot be drawn: run `poseanim rig check`, "
                            "or open and save it again in a drawing program") from None
    return output.getvalue() if output.pixels is None else output.pixels


def png_to_rgba(png: bytes) -> np.ndarray:
    """Decode PNG bytes to an (H, W, 4) uint8 RGBA array."""
    import cv2

    array = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_UNCHANGED)
    if array is None:
        raise PoseanimError("could not decode the rendered picture")
    if array.ndim == 2:
        array = cv2.cvtColor(array, cv2.COLOR_GRAY2BGRA)
    elif array.shape[2] == 3:
        array = cv2.cvtColor(array, cv2.COLOR_BGR2BGRA)
    return cv2.cvtColor(array, cv2.COLOR_BGRA2RGBA)
