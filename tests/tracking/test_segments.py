"""Tracking a video in segments, each in a process of its own: the cuts, the frames each process
reads, and how far the result lies from one stream, on real pixels with real MediaPipe.

The stated tolerance (see `poseanim.tracking.segments`), on a clip of a real full-body photo
under known motion, 480×360, cut in two with the default overlap: the frames before the cut are
exactly the single stream's; after it, over every joint found, the difference is at most 1.5 px
at the 95th percentile and 5 px at most (measured: 0.2 / 1.3 / 2.8), at most 1 px for the joints
MediaPipe is sure of (measured: 0.4), and below the single stream's own 95th-percentile error
against the known motion; the same joints are found in at least 95 % of (frame, joint) places
(measured: 97.5 %: a lost hand is searched for every fourth frame, a phase that is state too).
"""

from __future__ import annotations

import subprocess

import cv2
import numpy as np
import pytest
from conftest import DATA
from video_factory import sway, swaying_frames, write_video

from poseanim.commands.options import frame_range, time_position
from poseanim.sources import read_image
from poseanim.tracking import segments
from poseanim.tracking.segments import OVERLAP_FRAMES, job_count, plan_segments
from poseanim.tracking.track_file import load_track
from poseanim.video_source import VideoSource, ffmpeg_executable

SIZE = (480, 360)
FPS = 30.0
FRAMES = 2 * OVERLAP_FRAMES + 30
CUT = FRAMES // 2
SURE = 0.8
FULL_BODY = DATA / "hands" / "small_open_palm.jpg"
"""A man seen from head to feet (HaGRID via MediaPipe's test data, CC BY-SA 4.0: see its README)."""


def test_segments_cover_every_frame_once_and_start_an_overlap_early():
    parts = plan_segments(10, 310, None, 3, overlap=30)
    assert [(p.warm_up, p.start, p.stop) for p in parts] == [
        (10, 10, 110), (80, 110, 210), (180, 210, None)]
    assert plan_segments(0, 100, 95, 2, overlap=60)[1].warm_up == 0  # never before the first
    assert plan_segments(0, 100, 95, 1) == [segments.Segment(0, 0, 95)]


def test_processes_stay_off_for_a_short_clip_or_one_core(monkeypatch):
    monkeypatch.setattr(segments, "available_cores", lambda: 2)
    assert job_count(None, int(segments.MIN_SEGMENT_SECONDS * FPS * 2), FPS) == 2
    assert job_count(None, int(segments.MIN_SEGMENT_SECONDS * FPS * 2) - 1, FPS) == 1
    assert job_count(None, 100_000, FPS) == 2
    assert job_count(1, 100_000, FPS) == 1
    assert job_count(2, 2 * OVERLAP_FRAMES - 1, FPS) == 1  # asked for, but too short to cut
    monkeypatch.setattr(segments, "available_cores", lambda: 1)
    assert job_count(None, 100_000, FPS) == 1


@pytest.mark.parametrize("fps", [30.0, 29.97, 25.0, 7.0])
@pytest.mark.parametrize("start, end", [(None, None), (1.0, None), (None, 2.5), (0.4, 0.4671),
                                        (1 / 3, 2 / 3)])
def test_frame_range_keeps_exactly_the_frames_of_the_time_range(fps, start, end):
    inside = [i for i in range(200) if time_position(i / fps, start, end) == 0]
    first, stop = frame_range(fps, start, end)
    assert inside == list(range(first, 200 if stop is None else min(stop, 200)))


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    """FRAMES frames of a real full-body photo swaying (`video_factory.sway`), as an MP4."""
    frames = swaying_frames(read_image(FULL_BODY), FRAMES, SIZE, FPS)
    return write_video(tmp_path_factory.mktemp("segments") / "sway.mp4", frames, FPS)


def test_a_video_read_from_a_frame_gives_exactly_those_frames(clip):
    with VideoSource(clip) as whole, VideoSource(clip) as later:
        expected = list(whole.frames())[CUT:]
        got = list(later.frames(CUT))
    assert [f.index for f in got] == [f.index for f in expected]
    assert [f.time for f in got] == [f.time for f in expected]
    assert all(np.array_equal(a.rgb, b.rgb) for a, b in zip(got, expected))


def _error_against_motion(positions: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """(F, K) distance of each joint, taken back through its frame's known warp, from where
    the reference tracks (several (F, K, 2) stacked) place it at the median: what a perfect
    tracker would keep at 0."""
    def unwarped(points: np.ndarray) -> np.ndarray:
        inverse = [cv2.invertAffineTransform(sway(i, SIZE, FPS)) for i in range(len(points))]
        return np.stack([p @ m[:, :2].T + m[:, 2] for p, m in zip(points, inverse)])

    truth = np.nanmedian(np.concatenate([unwarped(r) for r in reference]), axis=0)
    return np.linalg.norm(unwarped(positions) - truth, axis=2)


@pytest.mark.slow
def test_a_track_in_two_processes_equals_one_stream_within_the_trackers_own_error(
        clip, tmp_path, run_cli):
    one, two = tmp_path / "one.json", tmp_path / "two.json"
    assert run_cli("track", clip, "-o", one, "--jobs", "1")[0] == 0
    code, _, err = run_cli("track", clip, "-o", two, "--jobs", "2")
    assert code == 0 and "2 processes" in err
    single, split = load_track(one), load_track(two)
    assert single.times == split.times and len(single.frames) == FRAMES
    assert [p is None for p in single.frames] == [p is None for p in split.frames]
    assert single.frames[CUT - 1] is not None and single.frames[CUT] is not None

    def stacked(frames):
        return np.stack([p.positions if p is not None else np.full_like(single.frames[CUT].positions,
                                                                          np.nan) for p in frames])

    a, b = stacked(single.frames), stacked(split.frames)
    assert np.array_equal(a[:CUT], b[:CUT], equal_nan=True)  # the first process is the stream
    scores = np.stack([p.scores if p is not None else np.zeros_like(single.frames[CUT].scores)
                       for p in single.frames])[CUT:]
    seen = np.isfinite(a[CUT:, :, 0]) & np.isfinite(b[CUT:, :, 0])
    difference = np.linalg.norm(a[CUT:] - b[CUT:], axis=2)
    # a lost hand is searched for every few frames, so it may come back a frame or two apart
    assert (np.isfinite(a[CUT:, :, 0]) == np.isfinite(b[CUT:, :, 0])).mean() >= 0.95
    own_error = _error_against_motion(a, [a, b])[CUT:][seen]
    everything, sure = difference[seen], difference[seen & (scores > SURE)]
    print("after the cut: difference median %.2f p95 %.2f max %.2f px (sure joints: max %.2f); "
          "one stream's own error against the motion: median %.2f p95 %.2f px" % (
              np.median(everything), np.percentile(everything, 95), everything.max(), sure.max(),
              np.median(own_error), np.percentile(own_error, 95)))
    assert len(sure) > 0.5 * len(everything)
    assert np.percentile(everything, 95) <= 1.5 and everything.max() <= 5.0
    assert sure.max() <= 1.0
    assert np.percentile(everything, 95) <= np.percentile(own_error, 95)


@pytest.mark.slow
def test_video_tracked_in_two_processes_draws_the_frames_of_one_stream(clip, tmp_path, run_cli):
    """`poseanim video --jobs 2`: every frame, in order; before the cut exactly the frames of
    one stream, after it the same character within the tracking tolerance above."""
    one, two = tmp_path / "one", tmp_path / "two"
    common = ("--frames", "png", "--width", "120", "--no-hands")
    assert run_cli("video", clip, "-o", one, "--jobs", "1", *common)[0] == 0
    assert run_cli("video", clip, "-o", two, "--jobs", "2", *common)[0] == 0
    names = sorted(p.name for p in one.iterdir())
    assert len(names) == FRAMES and names == sorted(p.name for p in two.iterdir())
    differences = []
    for index, name in enumerate(names):
        a = cv2.imread(str(one / name)).astype(int)
        b = cv2.imread(str(two / name)).astype(int)
        if index < CUT:
            assert np.array_equal(a, b), name
        differences.append(np.abs(a - b).mean())
    print("mean absolute difference per frame after the cut:", np.round(differences[CUT:], 3))
    assert max(differences[CUT:]) < 1.0  # measured: at most 0.3 of 255 per pixel and channel


@pytest.mark.slow
def test_a_damaged_or_empty_clip_in_processes_is_one_line_and_writes_nothing(tmp_path, run_cli):
    """A process that meets a cut-off file, or a clip without anyone, ends the run as one
    stream would: one error line, no traceback, no track file."""
    rng = np.random.default_rng(1)
    frames = [cv2.GaussianBlur(rng.integers(0, 255, (240, 320, 3), np.uint8), (31, 31), 0)
              for _ in range(2 * OVERLAP_FRAMES + 10)]
    nobody = write_video(tmp_path / "nobody.mp4", frames, FPS)
    streamable = tmp_path / "streamable.mp4"
    subprocess.run([ffmpeg_executable(), "-loglevel", "error", "-i", str(nobody), "-c", "copy",
                    "-movflags", "+faststart", str(streamable)], check=True)
    data = streamable.read_bytes()
    (tmp_path / "cut.mp4").write_bytes(data[: len(data) * 2 // 3])
    for clip, message in (("nobody.mp4", "no person found in any frame"),
                          ("cut.mp4", "is truncated or damaged")):
        code, out, err = run_cli("track", tmp_path / clip, "-o", tmp_path / "out.json",
                                 "--jobs", "2")
        errors = [line for line in err.splitlines() if line.startswith("poseanim: error:")]
        assert code == 1 and len(errors) == 1 and message in errors[0], err
        assert "Traceback" not in err and out == "" and not (tmp_path / "out.json").exists()
        assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no leftovers
