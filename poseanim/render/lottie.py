"""Lottie (Bodymovin JSON, `.json`) and dotLottie (`.lottie`) output.

Lottie is what app and web animators ship: lottie-web, the Android and iOS Lottie libraries,
rlottie (Telegram stickers) play it, After Effects plugins import it. The export is vector:

- one shape layer per drawn shape, in the drawing's paint order (Lottie lists the topmost
  layer first, so the list is the drawing's order reversed), named after the shape's id;
- coordinates in output pixels (`svg_size`, the export's size), the comp at the export's frame
  rate, transparent unless a background is given (a colour: a rectangle layer at the back;
  a picture: an embedded JPEG image layer);
- each subpath is a `sh` path whose vertices are keyed with linear interpolation. A key is
  left out where the linear blend of the keys around it stays within `key_error` pixels of
  every control point the video gave (Bézier curves lie in the hull of their control points,
  so the outline is as close; `ExportSettings.key_error`); 0 keeps every frame that differs;
- fills, strokes (width keyed as the character grows), fill rules, caps, joins, dashes and
  opacities as SVG has them; a shape fading out or in (`PosedFrame.opacity`) or hidden by low
  confidence has its paints' opacities keyed (0 % while hidden, so shapes keep their layers;
  a shape that fills and strokes fades each paint, where SVG fades the two as a group);
- a gradient fill is exact whatever the layout (bounding-box gradients stretched into
  ellipses included): its group draws the outline in the gradient's own coordinates, under a
  keyed transform (two nested groups: rotate · scale, then rotate, an SVD of the layout) back
  to pixels. Lottie gradients only pad, so `reflect`/`repeat` spreads are drawn padded; a
  gradient stroke drawn this way takes the mean scale for its width.

dotLottie is the same JSON in a ZIP with a manifest (format version 1: `manifest.json`,
`animations/<id>.json`), a fifth to a tenth of the size.
"""

from __future__ import annotations

import io
import json
import math
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from poseanim.errors import PoseanimError
from poseanim.illustration import Illustration
from poseanim.layering import lifted_shapes
from poseanim.render.canvas import canvas_affine, colour_rgba, raster_size
from poseanim.render.images import photo_data_uri
from poseanim.render.paint_style import (
    RGBA, Gradient, GradientPlacement, ShapePaint, gradient_inverses, shape_paints, stroke_scale,
)
from poseanim.render.export import ExportSettings, OutputFrame

BODYMOVIN_VERSION = "5.7.0"
MAX_KEY_SPAN = 120
"""Frames between two keys at most (bounds the cost of looking for the next key)."""
LINEAR = {"o": {"x": [0], "y": [0]}, "i": {"x": [1], "y": [1]}}
OPACITY_ERROR = 0.5
"""Percent: how far a left-out opacity key's frame may be from the blend of its neighbours."""
LINE_CAPS = {"butt": 1, "round": 2, "square": 3}
LINE_JOINS = {"miter": 1, "round": 2, "bevel": 3}
ANIMATION_ID = "animation"

@dataclass(frozen=True)
class _Subpath:
    """Where one Lottie path's vertices and tangents come from among the posed points.

    vertices, ins, outs: (V,) indices into the frame's points; a tangent index of -1 is a
    zero tangent (a straight end). A closed SVG subpath that ends on its start point drops
    that last anchor, its handle becoming the first vertex's in-tangent.
    """

    vertices: np.ndarray
    ins: np.ndarray
    outs: np.ndarray
    closed: bool

def _subpath(rest: np.ndarray, start: int, stop: int, closed: bool) -> _Subpath:
    anchors = np.arange(start, stop, 3)
    segments = len(anchors) - 1
    ins = np.concatenate([[-1], anchors[1:] - 1])
    outs = np.concatenate([anchors[:-1] + 1, [-1]])
    if closed and segments >= 1 and np.allclose(rest[anchors[-1]], rest[start], atol=1e-6):
        ins[0] = ins[-1]
        anchors, ins, outs = anchors[:-1], ins[:-1], outs[:-1]
    return _Subpath(anchors, ins, outs, closed)

def _bezier(subpath: _Subpath, points: np.ndarray, precision: int) -> dict:
    """One frame of one subpath as a Lottie bezier: vertices and tangents relative to them."""
    vertices = points[subpath.vertices]
    ins = np.where(subpath.ins[:, None] >= 0, points[subpath.ins] - vertices, 0.0)
    outs = np.where(subpath.outs[:, None] >= 0, points[subpath.outs] - vertices, 0.0)
    return {"c": subpath.closed, "v": _round(vertices, precision), "i": _round(ins, precision),
            "o": _round(outs, precision)}

def _round(values: np.ndarray, precision: int) -> list:
    rounded = np.round(values.astype(np.float64), precision) + 0.0  # + 0.0: no "-0.0"
    return rounded.tolist()

def _property(values: list[list], times: list[int]) -> dict:
    """A Lottie property keyed at `times` (linear), static (`a: 0`) when one value is
    enough. values: each as a keyframe's `s`, a list (of numbers, or of one bezier)."""
    if all(value == values[0] for value in values[1:]):
        only = values[0]
        return _static(only[0] if len(only) == 1 else only)
    keys = [{"t": int(t), "s": value} for t, value in zip(times, values)]
    for key in keys[:-1]:
        key.update(LINEAR)
    return {"a": 1, "k": keys}

def _static(value) -> dict:
    return {"a": 0, "k": value}

def key_frames(values: np.ndarray, tolerance: float) -> list[int]:
    """Frames to key so that linear blending between keys stays within `tolerance`.

    values: (F, D) per frame. Greedy: from each key, reach as far as the blend allows (at most
    `MAX_KEY_SPAN`). Frames equal to their neighbours always go; the first and last stay.
    """
    count = len(values)
    keys = [0]
    key = 0
    while key < count - 1:
        reach = key + 1
        for end in range(key + 2, min(count, key + MAX_KEY_SPAN + 1)):
            blend = np.linspace(0.0, 1.0, end - key + 1)[1:-1, None]
            between = values[key] + blend * (values[end] - values[key])
            if np.abs(values[key + 1:end] - between).max() > tolerance:
                break
            reach = end
        keys.append(reach)
        key = reach
    return keys

@dataclass(frozen=True)
class _Fade:
    """A paint's opacity multiplier per frame (the shape's fading and hiding, and its SVG
    opacity where that is folded into the paint), keyed at `times`."""

    values: np.ndarray
    times: list[int]

    def opacity(self, alpha: float = 1.0) -> dict:
        """The `o` property (percent) of a paint whose own alpha is `alpha`."""
        return _property([[round(alpha * float(self.values[t]) * 100, 2)] for t in self.times],
                         self.times)

def _gradient_item(paint: Gradient, kind: str, fade: _Fade) -> dict:
    """`gf`/`gs`: a gradient in its own coordinates (the group's transform places it); its
    stops carry fill-/stroke-opacity already."""
    stops = [value for offset, colour in paint.stops for value in (offset, *colour[:3])]
    alphas = [value for offset, colour in paint.stops for value in (offset, colour[3])]
    if any(colour[3] < 1 for _offset, colour in paint.stops):
        stops += alphas
    item: dict[str, object] = {"ty": kind, "o": fade.opacity(),
            "g": {"p": len(paint.stops), "k": _static(stops)}}
    if paint.kind == "linear":
        x1, y1, x2, y2 = paint.coords
        item.update(t=1, s=_static([x1, y1]), e=_static([x2, y2]))
    else:
        cx, cy, radius, fx, fy = paint.coords
        focus = math.hypot(fx - cx, fy - cy)
        item.update(t=2, s=_static([cx, cy]), e=_static([cx + radius, cy]),
                    h=_static(round(min(focus / max(radius, 1e-9), 0.99) * 100, 3)),
                    a=_static(round(math.degrees(math.atan2(fy - cy, fx - cx)), 3)))
    return item

def _colour_item(colour: RGBA, kind: str, fade: _Fade | None = None) -> dict:
    """`fl`/`st` colour and opacity (Lottie keeps the alpha in `o`, 0–100)."""
    return {"ty": kind, "c": _static([round(c, 4) for c in colour[:3]] + [1]),
            "o": fade.opacity(colour[3]) if fade is not None
            else _static(round(colour[3] * 100, 3))}

def _transform(position=None, rotation=None, scale=None) -> dict:
    """A group's `tr`; arguments are ready properties (None: identity)."""
    return {"ty": "tr", "p": position or _static([0, 0]), "a": _static([0, 0]),
            "s": scale or _static([100, 100]), "r": rotation or _static(0),
            "o": _static(100), "sk": _static(0), "sa": _static(0)}

def _svd_steps(layouts: np.ndarray) -> tuple[np.ndarray, ...]:
    """(F, 3, 3) affines → per frame (outer rotation°, scale x, scale y, inner rotation°,
    translation (2,)), with A = R(outer) · diag(scale) · R(inner), angles unwrapped so keys
    interpolate the short way round."""
    linear = layouts[:, :2, :2]
    u, sigma, vt = np.linalg.svd(linear)
    flip_u = np.linalg.det(u) < 0
    u[flip_u, :, 1] *= -1
    sigma[flip_u, 1] *= -1
    flip_v = np.linalg.det(vt) < 0
    vt[flip_v, 1, :] *= -1
    sigma[flip_v, 1] *= -1
    outer = np.unwrap(np.arctan2(u[:, 1, 0], u[:, 0, 0]))
    inner = np.unwrap(np.arctan2(vt[:, 1, 0], vt[:, 0, 0]))
    return (np.degrees(outer), sigma[:, 0], sigma[:, 1], np.degrees(inner), layouts[:, :2, 2])

@dataclass(frozen=True)
class _PaintGroup:
    """The paints of one shape drawn in one coordinate space.

    gradient: the gradient whose space the outline is drawn in (None: output pixels).
    fill, stroke: whether this group fills and strokes.
    """

    gradient: Gradient | None
    fill: bool
    stroke: bool

def _paint_groups(paint: ShapePaint) -> list[_PaintGroup]:
    """Stroke first (Lottie draws the first item on top), solid paints sharing a group."""
    stroke = paint.stroke if paint.stroke_width > 0 else None
    fill_gradient = paint.fill if isinstance(paint.fill, Gradient) else None
    stroke_gradient = stroke if isinstance(stroke, Gradient) else None
    groups = []
    if stroke is not None and (stroke_gradient is not None or fill_gradient is not None):
        groups.append(_PaintGroup(stroke_gradient, False, True))
        if paint.fill is not None:
            groups.append(_PaintGroup(fill_gradient, True, False))
    elif stroke is not None or paint.fill is not None:
        groups.append(_PaintGroup(fill_gradient, paint.fill is not None, stroke is not None))
    return groups

class LottieWriter:
    """Collects every frame's outlines in output pixels, then writes the Lottie on `finish`.

    Memory: frames × control points × 8 bytes (a minute at 30 frames/s of a 5000-point
    character is 70 MB), plus the JSON text while it is written.
    """

    def __init__(self, temporary: Path, settings: ExportSettings, packed: bool = False) -> None:
        self.temporary = temporary
        self.settings = settings
        self.packed = packed
        self._illustration: Illustration | None = None
        self._size: tuple[int, int] = (0, 0)
        self._to_pixels = np.eye(3)
        self._paints: list[ShapePaint] = []
        self._gradients: list[tuple[int, Gradient]] = []  # (shape, gradient) drawn in its space
        self._points: list[np.ndarray] = []  # per frame (N, 2) output pixels
        self._visible: list[np.ndarray] = []
        self._fades: list[np.ndarray] = []  # per frame (S,) `PosedFrame.opacity`
        self._lifted: list[np.ndarray] = []  # per frame (S,) drawn in front (`lifted_shapes`)
        self._slot: int | None = None  # the shape lifted ones are drawn after
        self._stroke_scale: list[np.ndarray] = []
        self._layouts: list[np.ndarray] = []  # per frame (G, 3, 3) gradient → pixels
        self._inverses: list[np.ndarray] = []  # per frame (G, 3, 3) pixels → gradient
        self._placement: GradientPlacement | None = None

    def write(self, frame: OutputFrame, repeat: int = 1) -> None:
        posed = frame.drawing("Lottie")
        if self._illustration is None:
            self._illustration = posed.illustration
            width, height = posed.canvas[2:]
            # the export gives its checked size; alone, the canvas's own (refused under a
            # pixel or over MAX_PIXELS a side, as an export would: fuzz case 13:74215)
            self._size = self.settings.svg_size or raster_size(posed.canvas)
            self._to_pixels = canvas_affine(posed.canvas, self._size)
            self._paints = shape_paints(posed.illustration)
            self._gradients = [(index, group.gradient)
                               for index, paint in enumerate(self._paints)
                               for group in _paint_groups(paint) if group.gradient is not None]
            self._placement = GradientPlacement(posed.illustration,
                                                [index for index, _ in self._gradients],
                                                [gradient for _, gradient in self._gradients])
        assert self._placement is not None
        points = posed.points @ self._to_pixels[:2, :2].T + self._to_pixels[:2, 2]
        layouts = self._to_pixels @ self._placement.layouts(posed)
        inverses, degenerate = gradient_inverses(layouts)
        layouts[degenerate] = np.eye(3)  # drawn unscaled in pixels, as the cairo painter does
        fade = posed.opacity if posed.opacity is not None else np.ones(len(posed.visible))
        lifted, slot = lifted_shapes(posed.order, len(posed.visible))
        self._slot = self._slot if slot is None else slot
        for _ in range(repeat):
            self._lifted.append(lifted)
            self._points.append(points)
            self._visible.append(posed.visible)
            self._fades.append(fade)
            self._stroke_scale.append(posed.stroke_scale)
            self._layouts.append(layouts)
            self._inverses.append(inverses)

    def finish(self) -> None:
        if self._illustration is None:
            raise PoseanimError("no frames to write")
        text = json.dumps(self.document(), separators=(",", ":"), allow_nan=False)
        data = text.encode("utf-8")
        self.temporary.write_bytes(dotlottie(data) if self.packed else data)

    def close(self) -> None:
        """Nothing to release: the file is written in one go by `finish`."""

    def document(self) -> dict:
        """The Lottie animation (a JSON-ready dict) of the frames written so far."""
        illustration = self._illustration
        assert illustration is not None, "document() after the first frame"
        count = len(self._points)
        points = np.array(self._points)
        visible = np.array(self._visible)
        fades = np.array(self._fades)
        lifted = np.array(self._lifted)
        stroke_scales = np.array(self._stroke_scale)
        layouts = np.array(self._layouts)
        inverses = np.array(self._inverses)
        width, height = self._size
        pixel_scale = float(self._to_pixels[0, 0])
        layers: list[dict] = []
        front: list[dict] = []  # copies of lifted shapes, drawn after the slot's layer
        slot_layer: int | None = None
        gradient_number = 0
        for index, (shape, paint) in enumerate(zip(illustration.shapes, self._paints)):
            groups = _paint_groups(paint)
            if not groups:
                continue
            ranges = illustration.subpath_ranges[index]
            subpaths = [_subpath(illustration.rest_points, start, stop, closed)
                        for start, stop, closed in ranges]
            first, last = ranges[0][0], ranges[-1][1]
            widths = (paint.stroke_width * stroke_scale(shape.ctm) * pixel_scale
                      * stroke_scales[:, index])
            spaces = [(layouts[:, gradient_number + n], inverses[:, gradient_number + n])
                      for n, group in enumerate(g for g in groups if g.gradient is not None)]
            gradient_number += len(spaces)
            if spaces:  # the outline is redrawn in gradient space every frame: key them all
                times = list(range(count))
            else:
                motion = np.concatenate([points[:, first:last].reshape(count, -1),
                                         widths[:, None]], axis=1)
                times = key_frames(motion, self.settings.key_error)
            # Fading and hiding go into the paints' opacities, and so does the SVG opacity of
            # a shape with one paint; fill and stroke together need the layer's for that (a
            # group opacity, as in SVG). Layers below 100 % cost rlottie precision (each
            # lowers the alpha of the whole picture by a level, and darkens what it fades).
            folded = _single_paint(paint)
            values = np.where(visible[:, index], fades[:, index], 0.0) \
                * (paint.opacity if folded else 1.0)
            name = shape.element.get("id") or f"shape {index + 1}"
            # A shape brought in front in some frames (an arm across the body) is drawn twice,
            # in its place and after the slot, each copy showing only in its own frames.
            copies = ([(values, layers)] if not lifted[:, index].any() else
                      [(np.where(lifted[:, index], 0.0, values), layers),
                       (np.where(lifted[:, index], values, 0.0), front)])
            for shown, into in copies:
                fade = _Fade(shown, key_frames(shown[:, None] * 100, OPACITY_ERROR))
                items = []
                spaces_left = iter(spaces)
                for group in groups:
                    layout = next(spaces_left) if group.gradient is not None else None
                    items.append(self._group(group, paint, subpaths, points, widths, times,
                                             layout, fade))
                into.append(_layer(name if into is layers else f"{name} (in front)", items,
                                   _static(100 if folded else round(paint.opacity * 100, 3)),
                                   count))
            if index == self._slot:
                slot_layer = len(layers)
        if front:
            at = len(layers) if slot_layer is None else slot_layer
            layers[at:at] = front
        layers.reverse()  # Lottie: first layer on top
        assets = []
        if self.settings.backdrop is not None:
            assets.append(_picture_asset(self.settings.backdrop))
            layers.append(_picture_layer(assets[0], count))
        elif self.settings.svg_background:
            layers.append(_background_layer(self.settings.svg_background, self._size, count))
        for number, layer in enumerate(layers, start=1):
            layer["ind"] = number
        return {"v": BODYMOVIN_VERSION, "fr": self.settings.fps, "ip": 0, "op": count,
                "w": width, "h": height, "nm": illustration.name, "ddd": 0, "assets": assets,
                "layers": layers, "meta": {"g": "poseanim"}}

    def _group(self, group: _PaintGroup, paint: ShapePaint, subpaths: list[_Subpath],
               points: np.ndarray, widths: np.ndarray, times: list[int],
               layout: tuple[np.ndarray, np.ndarray] | None, fade: _Fade) -> dict:
        """One Lottie group: the outline (in pixels or in gradient coordinates), then its
        stroke and fill, under a transform that undoes the gradient's layout. layout: per frame
        (F, 3, 3) gradient → pixels and its inverse (`gradient_inverses`), or None."""
        precision = self.settings.precision
        space: np.ndarray | None = None
        if layout is not None:
            space, inverse = layout[0], layout[1][times]
            drawn = np.einsum("fij,fnj->fni", inverse[:, :2, :2], points[times]) \
                + inverse[:, None, :2, 2]
        else:
            drawn = points[times]
        items: list[dict] = [
            {"ty": "sh", "ks": _property([[_bezier(subpath, frame, precision)] for frame in drawn],
                                         times)}
            for subpath in subpaths]
        if group.stroke:
            mean_scale = (np.sqrt(np.abs(np.linalg.det(space[times, :2, :2])))
                          if space is not None else np.ones(len(times)))
            items.append(self._stroke(paint, group.gradient, widths[times] / mean_scale,
                                      times, fade))
        if group.fill:
            items.append(self._fill(paint, group.gradient, fade))
        if space is None:
            items.append(_transform())
            return {"ty": "gr", "nm": "outline", "it": items}
        outer, scale_x, scale_y, inner, shift = (step[times] for step in _svd_steps(space))
        items.append(_transform(rotation=_property([[round(float(a), 4)] for a in inner], times)))
        inner_group = {"ty": "gr", "nm": "gradient space", "it": items}
        placement = _transform(
            position=_property([_round(p, 4) for p in shift], times),
            rotation=_property([[round(float(a), 4)] for a in outer], times),
            scale=_property([[round(float(x) * 100, 4), round(float(y) * 100, 4)]
                             for x, y in zip(scale_x, scale_y)], times))
        return {"ty": "gr", "nm": "gradient layout", "it": [inner_group, placement]}

    def _stroke(self, paint: ShapePaint, gradient: Gradient | None, widths: np.ndarray,
                times: list[int], fade: _Fade) -> dict:
        item = (_gradient_item(gradient, "gs", fade) if gradient is not None
                else _colour_item(paint.stroke, "st", fade))  # type: ignore[arg-type]
        item.update(w=_property([[round(float(w), 3)] for w in widths], times),
                    lc=LINE_CAPS.get(paint.line_cap, 1), lj=LINE_JOINS.get(paint.line_join, 1),
                    ml=paint.miter_limit)
        if paint.dash:
            factor = float(widths[0] / max(paint.stroke_width, 1e-9))
            lengths = list(paint.dash) * (2 if len(paint.dash) % 2 else 1)
            item["d"] = [{"n": "d" if n % 2 == 0 else "g", "nm": f"dash {n}",
                          "v": _static(round(length * factor, 3))}
                         for n, length in enumerate(lengths)]
            item["d"].append({"n": "o", "nm": "offset", "v": _static(0)})
        return item

    def _fill(self, paint: ShapePaint, gradient: Gradient | None, fade: _Fade) -> dict:
        item = (_gradient_item(gradient, "gf", fade) if gradient is not None
                else _colour_item(paint.fill, "fl", fade))  # type: ignore[arg-type]
        item["r"] = 2 if paint.even_odd else 1
        return item

def _single_paint(paint: ShapePaint) -> bool:
    """Whether the shape only fills or only strokes (so its opacity can go into that paint)."""
    return (paint.fill is None) != (paint.stroke is None or paint.stroke_width <= 0)

def _layer(name: str, shapes: list[dict], opacity: dict, count: int) -> dict:
    return {"ddd": 0, "ty": 4, "nm": name, "sr": 1,
            "ks": {"o": opacity, "r": _static(0), "p": _static([0, 0, 0]),
                   "a": _static([0, 0, 0]), "s": _static([100, 100, 100])},
            "ao": 0, "shapes": shapes, "ip": 0, "op": count, "st": 0, "bm": 0}

def _background_layer(colour: str, size: tuple[int, int], count: int) -> dict:
    """A rectangle of the comp's size in `colour`, behind everything."""
    width, height = size
    rectangle = {"ty": "rc", "p": _static([width / 2, height / 2]), "s": _static([width, height]),
                 "r": _static(0)}
    fill = _colour_item(colour_rgba(colour), "fl")
    fill["r"] = 1
    return _layer("background", [{"ty": "gr", "nm": "background",
                                  "it": [rectangle, fill, _transform()]}], _static(100), count)

def _picture_asset(picture: np.ndarray) -> dict:
    """An image asset embedding `picture` (JPEG, as a data URI)."""
    return {"id": "background", "w": int(picture.shape[1]), "h": int(picture.shape[0]),
            "u": "", "p": photo_data_uri(picture), "e": 1}

def _picture_layer(asset: dict, count: int) -> dict:
    """An image layer showing `asset` at the comp's origin, behind everything."""
    layer = _layer("background", [], _static(100), count)
    del layer["shapes"]
    layer.update(ty=2, refId=asset["id"])
    return layer

def dotlottie(animation: bytes) -> bytes:
    """A dotLottie (format 1) archive holding one animation's JSON."""
    manifest = {"version": "1", "generator": "poseanim", "author": "poseanim",
                "animations": [{"id": ANIMATION_ID, "speed": 1, "loop": True, "direction": 1,
                                "playMode": "normal", "autoplay": True}]}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest, separators=(",", ":")))
        archive.writestr(f"animations/{ANIMATION_ID}.json", animation)
    return buffer.getvalue()
