"""Posed frames → pixels with cairo, straight from the deformed arrays (no SVG text per frame).

Export renders every frame of a video, so drawing must cost far less than tracking. The
illustration's topology never changes between frames, so the painter lays out one cairo path
buffer per illustration (headers fixed, points rewritten in place each frame) and hands each
shape's slice to `cairo_append_path`: one C call per shape instead of one per Bézier segment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import cairocffi as cairo
import cv2
import numpy as np

from poseanim.errors import PoseanimError
from poseanim.render.canvas import (  # noqa: F401  (the other names: still found here)
    MAX_PIXELS, MAX_STROKE_PIXELS, canvas_affine, canvas_for, colour_rgba, raster_size,
)
from poseanim.render.paint_style import (
    RGBA, Drawn, DrawnFrame, Gradient, GradientPlacement, Paint, ShapePaint, gradient_inverses,
    shape_paints, stroke_scale,
)

if TYPE_CHECKING:
    from poseanim.rig.reader import DrawnShape

_MOVE_TO, _CURVE_TO, _CLOSE_PATH = 0, 2, 3  # cairo_path_data_type_t
_LINE_CAPS = {"butt": cairo.LINE_CAP_BUTT, "round": cairo.LINE_CAP_ROUND,
              "square": cairo.LINE_CAP_SQUARE}
_LINE_JOINS = {"miter": cairo.LINE_JOIN_MITER, "round": cairo.LINE_JOIN_ROUND,
               "bevel": cairo.LINE_JOIN_BEVEL}
_C = cairo.cairo  # cairo's C functions, for the per-shape calls
_EXTENDS = {"pad": cairo.EXTEND_PAD, "reflect": cairo.EXTEND_REFLECT,
            "repeat": cairo.EXTEND_REPEAT}
FLATTENING_TOLERANCE = 0.25
"""Pixels a curve's flattened outline may stray from the curve (cairo's default is 0.1): a
quarter pixel is below what antialiasing shows, and fewer edges paint 10–15 % faster.
A picture painted once to be measured (`render.at_rest`) takes cairo's own 0.1."""
RADIAL_TEXTURE = 256
"""Side in pixels of the picture a padded radial gradient is drawn into once."""
MIN_DASH_PERIOD = 0.5
"""Pixels: a dash pattern shorter than this is drawn solid."""


@dataclass(frozen=True)
class _Source:
    """A cairo source for one paint. to_gradient: (3, 3) the pattern's own space → gradient
    space (identity for cairo's gradients; out of the picture of a pre-drawn radial one)."""

    pattern: cairo.Pattern
    paint: Paint
    to_gradient: np.ndarray
    pointer: object = field(init=False)  # the `cairo_pattern_t *` the per-shape C calls take

    def __post_init__(self) -> None:
        object.__setattr__(self, "pointer", self.pattern._pointer)


@dataclass(frozen=True)
class _ShapeDraw:
    """What painting one shape needs, resolved once per illustration.

    path: a `cairo_path_t *` over this shape's slice of the shared path buffer. fill/stroke:
    cairo sources (None: don't; solid colours alike share one pattern). width/dash: in root
    user units at rest, or, when `pen` is set, in the element's own units. outline: (line cap,
    line join, miter limit).
    pen: the linear part of the element's transform when it stretches unevenly or shears:
    SVG strokes in the element's space, so its stroke is then drawn with that pen (thicker
    along one axis), not with a round one of the mean width.
    """

    path: object
    fill: _Source | None
    stroke: _Source | None
    paint: ShapePaint
    width: float
    dash: tuple[float, ...]
    fill_rule: int
    outline: tuple[int, int, float]
    grouped: bool
    pen: cairo.Matrix | None = None
    stretch: float = 1.0  # the pen's largest axis scale: how much wider its stroke is drawn


class CairoPainter:
    """Paints `PosedFrame`s of one illustration into (H, W, 3|4) uint8 arrays (or a document
    at rest, `render.at_rest`: any `Drawn` and its frames).

    Build one per illustration and output size, then call `paint` per frame; the surface and
    path buffer are reused, so a frame costs a few hundred cairo calls and two pixel copies.
    """

    def __init__(self, illustration: Drawn, size: tuple[int, int],
                 tolerance: float = FLATTENING_TOLERANCE) -> None:
        self.illustration = illustration
        self.size = size
        self.tolerance = tolerance
        self.surface = cairo.ImageSurface(cairo.FORMAT_ARGB32, size[0], size[1])
        self._new_context()
        self._pixels: np.ndarray = np.ndarray((size[1], size[0], 4), np.uint8, self.surface.get_data(),
                                  strides=(self.surface.get_stride(), 4, 1))
        self._buffer, self._point_rows, paths = self._path_buffer()
        self._solids: dict[tuple[float, ...], cairo.SolidPattern] = {}
        self._shapes = [self._shape_draw(index, paint, path) for index, (paint, path)
                        in enumerate(zip(shape_paints(illustration), paths))]
        self._clips = [self._clip_paths(shape) for shape in illustration.shapes]
        self._gradients = [(index, source, source.paint) for index, shape in enumerate(self._shapes)
                           for source in (shape.fill, shape.stroke)
                           if source is not None and isinstance(source.paint, Gradient)]
        self._gradient_shapes = np.array([index for index, *_ in self._gradients], np.intp)
        self._placement = GradientPlacement(illustration, self._gradient_shapes.tolist(),
                                            [gradient for *_, gradient in self._gradients])
        self._to_gradient = np.array([source.to_gradient for _, source, _ in self._gradients])
        self._pattern_matrices = np.zeros((len(self._gradients), 6))  # cairo_matrix_t rows
        self._pattern_matrix_data = cairo.ffi.cast(
            "cairo_matrix_t *", cairo.ffi.from_buffer(self._pattern_matrices))

    def _path_buffer(self) -> tuple[np.ndarray, np.ndarray, list[object]]:
        """The `cairo_path_data_t` array of every shape, and where each point goes in it.

        Returns (buffer (R, 2) float64 whose header rows hold two int32s, point_rows (N,) the
        buffer row of every control point, one `cairo_path_t *` per shape).
        """
        headers: list[tuple[int, int, int]] = []  # (row, type, length)
        point_rows = np.empty(len(self.illustration.rest_points), np.intp)
        shape_rows: list[tuple[int, int]] = []
        row = 0
        for ranges in self.illustration.subpath_ranges:
            first = row
            for start, stop, closed in ranges:
                headers.append((row, _MOVE_TO, 2))
                point_rows[start] = row + 1
                row += 2
                for segment in range(start + 1, stop, 3):
                    headers.append((row, _CURVE_TO, 4))
                    point_rows[segment:segment + 3] = np.arange(row + 1, row + 4)
                    row += 4
                if closed:
                    headers.append((row, _CLOSE_PATH, 1))
                    row += 1
            shape_rows.append((first, row))
        buffer = np.zeros((row, 2), np.float64)
        words = buffer.view(np.int32).reshape(row, 4)
        for header_row, kind, length in headers:
            words[header_row, :2] = kind, length
        data = cairo.ffi.cast("cairo_path_data_t *", cairo.ffi.from_buffer(buffer))
        paths = []
        for first, last in shape_rows:
            path = cairo.ffi.new("cairo_path_t *")
            path.status, path.data, path.num_data = cairo.STATUS_SUCCESS, data + first, last - first
            paths.append(path)
        return buffer, point_rows, paths

    def _clip_paths(self, shape: DrawnShape) -> list[list[tuple[int, tuple[float, ...]]]]:
        """A shape's clips (`DrawnShape.clips`, outermost first) as cairo paths in root user
        space. Only a drawing read whole has them (`rig.reader.document_walk`): they stay
        where they are drawn, so a frame is clipped right only at rest."""
        context = self.context
        paths = []
        for clip in shape.clips:
            context.new_path()
            for subpath in clip.subpaths:
                context.move_to(*subpath.points[0])
                for handle1, handle2, end in subpath.points[1:].reshape(-1, 3, 2):
                    context.curve_to(*handle1, *handle2, *end)
                if subpath.closed:
                    context.close_path()
            paths.append(context.copy_path())
        context.new_path()
        return paths

    def _shape_draw(self, index: int, paint: ShapePaint, path: object) -> _ShapeDraw:
        ctm = self.illustration.shapes[index].ctm
        linear = ctm[:2, :2]
        even = np.allclose(linear @ linear.T, np.eye(2) * abs(np.linalg.det(linear)), rtol=1e-6,
                           atol=1e-9 * float(np.abs(linear).max(initial=1.0)) ** 2)
        factor = stroke_scale(ctm) if even else 1.0
        operations = [p for p in (paint.fill, paint.stroke) if p is not None]
        # One solid paint folds the shape's opacity into its colour; anything else is drawn
        # in a group composited at that opacity, as SVG says.
        fold = len(operations) == 1 and not isinstance(operations[0], Gradient)
        opacity = paint.opacity if fold else 1.0
        return _ShapeDraw(
            path=path,
            fill=_source(paint.fill, opacity, self._solids),
            stroke=(_source(paint.stroke, opacity, self._solids) if paint.stroke_width > 0
                    else None),
            paint=paint, width=paint.stroke_width * factor,
            dash=tuple(length * factor for length in paint.dash),
            fill_rule=cairo.FILL_RULE_EVEN_ODD if paint.even_odd else cairo.FILL_RULE_WINDING,
            outline=(_LINE_CAPS.get(paint.line_cap, cairo.LINE_CAP_BUTT),
                     _LINE_JOINS.get(paint.line_join, cairo.LINE_JOIN_MITER), paint.miter_limit),
            grouped=paint.opacity < 1 and not fold,
            pen=None if even else cairo.Matrix(linear[0, 0], linear[1, 0], linear[0, 1],
                                               linear[1, 1], 0.0, 0.0),
            stretch=1.0 if even else float(np.linalg.norm(linear, 2)))

    def paint(self, frame: DrawnFrame, background: RGBA | None = (1.0, 1.0, 1.0, 1.0),
              underlay: np.ndarray | None = None, alpha: bool = False) -> np.ndarray:
        """The frame as pixels: (H, W, 4) RGBA when `alpha`, else (H, W, 3) RGB.

        background: colour under everything (None: transparent). underlay: an (H, W, 3) uint8
        RGB picture of the output size drawn under the character (the video, for overlays).
        The returned array is new; the painter's surface is reused by the next call.
        """
        self._clear(background, underlay)
        context = self.context
        context.save()
        context.set_matrix(_matrix(canvas_affine(frame.canvas, self.size)))
        context.new_path()  # then empty after every shape: fill and stroke clear it
        self._buffer[self._point_rows] = frame.points
        self._pixel_scale = context.get_matrix().xx
        self._forget_state()
        self._place_gradients(frame)
        order = frame.paint_order()
        stroke_scales = frame.stroke_scale.tolist()
        fades = None if frame.opacity is None else frame.opacity.tolist()
        for index in order[frame.visible[order]].tolist():
            self._paint_shape(index, frame, stroke_scales[index],
                              1.0 if fades is None else fades[index])
        status = _C.cairo_status(self._cr)
        if status != cairo.STATUS_SUCCESS:
            message = cairo.ffi.string(_C.cairo_status_to_string(status)).decode()
            self._new_context()  # a context in an error state stays in it: the next frame starts anew
            raise PoseanimError(f"cannot draw the character: cairo reports '{message}'; "
                                "`poseanim rig check` lists what in the drawing is wrong")
        context.restore()
        self.surface.flush()
        return _to_straight(self._pixels, alpha)

    def _new_context(self) -> None:
        self.context = cairo.Context(self.surface)
        self._cr = self.context._pointer
        self.context.set_tolerance(self.tolerance)

    def _clear(self, background: RGBA | None, underlay: np.ndarray | None) -> None:
        if underlay is not None:
            self.surface.flush()
            if underlay.shape[:2] != self._pixels.shape[:2]:
                raise ValueError(f"underlay is {underlay.shape[1]}×{underlay.shape[0]}, the "
                                 f"painter {self.size[0]}×{self.size[1]}")
            cv2.cvtColor(underlay, cv2.COLOR_RGB2BGRA, dst=self._pixels)
            self.surface.mark_dirty()
            return
        context = self.context
        context.save()
        context.set_operator(cairo.OPERATOR_SOURCE)
        context.set_source_rgba(*(background or (0.0, 0.0, 0.0, 0.0)))
        context.paint()
        context.restore()

    def _forget_state(self) -> None:
        """Forget which source, fill rule and stroke style cairo holds (a new frame, or a group
        popped: cairo restores the state it had before the group, then takes the group as its
        source)."""
        self._source: object = None
        self._fill_rule: int | None = None
        self._width: float | None = None
        self._outline: tuple[int, int, float] | None = None
        self._dash: tuple[float, ...] | None = None

    def _paint_shape(self, index: int, frame: DrawnFrame, stroke_scale: float,
                     fade: float) -> None:
        """Paint one shape (`_draw_shape`) inside its clips, each clipped to by the nonzero
        rule, as cairosvg clips (`svg.clips`)."""
        clips = self._clips[index]
        if not clips:
            self._draw_shape(index, stroke_scale, fade)
            return
        cr = self._cr
        _C.cairo_save(cr)
        _C.cairo_set_fill_rule(cr, cairo.FILL_RULE_WINDING)
        for path in clips:
            self.context.append_path(path)
            _C.cairo_clip(cr)
        self._forget_state()
        self._draw_shape(index, stroke_scale, fade)
        _C.cairo_restore(cr)
        self._forget_state()

    def _draw_shape(self, index: int, stroke_scale: float, fade: float) -> None:
        """Fill then stroke one shape; strokes grow with the character (`stroke_scale`), and
        the shape is painted at `fade` of its opacity.

        Calls cairo's C API directly: the Python wrappers check the status after every call,
        which costs more than the drawing for small shapes; `paint` checks it once a frame. For
        the same reason the source, fill rule and stroke style are set only when they change:
        most shapes of a drawing share them.
        """
        shape = self._shapes[index]
        fill, stroke = shape.fill, shape.stroke
        if fill is None and stroke is None:
            return
        cr = self._cr
        grouped = shape.grouped or fade < 1.0  # a fading shape fades as one, fill and stroke
        if grouped:
            _C.cairo_push_group(cr)
        _C.cairo_append_path(cr, shape.path)  # onto an empty path (see `paint`)
        if fill is not None:
            if shape.fill_rule != self._fill_rule:
                _C.cairo_set_fill_rule(cr, shape.fill_rule)
                self._fill_rule = shape.fill_rule
            if fill.pointer != self._source:
                _C.cairo_set_source(cr, fill.pointer)
                self._source = fill.pointer
            if stroke is not None:
                _C.cairo_fill_preserve(cr)
            else:
                _C.cairo_fill(cr)
        if stroke is not None:
            if stroke.pointer != self._source:
                _C.cairo_set_source(cr, stroke.pointer)
                self._source = stroke.pointer
            if shape.pen is None:
                self._set_stroke_style(shape, stroke_scale)
                _C.cairo_stroke(cr)
            else:  # the path stays where it is; only the pen takes the element's transform
                _C.cairo_save(cr)
                _C.cairo_transform(cr, shape.pen._pointer)
                self._forget_state()
                self._set_stroke_style(shape, stroke_scale)
                _C.cairo_stroke(cr)
                _C.cairo_restore(cr)
                self._forget_state()
        if grouped:
            _C.cairo_pop_group_to_source(cr)
            _C.cairo_paint_with_alpha(cr, (shape.paint.opacity if shape.grouped else 1.0) * fade)
            self._forget_state()

    def _set_stroke_style(self, shape: _ShapeDraw, stroke_scale: float) -> None:
        """Line width, cap, join, miter limit and dashes of a shape, where they changed."""
        cr = self._cr
        width = min(shape.width * stroke_scale,
                    MAX_STROKE_PIXELS / max(self._pixel_scale * shape.stretch, 1e-300))
        if width != self._width:
            _C.cairo_set_line_width(cr, width)
            self._width = width
        if shape.outline != self._outline:
            cap, join, miter = self._outline = shape.outline
            _C.cairo_set_line_cap(cr, cap)
            _C.cairo_set_line_join(cr, join)
            _C.cairo_set_miter_limit(cr, miter)
        if not shape.dash and self._dash == ():
            return  # solid, as cairo draws now
        dash = tuple(length * stroke_scale for length in shape.dash)
        if sum(dash) * self._pixel_scale < MIN_DASH_PERIOD:
            dash = ()  # dashes finer than a pixel look solid, and would cost cairo millions
        if dash != self._dash:
            _C.cairo_set_dash(cr, cairo.ffi.new("double[]", dash) if dash else cairo.ffi.NULL,
                              len(dash), 0.0)
            self._dash = dash

    def _place_gradients(self, frame: DrawnFrame) -> None:
        """Lay the gradients of the visible shapes out for this frame, as the posed SVG
        document does: one batch of layouts (`GradientPlacement`) and inverses, then one C call
        per gradient."""
        if not self._gradients:
            return
        live = np.flatnonzero(frame.visible[self._gradient_shapes])
        if not live.size:
            return
        layouts = self._placement.layouts(frame)[live]
        # root → pattern space; a degenerate layout (a shape posed to a point or to a sliver
        # far under a pixel) gets the identity rather than a matrix beyond pixman's fixed point
        inverse, _ = gradient_inverses(layouts @ self._to_gradient[live])
        self._pattern_matrices[:len(live)] = inverse[:, [0, 1, 0, 1, 0, 1], [0, 0, 1, 1, 2, 2]]
        for row, gradient in enumerate(live.tolist()):
            _C.cairo_pattern_set_matrix(self._gradients[gradient][1].pointer,
                                        self._pattern_matrix_data + row)


def _source(paint: Paint, opacity: float, solids: dict[tuple[float, ...], cairo.SolidPattern]
            ) -> _Source | None:
    """A cairo source for a paint (None for none), a solid colour's alpha times `opacity`
    (one pattern per colour, kept in `solids`, so that shapes of one colour share it and the
    painter need not set it again); gradients are laid out per frame."""
    if paint is None:
        return None
    if not isinstance(paint, Gradient):
        red, green, blue, alpha = paint
        colour = (red, green, blue, alpha * opacity)
        if colour not in solids:
            solids[colour] = cairo.SolidPattern(*colour)
        return _Source(solids[colour], paint, np.eye(3))
    if paint.kind == "radial" and paint.spread == "pad":
        return _radial_texture(paint)
    if paint.kind == "linear":
        pattern: cairo.Gradient = cairo.LinearGradient(*paint.coords)
    else:
        cx, cy, radius, fx, fy = paint.coords
        pattern = cairo.RadialGradient(fx, fy, 0.0, cx, cy, radius)
    _add_stops(pattern, paint)
    return _Source(pattern, paint, np.eye(3))


def _add_stops(pattern: cairo.Gradient, paint: Gradient) -> None:
    for offset, colour in paint.stops:
        pattern.add_color_stop_rgba(offset, *colour)
    pattern.set_extend(_EXTENDS.get(paint.spread, cairo.EXTEND_PAD))


def _radial_texture(paint: Gradient) -> _Source:
    """A padded radial gradient drawn once into a small picture, then sampled bilinearly.

    pixman evaluates radial gradients per pixel through the general two-circle formula,
    some twenty times slower than sampling a picture; a padded radial gradient is constant
    outside its circle, so the picture of the circle's square, padded, is the whole gradient.
    """
    cx, cy, radius, fx, fy = paint.coords
    radius = max(radius, 1e-9)
    scale = RADIAL_TEXTURE / (2 * radius)
    texture = np.array([[scale, 0, -(cx - radius) * scale], [0, scale, -(cy - radius) * scale],
                        [0, 0, 1]])
    surface = cairo.ImageSurface(cairo.FORMAT_ARGB32, RADIAL_TEXTURE, RADIAL_TEXTURE)
    gradient = cairo.RadialGradient(fx, fy, 0.0, cx, cy, radius)
    _add_stops(gradient, paint)
    to_gradient = np.linalg.inv(texture)
    gradient.set_matrix(_matrix(to_gradient))
    context = cairo.Context(surface)
    context.set_source(gradient)
    context.paint()
    pattern = cairo.SurfacePattern(surface)
    pattern.set_extend(cairo.EXTEND_PAD)
    pattern.set_filter(cairo.FILTER_BILINEAR)
    return _Source(pattern, paint, to_gradient)


def _matrix(affine: np.ndarray) -> cairo.Matrix:
    """A (3, 3) affine as a cairo matrix."""
    return cairo.Matrix(affine[0, 0], affine[1, 0], affine[0, 1], affine[1, 1],
                        affine[0, 2], affine[1, 2])


def _to_straight(premultiplied_bgra: np.ndarray, alpha: bool) -> np.ndarray:
    """cairo's premultiplied BGRA → straight RGBA (alpha) or RGB (colour over opaque paint)."""
    if not alpha:
        return cv2.cvtColor(premultiplied_bgra, cv2.COLOR_BGRA2RGB)
    straight = cv2.cvtColor(premultiplied_bgra, cv2.COLOR_mRGBA2RGBA)
    return cv2.cvtColor(straight, cv2.COLOR_BGRA2RGBA)
