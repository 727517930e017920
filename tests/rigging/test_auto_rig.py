"""`poseanim rig init`: plain SVGs from several editors get a skeleton and look exactly the same."""

from __future__ import annotations

import difflib
import re

import numpy as np
import pytest

from poseanim.illustration import bundled_illustrations, load_illustration
from poseanim.render.png import png_to_rgba, render_png
from poseanim.rigging.check import check_file
from poseanim.rig.reader import read_rigged_svg
from poseanim.rig.tables import BODY_JOINTS, FACE_JOINTS, JOINT_NAMES, hand_joints

INKSCAPE = """<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<!-- Created with Inkscape (http://www.inkscape.org/) -->

<svg
   width="80mm"
   height="120mm"
   viewBox="0 0 80 120"
   version="1.1"
   id="svg5"
   inkscape:version="1.2.2 (b0a8486541, 2022-12-01)"
   sodipodi:docname="person.svg"
   xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"
   xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd"
   xmlns:xlink="http://www.w3.org/1999/xlink"
   xmlns="http://www.w3.org/2000/svg"
   xmlns:svg="http://www.w3.org/2000/svg">
  <sodipodi:namedview
     id="namedview7"
     pagecolor="#ffffff"
     inkscape:document-units="mm" />
  <defs
     id="defs2">
    <linearGradient
       inkscape:collect="always"
       id="linearGradient1">
      <stop
         style="stop-color:#3a7bd5;stop-opacity:1"
         offset="0"
         id="stop1" />
      <stop
         style="stop-color:#1f4f99;stop-opacity:1"
         offset="1"
         id="stop2" />
    </linearGradient>
    <linearGradient
       xlink:href="#linearGradient1"
       id="linearGradient3"
       x1="40"
       y1="38"
       x2="40"
       y2="78"
       gradientUnits="userSpaceOnUse" />
  </defs>
  <g
     inkscape:label="Layer 1"
     inkscape:groupmode="layer"
     id="layer1"
     transform="translate(-4.5,2.25)">
    <path
       style="fill:url(#linearGradient3);stroke:#222222;stroke-width:0.8"
       d="m 33,38 h 23 l 3,40 h -29 z"
       id="path101" />
    <ellipse
       style="fill:#f2c9a0;stroke:#222222;stroke-width:0.8"
       id="path102"
       cx="44.5"
       cy="24"
       rx="9"
       ry="11" />
    <path
       style="fill:none;stroke:#222222;stroke-width:4;stroke-linecap:round"
       d="M 34,42 28,60 26,76"
       id="path103" />
    <path
       style="fill:none;stroke:#222222;stroke-width:4;stroke-linecap:round"
       d="M 55,42 61,60 63,76"
       id="path104" />
    <path
       style="fill:none;stroke:#222222;stroke-width:5;stroke-linecap:round"
       d="M 38,78 37,98 37,112"
       id="path105" />
    <path
       style="fill:none;stroke:#222222;stroke-width:5;stroke-linecap:round"
       d="M 51,78 52,98 52,112"
       id="path106" />
  </g>
</svg>
"""

ILLUSTRATOR = """<?xml version="1.0" encoding="utf-8"?>
<!-- Generator: Adobe Illustrator 27.5.0, SVG Export Plug-In . SVG Version: 6.00 Build 0)  -->
<svg version="1.1" id="Layer_1" xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" x="0px" y="0px"
\t viewBox="0 0 300 450" style="enable-background:new 0 0 300 450;" xml:space="preserve">
<style type="text/css">
\t.st0{fill:#F2C9A0;stroke:#222222;stroke-width:2;stroke-miterlimit:10;}
\t.st1{fill:#3A7BD5;stroke:#222222;stroke-width:2;stroke-miterlimit:10;}
\t.st2{fill:none;stroke:#222222;stroke-width:12;stroke-linecap:round;stroke-miterlimit:10;}
</style>
<g>
\t<polygon class="st1" points="110,140 190,140 200,290 100,290 \t"/>
\t<circle class="st0" cx="150" cy="90" r="40"/>
</g>
<polyline class="st2" points="112,150 90,220 84,280 "/>
<polyline class="st2" points="188,150 210,220 216,280 "/>
<line class="st2" x1="125" y1="290" x2="122" y2="430"/>
<line class="st2" x1="175" y1="290" x2="178" y2="430"/>
</svg>
"""

FIGMA = """<svg width="360" height="540" viewBox="0 0 360 540" fill="none" xmlns="http://www.w3.org/2000/svg">
<g clip-path="url(#clip0_101_2)">
<rect width="360" height="540" fill="#FAF7F2"/>
<path d="M140 170H220L232 350H128L140 170Z" fill="url(#paint0_linear_101_2)"/>
<circle cx="180" cy="110" r="48" fill="#F2C9A0" stroke="#222222" stroke-width="3"/>
<path d="M142 180L114 264L106 336" stroke="#222222" stroke-width="14" stroke-linecap="round"/>
<path d="M218 180L246 264L254 336" stroke="#222222" stroke-width="14" stroke-linecap="round"/>
<path d="M150 350L146 516" stroke="#222222" stroke-width="16" stroke-linecap="round"/>
<path d="M210 350L214 516" stroke="#222222" stroke-width="16" stroke-linecap="round"/>
</g>
<defs>
<linearGradient id="paint0_linear_101_2" x1="180" y1="170" x2="180" y2="350" gradientUnits="userSpaceOnUse">
<stop stop-color="#3A7BD5"/>
<stop offset="1" stop-color="#1F4F99"/>
</linearGradient>
<clipPath id="clip0_101_2">
<rect width="360" height="540" fill="white"/>
</clipPath>
</defs>
</svg>
"""

# editor, document, head (centre, radius) in user space, lowest point of the feet
EDITORS = {
    "inkscape": (INKSCAPE, ((40.0, 26.25), 11.0), 114.25 + 2.5),
    "illustrator": (ILLUSTRATOR, ((150.0, 90.0), 40.0), 430 + 6),
    "figma": (FIGMA, ((180.0, 110.0), 48.0), 516 + 8),
}


def rendered(path) -> np.ndarray:
    return png_to_rgba(render_png(path.read_bytes()))


@pytest.mark.parametrize("editor", list(EDITORS))
def test_init_wraps_a_plain_drawing_without_changing_how_it_looks(editor, tmp_path, run_cli):
    text, (head, radius), feet = EDITORS[editor]
    plain, rigged = tmp_path / "plain.svg", tmp_path / "rigged.svg"
    plain.write_text(text)
    code, out, err = run_cli("rig", "init", plain, "-o", rigged)
    assert code == 0 and out.strip() == str(rigged)
    assert err.startswith("poseanim: the template skeleton was fitted to the drawing's bounds (x ")
    assert err.rstrip().endswith("drag the joints into place with `poseanim rig edit`")

    # only insertions: every byte of the author's file is still there, in order
    output = rigged.read_text()
    operations = {op for op, *_ in difflib.SequenceMatcher(None, text, output, autojunk=False).get_opcodes()}
    assert operations == {"equal", "insert"}
    np.testing.assert_array_equal(rendered(plain), rendered(rigged))

    drawing = read_rigged_svg(rigged)
    assert drawing.missing_joints == []
    assert drawing.illustration.get("id") == "illustration"
    report = check_file(rigged)
    assert report.animates, report.text()

    # the template is fitted to the figure: the face on the head, the ankles at the feet
    nose = drawing.joints["nose4"]
    assert np.linalg.norm(nose - head) < radius
    ankles = np.array([drawing.joints["leftAnkle"], drawing.joints["rightAnkle"]])
    assert np.all(np.abs(ankles[:, 1] - feet) < 0.1 * feet)
    assert drawing.joints["leftWrist"][0] > head[0] > drawing.joints["rightWrist"][0]


def test_inkscape_layers_and_illustrator_styles_survive(tmp_path):
    from poseanim.rigging.auto_rig import rig_source
    from poseanim.svg.text import SvgSource

    inkscape = rig_source(SvgSource.from_bytes(INKSCAPE.encode(), "person.svg")).document.text
    assert '<g id="illustration" inkscape:groupmode="layer" inkscape:label="illustration">' in inkscape
    assert '<g id="skeleton" fill="none" stroke="none" inkscape:groupmode="layer" ' \
           'inkscape:label="skeleton">' in inkscape
    assert inkscape.index("<sodipodi:namedview") < inkscape.index('<g id="illustration"') \
        < inkscape.index('id="layer1"')  # page settings stay first, the layer moves inside

    illustrator = rig_source(SvgSource.from_bytes(ILLUSTRATOR.encode(), "figure.svg")).document.text
    assert illustrator.startswith('<?xml version="1.0" encoding="utf-8"?>\n<!-- Generator: Adobe')
    assert illustrator.index("</style>") < illustrator.index('<g id="illustration">')
    assert "stroke" not in illustrator[illustrator.index('<g id="illustration">'):][:30]


def test_figma_background_frame_is_excluded_from_the_bounds(tmp_path):
    from poseanim.rigging.auto_rig import rig_source
    from poseanim.svg.text import SvgSource

    result = rig_source(SvgSource.from_bytes(FIGMA.encode(), "frame.svg"))
    bounds = re.search(r"x ([\d.]+)…([\d.]+), y ([\d.]+)…([\d.]+)", result.placement)
    low_x, high_x, low_y, high_y = map(float, bounds.groups())
    assert 95 < low_x < 110 and 250 < high_x < 265  # the hands, not the 0…360 frame
    assert 55 < low_y < 65 and 515 < high_y < 530


def flattened_ada() -> str:
    """Ada as a plain drawing: no skeleton, no illustration group, just her shapes."""
    text = bundled_illustrations()["ada"].read_text()
    text = re.sub(r'<g id="skeleton".*?</g>\s*', "", text, flags=re.S)
    return text.replace('<g id="illustration">', "", 1).replace("</g>\n</svg>", "</svg>")


@pytest.mark.slow
def test_auto_places_joints_near_a_human_drawings_own(tmp_path, run_cli):
    plain, rigged = tmp_path / "ada_plain.svg", tmp_path / "ada_rigged.svg"
    plain.write_text(flattened_ada())
    assert "skeleton" not in plain.read_text() and "illustration" not in plain.read_text()
    code, out, err = run_cli("rig", "init", plain, "-o", rigged, "--auto")
    assert code == 0, err
    assert err.startswith("poseanim: joints placed per group: torso: the pose tracker; left arm: "
                          "the pose tracker; right arm: the pose tracker; left leg: the pose "
                          "tracker; right leg: the pose tracker; face: the face tracker; "
                          "8 eyelid joints were moved onto the drawn eyes; hands and feet: "
                          "left hand and right hand: the hand tracker; left foot and right foot: ")

    placed = read_rigged_svg(rigged).joints
    truth = load_illustration("ada").drawing.joints
    height = 900.0
    body_error = max(np.linalg.norm(placed[n] - truth[n]) for n in BODY_JOINTS)
    face_errors = [np.linalg.norm(placed[n] - truth[n]) for n in FACE_JOINTS]
    assert body_error < 0.05 * height  # within 45 units on a 900-unit figure
    assert np.median(face_errors) < 8 and max(face_errors) < 20
    assert set(placed) == set(JOINT_NAMES)  # her drawn fingers and shoes got joints too
    for side in ("left", "right"):
        forearm = np.linalg.norm(truth[f"{side}Wrist"] - truth[f"{side}Elbow"])
        hand_errors = [np.linalg.norm(placed[n] - truth[n]) for n in hand_joints(side)]
        assert np.median(hand_errors) < 0.1 * forearm  # measured 0.05
    # the lids sit on the drawn eyes, not where a human's would be, so blinks close them
    lids = [f"{side}Eye{k}" for side in ("left", "right") for k in (1, 2, 4, 5)]
    assert max(abs(placed[n][1] - truth[n][1]) for n in lids) < 1.5
    np.testing.assert_array_equal(rendered(plain), rendered(rigged))


@pytest.mark.slow
def test_auto_on_a_portrait_places_the_face_and_scales_the_body_to_it(tmp_path, run_cli):
    plain, rigged = tmp_path / "head.svg", tmp_path / "rigged.svg"
    plain.write_text(flattened_ada().replace('width="600" height="900" viewBox="0 0 600 900"',
                                             'width="300" height="260" viewBox="150 30 300 260"'))
    code, _, err = run_cli("rig", "init", plain, "-o", rigged, "--auto")
    assert code == 0
    assert err.startswith("poseanim: joints placed per group: torso: the template, scaled to the "
                          "face; left arm: the template, scaled to the face;")
    assert "; face: the face tracker" in err
    placed, truth = read_rigged_svg(rigged).joints, load_illustration("ada").drawing.joints
    assert np.median([np.linalg.norm(placed[n] - truth[n]) for n in FACE_JOINTS]) < 8
    assert placed["leftShoulder"][1] > placed["jawMid"][1]  # the body hangs below the face


def test_auto_falls_back_to_the_template_when_nobody_is_found(tmp_path, run_cli):
    plain, rigged = tmp_path / "blob.svg", tmp_path / "rigged.svg"
    plain.write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 100">'
                     '<rect x="20" y="20" width="160" height="60" fill="#c33"/></svg>')
    code, out, err = run_cli("rig", "init", plain, "-o", rigged, "--auto")
    assert code == 0
    assert err.startswith("poseanim: the trackers found no person in the drawing, so the template "
                          "skeleton was fitted to the drawing's bounds (x 19.92…180.1, y 19.92…80.08)")


@pytest.mark.parametrize("content, message", [
    ('<g id="skeleton"><circle id="nose4" cx="1" cy="1" r="1"/></g><path d="M0,0 L9,9"/>',
     "already has a skeleton group; open it with `poseanim rig edit` or check it with "
     "`poseanim rig check`"),
    ("<defs><linearGradient id='g'/></defs>", "draws nothing at its top level; there is nothing "
                                              "to rig"),
])
def test_init_refuses_what_it_cannot_rig_in_one_line(content, message, tmp_path, run_cli):
    plain = tmp_path / "in.svg"
    plain.write_text(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">{content}</svg>')
    code, out, err = run_cli("rig", "init", plain, "-o", tmp_path / "out.svg")
    assert (code, out) == (1, "")
    assert err == f"poseanim: error: {plain} {message}\n"
    assert not (tmp_path / "out.svg").exists()


def test_a_figure_turned_sideways_is_told_from_one_facing_the_viewer():
    from poseanim.rigging.auto_rig import sides_swapped, view_of

    front = {name: np.array(place) for name, place in (
        ("leftShoulder", (340, 300)), ("rightShoulder", (260, 300)), ("leftHip", (325, 480)),
        ("rightHip", (275, 480)), ("leftEar", (320, 220)), ("rightEar", (280, 220)))}
    side = {**front, "leftShoulder": np.array([305, 300]), "rightShoulder": np.array([295, 300]),
            "leftHip": np.array([303, 480]), "rightHip": np.array([297, 480])}
    assert view_of(front) == "front" and view_of(side) == "side"
    assert view_of({"leftShoulder": np.array([1, 1])}) == "front"  # no torso: no verdict
    mirrored = {name.replace("left", "RIGHT").replace("right", "left").replace("RIGHT", "right"): p
                for name, p in front.items()}
    assert not sides_swapped(front) and sides_swapped(mirrored)


def test_a_body_found_upside_down_is_not_taken_for_the_drawing():
    from poseanim.rigging.auto_rig import upright

    standing = {name: np.array(place, dtype=float) for name, place in (
        ("leftShoulder", (340, 300)), ("rightShoulder", (260, 300)), ("leftHip", (325, 480)),
        ("rightHip", (275, 480)), ("leftEar", (320, 220)), ("rightEar", (280, 220)))}
    assert upright(standing)
    head_over_heels = {name: p * (1, -1) for name, p in standing.items()}
    assert not upright(head_over_heels)
    assert not upright({**standing, "leftEar": np.array([320.0, 350]),
                        "rightEar": np.array([280.0, 350])})  # ears under the shoulders
    assert upright({"leftShoulder": np.array([1.0, 1])})  # too little seen to judge
