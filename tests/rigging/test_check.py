"""`poseanim rig check`: one broken file per problem, each reported with its exact message."""

from __future__ import annotations

import numpy as np
import pytest

from poseanim.rigging.check import check_file, check_tree
from poseanim.svg.document import parse_svg_text
from poseanim.rig.tables import mirrored_name
from svg_factory import core_template_joints, HEADER, limb_shapes, rigged_svg, skeleton_group

JOINTS = core_template_joints()
INKSCAPE = 'xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"'


def moved(**changes: tuple[float, float]) -> dict[str, np.ndarray]:
    """The template joints with some moved."""
    joints = dict(JOINTS)
    joints.update({name: np.asarray(place, dtype=float) for name, place in changes.items()})
    return joints


def extra_joints(markup: str, omit: tuple[str, ...] = ()) -> str:
    """A full skeleton group with `markup` appended inside it."""
    return skeleton_group(omit=omit).replace("</g>", markup + "</g>")


def check(text: str):
    return check_tree(parse_svg_text(text, "test.svg"), "test.svg")


def only(report, code: str):
    """The one problem with `code` (and the proof that there is exactly one)."""
    found = [problem for problem in report.problems if problem.code == code]
    assert len(found) == 1, report.text()
    return found[0]


EYE_CENTRE = (JOINTS["leftEye0"] + JOINTS["leftEye3"]) / 2

# (name, document, code, severity, exact message, file animates)
BROKEN_FILES = [
    ("no skeleton group", f'{HEADER}<g id="illustration">{limb_shapes()}</g></svg>',
     "missing-group", "error",
     "no 'skeleton' group: no element's id starts with 'skeleton' and no Inkscape layer is "
     "labelled 'skeleton'", False),
    ("no illustration group", f"{HEADER}{skeleton_group()}</svg>",
     "missing-group", "error",
     "no 'illustration' group: no element's id starts with 'illustration' and no Inkscape layer "
     "is labelled 'illustration'", False),
    ("group found by Inkscape label",
     HEADER.replace("<svg ", f"<svg {INKSCAPE} ")
     + f'<g id="layer1" inkscape:label="illustration">{limb_shapes()}</g>{skeleton_group()}</svg>',
     "group-found-by-label", "warning",
     "group 'illustration' is found only by its Inkscape label (its id is 'layer1')", True),
    ("missing joint", rigged_svg(skeleton=skeleton_group(omit=("rightWrist",))),
     "missing-joint", "warning",
     "joint 'rightWrist' is missing from the skeleton; the bones rightElbow–rightWrist are left "
     "out and what they would move follows the nearest other bones", True),
    ("missing optional inner-lip joint", rigged_svg(skeleton=skeleton_group(omit=("leftMiddleLip",))),
     "missing-joint", "note",
     "joint 'leftMiddleLip' is missing (Pose Animator's template lacks it too); the inner-lip "
     "bones leftMouthCorner–leftMiddleLip, leftMiddleLip–leftUpperLipBottom1, "
     "leftMiddleLip–leftLowerLipTop0 are left out", True),
    ("prefix collision is no joint",
     rigged_svg(skeleton=extra_joints('<circle id="nose1x" cx="1" cy="1" r="1"/>')),
     "unknown-joint", "warning",
     "<circle id=\"nose1x\"> in the skeleton is not a joint; did you mean 'nose1'?", True),
    ("digit de-duplication is a duplicate",
     rigged_svg(skeleton=extra_joints('<circle id="nose11" cx="1" cy="1" r="1"/>')),
     "duplicate-joint", "warning",
     "joint 'nose1' is given 2 times ('nose1', 'nose11'); the first is used", True),
    ("misspelt joint",
     rigged_svg(skeleton=extra_joints('<circle id="leftShouldr" cx="1" cy="1" r="1"/>')),
     "unknown-joint", "warning",
     "<circle id=\"leftShouldr\"> in the skeleton is not a joint; did you mean 'leftShoulder'?", True),
    ("editor-named guides are one note",
     rigged_svg(skeleton=extra_joints('<circle id="circle123" cx="1" cy="1" r="1"/>'
                                      + "".join(f'<line id="line{k}" x1="0" y1="0" x2="9" y2="9"/>'
                                                for k in range(15)))),
     "not-a-joint", "note",
     "16 element(s) of the skeleton name no joint (first: <circle id=\"circle123\">); they are "
     "guides, ignored and never drawn", True),
    ("duplicated joint",
     rigged_svg(skeleton=extra_joints('<circle id="leftWrist_2_" cx="1" cy="1" r="1"/>')),
     "duplicate-joint", "warning",
     "joint 'leftWrist' is given 2 times ('leftWrist', 'leftWrist_2_'); the first is used", True),
    ("id naming two joints",
     rigged_svg(skeleton=extra_joints(
         f'<circle id="leftEye0_leftEye1" cx="{JOINTS["leftEye0"][0]}" '
         f'cy="{JOINTS["leftEye0"][1]}" r="1"/>', omit=("leftEye0",))),
     "ambiguous-id", "warning",
     "id 'leftEye0_leftEye1' names two joints, 'leftEye0' and 'leftEye1'; it is read as "
     "'leftEye0'", True),
    ("zero-length bone", rigged_svg(skeleton=skeleton_group(moved(leftElbow=JOINTS["leftShoulder"]))),
     "zero-length-bone", "error",
     "bone leftShoulder–leftElbow has no length: both joints are at (380, 300), so what it "
     "carries collapses onto it", False),
    ("joint far off the drawing", rigged_svg(skeleton=skeleton_group(moved(leftWrist=(2000, 555)))),
     "joint-off-drawing", "warning",
     "joint 'leftWrist' at (2000, 555) lies far outside the drawing "
     "(x 161.2…438.8, y 100…850.4)", True),
    ("whole skeleton off the drawing",
     rigged_svg(skeleton=skeleton_group({name: p + 5000 for name, p in JOINTS.items()})),
     "skeleton-off-drawing", "error",
     "85 of 85 joints lie far outside the drawing (x 161.2…438.8, y 100…850.4)", False),
    ("shape no bone moves",
     rigged_svg(body=limb_shapes() + '<g id="lashes"><circle id="leftEye0_1_" cx="330" cy="148" '
                'r="1"/><path id="leftLash" d="M320,140 L335,138"/></g>'),
     "unbound-shape", "warning",
     "<path id=\"leftLash\"> is moved by no bone, so it is never drawn: its group "
     "<g id=\"lashes\"> holds its own copies of joints (leftEye0), and such a group binds only to "
     "bones with both ends among its copies", True),
    ("text", rigged_svg(body=limb_shapes() + '<text x="10" y="20">Hi</text>'),
     "ignored-element", "warning", "<text> (no id) is ignored: text is not deformed", True),
    ("embedded picture",
     rigged_svg(body=limb_shapes() + '<image id="photo" href="data:image/png;base64,AAAA" '
                'width="5" height="5"/>'),
     "ignored-element", "warning",
     "<image id=\"photo\"> is ignored: embedded pictures cannot be deformed", True),
    ("clone", rigged_svg(body=limb_shapes().replace("<path ", '<path id="arm" ', 1)
                         + '<use id="arm2" href="#arm" x="10"/>'),
     "ignored-element", "warning", "<use id=\"arm2\"> is ignored: <use> clones are not deformed", True),
    ("clone that cannot be resolved",
     rigged_svg(body=limb_shapes() + '<use id="hand2" href="#hand"/>'),
     "ignored-element", "warning",
     "<use id=\"hand2\"> is ignored: it points to '#hand', which is not in this document", True),
    ("clip path",
     rigged_svg(body='<defs><clipPath id="c"><rect width="600" height="900"/></clipPath></defs>'
                f'<g id="body" clip-path="url(#c)">{limb_shapes()}</g>'),
     "clip-not-deformed", "warning",
     "the clip-path of <g id=\"body\"> is not deformed: it stays where it is drawn while the "
     "shapes inside move out of it", True),
    ("skeleton without joints",
     rigged_svg(skeleton='<g id="skeleton"><circle cx="1" cy="1" r="1"/></g>'),
     "no-joints", "error",
     "the skeleton group <g id=\"skeleton\"> holds no joints (elements with ids such as "
     "'leftShoulder' or 'nose4')", False),
    ("nothing drawable", rigged_svg(body='<text x="1" y="1">me</text>'),
     "no-shapes", "error",
     "the illustration group holds nothing that can be drawn and deformed", False),
    ("joint without geometry",
     rigged_svg(skeleton=extra_joints('<circle id="nose4" cx="300" cy="171" r="0"/>',
                                      omit=("nose4",))),
     "joint-without-geometry", "warning",
     "joint 'nose4' (<circle id=\"nose4\">) has no outline to take its centre from, so it is "
     "treated as missing", True),
    ("eyelids upside down",
     rigged_svg(skeleton=skeleton_group(moved(rightEye1=JOINTS["rightEye5"],
                                              rightEye5=JOINTS["rightEye1"]))),
     "eyelids-upside-down", "warning",
     "upper-lid joint 'rightEye1' is below lower-lid joint 'rightEye5', so a blink would open "
     "the eye instead", True),
    ("left and right swapped",
     rigged_svg(skeleton=skeleton_group({mirrored_name(n): p for n, p in JOINTS.items()})),
     "left-right-swapped", "warning",
     "'leftShoulder' is to the left of 'rightShoulder' as the drawing is seen; left and right "
     "are the character's own, so a character facing you has its left on your right", True),
    ("eye drawn larger than its joints",
     rigged_svg(body=limb_shapes() + f'<ellipse id="bigLeftEye" cx="{EYE_CENTRE[0]}" '
                f'cy="{EYE_CENTRE[1]}" rx="16" ry="10" fill="#fff"/>'),
     "feature-not-driven", "warning",
     "<ellipse id=\"bigLeftEye\"> in the left eye takes only 35% of its motion from the eyelid "
     "joints, so blinks will hardly show on it", True),
    ("background in the drawing",
     rigged_svg(body='<rect width="600" height="900" fill="#eef"/>' + limb_shapes()),
     "background-in-drawing", "warning",
     "<rect> (no id) covers the whole canvas, like a background, and will bend with the body", True),
]


def test_a_clean_rig_has_no_problems():
    report = check(rigged_svg())
    assert report.problems == []
    assert report.animates
    assert report.illustration is not None and len(report.illustration.shapes) == 15


def test_every_problem_is_reported_at_once():
    text = rigged_svg(
        body=limb_shapes() + '<text x="1" y="1">hi</text>',
        skeleton=extra_joints('<circle id="nose1x" cx="1" cy="1" r="1"/>',
                              omit=("rightWrist", "leftEye2")))
    codes = [problem.code for problem in check(text).problems]
    assert codes.count("missing-joint") == 2
    assert {"unknown-joint", "ignored-element"} <= set(codes)


def test_missing_groups_are_both_reported_and_the_fix_names_rig_init():
    report = check(f'{HEADER}<path d="M0,0 L10,10"/></svg>')
    problems = [p for p in report.problems if p.code == "missing-group"]
    assert len(problems) == 2
    assert "`poseanim rig init FILE -o rigged.svg`" in problems[0].fix


def test_unreadable_file_is_one_error(tmp_path):
    path = tmp_path / "broken.svg"
    path.write_text('<svg xmlns="http://www.w3.org/2000/svg"><g></svg>')
    report = check_file(path)
    assert [(p.code, p.severity) for p in report.problems] == [("unreadable-file", "error")]
    assert report.problems[0].message.startswith(f"{path} is not valid XML (mismatched tag")


def joints_with(**moved) -> str:
    joints = dict(JOINTS)
    joints.update({name: np.asarray(place, dtype=float) for name, place in moved.items()})
    return skeleton_group(joints)


def copies(*names: str) -> str:
    return "".join(f'<circle id="{n}_1_" cx="{JOINTS[n][0]}" cy="{JOINTS[n][1]}" r="0.5"/>'
                   for n in names)


BROW = (JOINTS["leftBrow0"] + JOINTS["leftBrow4"]) / 2
MORE_BROKEN_FILES = [
    ("an elbow dragged onto the wrist",
     rigged_svg(skeleton=joints_with(leftElbow=JOINTS["leftWrist"] + (0.0, -3.0))),
     "tiny-bone", "warning",
     "bone leftElbow–leftWrist is only 1% as long as leftShoulder–leftElbow: 'leftElbow' and "
     "'leftWrist' nearly coincide, so the limb bends at the wrong place and what lies between "
     "them is crushed", True),
    ("legs crossed at rest",
     rigged_svg(skeleton=joints_with(leftKnee=JOINTS["rightKnee"], rightKnee=JOINTS["leftKnee"])),
     "crossed-limbs", "warning",
     "the legs cross at rest (leftKnee/leftAnkle against rightKnee/rightAnkle), so shapes "
     "between them bind to the wrong side and tear when posed", True),
    ("pupil that does not follow the lids",
     rigged_svg(body=limb_shapes() + f'<g id="eyeGroup">{copies("leftEye0", "leftEye1")}'
                f'<circle id="pupil" cx="{EYE_CENTRE[0]}" cy="{EYE_CENTRE[1]}" r="2"/></g>'),
     "pupil-through-lid", "warning",
     "<circle id=\"pupil\"> inside the left eye keeps 113% of its height when the eyes close, "
     "so it pokes through the closed lid", True),
    ("feature copy of a joint the skeleton lacks",
     rigged_svg(body=limb_shapes() + f'<g id="browGroup">{copies("leftBrow0", "leftBrow1")}'
                f'<ellipse cx="{BROW[0]}" cy="{BROW[1]}" rx="9" ry="2"/></g>',
                skeleton=skeleton_group(omit=("leftBrow1",))),
     "copy-without-joint", "warning",
     "<circle id=\"leftBrow1_1_\"> in <g id=\"browGroup\"> copies joint 'leftBrow1', which the "
     "skeleton lacks, so the copy is ignored and the bones it would end are left out of that "
     "group", True),
    ("content outside the illustration",
     rigged_svg().replace("</svg>", '<path id="hat" d="M260,60 L340,60 L300,20 Z"/></svg>'),
     "outside-illustration", "warning",
     "1 drawn element(s) lie outside the 'illustration' group (<path id=\"hat\">): they stay "
     "still while the character moves", True),
]


@pytest.mark.parametrize("text, code, severity, message, animates",
                         [case[1:] for case in BROKEN_FILES + MORE_BROKEN_FILES],
                         ids=[case[0] for case in BROKEN_FILES + MORE_BROKEN_FILES])
def test_each_problem_is_reported_with_its_exact_message_and_a_fix(text, code, severity, message,
                                                                   animates):
    report = check(text)
    problem = only(report, code)
    assert (problem.severity, problem.message) == (severity, message)
    assert problem.fix and problem.fix != problem.message
    assert report.animates is animates


def test_brows_and_glasses_are_not_taken_for_eyes():
    lens = (f'<ellipse id="lens" cx="{EYE_CENTRE[0]}" cy="{EYE_CENTRE[1]}" rx="16" ry="11" '
            'fill="none" stroke="#000"/>')
    brow = f'<ellipse id="brow" cx="{BROW[0]}" cy="{BROW[1]}" rx="12" ry="2"/>'
    beard = ('<ellipse id="beard" cx="300" cy="215" rx="45" ry="22" fill="#531"/>')
    report = check(rigged_svg(body=limb_shapes() + brow + lens + beard))
    assert [p for p in report.problems if p.code == "feature-not-driven"] == []


def test_a_hand_missing_a_whole_finger_names_the_bones_each_joint_takes():
    """The template with its left little finger left out: one warning per joint, each naming
    the finger's bones it belonged to (not an empty list: its neighbours are missing too)."""
    from poseanim.rig.template import template_joints

    joints = template_joints()
    gone = tuple(f"leftPinky{k}" for k in range(1, 5))
    report = check(rigged_svg(skeleton=skeleton_group({n: p for n, p in joints.items()
                                                       if n not in gone})))
    missing = {p.message.split("'")[1]: p.message for p in report.problems
               if p.code == "missing-joint"}
    assert set(missing) == set(gone), report.text()
    assert "the bones leftPinky2–leftPinky3, leftPinky3–leftPinky4 are left out" in missing["leftPinky3"]
    assert all("the bones  are" not in message for message in missing.values())


@pytest.mark.parametrize("swap, side", [(None, None), (("Index", "Pinky"), "left"),
                                        (("Thumb", "Ring"), "right"), (("Middle", "Ring"), "left")])
def test_fingers_swapped_in_the_skeleton_are_reported(swap, side):
    """The template's hands are in order; swapping two fingers' joints is one warning that
    names the hand and the order found."""
    from poseanim.rig.template import template_joints

    joints = dict(template_joints())
    if swap is not None:
        for k in range(1, 5):
            a, b = f"{side}{swap[0]}{k}", f"{side}{swap[1]}{k}"
            joints[a], joints[b] = joints[b], joints[a]
    report = check(rigged_svg(skeleton=skeleton_group(joints)))
    found = [p for p in report.problems if p.code == "fingers-out-of-order"]
    if swap is None:
        assert found == [], report.text()
    else:
        assert len(found) == 1 and found[0].severity == "warning", report.text()
        assert found[0].message.startswith(f"the {side} hand's knuckles are not in order")
        assert report.animates


def test_a_rig_that_tears_when_posed_is_said_to_pose_badly():
    """Every joint in place and named, but the left arm's elbow and wrist dragged onto the
    torso: the drawn arm stays where it is when the bones raise it. The check tries the body
    in arms up and star and says so, instead of a plain "will animate"."""
    hips = (JOINTS["leftHip"] + JOINTS["rightHip"]) / 2
    joints = moved(leftElbow=(JOINTS["leftShoulder"] + hips) / 2, leftWrist=hips)
    report = check(rigged_svg(body=limb_shapes(JOINTS), skeleton=skeleton_group(joints)))
    found = [problem for problem in report.problems if problem.code == "poses-badly"]
    assert [problem.message for problem in found] == [
        f"posed with {pose}, the drawn left forearm did not follow its bone (only 0% of it came "
        "along)" for pose in ("arms up", "star")]
    assert all(problem.severity == "warning" and "drag the joints" in problem.fix for problem in found)
    assert report.animates and report.summary().endswith("will animate, but poses badly (2 warnings)")
