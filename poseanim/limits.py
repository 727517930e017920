"""Bounds on the work one input file can ask for, in one place (docs/security.md lists them).

Drawings, photos and videos come from anywhere, so every reader checks the size of what it is
about to do *before* the expensive step: a file that asks for more is refused with a
one-line PoseanimError naming the limit, instead of exhausting memory, recursing until Python
gives up, or running for hours. The defaults are far above what drawing programs and cameras
produce; each can be raised for one run with an environment variable of the same name
prefixed `POSEANIM_` (e.g. `POSEANIM_MAX_NESTING_DEPTH=400`).
"""

from __future__ import annotations

import os

from poseanim.errors import PoseanimError


def _limit(name: str, default: int) -> int:
    """The limit `name`: the environment's `POSEANIM_<name>` when set, else `default`."""
    text = os.environ.get(f"POSEANIM_{name}")
    if text is None:
        return default
    try:
        value = int(text.replace("_", ""))
    except ValueError:
        raise PoseanimError(f"POSEANIM_{name}={text!r} is not a whole number; unset it or give "
                            f"one (the default is {default})") from None
    if value < 1:
        raise PoseanimError(f"POSEANIM_{name} must be at least 1 (the default is {default})")
    return value


MAX_SVG_BYTES = _limit("MAX_SVG_BYTES", 32 * 1024 * 1024)
"""Size of an SVG file: larger is almost certainly not a character."""
MAX_ELEMENTS = _limit("MAX_ELEMENTS", 50_000)
"""Elements in one SVG document (the bundled characters have a few hundred)."""
MAX_REFERENCED_ELEMENTS = _limit("MAX_REFERENCED_ELEMENTS", 10_000)
"""Elements the PNG renderer draws through references (`<use>`, patterns, markers, clip paths,
masks, embedded SVG pictures): cairosvg spends ~0.4 ms on each (a tree or a surface of its
own), five times a plain element, so 10 000 of them take about 4 s."""
MAX_NESTING_DEPTH = _limit("MAX_NESTING_DEPTH", 64)
"""Element nesting depth of an SVG document: every tree walk (ours, ElementTree's writer,
cairosvg's renderer) recurses once per level, so this keeps all of them far from Python's
recursion limit. Drawing programs nest a few levels per layer, rarely beyond 20."""
MAX_PATH_SEGMENTS = _limit("MAX_PATH_SEGMENTS", 100_000)
"""Segments of one shape's outline (path commands, polyline points)."""
MAX_CONTROL_POINTS = _limit("MAX_CONTROL_POINTS", 100_000)
"""Bézier control points of the whole drawing, which binding weighs against every bone
(the bundled characters have 3000 to 4500; binding 30 000 takes seconds)."""
MAX_SHAPES = _limit("MAX_SHAPES", 2_000)
"""Shape elements in one SVG document, joints included (the bundled characters have about
200; reading and binding cost some 10 ms a shape, so this is checked right after parsing)."""
MAX_STYLE_RULES = _limit("MAX_STYLE_RULES", 2_000)
"""CSS rules in the document's `<style>` elements (renderers match each against every
element; Illustrator writes one per distinct style, a few dozen)."""
MAX_REFERENCE_CHAIN = _limit("MAX_REFERENCE_CHAIN", 16)
"""Links followed from one reference (a gradient's `href` to the one it inherits from …)."""
MAX_TEXT_CHARACTERS = _limit("MAX_TEXT_CHARACTERS", 100_000)
"""Characters of `<text>` in one document: the PNG renderer lays out each (30 µs apiece, so a
32 MiB file of text would take a quarter of an hour); poseanim itself ignores text."""
MAX_OUTLINE_TESTS = _limit("MAX_OUTLINE_TESTS", 2_000_000)
"""Point-against-edge tests spent finding which shape is drawn on which (garments, at binding):
shapes stacked by the thousand would ask for shapes² × points × edges. Not a refusal: past it,
the remaining shapes are shown and hidden each on its own. The bundled characters use 0.06 to
0.23 million."""
MAX_RASTER_SIDE = _limit("MAX_RASTER_SIDE", 16_384)
"""Pixels per side of a picture poseanim draws (PNG, video frame)."""
MAX_RASTER_PIXELS = _limit("MAX_RASTER_PIXELS", 100_000_000)
"""Pixels of a picture poseanim draws (400 MB of RGBA)."""
MAX_IMAGE_PIXELS = _limit("MAX_IMAGE_PIXELS", 100_000_000)
"""Pixels of a photo or video frame, read from the file's header before it is decoded."""
MAX_EMBEDDED_IMAGE_PIXELS = _limit("MAX_EMBEDDED_IMAGE_PIXELS", 25_000_000)
"""Pixels of a picture embedded in an SVG as a data: URI, read from its header."""
