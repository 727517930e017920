"""`video --fit`: a character framed from the whole clip never leaves the canvas."""

import numpy as np

from poseanim.framing import ClipFraming
from poseanim.illustration import load_illustration
from poseanim.pose import Pose


def test_a_person_walking_closer_stays_on_the_canvas():
    character = load_illustration("ada")
    rest = character.rest_pose()
    framing = ClipFraming(400, 600)
    scales = []
    for step in range(40):
        grow = 1 + step * 0.05  # walking towards the camera, and to the side
        positions = rest.positions * grow + (step * 12.0, 0)
        frame = framing.place(character.pose(Pose(positions, rest.scores, rest.image_size)))
        low, high = frame.bounds()
        assert (low >= -1e-6).all() and high[0] <= 400 + 1e-6 and high[1] <= 600 + 1e-6
        scales.append(frame.stroke_scale.max() / grow)
    steps = np.abs(np.diff(np.log(scales)))
    assert steps.max() < 0.06  # the framing changes smoothly, frame to frame


def test_a_photo_canvas_grows_to_hold_a_tall_head():
    character = load_illustration("ada")
    rest = character.rest_pose()
    positions = rest.positions + (0, -150)  # the head above the top of the picture
    frame = character.pose(Pose(positions, rest.scores, rest.image_size)).uncropped()
    low, high = frame.bounds()
    x, y, width, height = frame.canvas
    assert x <= low[0] and y <= low[1] and x + width >= high[0] and y + height >= high[1]
    assert x <= 0 and y < 0 and x + width >= rest.image_size[0]  # the photo's area is kept


def test_a_clip_known_beforehand_is_framed_once_for_all_its_frames():
    """With the whole clip included first (a recorded track), every frame is drawn in the one
    framing that holds all of them: on the canvas, and at one scale (no zoom)."""
    character = load_illustration("ada")
    rest = character.rest_pose()
    frames = [character.pose(Pose(rest.positions * (1 + step * 0.05) + (step * 12.0, 0),
                                  rest.scores, rest.image_size)) for step in range(30)]
    framing = ClipFraming(400, 600)
    for frame in frames:
        framing.include(frame)
    placed = [framing.place(frame) for frame in frames]
    for frame in placed:
        low, high = frame.bounds()
        assert (low >= -1e-6).all() and high[0] <= 400 + 1e-6 and high[1] <= 600 + 1e-6
    ratios = [p.stroke_scale.max() / f.stroke_scale.max() for p, f in zip(placed, frames)]
    np.testing.assert_allclose(ratios, ratios[0], rtol=1e-9)
