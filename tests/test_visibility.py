"""Which shapes are shown: hysteresis and fades over time (`poseanim.visibility`), a garment
decided as a whole, a fading shape painted half transparent."""

from __future__ import annotations

import numpy as np

from poseanim.illustration import load_illustration
from poseanim.pose import Pose
from poseanim.rig.tables import KEYPOINT_INDEX, hand_joints
from poseanim.visibility import FADE_SECONDS, ShapeVisibility

FPS = 30.0


def wobbling(character, frame_index: int, joints: tuple[str, ...], base: float) -> Pose:
    """The rest pose, still, with some joints' scores wobbling by ±0.04 about `base`."""
    rest = character.rest_pose()
    scores = rest.scores.copy()
    for name in joints:
        scores[KEYPOINT_INDEX[name]] = base + 0.04 * (-1) ** frame_index
    return Pose(rest.positions, scores, rest.image_size)


ARM = ("leftElbow", "leftWrist") + hand_joints("left")  # a tracker unsure of an arm is of its hand


def test_a_still_subject_never_flickers():
    character = load_illustration("ada")
    visibility = ShapeVisibility()
    raw, kept = [], []
    for index in range(60):
        frame = character.pose(wobbling(character, index, ARM, 0.30))
        raw.append(frame.visible)
        kept.append(visibility(index / FPS, frame).visible)
    raw, kept = np.array(raw), np.array(kept)
    assert (raw[1:] != raw[:-1]).any(), "frame by frame, the arm pops in and out"
    assert (kept[1:] == kept[:-1]).all(), "with hysteresis it never does"


def test_a_lost_limb_fades_out_instead_of_popping():
    character = load_illustration("ada")
    visibility = ShapeVisibility()
    opacities = []
    for index in range(20):
        base = 0.9 if index < 5 else 0.0
        frame = visibility(index / FPS, character.pose(wobbling(character, 0, ARM, base)))
        opacities.append(frame.opacity)
    opacities = np.array(opacities)
    arm = opacities[4] - opacities[-1] > 0.5  # the shapes that went
    assert arm.any()
    steps = -np.diff(opacities[:, arm], axis=0)
    assert (steps >= -1e-12).all() and steps.max() <= 1 / (FADE_SECONDS * FPS) + 1e-9
    assert (opacities[-1, arm] == 0).all()  # gone in the end


def test_a_garment_is_shown_or_hidden_as_a_whole():
    """Half-body photo: hips scored low. A seam drawn on the jacket at hip height follows its
    jacket in the default binding; Pose Animator decides it alone and drops it."""
    from poseanim.illustration import Illustration
    from poseanim.rig.reader import read_rigged_tree
    from poseanim.svg.document import parse_svg_text
    from svg_factory import rigged_svg, skeleton_group

    joints = {"leftShoulder": (340, 200), "rightShoulder": (260, 200), "leftHip": (330, 400),
              "rightHip": (270, 400)}
    jacket = '<path d="M255,190 L345,190 L338,410 L262,410 Z" fill="#48c"/>'
    seam = '<path d="M275,392 L325,392 L325,398 L275,398 Z" fill="#236"/>'
    svg = rigged_svg(body=jacket + seam,
                     skeleton=skeleton_group({n: np.array(p, float) for n, p in joints.items()}))
    for mode, seam_shown in (("shape", True), ("pa", False)):
        character = Illustration(read_rigged_tree(parse_svg_text(svg, "j.svg"), "j.svg"), "j",
                                 skinning=mode)
        rest = character.rest_pose()
        scores = rest.scores.copy()
        scores[[KEYPOINT_INDEX["leftHip"], KEYPOINT_INDEX["rightHip"]]] = 0.05
        frame = character.pose(Pose(rest.positions, scores, rest.image_size))
        assert frame.visible[0] and frame.visible[1] == seam_shown, mode


def test_a_fading_shape_is_painted_half_transparent():
    from dataclasses import replace

    from poseanim.render.cairo_painter import CairoPainter

    character = load_illustration("bolt")
    frame = character.pose(character.rest_pose()).fitted(200, 300)
    painter = CairoPainter(character, (200, 300))
    full = painter.paint(frame, background=None, alpha=True)[..., 3].astype(int)
    half = painter.paint(replace(frame, opacity=np.full(len(character.shapes), 0.5)),
                         background=None, alpha=True)[..., 3].astype(int)
    solid = full == 255
    # one shape at half opacity is alpha 128; overlapping ones add up, never to opaque
    assert solid.sum() > 1000 and half[solid].min() >= 120 and half[solid].max() < 255
    assert (np.abs(half[solid] - 128) <= 8).mean() > 0.2  # many pixels show one layer alone


def test_the_old_home_still_answers():
    from poseanim import filters

    assert filters.ShapeVisibility is ShapeVisibility and filters.FADE_SECONDS == FADE_SECONDS
