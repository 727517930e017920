"""The one path from an input to tracked frames: every kind of source behind one factory, real
MediaPipe on real pixels, and mirroring done once, after tracking, consistently for the
picture, the pose and the raw landmarks."""

from __future__ import annotations

import contextlib

import numpy as np
import pytest

from poseanim.errors import PoseanimError
from poseanim.pipeline import SourceSpec, mirrored, open_frame_source, track_frames
from poseanim.sources import PhotoSource
from poseanim.tracking.track_file import RecordedSource, load_track
from poseanim.tracking.tracker import Tracked

from conftest import DATA, PHOTO
from video_factory import warped_frames, write_video
from wave_track import write_wave_track


@pytest.fixture(scope="module")
def clip(tmp_path_factory, photo_rgb):
    return write_video(tmp_path_factory.mktemp("pipeline") / "clip.mp4",
                       warped_frames(photo_rgb, count=4))


def test_the_spec_of_a_file_follows_its_suffix(tmp_path):
    assert SourceSpec.for_path("a/dance.MP4").kind == "video"
    assert SourceSpec.for_path("pose.json").kind == "track"
    assert SourceSpec.for_path("photo.jpg").kind == "photo"
    assert SourceSpec.for_path(tmp_path / "x.webm").describe() == str(tmp_path / "x.webm")
    assert SourceSpec("camera", camera=2).describe() == "camera 2"


def test_every_file_source_hands_out_frames_with_its_size_and_rate(clip, photo_rgb, tmp_path):
    with open_frame_source(SourceSpec.for_path(PHOTO)) as photo:
        frames = list(photo.frames())
    assert photo.image_size == (photo_rgb.shape[1], photo_rgb.shape[0]) and photo.fps is None
    assert len(frames) == 1 and frames[0].time == 0.0 and np.array_equal(frames[0].rgb, photo_rgb)

    with open_frame_source(SourceSpec.for_path(clip)) as video:
        frames = list(video.frames())
    assert video.image_size == (384, 384) and video.fps == pytest.approx(10.0)
    assert [frame.index for frame in frames] == [0, 1, 2, 3]
    assert [frame.time for frame in frames] == pytest.approx([0.0, 0.1, 0.2, 0.3])
    assert all(frame.rgb.shape == (384, 384, 3) and frame.pose is None for frame in frames)

    track_path = write_wave_track(tmp_path / "wave.json", frames=5)
    with open_frame_source(SourceSpec.for_path(track_path)) as recorded:
        frames = list(recorded.frames())
    track = load_track(track_path)
    assert recorded.image_size == tuple(track.image_size) and recorded.frame_count == 5
    assert all(frame.rgb is None for frame in frames)
    assert [frame.time for frame in frames] == pytest.approx(track.times)
    assert all(np.array_equal(frame.pose.positions, pose.positions, equal_nan=True)
               for frame, pose in zip(frames, track.frames) if pose is not None)


@pytest.mark.parametrize("kind, name, words", [
    ("photo", "missing.jpg", "missing.jpg"),
    ("video", "missing.mp4", "no such file"),
    ("track", "missing.json", "no such track file"),
])
def test_a_source_that_cannot_be_read_says_so_in_one_line(tmp_path, kind, name, words):
    with pytest.raises(PoseanimError) as caught:
        open_frame_source(SourceSpec(kind, path=tmp_path / name))
    assert words in str(caught.value) and "\n" not in str(caught.value)


def test_a_camera_that_is_not_there_says_what_to_do():
    with pytest.raises(PoseanimError, match="camera 99 could not be opened"):
        open_frame_source(SourceSpec("camera", camera=99))


def test_mirroring_is_done_after_tracking_and_flips_everything_alike(photo_rgb):
    """The mirrored pipeline gives exactly the mirror of the plain one: the picture flipped,
    the pose with left and right swapped, landmarks and face mesh at x ↦ width − x."""
    from poseanim.tracking.mediapipe_tracker import MediaPipeTracker

    photo = PhotoSource(PHOTO)
    with MediaPipeTracker(video=False) as tracker:
        with contextlib.closing(track_frames(photo.frames(), tracker)) as results:
            plain = next(results)
        with contextlib.closing(track_frames(photo.frames(), tracker, mirror=True)) as results:
            mirror = next(results)
    width = photo_rgb.shape[1]
    assert not plain.mirrored and mirror.mirrored
    assert np.array_equal(mirror.frame.rgb, photo_rgb[:, ::-1])
    assert plain.tracked.pose is not None and mirror.tracked.pose is not None
    assert np.allclose(mirror.tracked.pose.positions, plain.tracked.pose.mirrored().positions,
                       equal_nan=True)
    # the person's left wrist is drawn where the mirror shows it: on the other side
    left = plain.tracked.pose.position("leftWrist")
    assert mirror.tracked.pose.position("rightWrist") == pytest.approx((width - left[0], left[1]))
    assert np.allclose(mirror.tracked.landmarks[:, 0], width - plain.tracked.landmarks[:, 0])
    assert np.array_equal(mirror.tracked.landmarks[:, 1:], plain.tracked.landmarks[:, 1:])
    assert np.allclose(mirror.tracked.face_mesh[:, 0], width - plain.tracked.face_mesh[:, 0])


def test_a_recorded_track_is_mirrored_with_its_pictures_and_twice_is_the_original(photo_rgb):
    pose = load_track(DATA / "astronaut_pose.json").frames[0]
    source = RecordedSource(load_track(DATA / "astronaut_pose.json"))
    frames = [frame for frame in source.frames()]
    (plain,) = track_frames(frames, None)
    (mirror,) = track_frames(frames, None, mirror=True, image_size=source.image_size)
    assert plain.tracked.pose is frames[0].pose and plain.tracked.landmarks is None
    assert np.allclose(mirror.tracked.pose.positions, pose.mirrored().positions, equal_nan=True)

    with_picture = frames[0].__class__(0, 0.0, photo_rgb, pose)
    once_frame, once = mirrored(with_picture, Tracked(pose), photo_rgb.shape[1])
    twice_frame, twice = mirrored(once_frame, once, photo_rgb.shape[1])
    assert np.array_equal(twice_frame.rgb, photo_rgb)
    assert np.allclose(twice.pose.positions, pose.positions, equal_nan=True)
    assert np.allclose(twice_frame.pose.positions, pose.positions, equal_nan=True)


def test_a_video_is_tracked_frame_by_frame_in_order(clip):
    from poseanim.tracking.mediapipe_tracker import MediaPipeTracker

    with open_frame_source(SourceSpec.for_path(clip)) as video, \
            MediaPipeTracker(video=True) as tracker:
        results = list(track_frames(video.frames(), tracker))
    assert [result.frame.index for result in results] == [0, 1, 2, 3]
    assert all(result.tracked.pose is not None for result in results)
    # the clip shifts the person right by 3 px a frame: the tracked nose follows
    noses = [result.tracked.pose.position("nose4")[0] for result in results]
    assert noses[-1] > noses[0]


def test_the_pipeline_is_public_api(tmp_path):
    import poseanim

    track_path = write_wave_track(tmp_path / "wave.json", frames=3)
    with poseanim.open_frame_source(poseanim.SourceSpec.for_path(track_path)) as source:
        frames = list(poseanim.track_frames(source.frames(), None))
    assert [type(frame) for frame in frames] == [poseanim.TrackedFrame] * 3
    assert isinstance(frames[0].tracked, poseanim.Tracked)
