"""The live pipeline without a window: real files through the source factory, paced and
looped, every frame handed on (`every_frame`), and mirrored in one place, switchable live."""

from __future__ import annotations

import numpy as np
import pytest

from poseanim.app.capture import LivePipeline, RealTimeSource, SourceSpec, TrackedFrame
from poseanim.tracking.track_file import load_track

from video_factory import warped_frames, write_video
from wave_track import write_wave_track

WAIT_SECONDS = 60.0  # a bound for a stuck pipeline, not a speed: results come far sooner


def take(pipeline: LivePipeline, count: int) -> list[TrackedFrame]:
    """The next `count` results, waiting for each."""
    results = []
    while len(results) < count:
        result = pipeline.results.take(WAIT_SECONDS)
        assert result is not None, f"the pipeline stopped after {len(results)} frames"
        results.append(result)
    return results


def open_pipeline(spec: SourceSpec, **options) -> LivePipeline:
    errors: list[str] = []
    pipeline = LivePipeline(spec, lambda: None, errors.append, lambda: None, **options)
    pipeline.errors = errors  # type: ignore[attr-defined]
    return pipeline


@pytest.fixture(scope="module")
def track_path(tmp_path_factory):
    return write_wave_track(tmp_path_factory.mktemp("capture") / "wave.json", frames=6)


@pytest.fixture(scope="module")
def clip(tmp_path_factory, photo_rgb):
    return write_video(tmp_path_factory.mktemp("capture") / "clip.mp4",
                       warped_frames(photo_rgb, count=4))


@pytest.mark.parametrize("mirror", [False, True])
def test_a_track_comes_through_every_frame_in_order_mirrored_when_asked(track_path, mirror):
    track = load_track(track_path)
    pipeline = open_pipeline(SourceSpec("track", path=track_path, every_frame=True),
                             mirror=mirror)
    try:
        results = take(pipeline, len(track.frames))
    finally:
        assert pipeline.stop()
    assert [result.capture.index for result in results] == list(range(len(track.frames)))
    for result, recorded in zip(results, track.frames):
        expected = recorded.mirrored() if mirror else recorded
        assert result.mirrored == mirror
        np.testing.assert_allclose(result.pose.positions, expected.positions)
        np.testing.assert_allclose(result.capture.pose.positions, expected.positions)


def test_the_mirror_switches_from_one_frame_to_the_next_pictures_and_all(clip):
    from poseanim.video_source import VideoSource

    with VideoSource(clip) as video:
        originals = [frame.rgb for frame in video.frames()]
    pipeline = open_pipeline(SourceSpec("video", path=clip, every_frame=True), tracking=False)
    try:
        first = take(pipeline, 1)[0]
        pipeline.mirror = True
        rest = take(pipeline, len(originals) - 1)
    finally:
        assert pipeline.stop()
    assert not first.mirrored and np.array_equal(first.capture.rgb, originals[0])
    flags = [result.mirrored for result in rest]
    assert flags[-1] and flags == sorted(flags)  # once the switch reached a frame, it stays
    for result in rest:
        original = originals[result.capture.index]
        assert np.array_equal(result.capture.rgb,
                              original[:, ::-1] if result.mirrored else original)


def test_a_looping_file_starts_again_with_its_own_times(track_path):
    import threading

    source = RealTimeSource(SourceSpec("track", path=track_path, loop=True))
    stop = threading.Event()
    try:
        captures = [source.read(stop) for _ in range(8)]
    finally:
        source.close()
    assert [capture.index for capture in captures] == [0, 1, 2, 3, 4, 5, 0, 1]
    assert captures[6].time == captures[0].time and captures[1].time > captures[0].time


def test_a_source_that_cannot_be_opened_is_reported_not_raised(tmp_path):
    pipeline = open_pipeline(SourceSpec("video", path=tmp_path / "missing.mp4"), tracking=False)
    try:
        for _ in range(int(WAIT_SECONDS / 0.05)):  # until the capture thread has spoken
            if pipeline.errors:
                break
            assert pipeline.results.take(0.05) is None
    finally:
        assert pipeline.stop()
    assert pipeline.errors == [f"{tmp_path / 'missing.mp4'}: no such file"]


def test_the_old_live_source_names_still_work_and_say_what_replaces_them(clip, track_path):
    import threading

    from poseanim.app import capture

    stop = threading.Event()
    for old, argument in (("VideoFileSource", clip), ("TrackSource", track_path)):
        with pytest.warns(DeprecationWarning, match=f"{old} is deprecated: use RealTimeSource"):
            source = getattr(capture, old)(argument)
        try:
            first = source.read(stop)
        finally:
            source.close()
        assert first is not None and first.index == 0
