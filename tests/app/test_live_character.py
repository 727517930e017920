"""The live character without a window: made-up tracked frames on a made-up clock."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from poseanim.app.capture import Capture, TrackedFrame
from poseanim.app.live_character import LiveCharacter
from poseanim.filters import EASE_SECONDS, HOLD_SECONDS
from poseanim.illustration import load_illustration


def frame_at(time: float, pose) -> TrackedFrame:
    size = pose.image_size if pose is not None else (512, 512)
    return TrackedFrame(Capture(None, pose, size, time, time), pose, None, None, 1.0)


@pytest.fixture(scope="module")
def ada():
    return load_illustration("ada")


def test_it_needs_no_qt():
    run = subprocess.run([sys.executable, "-c", "import sys, poseanim.app.live_character; "
                          "print(any(m.startswith('PySide6') for m in sys.modules))"],
                         capture_output=True, text=True, timeout=120)
    assert run.stdout.strip() == "False", run.stderr


def test_the_character_takes_the_pose_as_the_pipeline_hands_it_on(ada, tracked_pose):
    """Mirroring is the pipeline's (`tests/app/test_capture.py`): a mirrored frame's pose is
    posed as it is."""
    plain = LiveCharacter(ada, smoothing=0.0).step(frame_at(0.0, tracked_pose))
    mirrored = LiveCharacter(ada, smoothing=0.0).step(frame_at(0.0, tracked_pose.mirrored()))
    np.testing.assert_allclose(plain.joints, ada.pose(tracked_pose).joints)
    np.testing.assert_allclose(mirrored.joints, ada.pose(tracked_pose.mirrored()).joints)
    assert not np.allclose(plain.joints, mirrored.joints)


def test_a_person_who_leaves_is_held_then_eased_to_rest_on_the_frames_clock(ada, tracked_pose):
    character = LiveCharacter(ada, smoothing=0.0)
    assert character.state == "waiting"
    shown = character.step(frame_at(10.0, tracked_pose)).joints.copy()
    states = []
    for time in np.arange(10.1, 10.0 + HOLD_SECONDS + EASE_SECONDS + 0.5, 0.1):
        joints = character.step(frame_at(float(time), None)).joints
        states.append(character.state)
        if character.state == "holding":
            np.testing.assert_allclose(joints, shown)
    order = [s for i, s in enumerate(states) if i == 0 or states[i - 1] != s]
    assert order == ["holding", "easing", "rest"]
    back = character.step(frame_at(20.0, tracked_pose))
    assert character.state == "tracking"
    np.testing.assert_allclose(back.joints, shown)


def test_posing_time_comes_from_the_injected_clock(ada, tracked_pose):
    ticks = iter([5.0, 5.25])
    character = LiveCharacter(ada, smoothing=0.0, clock=lambda: next(ticks))
    character.step(frame_at(0.0, tracked_pose))
    assert character.pose_ms == pytest.approx(250.0)


def test_before_any_frame_and_after_a_switch_the_still_is_shown(ada, tracked_pose):
    character = LiveCharacter(ada)
    rest = character.still()
    np.testing.assert_allclose(rest.joints, ada.pose(ada.rest_pose()).fitted(640, 480).joints)
    character.step(frame_at(0.0, tracked_pose))
    other = load_illustration("bolt")
    still = character.set_illustration(other)
    assert still.illustration is other and character.frame is still
    assert character.state == "tracking", "the pose carries over to the new character"


def test_a_looping_file_keeps_the_stream_clock_running(ada, tracked_pose):
    """Back at 0 s after a loop, nobody in the picture: held, then eased, as anywhere else."""
    character = LiveCharacter(ada, smoothing=0.0)
    character.step(frame_at(5.0, tracked_pose))
    states = []
    for time in np.arange(0.0, HOLD_SECONDS + EASE_SECONDS + 0.5, 0.1):
        character.step(frame_at(float(time), None))
        states.append(character.state)
    assert states[0] == "holding" and states[-1] == "rest"
