"""Arms and legs laid onto the drawn limbs (`rigging.limb_fit`), on stick figures rendered for
real."""

import numpy as np

from poseanim.rigging.limb_fit import fit_limbs, hips_onto_body
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
ROUND_BODY = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 300">
  <circle cx="100" cy="40" r="25" fill="teal"/>
  <ellipse cx="100" cy="120" rx="30" ry="50" fill="teal"/>
  <g stroke="navy" stroke-width="7" stroke-linecap="round" fill="none">
    <path d="M80 90 L40 130 M120 90 L160 130"/>
    <path d="M88 162 C 62 166, 48 200, 45 272 M112 162 C 138 166, 152 200, 155 272"/>
  </g>
</svg>"""
"""A round body on legs curving out from under it, as the Open Clip Art 'sm' figures draw them:
its left leg (on the viewer's right) ends at (155, 272)."""


def raster_of(text: str):
    return render_drawing(SvgSource.from_bytes(text.encode(), "figure.svg"))


def tracked_on_the_body() -> dict[str, np.ndarray]:
    """Joints as the pose tracker gives them for such figures: the torso right, the elbows and
    wrists on the body line."""
    joints = {"leftShoulder": (108, 80), "rightShoulder": (92, 80), "leftHip": (106, 170),
              "rightHip": (94, 170), "leftElbow": (104, 120), "leftWrist": (103, 155),
              "rightElbow": (96, 120), "rightWrist": (97, 155), "leftKnee": (110, 225),
              "leftAnkle": (118, 280), "rightKnee": (90, 225), "rightAnkle": (82, 280)}
    joints.update({f"nose{i}": (100, 40 + i) for i in range(5)})
    return {name: np.array(point, dtype=float) for name, point in joints.items()}


def test_arms_tracked_on_the_body_move_onto_the_drawn_arms():
    fits = fit_limbs(raster_of(STICK_FIGURE), tracked_on_the_body(), ("left arm", "right arm"))
    assert set(fits) == {"left arm", "right arm"}
    for side, (elbow, wrist) in DRAWN.items():
        fit = fits[f"{side} arm"]
        assert np.linalg.norm(fit.middle - elbow) < 14, (side, fit.middle)
        assert np.linalg.norm(fit.end - wrist) < 14, (side, fit.end)
        assert fit.before < 0.75 <= fit.after


def test_limbs_already_on_the_drawing_and_limbs_not_asked_for_stay():
    raster = raster_of(STICK_FIGURE)
    joints = tracked_on_the_body()
    for side, (elbow, wrist) in DRAWN.items():
        joints[f"{side}Elbow"], joints[f"{side}Wrist"] = np.array(elbow, float), np.array(wrist, float)
    assert fit_limbs(raster, joints, ("left arm", "right arm", "left leg", "right leg")) == {}
    assert fit_limbs(raster, tracked_on_the_body(), ()) == {}
    assert hips_onto_body(raster, joints) == {}


def test_crossed_legs_are_laid_each_onto_its_own_drawn_leg():
    joints = tracked_on_the_body()
    joints["leftKnee"], joints["rightKnee"] = np.array([88.0, 225.0]), np.array([112.0, 225.0])
    joints["leftAnkle"], joints["rightAnkle"] = np.array([75.0, 280.0]), np.array([125.0, 280.0])
    fits = fit_limbs(raster_of(STICK_FIGURE), joints, ("left leg", "right leg"))
    assert set(fits) == {"left leg", "right leg"}
    assert np.linalg.norm(fits["left leg"].end - (125, 280)) < 14, fits["left leg"].end
    assert np.linalg.norm(fits["right leg"].end - (75, 280)) < 14, fits["right leg"].end


def test_hips_found_below_a_round_body_move_onto_it_and_the_curved_legs_are_fitted():
    raster = raster_of(ROUND_BODY)
    joints = tracked_on_the_body()
    joints.update({"leftShoulder": np.array([115.0, 88.0]), "rightShoulder": np.array([85.0, 88.0]),
                   "leftHip": np.array([110.0, 205.0]), "rightHip": np.array([90.0, 205.0]),
                   "leftKnee": np.array([110.0, 245.0]), "rightKnee": np.array([90.0, 245.0]),
                   "leftAnkle": np.array([110.0, 290.0]), "rightAnkle": np.array([90.0, 290.0])})
    hips = hips_onto_body(raster, joints)
    assert set(hips) == {"leftHip", "rightHip"}
    for name in hips:
        assert 150 < hips[name][1] < 170 and abs(hips[name][0] - joints[name][0]) < 1e-6, hips[name]
    joints.update(hips)
    fits = fit_limbs(raster, joints, ("left leg", "right leg"))
    assert set(fits) == {"left leg", "right leg"}
    assert np.linalg.norm(fits["left leg"].end - (155, 272)) < 16, fits["left leg"].end
    assert np.linalg.norm(fits["right leg"].end - (45, 272)) < 16, fits["right leg"].end
    assert fits["left leg"].middle[0] > 125 and fits["right leg"].middle[0] < 75


V_LEGS = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 300">
  <circle cx="100" cy="40" r="25" fill="teal"/>
  <ellipse cx="100" cy="115" rx="32" ry="55" fill="teal"/>
  <g stroke="navy" stroke-width="8" stroke-linecap="round" fill="none">
    <path d="M100 160 L68 272 M100 160 L132 272"/>
  </g>
  <ellipse cx="58" cy="278" rx="16" ry="8" fill="teal"/>
  <ellipse cx="142" cy="278" rx="16" ry="8" fill="teal"/>
</svg>"""
"""A round body whose legs meet under its middle, with ball feet, as sm_013 draws them; its
right leg (on the viewer's left) runs from (100, 160) to (68, 272)."""


def test_a_knee_found_just_below_the_hip_is_laid_down_the_drawn_leg():
    """The tracker put sm_013's knee just below the hip, its shin beside the drawn leg: a
    short thigh lies on the body's ink wherever it points, so such an uneven chain counts as
    off the drawing, and the knee moves to the middle of the drawn leg (not up to where the
    legs meet, with the shin cut across to the foot's far end)."""
    joints = tracked_on_the_body()
    joints.update({"leftHip": np.array([112.0, 150.0]), "rightHip": np.array([88.0, 150.0]),
                   "rightKnee": np.array([82.0, 168.0]), "rightAnkle": np.array([66.0, 280.0])})
    fits = fit_limbs(raster_of(V_LEGS), joints, ("right leg",))
    assert set(fits) == {"right leg"}
    knee = fits["right leg"].middle
    assert np.linalg.norm(knee - (84, 216)) < 16, knee
    assert fits["right leg"].before == 0.0
