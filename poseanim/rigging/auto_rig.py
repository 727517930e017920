"""`poseanim rig init`: a plain SVG drawing in, the same drawing rigged out.

The drawing is wrapped in an `illustration` group and a `skeleton` group is added, both as
splices of the author's own text (see `poseanim.svg.text`), so the file looks exactly as before and
keeps its comments, styles, `<defs>` and transforms. Joints are placed either by the real
trackers run on a rendering of the drawing (`auto=True`, for human-like characters) or by
fitting the reference template to the drawing's bounds; the result says which happened.
"""

from __future__ import annotations

import functools
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from poseanim.errors import PoseanimError
from poseanim.rig.reader import NOT_DRAWN_TAGS, DrawnShape, find_group, read_rigged_tree
from poseanim.rigging.auto_hands import place_extremities
from poseanim.rigging.limb_fit import LIMBS, fit_limbs, hips_onto_body
from poseanim.rigging.check import covers_view_box
from poseanim.rigging.rendering import Raster, fill_enclosed, render_drawing
from poseanim.rig.joint_ids import has_prefix_id
from poseanim.svg.document import SHAPE_TAGS, local_tag, parse_svg_text, view_box
from poseanim.svg.geometry import apply_affine, element_transform, shape_subpaths
from poseanim.svg.text import Splice, SvgSource
from poseanim.rig.tables import (
    BODY_JOINTS, CORE_JOINTS, EAR_LANDMARKS, FACE_JOINTS, FOOT_JOINTS, JOINT_BY_NAME,
    KEYPOINT_INDEX, mirrored_name,
)
from poseanim.rig.template import joint_circles, template_joints, template_svg

FRAMINGS = ((0.1, 512), (0.2, 512), (0.3, 512), (0.1, 768), (0.2, 768), (0.3, 768))
"""(margin around the drawing as a fraction of its larger side, square picture size): the pose
detector's answer on a cartoon depends on framing, so it sees several and the median wins."""
MIN_BODY_SCORE = 0.5
JOINT_RADIUS = 0.003
"""Joint circle radius as a fraction of the drawing's larger side."""
INKSCAPE_NS = "http://www.inkscape.org/namespaces/inkscape"
_EARS = tuple(EAR_LANDMARKS)
_TRACKED = BODY_JOINTS + _EARS + FOOT_JOINTS
"""What is kept of Pose's answer: the body, the ears, and heels and toes for `auto_hands`."""


@dataclass
class RiggedDrawingSource:
    """The outcome of `rig init`.

    document: the rigged SVG text. joints: name → (2,) position in the document's user space.
    placement: a sentence saying how the joints were placed (trackers, or template fit).
    """

    document: SvgSource
    joints: dict[str, np.ndarray]
    placement: str


# ---- placing joints ---------------------------------------------------------------------------

def similarity(source: np.ndarray, target: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    """The least-squares rotation + uniform scale + shift taking (N, 2) `source` onto `target`."""
    system = np.zeros((2 * len(source), 4))
    system[0::2] = np.column_stack([source[:, 0], -source[:, 1], np.ones(len(source)),
                                    np.zeros(len(source))])
    system[1::2] = np.column_stack([source[:, 1], source[:, 0], np.zeros(len(source)),
                                    np.ones(len(source))])
    (p, q, tx, ty), *_ = np.linalg.lstsq(system, target.ravel(), rcond=None)
    linear = np.array([[p, q], [-q, p]])
    return lambda points: np.asarray(points) @ linear + (tx, ty)


@functools.lru_cache(maxsize=1)
def template_figure_bounds() -> tuple[np.ndarray, np.ndarray]:
    """(low, high) corners of the template mannequin, in template coordinates."""
    root = parse_svg_text(template_svg(), "template")
    points = np.concatenate([subpath.points for shape in read_rigged_tree(root, "template").shapes
                             for subpath in shape.subpaths])
    return points.min(axis=0), points.max(axis=0)


def fitted_template(low: np.ndarray, high: np.ndarray) -> dict[str, np.ndarray]:
    """The template's joints stretched so that its mannequin fills the box (low, high)."""
    figure_low, figure_high = template_figure_bounds()
    scale = (high - low) / (figure_high - figure_low)
    return {name: low + (position - figure_low) * scale
            for name, position in template_joints().items()}


NECK_SEARCH = (0.10, 0.55)
"""Where a neck is looked for: this span of the filled silhouette's height, from its top."""
NECK_NARROWING = 0.35
"""A row of the silhouette is a neck when it is narrower than this share of both the widest
row above it (the head) and the widest below it (the body)."""


def neck_fitted_template(raster: Raster) -> tuple[dict[str, np.ndarray], int] | None:
    """The template fitted to a figure with a drawn neck, when no tracker found a person:
    (joints, neck row in pixels), or None when the silhouette has no clear neck.

    A chibi's head takes half its height: the template stretched over the whole drawing puts
    the shoulders in the face and the face joints far smaller than the head, which balloons
    when posed. The neck is the narrowest row of the filled silhouette through its middle
    column within NECK_SEARCH; the template's body is fitted from its chin to the bottom (its
    width to the body's below the neck), and its face ring to the head above the neck."""
    shape = fill_enclosed(raster.rgba[..., 3] > 8)
    ys, xs = np.nonzero(shape)
    if ys.size == 0:
        return None
    top, bottom = int(ys.min()), int(ys.max())
    centre = int(round(float(np.median(xs))))
    widths = {}
    for row in range(top + int(NECK_SEARCH[0] * (bottom - top)),
                     top + int(NECK_SEARCH[1] * (bottom - top))):
        line = shape[row]
        if line[centre]:
            left = centre - (np.argmin(line[centre::-1]) if not line[:centre + 1].all() else centre)
            right = centre + (np.argmin(line[centre:]) if not line[centre:].all() else len(line))
            widths[row] = right - left
    if not widths:
        return None
    neck = min(widths, key=widths.__getitem__)
    above, below = ys < neck, ys >= neck
    head_width = np.ptp(xs[above]) if above.any() else 0
    if widths[neck] >= NECK_NARROWING * min(head_width, np.ptp(xs[below])):
        return None
    template = template_joints()
    figure_low, figure_high = template_figure_bounds()
    chin = max(template[name][1] for name in FACE_JOINTS if "Jaw" in name or name == "jawMid")
    low = raster.to_user(np.array([xs[below].min(), neck]))
    high = raster.to_user(np.array([xs[below].max(), bottom]))
    scale = (high - low) / (figure_high - np.array([figure_low[0], chin]))
    joints = {name: low + (position - np.array([figure_low[0], chin])) * scale
              for name, position in template.items()}
    head = (raster.to_user(np.array([xs[above].min(), top])),
            raster.to_user(np.array([xs[above].max(), neck])))
    return {**joints, **face_fitted_to_head(template, head)}, neck


def _framed(crop: np.ndarray, margin: float, size: int) -> tuple[np.ndarray, Callable]:
    """The crop centred on a white square with a margin, resized to `size`; and the map from
    that picture's pixels back to the crop's."""
    import cv2

    height, width = crop.shape[:2]
    side = int(round(max(height, width) * (1 + 2 * margin)))
    canvas = np.full((side, side, 3), 255, np.uint8)
    left, top = (side - width) // 2, (side - height) // 2
    canvas[top:top + height, left:left + width] = crop
    picture = cv2.resize(canvas, (size, size), interpolation=cv2.INTER_AREA)
    return picture, lambda pixels: pixels * (side / size) - (left, top)


def _on_white(rgba: np.ndarray) -> np.ndarray:
    alpha = rgba[..., 3:4].astype(np.float32) / 255.0
    return (rgba[..., :3] * alpha + 255.0 * (1.0 - alpha)).astype(np.uint8)


def _face_only(picture: np.ndarray) -> np.ndarray | None:
    """(F, 2) face joints (FACE_JOINTS order) from Face Mesh run on the whole picture, for
    drawings with no body the pose tracker could find."""
    from poseanim.tracking.mediapipe_graphs import FaceMeshGraph

    with FaceMeshGraph() as mesh:
        vertices = mesh.vertices(picture)
    if vertices is None:
        return None
    return vertices[[JOINT_BY_NAME[name].tracker_index for name in FACE_JOINTS]]


THICKEN = 0.007
"""Line art is thickened by this fraction of the crop's larger side for the second render:
the pose detector misses stick figures and thin outlines, but finds them drawn bold."""
CONFIDENT_ENOUGH = 0.8
"""A render whose mean body-joint score reaches this is kept without trying another."""


def _thickened(crop_rgba: np.ndarray) -> np.ndarray:
    """(H, W, 3) the drawing's ink dilated and painted black on white."""
    import cv2

    side = max(3, int(round(THICKEN * max(crop_rgba.shape[:2]))) | 1)
    ink = cv2.dilate(crop_rgba[..., 3], np.ones((side, side), np.uint8))
    return np.repeat((255 - ink)[..., None], 3, axis=2)


def _silhouette(crop_rgba: np.ndarray) -> np.ndarray:
    """(H, W, 3) the drawing as a filled silhouette, mid grey on white: outline line art (a
    figure drawn as one closed outline) reads as a person to the pose detector when filled."""
    shape = fill_enclosed(crop_rgba[..., 3] > 8)
    return np.where(shape[..., None], np.uint8(110), np.uint8(255)).repeat(3, axis=2)


@dataclass
class Tracking:
    """What the trackers found in the best render of a drawing, in user space.

    body: body joints and ears seen confidently. face: face joints (empty without a face).
    render: which render was kept ('drawing', 'thickened lines' or 'filled silhouette'). score: its mean
    body-joint confidence. upside_down: framings (of every render) whose body was refused as
    not `upright`.
    """

    body: dict[str, np.ndarray]
    face: dict[str, np.ndarray]
    render: str
    score: float
    upside_down: int = 0


def upright(body: dict[str, np.ndarray]) -> bool:
    """Whether a body the tracker found could be the drawn figure standing: the pelvis below
    the shoulders and the ears above them (the pose tracker can read a big-headed chibi upside
    down, hair for legs, with its 'hips' at the top of the head). Parts not found do not count
    against it."""
    def middle(a: str, b: str) -> np.ndarray | None:
        return (body[a] + body[b]) / 2 if a in body and b in body else None

    neck = middle("leftShoulder", "rightShoulder")
    if neck is None:
        return True
    pelvis, ears = middle("leftHip", "rightHip"), middle("leftEar", "rightEar")
    return (pelvis is None or pelvis[1] > neck[1]) and (ears is None or ears[1] < neck[1])


def _track_render(tracker, picture: np.ndarray, low: np.ndarray, raster: Raster
                  ) -> tuple[list[np.ndarray], list[np.ndarray], float, int]:
    """(bodies, faces, mean body score, framings rejected) over every framing of one render; a
    framing whose body is not `upright` counts as finding nobody."""
    body_rows = [KEYPOINT_INDEX[name] for name in _TRACKED]
    face_rows = [KEYPOINT_INDEX[name] for name in FACE_JOINTS]
    bodies, faces, scores = [], [], []
    rejected = 0
    for margin, size in FRAMINGS:
        framed, to_crop = _framed(picture, margin, size)
        pose = tracker.track(framed)
        if pose is None:
            continue
        pixels = to_crop(pose.positions) + low
        confident = pose.scores[body_rows] >= MIN_BODY_SCORE
        if not upright({name: pixels[row] for name, row, sure in zip(_TRACKED, body_rows,
                                                                      confident) if sure}):
            rejected += 1
            continue
        bodies.append(np.where(confident[:, None], pixels[body_rows], np.nan))
        scores.append(float(pose.scores[body_rows[:len(BODY_JOINTS)]].mean()))
        if pose.has_face:
            faces.append(pixels[face_rows])
    return bodies, faces, float(np.mean(scores)) if scores else 0.0, rejected


def tracked_joints(raster: Raster) -> Tracking:
    """Where the trackers find the joints, in the most confident of several renders.

    The drawing is shown as drawn and, while the pose detector stays unsure of it, with its
    lines thickened, then as a filled silhouette; each render is seen in several framings and
    each joint is the median over the framings that found it confidently. Either dict of the
    result is empty when its tracker found nothing.
    """
    from poseanim.tracking.mediapipe_tracker import MediaPipeTracker

    low, high = raster.pixel_bounds()
    crop_rgba = raster.rgba[low[1]:high[1], low[0]:high[0]]
    renders = (("drawing", lambda: _on_white(crop_rgba)),
               ("thickened lines", lambda: _thickened(crop_rgba)),
               ("filled silhouette", lambda: _silhouette(crop_rgba)))
    best: tuple[list, list, float, str] = ([], [], -1.0, "drawing")
    upside_down = 0
    with MediaPipeTracker(video=False) as tracker:
        for name, make in renders:
            bodies, faces, score, rejected = _track_render(tracker, make(), low, raster)
            upside_down += rejected
            if bodies and score > best[2]:
                best = (bodies, faces, score, name)
            if best[2] >= CONFIDENT_ENOUGH:
                break
    bodies, faces, score, render = best
    if not bodies:
        picture, to_crop = _framed(_on_white(crop_rgba), FRAMINGS[1][0], 768)
        face_found = _face_only(picture)
        faces = [] if face_found is None else [to_crop(face_found) + low]
    body: dict[str, np.ndarray] = {}
    if bodies:
        body_names = _TRACKED
        stacked = np.array(bodies)
        found = np.isfinite(stacked[..., 0]).sum(axis=0) >= max(1, len(bodies) // 2)
        median = np.nanmedian(np.where(found[None, :, None], stacked, 0.0), axis=0)
        body = {name: raster.to_user(median[i]) for i, name in enumerate(body_names) if found[i]}
    face = ({name: raster.to_user(p) for name, p in zip(FACE_JOINTS, np.median(faces, axis=0))}
            if faces else {})
    return Tracking(body, face, render, max(score, 0.0), upside_down)


# ---- the view, the sides and the head ---------------------------------------------------------

SIDE_VIEW_SHOULDERS = 0.4
SIDE_VIEW_HIPS = 0.12
"""Shoulders closer together than SIDE_VIEW_SHOULDERS of the torso's height and hips closer
than SIDE_VIEW_HIPS: a figure turned sideways (measured on the corpus: front-facing drawn
figures keep their hips at 0.2 of the torso or more; stick figures drawn with one line for a
body can still pass for a side view, which only costs them a sentence)."""
LIMB_GROUPS = {
    "torso": ("leftShoulder", "rightShoulder", "leftHip", "rightHip"),
    "left arm": ("leftElbow", "leftWrist"), "right arm": ("rightElbow", "rightWrist"),
    "left leg": ("leftKnee", "leftAnkle"), "right leg": ("rightKnee", "rightAnkle"),
}
"""Joint groups whose origin `rig init` reports (the face is reported on its own)."""


def view_of(body: dict[str, np.ndarray]) -> str:
    """'side' for a figure turned sideways or three-quarters (narrow shoulders and hips for
    its torso), else 'front'; 'front' too when the torso was not seen."""
    names = ("leftShoulder", "rightShoulder", "leftHip", "rightHip")
    if not all(name in body for name in names):
        return "front"
    shoulders = (body["leftShoulder"] + body["rightShoulder"]) / 2
    hips = (body["leftHip"] + body["rightHip"]) / 2
    torso = float(np.linalg.norm(shoulders - hips))
    if torso <= 0:
        return "front"
    shoulder_span = float(np.linalg.norm(body["leftShoulder"] - body["rightShoulder"])) / torso
    hip_span = float(np.linalg.norm(body["leftHip"] - body["rightHip"])) / torso
    return "side" if shoulder_span < SIDE_VIEW_SHOULDERS and hip_span < SIDE_VIEW_HIPS else "front"


def sides_swapped(body: dict[str, np.ndarray]) -> bool:
    """Whether the tracker put the character's left on the viewer's left for most pairs
    (shoulders, hips, ears): a drawing gives it no depth to tell, so the rig's convention of a
    figure facing the viewer wins."""
    votes = [body[f"left{part}"][0] < body[f"right{part}"][0]
             for part in ("Shoulder", "Hip", "Ear") if f"left{part}" in body and f"right{part}" in body]
    return bool(votes) and sum(votes) > len(votes) / 2


def _swap_sides(joints: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return {mirrored_name(name): position for name, position in joints.items()}


def drawn_head_box(raster: Raster, body: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray] | None:
    """(low, high) user-space box of the drawn head: the ink connected to the point between
    the ears, above the shoulders. None when there is no such ink."""
    import cv2

    if not all(name in body for name in ("leftEar", "rightEar", "leftShoulder", "rightShoulder")):
        return None
    def to_pixels(point: np.ndarray) -> np.ndarray:
        return np.round((point - raster.origin) * raster.scale).astype(int)

    ink = (raster.rgba[..., 3] > 8).astype(np.uint8)
    neck = int(min(to_pixels(body["leftShoulder"])[1], to_pixels(body["rightShoulder"])[1]))
    ink[max(neck, 0):] = 0
    middle = to_pixels((body["leftEar"] + body["rightEar"]) / 2)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    if count <= 1:
        return None
    ys, xs = np.nonzero(labels)
    nearest = np.argmin((xs - middle[0]) ** 2 + (ys - middle[1]) ** 2)
    label = labels[ys[nearest], xs[nearest]]
    x, y, width, height = stats[label, :4]
    ear_span = float(np.linalg.norm(to_pixels(body["leftEar"]) - to_pixels(body["rightEar"])))
    if max(width, height) < ear_span:  # a stray mark, not a head
        return None
    return raster.to_user(np.array([x, y])), raster.to_user(np.array([x + width, y + height]))


def face_fitted_to_head(template: dict[str, np.ndarray], box: tuple[np.ndarray, np.ndarray]
                        ) -> dict[str, np.ndarray]:
    """The template's face joints stretched so that its face ring (jaw, top of the head) spans
    the drawn head's box; the features keep their places inside the ring."""
    ring = np.array([template[name] for name in FACE_JOINTS
                     if "Jaw" in name or "Top" in name or name in ("topMid", "jawMid")])
    ring_low, ring_high = ring.min(axis=0), ring.max(axis=0)
    low, high = box
    scale = (high - low) / np.maximum(ring_high - ring_low, 1e-9)
    return {name: low + (template[name] - ring_low) * scale for name in FACE_JOINTS}


NOBODY = "the trackers found no person in the drawing"


def unseen_arms_note(arms: list[str]) -> str:
    """What to do when the pose tracker saw a body but not its arms, and no drawn arm was
    found for them: the template's arm joints then lie over the body (man_02, a coat without
    sleeves seen three-quarters), and raising them pulls the body's outline into wedges."""
    which = "neither arm" if len(arms) == 2 else f"no {arms[0]}"
    return (f"the pose tracker saw {which} (arms drawn inside a coat or behind the body, or "
            "a figure turned three-quarters or sideways), so the template's arm joints lie over "
            "the body and raising them will pull its outline along: drag the elbows and wrists "
            "onto the drawn arms in `poseanim rig edit`, or, if no arm is drawn, animate "
            "without raising the arms")


def auto_joints(raster: Raster) -> tuple[dict[str, np.ndarray] | None, str]:
    """All joints from the trackers, gaps filled from the template, and a sentence saying,
    per joint group, where the joints came from (the tracker, fitted to the drawing, or the
    template), and the view that was seen; (None, why) when nobody is found.
    """
    tracking = tracked_joints(raster)
    body, face = tracking.body, tracking.face
    if not body and not face:
        return None, NOBODY if not tracking.upside_down else (
            f"the pose tracker found only an upside-down body ({tracking.upside_down} of its "
            "views put the hips above the shoulders), which cannot be the drawing")
    notes = []
    if body and sides_swapped(body):
        body, face = _swap_sides(body), _swap_sides(face)
        notes.append("left and right were swapped so that the character faces the viewer "
                     "(its left on your right); swap them back in `poseanim rig edit` if it "
                     "shows its back")
    view = view_of(body)
    template = template_joints()
    tracked_body = [name for name in BODY_JOINTS if name in body]
    source = f"the pose tracker ({tracking.render})" if tracking.render != "drawing" else "the pose tracker"
    if face and len(tracked_body) < 2:
        names = list(FACE_JOINTS)
        to_drawing = similarity(np.array([template[n] for n in names]), np.array([face[n] for n in names]))
        face_from = "the face tracker"
        body_from = "the template, scaled to the face"
    else:
        to_drawing = similarity(np.array([template[n] for n in tracked_body]),
                                np.array([body[n] for n in tracked_body]))
        if face:
            face_from = "the face tracker"
        else:
            box = drawn_head_box(raster, body)
            if box is not None:
                face = face_fitted_to_head(template, box)
                face_from = "fitted to the drawn head (the face tracker found no face)"
            else:
                ears = [body.get(ear) for ear in _EARS]
                if any(ear is None for ear in ears):
                    return None, NOBODY
                face_fit = similarity(np.array([template["leftJaw2"], template["rightJaw2"]]),
                                      np.array(ears))
                face = {name: face_fit(template[name]) for name in FACE_JOINTS}
                face_from = "the template, fitted between the ears (no face, no drawn head found)"
        body_from = source
    joints = {name: body[name] if name in body else to_drawing(template[name])
              for name in BODY_JOINTS}
    joints.update(face)
    unsure = tuple(f"{side} {limb}" for limb, (_, middle, end) in LIMBS.items()
                   for side in ("left", "right") if tracking.render != "drawing"
                   or not {side + middle, side + end} <= body.keys())
    hips = hips_onto_body(raster, joints)
    joints.update(hips)
    fits = fit_limbs(raster, joints, unsure)  # a limb seen on the drawing as drawn is kept
    for limb, fit in fits.items():
        side, kind = limb.split(" ")
        joints[side + LIMBS[kind][1]], joints[side + LIMBS[kind][2]] = fit.middle, fit.end
    refitted_legs = {limb.split(" ")[0] for limb in fits if limb.endswith("leg")}
    joints.update({name: body[name] for name in FOOT_JOINTS if name in body
                   and not any(name.startswith(side) for side in refitted_legs)})
    groups = []
    for group, members in LIMB_GROUPS.items():
        seen = sum(name in body for name in members)
        origin = (body_from if seen == len(members) or not tracked_body else
                  "the template" if seen == 0 else f"{body_from} and the template")
        if group in fits:
            origin = (f"fitted to the drawn {group.split(' ')[1]} ({origin} lay off it: "
                      f"{fits[group].before:.0%} on the ink, now {fits[group].after:.0%})")
        groups.append(f"{group}: {origin}")
    how = ("joints placed per group: " + "; ".join(groups) + f"; face: {face_from}")
    if hips:
        how += "; the hips were moved up onto the drawn body (the pose tracker put them below it)"
    unseen = [group for group in ("left arm", "right arm") if group not in fits
              and tracked_body and not any(name in body for name in LIMB_GROUPS[group])]
    if unseen:
        notes.append(unseen_arms_note(unseen))
    if view != "front":
        notes.append("the figure looks turned sideways (narrow shoulders and hips); auto-rig "
                     "expects a figure facing the viewer, so check the joints, and which side "
                     "is left, in `poseanim rig edit`")
    return joints, "; ".join([how] + notes)


# ---- eyelids on the drawn eyes ----------------------------------------------------------------

EYELID_DIRECTIONS = {1: -1.0, 2: -1.0, 4: 1.0, 5: 1.0}
"""Eyelid joint number → which way its lid lies from the eye's middle (-1 up, +1 down)."""


def _outline_points(points: np.ndarray, per_segment: int = 8) -> np.ndarray:
    """(M, 2) points along a cubic subpath (1 + 3·S control points)."""
    t = np.linspace(0.0, 1.0, per_segment, endpoint=False)[:, None, None]
    p0, p1, p2, p3 = points[0:-1:3], points[1::3], points[2::3], points[3::3]
    curve = ((1 - t) ** 3 * p0 + 3 * (1 - t) ** 2 * t * p1 + 3 * (1 - t) * t ** 2 * p2
             + t ** 3 * p3)
    return curve.transpose(1, 0, 2).reshape(-1, 2)


def _eye_outline(ring: np.ndarray, shapes: list[DrawnShape]) -> np.ndarray | None:
    """The drawn closed outline most like the eye the trackers found (around its middle,
    about its size): the eye white or the eye's outline, not the iris or a spectacle lens."""
    centre, size = ring.mean(axis=0), np.ptp(ring, axis=0)
    best, best_mismatch = None, np.inf
    for shape in shapes:
        for subpath in shape.subpaths:
            if not subpath.closed or len(subpath.points) < 4:
                continue
            outline = _outline_points(subpath.points)
            low, high = outline.min(axis=0), outline.max(axis=0)
            extent = high - low
            if ((low >= centre) | (high <= centre)).any() or (extent < 0.8 * size).any() \
                    or (extent > 2.5 * size).any():
                continue
            mismatch = float(np.abs(np.log(extent / size)).sum())
            if mismatch < best_mismatch:
                best, best_mismatch = outline, mismatch
    return best


def _lid_height(outline: np.ndarray, x: float, middle: float, direction: float) -> float | None:
    """Where the vertical line at x leaves the outline above (direction -1) or below (+1)
    the eye's middle, or None when it does not cross it there."""
    start, end = outline, np.roll(outline, -1, axis=0)
    spans = (start[:, 0] - x) * (end[:, 0] - x) <= 0
    spans &= np.abs(end[:, 0] - start[:, 0]) > 1e-12
    fraction = (x - start[:, 0]) / np.where(spans, end[:, 0] - start[:, 0], 1.0)
    heights = start[:, 1] + fraction * (end[:, 1] - start[:, 1])
    beyond = spans & ((heights - middle) * direction > 0)
    return float(heights[beyond][np.argmax((heights[beyond] - middle) * direction)]) \
        if beyond.any() else None


def fit_eyelids(joints: dict[str, np.ndarray], shapes: list[DrawnShape]) -> dict[str, np.ndarray]:
    """Eyelid joints moved straight up or down onto the drawn eye's outline.

    Trackers put a cartoon's eyelids where a human's would be, usually inside big drawn eyes;
    a blink then closes only part of the eye. Returns the moved joints (none when no drawn
    outline matches an eye).
    """
    moved = {}
    for side in ("left", "right"):
        ring = np.array([joints[f"{side}Eye{k}"] for k in range(6)])
        outline = _eye_outline(ring, shapes)
        if outline is None:
            continue
        middle = float(ring[:, 1].mean())
        for lid_index, direction in EYELID_DIRECTIONS.items():
            x, y = ring[lid_index]
            lid = _lid_height(outline, x, middle, direction)
            if lid is not None and abs(lid - middle) <= 3 * max(abs(y - middle), 1e-9):
                moved[f"{side}Eye{lid_index}"] = np.array([x, lid])
    return moved


# ---- writing the rig into the text ------------------------------------------------------------

def _inkscape_layer(source: SvgSource, label: str) -> str:
    """Inkscape layer attributes when the document declares Inkscape's namespace, else ''."""
    attributes = source.span(source.root).attributes
    for name, (start, end) in attributes.items():
        if name.startswith("xmlns:") and source.text[start:end] == INKSCAPE_NS:
            prefix = name.split(":", 1)[1]
            return f' {prefix}:groupmode="layer" {prefix}:label="{label}"'
    return ""


def _is_background(element: ET.Element, root: ET.Element) -> bool:
    """Whether a child of the root is a shape that covers the whole canvas."""
    if local_tag(element) not in SHAPE_TAGS:
        return False
    subpaths = shape_subpaths(element)
    return bool(subpaths) and covers_view_box(
        apply_affine(element_transform(element), np.concatenate([s.points for s in subpaths])),
        view_box(root))


def wrap_drawing(source: SvgSource) -> list[Splice]:
    """Splices that put every drawn child of the root into a new `illustration` group.

    Children that draw nothing (`<defs>`, `<style>`, metadata …) before the first and after
    the last drawn child stay where they are, and so do leading shapes that cover the whole
    canvas (backgrounds); the group carries no style or transform, so the drawing looks the
    same.
    """
    drawn = [child for child in source.root
             if local_tag(child) not in NOT_DRAWN_TAGS and isinstance(child.tag, str)
             and not has_prefix_id(child.get("id"), "skeleton")]
    while drawn[1:] and _is_background(drawn[0], source.root):
        drawn.pop(0)  # a background stays behind the character instead of bending with it
    if not drawn:
        raise PoseanimError(f"{source.source} draws nothing at its top level; there is nothing "
                            "to rig")
    prefix = source.span(source.root).prefix
    first, last = source.span(drawn[0]), source.span(drawn[-1])
    return [Splice(first.start, first.start,
                   f'<{prefix}g id="illustration"{_inkscape_layer(source, "illustration")}>'),
            Splice(last.close_end, last.close_end, f"</{prefix}g>")]


def skeleton_markup(source: SvgSource, joints: dict[str, np.ndarray], size: float) -> str:
    """A `skeleton` group of invisible joint circles (the drawing's look is unchanged; editors
    still select them), written in the root's user space."""
    prefix = source.span(source.root).prefix
    circles = joint_circles(joints, size * JOINT_RADIUS, prefix)
    return (f'\n<{prefix}g id="skeleton" fill="none" stroke="none"'
            f'{_inkscape_layer(source, "skeleton")}>{circles}\n</{prefix}g>\n')


def rig_source(source: SvgSource, auto: bool = False) -> RiggedDrawingSource:
    """Rig a parsed plain drawing (see `rig_drawing`)."""
    if find_group(source.root, "skeleton")[0] is not None:
        raise PoseanimError(f"{source.source} already has a skeleton group; open it with "
                            "`poseanim rig edit` or check it with `poseanim rig check`")
    illustration, _ = find_group(source.root, "illustration")
    wrap = [] if illustration is not None else wrap_drawing(source)
    raster = render_drawing(source)
    low, high = (raster.to_user(corner) for corner in raster.pixel_bounds())
    bounds = f"x {low[0]:.4g}…{high[0]:.4g}, y {low[1]:.4g}…{high[1]:.4g}"
    found, placement = auto_joints(raster) if auto else (None, "")
    if found is not None:
        joints = found
        tracked_feet = {name: joints.pop(name) for name in FOOT_JOINTS if name in joints}
    else:
        necked = neck_fitted_template(raster) if auto else None
        fitted = necked[0] if necked else fitted_template(low, high)
        joints = {name: p for name, p in fitted.items() if name in CORE_JOINTS}
        fit = (f"the drawing's bounds ({bounds})" if necked is None else
               f"the body below the drawn neck (y {raster.to_user(np.array([0, necked[1]]))[1]:.4g}) "
               "and the face ring to the head above it")
        placement = ((f"{placement}, so " if auto else "")
                     + f"the template skeleton was fitted to {fit}; "
                     "drag the joints into place with `poseanim rig edit`")

    def rigged_with(joints: dict[str, np.ndarray]) -> SvgSource:
        skeleton = skeleton_markup(source, joints, float((high - low).max()))
        return source.edited(wrap + [source.insert_into(source.root, skeleton)])

    rigged = rigged_with(joints)
    drawing = read_rigged_tree(rigged.root, rigged.source)  # what init writes must read as a rig
    if found is not None:
        lids = fit_eyelids(joints, drawing.shapes)
        if lids:
            joints = {**joints, **lids}
            rigged = rigged_with(joints)
            placement += f"; {len(lids)} eyelid joints were moved onto the drawn eyes"
        extremities = place_extremities(source, joints, tracked_feet, drawing.shapes)
        if extremities.joints:
            joints = {**joints, **extremities.joints}
            rigged = rigged_with(joints)
        placement += "; " + extremities.sentence
    return RiggedDrawingSource(rigged, joints, placement)


def rig_drawing(path: str | Path, auto: bool = False) -> RiggedDrawingSource:
    """Read a plain SVG drawing and rig it; see the module docstring."""
    return rig_source(SvgSource.from_file(path), auto)

