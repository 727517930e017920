"""The third-party corpus: drawings nobody on the project made, opened, checked, auto-rigged
and posed as a new user would (`poseanim.rigging.trial`), judged by the quality score.

The auto-rig figures guard against regressions: every figure that poses acceptably today
must keep doing so, and the good rate must not fall. `benchmarks/bench_art.py` prints the
whole table.
"""

from pathlib import Path

import numpy as np
import pytest

from poseanim.rigging.trial import read_manifest, try_drawing
from poseanim.tracking.track_file import load_track

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"
ENTRIES = read_manifest(CORPUS / "manifest.tsv")
SHIPPABLE = {"Public domain", "Apache-2.0"}

KNOWN_GOOD = {"kid_01", "man01", "woman01", "woman02", "sm_001", "sm_003", "sm_010", "sm_011",
              "sm_013"}
"""Front-facing figures that `rig init --auto` alone poses acceptably (measured, and looked
at)."""
BASELINE_GOOD_RATE = 0.30
"""The measured share of front-facing figures that pose acceptably (9/30); it may only rise.
It was 0.33 (11/30) until the score learnt to see nonno's backing wedges and blueman_203's
broken arm line, two figures it passed that look broken."""


def test_the_manifest_lists_every_shipped_file_with_a_licence_that_allows_shipping():
    listed = {entry.path.resolve() for entry in ENTRIES}
    shipped = {path.resolve() for path in CORPUS.rglob("*.svg")}
    assert listed == shipped
    assert {entry.licence for entry in ENTRIES} <= SHIPPABLE
    assert (CORPUS / "pose-animator" / "LICENSE").read_text().startswith("\n" + " " * 33 + "Apache")


def test_the_corpus_is_big_and_varied_enough():
    third_party_figures = [e for e in ENTRIES if "rigged" not in e.expected]
    assert len(third_party_figures) >= 20
    assert sum(e.front_facing for e in third_party_figures) >= 20
    editors = {e.editor.split(" (")[0].split(" 1")[0] for e in ENTRIES}
    assert {"Inkscape", "Sodipodi", "Adobe Illustrator"} <= editors
    assert any("kid" in e.style for e in ENTRIES) and any("line art" in e.style for e in ENTRIES)
    assert sum("rigged" in e.expected for e in ENTRIES) >= 3


@pytest.fixture(scope="module")
def trials():
    walk = load_track(CORPUS.parent / "walk_track.json")
    return {entry.path.stem: (entry, try_drawing(entry.path, track=walk)) for entry in ENTRIES}


@pytest.mark.slow
def test_every_figure_opens_rigs_and_poses_to_finite_frames(trials):
    for name, (_entry, trial) in trials.items():
        assert trial.rigged_by in ("file", "auto"), (name, trial.error)
        assert trial.poses, name
        assert all(quality.finite for quality in trial.poses.values()), name
        frame = trial.illustration.pose(trial.illustration.rest_pose())
        assert np.isfinite(frame.points).all()


@pytest.mark.slow
def test_rigged_pose_animator_files_all_pose_acceptably(trials):
    rigged = [(name, trial) for name, (entry, trial) in trials.items() if "rigged" in entry.expected]
    assert rigged and all(trial.rigged_by == "file" for _, trial in rigged)
    bad = {name: trial.worst_problem() for name, trial in rigged if not trial.good}
    assert not bad
    for _, trial in rigged:
        assert trial.check is not None and trial.check.animates


@pytest.mark.slow
def test_auto_rig_does_not_regress_on_front_facing_figures(trials):
    front = {name: trial for name, (entry, trial) in trials.items()
             if entry.front_facing and "rigged" not in entry.expected}
    lost = {name: front[name].worst_problem() for name in KNOWN_GOOD if not front[name].good}
    assert not lost
    rate = sum(trial.good for trial in front.values()) / len(front)
    assert rate >= BASELINE_GOOD_RATE


@pytest.mark.slow
def test_rig_check_says_a_figure_poses_badly_when_it_tears_in_arms_up_or_star(trials):
    """`rig check` on what auto-rig wrote never says a plain "will animate" for a figure the
    score refuses in the poses the check tries, and stays quiet on the figures known good."""
    from poseanim.rigging.check import POSES_BADLY, TRIED_POSES

    for name, (_entry, trial) in trials.items():
        assert trial.check is not None, name
        fails = any(not trial.poses[pose].acceptable for pose in TRIED_POSES)
        warned = any(problem.code == POSES_BADLY for problem in trial.check.problems)
        assert warned == fails, (name, trial.check.summary())
    assert not any("poses badly" in trials[name][1].check.summary() for name in KNOWN_GOOD)


@pytest.mark.slow
def test_a_body_the_tracker_reads_upside_down_is_refused(trials):
    """The chibi's big head and twin tails make the pose tracker see a body upside down (hips
    at the top of the head); auto-rig refuses it and says so instead of binding the whole
    figure to bones inside the head."""
    _, chibi = trials["chibi_character_rick_"]
    assert "upside-down body" in chibi.placement and "template skeleton was fitted" in chibi.placement


@pytest.mark.slow
def test_the_score_refuses_the_figures_that_only_looked_good_to_it(trials):
    """Two figures the score once passed, broken to the eye (their sheets looked at): nonno's
    black backing silhouette shows as wedges between its raised arms and its torso, and
    blueman_203's arm line breaks and leaves a dash beside its shoulder."""
    _, nonno = trials["nonno_sport_architetto_f_01"]
    assert any("no part of the drawing was carried" in problem
               for problem in nonno.poses["arms up"].problems), nonno.poses["arms up"]
    _, blueman = trials["blueman_203_01"]
    assert any("stray piece" in problem for problem in blueman.poses["arms up"].problems), \
        blueman.poses["arms up"]


@pytest.mark.slow
def test_a_figure_whose_arms_the_tracker_missed_is_told_so(trials):
    """man_02 (three-quarter view, a coat without drawn arms): the tracker sees its body but
    no arm, and `rig init --auto` says what that means for raising them."""
    _, man = trials["man_02"]
    assert "the pose tracker saw neither arm" in man.placement
    assert "rig edit" in man.placement.split("saw neither arm")[1]


SKINNING_POSES = ("arms up", "arms crossed", "squat", "star")
SKINNING_SLACK = 0.04
"""How much more of its ink the default binding may fling far from the bones, or tear into
slivers, than Pose Animator's on the same rig and pose. Chosen by looking at the figures
nearest it: blueman_106 arms up (+0.039 sliver: its hand blobs shrink where `pa` tears the
stroked arms; no worse to look at) and the fashion figures' star (+0.025 far)."""
SKINNING_KNOWN_WORSE = {
    "chibi_character_rick_": "arms drawn behind the back; crossed, the dress collapses (`pa` "
                             "tears it into a wedge instead: both broken)",
    "groom1_jarno_vasamaa_01": "arms up: both modes stretch the sleeves into strips",
}
"""Figures where the default binding scores worse than `pa` by more than the slack (looked at;
the reason given); every other front-facing figure must stay within it."""


@pytest.mark.slow
def test_shape_aware_binding_tears_and_strays_no_more_than_pose_animators(trials):
    """Issue 9's quality guard on third-party art: with the same auto-rig, the default
    binding (`shape`) leaves no more ink far from the bones and tears no more into slivers
    than Pose Animator's (`pa`), figure by figure and pose by pose, within SKINNING_SLACK."""
    from poseanim.illustration import Illustration
    from poseanim.rig.reader import read_rigged_tree
    from poseanim.rigging.trial import pose_trials
    from poseanim.svg.document import parse_svg_text

    worse = {}
    compared = 0
    for name, (entry, trial) in trials.items():
        if not entry.front_facing or trial.illustration is None or name in SKINNING_KNOWN_WORSE:
            continue
        root = parse_svg_text(trial.rigged_text, trial.source)
        pa = Illustration(read_rigged_tree(root, trial.source), name, skinning="pa")
        for pose, (pa_quality, _) in pose_trials(pa, SKINNING_POSES).items():
            shape = trial.poses[pose]
            compared += 1
            if (shape.far_share > pa_quality.far_share + SKINNING_SLACK
                    or shape.sliver_share > pa_quality.sliver_share + SKINNING_SLACK):
                worse[(name, pose)] = (round(shape.far_share, 3), round(pa_quality.far_share, 3),
                                       round(shape.sliver_share, 3),
                                       round(pa_quality.sliver_share, 3))
    assert compared >= 100
    assert not worse, worse
