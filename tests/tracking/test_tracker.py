"""The tracker interface (`tracking.tracker`): every tracker offers the same calls, and what it
finds is one value that can cross threads and processes (the segmented tracker pickles it)."""

from __future__ import annotations

import dataclasses
import inspect
import pickle

import numpy as np
import pytest
from conftest import DATA

from poseanim.tracking.mediapipe_tracker import MediaPipeTracker
from poseanim.tracking.segments import SegmentedTracker
from poseanim.tracking.track_file import load_track
from poseanim.tracking.tracker import Tracked, Tracker

CALLS = ["track_picture", "track", "track_stream", "close", "__enter__", "__exit__"]


@pytest.mark.parametrize("implementation", [MediaPipeTracker, SegmentedTracker])
def test_every_tracker_answers_the_interfaces_calls_with_its_parameters(implementation):
    for name in CALLS:
        wanted = list(inspect.signature(getattr(Tracker, name)).parameters)
        assert list(inspect.signature(getattr(implementation, name)).parameters) == wanted, name


def test_a_result_carries_the_pose_and_its_landmarks_through_a_pickle():
    pose = load_track(DATA / "astronaut_pose.json").frames[0]
    landmarks = np.linspace(0, 1, 33 * 3).reshape(33, 3)
    tracked = Tracked(pose, landmarks)
    back = pickle.loads(pickle.dumps(tracked))
    np.testing.assert_array_equal(back.pose.positions, pose.positions)
    np.testing.assert_array_equal(back.landmarks, landmarks)
    assert back.face_mesh is None and back.hands == ()
    with pytest.raises(dataclasses.FrozenInstanceError):
        tracked.pose = None  # type: ignore[misc]

