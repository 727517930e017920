"""Arms laid onto the drawn arms (`rigging.limb_fit`), on a stick figure rendered for real."""

import numpy as np

from poseanim.rigging.limb_fit import fit_arms
from poseanim.rigging.rendering import render_drawing
from poseanim.svg.text import SvgSource

STICK_FIGURE = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 300">
  <circle cx="100" cy="40" r="25" fill="navy"/>
  <g stroke="navy" stroke-width="8" stroke-linecap="round" fill="none">
    <path d="M100 65 L100 170"/>
    <path d="M100 80 L150 120 L185 95"/>
    <path d="M100 80 L55 125 L40 160"/>
    <path d="M100 170 L75 280 M100 170 L125 280"/>
  </g>
</svg>"""
"""Its left arm (on the viewer's right) bent up at the elbow, its right arm bent down."""
DRAWN = {"left": ((150, 120), (185, 95)), "right": ((55, 125), (40, 160))}


def tracked_on_the_body() -> dict[str, np.ndarray]:
    """Joints as the pose tracker gives them for such figures: the torso right, the elbows and
    wrists on the body line."""
    joints = {"leftShoulder": (108, 80), "rightShoulder": (92, 80), "leftHip": (106, 170),
              "rightHip": (94, 170), "leftElbow": (104, 120), "leftWrist": (103, 155),
              "rightElbow": (96, 120), "rightWrist": (97, 155)}
    joints.update({f"nose{i}": (100, 40 + i) for i in range(5)})
    return {name: np.array(point, dtype=float) for name, point in joints.items()}


def test_arms_tracked_on_the_body_move_onto_the_drawn_arms():
    raster = render_drawing(SvgSource.from_bytes(STICK_FIGURE.encode(), "stick.svg"))
    fits = fit_arms(raster, tracked_on_the_body(), ("left", "right"))
    assert set(fits) == {"left", "right"}
    for side, (elbow, wrist) in DRAWN.items():
        assert np.linalg.norm(fits[side].elbow - elbow) < 14, (side, fits[side].elbow)
        assert np.linalg.norm(fits[side].wrist - wrist) < 14, (side, fits[side].wrist)
        assert fits[side].before < 0.75 <= fits[side].after


def test_arms_already_on_the_drawn_arms_and_arms_not_asked_for_stay():
    raster = render_drawing(SvgSource.from_bytes(STICK_FIGURE.encode(), "stick.svg"))
    joints = tracked_on_the_body()
    for side, (elbow, wrist) in DRAWN.items():
        joints[f"{side}Elbow"], joints[f"{side}Wrist"] = np.array(elbow, float), np.array(wrist, float)
    assert fit_arms(raster, joints, ("left", "right")) == {}
    assert fit_arms(raster, tracked_on_the_body(), ()) == {}
