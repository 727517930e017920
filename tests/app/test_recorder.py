"""Recording the live character (`app.recorder`): frames arriving at a varying rate become a
constant-rate MP4 as long as the performance, beside a track of every pose, and a failure or an
unwritable place leaves no file. Times are given, as the window gives its clock's."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import DATA

from poseanim.app.recorder import Recorder
from poseanim.errors import PoseanimError
from poseanim.tracking.track_file import load_track
from poseanim.video_source import VideoSource

GREYS = (40, 100, 160, 220)


def grey(value: int, width: int = 32, height: int = 24) -> np.ndarray:
    return np.full((height, width, 3), value, np.uint8)


def test_frames_are_repeated_or_skipped_to_keep_the_performances_length(tmp_path):
    pose = load_track(DATA / "astronaut_pose.json").frames[0]
    recorder = Recorder(tmp_path / "take", 32, 24, "camera 0", fps=10)
    times = (5.0, 5.02, 5.13, 5.53)  # any clock: the first frame is the start
    for at, value in zip(times, GREYS):
        recorder.add(at, None, grey(value), pose if value != 100 else None)
    assert recorder.seconds == pytest.approx(0.6)
    video, track_path = recorder.stop()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["take.json", "take.mp4"]
    with VideoSource(video) as source:
        shown = [round(float(frame.rgb.mean())) for frame in source.frames()]
    # 5.02 falls in the first frame's tenth of a second (skipped); 5.53 fills 0.2 .. 0.6
    assert shown == pytest.approx([40, 160, 220, 220, 220, 220], abs=4)
    track = load_track(track_path)
    assert track.times == pytest.approx([0.0, 0.02, 0.13, 0.53])  # every pose, at its own time
    assert [frame is not None for frame in track.frames] == [True, False, True, True]
    assert (track.image_size, track.fps) == ((32, 24), 10)


def test_a_photo_recording_has_no_track(tmp_path):
    recorder = Recorder(tmp_path / "photo", 32, 24, "photo.jpg", track=False)
    recorder.add(0.0, None, grey(90), None)
    assert recorder.stop() == [tmp_path / "photo.mp4"]
    assert [p.name for p in tmp_path.iterdir()] == ["photo.mp4"]


def test_a_failed_encoding_is_said_at_stop_and_leaves_nothing(tmp_path):
    """Odd sides do not encode as H.264 4:2:0 (the window sends `Recorder.size`, which is even)."""
    recorder = Recorder(tmp_path / "odd", 33, 25, "camera 0")
    assert recorder.size == (32, 24)
    recorder.add(0.0, None, grey(90, 33, 25), None)
    with pytest.raises(PoseanimError, match="^ffmpeg could not write the video"):
        recorder.stop()
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_place_is_refused_before_recording(tmp_path):
    with pytest.raises(PoseanimError, match="folder .* does not exist"):
        Recorder(tmp_path / "nowhere" / "take", 32, 24, "camera 0")


@pytest.mark.parametrize("start", [0.0, 5.0, 1.7, 12.3])
def test_a_frame_landing_exactly_on_a_frame_boundary_is_shown(tmp_path, start):
    """5.1 − 5.0 is 0.0999…96 in floats: a frame arriving on the boundary of its tenth of a
    second starts that tenth, whatever the clock read when recording began."""
    recorder = Recorder(tmp_path / "take", 32, 24, "camera 0", fps=10, track=False)
    for step, value in enumerate(GREYS):
        recorder.add(start + step / 10, None, grey(value), None)
    assert recorder.seconds == pytest.approx(0.4)
    video, = recorder.stop()
    with VideoSource(video) as source:
        shown = [round(float(frame.rgb.mean())) for frame in source.frames()]
    assert shown == pytest.approx(list(GREYS), abs=4)
