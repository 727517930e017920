"""Trying a drawing end to end (`rigging.trial`): what a person learns about their file before
opening the editor, a track moved onto a drawing's own torso, and the corpus manifest."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import DATA
from svg_factory import rigged_svg

from poseanim.pose import FACE_ROWS
from poseanim.rig.tables import KEYPOINT_INDEX
from poseanim.rigging.trial import TORSO, read_manifest, track_on_drawing, try_drawing
from poseanim.tracking.track_file import load_track


@pytest.fixture(scope="module")
def limbs_trial(tmp_path_factory):
    """The test drawing of limb-shaped shapes over the rig template's skeleton, tried."""
    path = tmp_path_factory.mktemp("trial") / "limbs.svg"
    path.write_text(rigged_svg())
    return try_drawing(path, poses=("arms up", "squat"))


def test_a_rigged_file_is_checked_and_judged_in_the_poses_asked_for(limbs_trial):
    trial = limbs_trial
    assert (trial.rigged_by, trial.error) == ("file", "")
    assert trial.check is not None and trial.check.animates
    assert list(trial.poses) == list(trial.judged) == ["arms up", "squat"]
    assert all(quality.finite for quality in trial.poses.values())
    assert trial.poses["arms up"].acceptable  # limbs raised whole
    # good only when every pose is; else the first problem of the first failing pose, named
    failing = [(name, q.problems[0]) for name, q in trial.poses.items() if not q.acceptable]
    assert trial.good == (not failing)
    assert trial.worst_problem() == (f"{failing[0][0]}: {failing[0][1]}" if failing else "")


@pytest.mark.parametrize("text, error", [
    (b"<svg><g></svg>", "not valid XML"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"/>', "nothing to rig"),
])
def test_a_file_that_cannot_be_tried_says_why_instead_of_raising(tmp_path, text, error):
    path = tmp_path / "broken.svg"
    path.write_bytes(text)
    trial = try_drawing(path, poses=("arms up",))
    assert trial.rigged_by == "failed" and not trial.good
    assert error in trial.worst_problem() and trial.worst_problem() == trial.error


def test_a_track_is_moved_onto_the_drawings_torso_with_the_face_held_as_drawn(limbs_trial):
    character = limbs_trial.illustration
    track = load_track(DATA / "walk_track.json")
    poses = track_on_drawing(character, track)
    assert len(poses) == sum(frame is not None for frame in track.frames) > 0
    rest = character.rest_joints
    torso = [KEYPOINT_INDEX[name] for name in TORSO]
    shoulders = [KEYPOINT_INDEX["leftShoulder"], KEYPOINT_INDEX["rightShoulder"]]
    for pose in poses:
        # a least-squares similarity puts the torso's centre on the drawing's
        np.testing.assert_allclose(pose.positions[torso].mean(axis=0), rest[torso].mean(axis=0),
                                   atol=1e-6)
        # the face is the drawing's own, carried by the shoulders
        carry = pose.positions[shoulders].mean(axis=0) - rest[shoulders].mean(axis=0)
        np.testing.assert_allclose(pose.positions[FACE_ROWS], rest[FACE_ROWS] + carry,
                                   atol=1e-9)
        assert (pose.scores[FACE_ROWS] == 1).all()


def test_the_manifest_rows_name_files_beside_it(tmp_path):
    manifest = tmp_path / "corpus" / "manifest.tsv"
    manifest.parent.mkdir()
    manifest.write_text(
        "# a comment\n"
        "file\tsource\tlicence\tcreator\teditor\tview\tstyle\texpected\n"
        "a/one.svg\thttps://example.org/1\tCC0\tme\tInkscape\tfront\tflat\trigged\n"
        "# another\n"
        "two.svg\tbook\tPD\tyou\tIllustrator\tside\tline\tauto\n", encoding="utf-8")
    first, second = read_manifest(manifest)
    assert first.path == tmp_path / "corpus" / "a" / "one.svg"
    assert (first.licence, first.editor, first.expected) == ("CC0", "Inkscape", "rigged")
    assert first.front_facing and not second.front_facing
