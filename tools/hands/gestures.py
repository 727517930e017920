"""Hand gestures as the real tracker sees them, and a sheet of the characters making them.

    python tools/hands/gestures.py record          # tests/data/gestures/*.json from the photos
    python tools/hands/gestures.py sheet OUT.png   # every character's hand in every gesture
    python tools/hands/gestures.py knuckles        # how round the folded finger joints stay

The gestures come from the hand photos in tests/data/hands, tracked by MediaPipe Pose and Hands
on crops around the wrists. The photos have no fist and no thumbs-up: the thumbs-up is the
tracked thumbs-down (a real fist, its thumb out) turned over about its own forearm, the arm
lowered so the hand is in front of the chest rather than the chin; the fist is
the wave's tracked open hand closed (knuckles closed up, each finger folded along the hand's
axis: first bone foreshortened towards the camera, the others folded back and kept short, the
thumb across them). Fingers folded each along its own spread line instead fan out like a claw.
"Open palms" is the
raised open hand of the wave with the other arm and hand its mirror image about the body.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("GLOG_minloglevel", "2")

import numpy as np  # noqa: E402

from poseanim.extremities import HANDS  # noqa: E402
from poseanim.pose import Pose  # noqa: E402
from poseanim.rig.tables import KEYPOINT_INDEX, hand_joints  # noqa: E402
from poseanim.tracking.track_file import PoseTrack, load_track, save_track  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
PHOTOS = ROOT / "tests" / "data" / "hands"
GESTURES = ROOT / "tests" / "data" / "gestures"
NAMES = ("wave", "open_palms", "point", "thumbs_up", "fist")
CHARACTERS = ("ada", "bolt", "mira", "template")


def _tracked(photo: str) -> Pose:
    from poseanim.sources import read_image
    from poseanim.tracking.mediapipe_tracker import MediaPipeTracker

    with MediaPipeTracker(video=False, hands=True) as tracker:
        pose = tracker.track_picture(read_image(PHOTOS / photo)).pose
    assert pose is not None, photo
    return pose


def _hand(side: str):
    return next(hand for hand in HANDS if hand.name == f"{side}Hand")


def turned_over(pose: Pose, side: str) -> Pose:
    """The hand of `side` turned half a turn about its forearm: in the picture, reflected
    across the forearm's line (a thumbs-down becomes a thumbs-up)."""
    hand = _hand(side)
    shape = hand.shape(pose.positions)
    assert shape is not None, side
    positions = pose.positions.copy()
    positions[hand.rows] = hand.placed(pose.positions, np.conj(shape))
    return Pose(positions, pose.scores, pose.image_size)


THUMBS_UP_ARM = 40.0
"""Degrees out from straight down of the thumbs-up's upper arm. The photo's arm is held out
level with the shoulder and the hand brought back in front of the chin: on the characters,
whose heads are bigger than a person's, that puts the fist on the face."""


def arm_lowered(pose: Pose, side: str, degrees: float) -> Pose:
    """The upper arm of `side` turned about its shoulder to `degrees` out from straight down
    (away from the body), the forearm and hand carried along unturned: the hand keeps its shape
    and direction, only its place changes."""
    rows = {name: KEYPOINT_INDEX[f"{side}{name}"] for name in ("Shoulder", "Elbow", "Wrist")}
    positions = pose.positions.copy()
    shoulder, elbow = positions[rows["Shoulder"]], positions[rows["Elbow"]]
    other = KEYPOINT_INDEX[f"{'right' if side == 'left' else 'left'}Shoulder"]
    away = np.sign(shoulder[0] - positions[other][0])
    angle = np.radians(degrees)
    moved = shoulder + float(np.linalg.norm(elbow - shoulder)) * np.array(
        [away * np.sin(angle), np.cos(angle)])
    carried = [rows["Elbow"], rows["Wrist"]] + [KEYPOINT_INDEX[name] for name in hand_joints(side)]
    positions[carried] += moved - elbow
    return Pose(positions, pose.scores, pose.image_size)


FIST_FOLDS = (0.45, 0.6, 0.2)
"""How much of each finger bone's length a fist shows, in the picture: the first bone leans
towards the camera (foreshortened), the second folds back over it towards the wrist, the
third tucks into the palm (short). The second and third kept short leave no long run of
finger outline lying over the knuckles (drawn fingers are one outline: a long fold there
shows as a tangle of strokes)."""
FIST_CLOSING = 0.3
"""How far the index, ring and little fingers' knuckles move towards the middle finger's in
a fist: the open hand's knuckles are spread; left there, a little finger folded at its own
knuckle is a blob apart from the drawn palm (drawn palms are narrower than the tracked hand)."""


def fisted(pose: Pose, side: str) -> Pose:
    """The open hand of `side` closed into a fist: the knuckles closed up (FIST_CLOSING), every
    finger folded along the hand's own axis (wrist to the middle knuckle; the open hand's
    fingers are spread, each along its own line, and folded so they fan out like a claw) as
    FIST_FOLDS says, the thumb laid across the folded fingers (its tip between the index and
    middle fingers' last-but-one joints)."""
    positions = pose.positions.copy()

    def row(name: str) -> int:
        return KEYPOINT_INDEX[f"{side}{name}"]

    middle = positions[row("Middle1")].copy()
    axis = middle - positions[row("Wrist")]
    axis /= max(float(np.linalg.norm(axis)), 1e-9)
    for finger in ("Index", "Ring", "Pinky"):
        positions[row(f"{finger}1")] += (middle - positions[row(f"{finger}1")]) * FIST_CLOSING
    for finger in ("Index", "Middle", "Ring", "Pinky"):
        joints = [pose.positions[row(f"{finger}{k}")] for k in range(1, 5)]
        lengths = [float(np.linalg.norm(b - a)) for a, b in zip(joints, joints[1:])]
        place = positions[row(f"{finger}1")]
        for k, (length, fold) in enumerate(zip(lengths, FIST_FOLDS), start=2):
            place = place + (axis if k == 2 else -axis) * length * fold
            positions[row(f"{finger}{k}")] = place
    knuckle = positions[row("Thumb2")]
    target = (positions[row("Index3")] + positions[row("Middle3")]) / 2
    positions[row("Thumb3")] = knuckle + (target - knuckle) * 0.55
    positions[row("Thumb4")] = target
    return Pose(positions, pose.scores, pose.image_size)


def both_sides_like(pose: Pose, side: str) -> Pose:
    """The arm and hand of the other side made the mirror image of `side`'s about the body's
    middle line (between the shoulders, upright in the picture)."""
    mirrored = pose.mirrored()  # mirrored about the picture's middle, sides swapped
    middle = (pose.position("leftShoulder")[0] + pose.position("rightShoulder")[0]) / 2
    shift = 2 * middle - pose.image_size[0]
    other = "right" if side == "left" else "left"
    rows = [KEYPOINT_INDEX[f"{other}{part}"] for part in ("Elbow", "Wrist")]
    rows += [KEYPOINT_INDEX[name] for name in hand_joints(other)]
    positions, scores = pose.positions.copy(), pose.scores.copy()
    positions[rows] = mirrored.positions[rows] + (shift, 0.0)
    scores[rows] = mirrored.scores[rows]
    return Pose(positions, scores, pose.image_size)


def record() -> None:
    """Track the photos and write one single-frame track per gesture."""
    wave = _tracked("open_palm.jpg")
    thumb_down = _tracked("thumb_down.jpg")
    gestures = {
        "wave": (wave, "open_palm.jpg, tracked"),
        "open_palms": (both_sides_like(wave, "left"),
                       "open_palm.jpg, tracked; the right arm and hand mirror the left"),
        "point": (_tracked("pointing_up.jpg"), "pointing_up.jpg, tracked"),
        "thumbs_up": (arm_lowered(turned_over(thumb_down, "right"), "right", THUMBS_UP_ARM),
                      "thumb_down.jpg, tracked; the right hand turned over its forearm, the "
                      "upper arm lowered"),
        "fist": (fisted(wave, "left"),
                 "open_palm.jpg, tracked; the raised left hand closed into a fist"),
    }
    GESTURES.mkdir(exist_ok=True)
    for name, (pose, source) in gestures.items():
        track = PoseTrack(pose.image_size, None, source=source)
        track.frames.append(pose)
        track.times.append(0.0)
        print(save_track(track, GESTURES / f"{name}.json"))


def gesture(name: str) -> Pose:
    """The recorded pose of a gesture."""
    pose = load_track(GESTURES / f"{name}.json").frames[0]
    assert pose is not None
    return pose


SIDES = {"wave": "left", "open_palms": "right", "point": "right", "thumbs_up": "right",
         "fist": "left"}
"""Gesture → the side of the hand that makes it."""
TILE = 200


def hand_close_up(picture: np.ndarray, joints: np.ndarray, side: str) -> np.ndarray:
    """A TILE-pixel square of `picture` around the hand of `side` (its joints and wrist)."""
    import cv2

    rows = [KEYPOINT_INDEX[name] for name in hand_joints(side)] + [KEYPOINT_INDEX[f"{side}Wrist"]]
    points = joints[rows]
    half = max(50.0, float(np.ptp(points, axis=0).max()) * 0.9)
    left, top = (int(v) for v in points.mean(axis=0) - half)
    side_px = int(2 * half)
    tile = np.full((side_px, side_px, 3), 255, np.uint8)
    x0, y0 = max(left, 0), max(top, 0)
    region = picture[y0:top + side_px, x0:left + side_px]
    tile[y0 - top:y0 - top + region.shape[0], x0 - left:x0 - left + region.shape[1]] = region
    return cv2.resize(tile, (TILE, TILE), interpolation=cv2.INTER_AREA)


def sheet(path: str) -> None:
    """The hand of every character (rows) in every gesture (columns), close up."""
    import cv2

    from poseanim.render.cairo_painter import CairoPainter

    rows = []
    for _, illustration in characters():
        painter = CairoPainter(illustration, (1200, 1800))
        tiles = []
        for name in NAMES:
            frame = illustration.pose(gesture(name)).fitted(1200, 1800)
            tiles.append(hand_close_up(painter.paint(frame), frame.joints, SIDES[name]))
        rows.append(np.hstack(tiles))
    cv2.imwrite(path, cv2.cvtColor(np.vstack(rows), cv2.COLOR_RGB2BGR))
    print(path)


def characters():
    """(name, Illustration) of every character on the sheet."""
    from poseanim.illustration import Illustration, load_illustration
    from poseanim.rig.reader import read_rigged_tree
    from poseanim.rig.template import template_svg
    from poseanim.svg.document import parse_svg_text

    for character in CHARACTERS:
        yield character, (Illustration(read_rigged_tree(parse_svg_text(template_svg(), "t"), "t"),
                                       "t") if character == "template"
                          else load_illustration(character))


def knuckles() -> None:
    """Per character and gesture, the roundness (tests/hand_measures.py) of the finger joints
    bent past 90°: smallest and median, with the fingers rotation blended (as shipped) and
    blended linearly, side by side."""
    sys.path.insert(0, str(ROOT / "tests"))
    from hand_measures import folded
    from hand_measures import knuckles as measured

    from poseanim.skinning import linearly_blended

    print(f"{'character':10}{'gesture':12}{'joints':>7}  {'rotation min / median':>22}  "
          f"{'linear min / median':>20}")
    for name, illustration in characters():
        blended = illustration.binding
        for gesture_name in NAMES:
            cells = []
            for binding in (blended, linearly_blended(blended, illustration.skeleton)):
                illustration.binding = binding
                frame = illustration.pose(gesture(gesture_name))
                found = [k.roundness for k in folded(measured(illustration, frame,
                                                              SIDES[gesture_name]))]
                cells.append(f"{min(found):.2f} / {np.median(found):.2f}" if found else "–")
            illustration.binding = blended
            if cells != ["–", "–"]:
                print(f"{name:10}{gesture_name:12}{len(found):7}  {cells[0]:>22}  {cells[1]:>20}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["record"]:
        record()
    elif sys.argv[1:2] == ["knuckles"]:
        knuckles()
    elif sys.argv[1:2] == ["sheet"] and len(sys.argv) == 3:
        sheet(sys.argv[2])
    else:
        sys.exit(__doc__)
