"""The recorded-pose JSON format: round trip and clear errors."""

import json

import numpy as np
import pytest

from poseanim.errors import PoseanimError
from poseanim.tracking.track_file import PoseTrack, load_track, save_track, track_writer


def test_round_trip_keeps_positions_scores_and_empty_frames(tmp_path, tracked_pose):
    track = PoseTrack((512, 512), 25.0, [tracked_pose, None], [0.0, 0.04], "astronaut.jpg")
    path = save_track(track, tmp_path / "t.json")
    loaded = load_track(path)
    assert loaded.image_size == (512, 512) and loaded.fps == 25.0
    assert loaded.frames[1] is None and loaded.times == [0.0, 0.04]
    np.testing.assert_allclose(loaded.frames[0].positions, tracked_pose.positions, atol=0.006)
    np.testing.assert_allclose(loaded.frames[0].scores, tracked_pose.scores, atol=0.0006)
    data = json.loads(path.read_text())
    assert data["format"] == "poseanim-track" and data["version"] == 2
    assert len(data["frames"][0]["joints"]["nose4"]) == 3


@pytest.mark.parametrize("content, message", [
    ("{", "not valid JSON"),
    ('{"format": "other"}', "not a poseanim track file"),
    ('{"format": "poseanim-track", "version": 9}', "version 9"),
    ('{"format": "poseanim-track", "version": 1, "image_size": [1, 1], "frames": []}', "no frames"),
    ('{"format": "poseanim-track", "version": 1, "image_size": [1, 1], "frames": [{"joints": {"nose4": [1]}}]}',
     "malformed"),
    ('{"format": "poseanim-track", "version": 1, "image_size": [1, 1], "frames": [{"joints": {"nose9": [1, 2, 1]}}]}',
     "unknown joint 'nose9'"),
])
def test_bad_track_files(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(PoseanimError, match=message):
        load_track(path)


_HEADER = '{{"format": "poseanim-track", "version": 2, "image_size": {size}, "fps": {fps}, "frames": [{frame}]}}'
_FRAME = '{"time": 0.0, "joints": null}'


@pytest.mark.parametrize("size, fps, frame, message", [
    ("[640, 480]", "NaN", _FRAME, "header: fps is nan"),
    ("[640, 480]", "Infinity", _FRAME, "header: fps is inf"),
    ("[640, 480]", "1e-06", _FRAME, "header: fps is 1e-06; .* between 1 and 1000"),
    ("[640, 480]", "-30", _FRAME, "header: fps is -30"),
    ("[640, 480]", "5000", _FRAME, "header: fps is 5000"),
    ("[0, 480]", "30", _FRAME, "header: image_size is 0×480"),
    ("[640, -1]", "30", _FRAME, "header: image_size is 640×-1"),
    ("[640, 480]", "30", '{"time": NaN, "joints": null}', "frame 0: its time is nan"),
    ("[640, 480]", "30", _FRAME + ', {"time": -Infinity, "joints": null}', "frame 1: its time is -inf"),
    ("[Infinity, 480]", "30", _FRAME, "malformed"),
])
@pytest.mark.parametrize("layout", ["one line", "poseanim's"])
def test_a_header_no_recording_has_is_refused_in_one_line(tmp_path, size, fps, frame, message, layout):
    text = _HEADER.format(size=size, fps=fps, frame=frame)
    if layout == "poseanim's":  # read a frame at a time
        text = text.replace('"frames": [', '\n  "frames": [\n    ').replace("]}", "\n  ]\n}\n")
        text = text.replace("}, {", "},\n    {")
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(PoseanimError, match=message) as refused:
        load_track(path)
    assert "\n" not in str(refused.value) and str(refused.value).startswith(str(path))


@pytest.mark.parametrize("fps", ["1", "1000", "29.97", "null"])
def test_frame_rates_in_range_and_photos_are_read(tmp_path, fps):
    path = tmp_path / "ok.json"
    path.write_text(_HEADER.format(size="[1, 1]", fps=fps, frame=_FRAME))
    assert load_track(path).fps == (None if fps == "null" else float(fps))


def test_missing_track_file():
    with pytest.raises(PoseanimError, match="no such track file"):
        load_track("/nonexistent/t.json")


def test_a_track_written_frame_by_frame_is_the_file_save_track_writes(tmp_path, tracked_pose):
    frames, times = [tracked_pose, None, tracked_pose.mirrored()], [0.0, 0.04, 0.08]
    with track_writer(tmp_path / "streamed.json", (512, 512), 25.0, "clip.mp4") as writer:
        for pose, time in zip(frames, times):
            writer.add(pose, time)
        assert not (tmp_path / "streamed.json").exists()  # only complete files appear
    saved = save_track(PoseTrack((512, 512), 25.0, frames, times, "clip.mp4"), tmp_path / "s.json")
    assert (tmp_path / "streamed.json").read_text() == saved.read_text()
    assert writer.frames == 3 and writer.found == 2


def test_a_track_writer_that_fails_leaves_nothing(tmp_path, tracked_pose):
    with pytest.raises(PoseanimError, match="nobody"):
        with track_writer(tmp_path / "t.json", (512, 512), 25.0) as writer:
            writer.add(None, 0.0)
            raise PoseanimError("nobody")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("layout", [
    lambda data: json.dumps(data),                       # one line
    lambda data: json.dumps(data, indent=4),             # every value on its own line
    lambda data: json.dumps(data, indent=1).replace("\n  ]", "]"),  # frames close on a line
])
def test_other_layouts_read_as_poseanims_own(tmp_path, tracked_pose, layout):
    track = PoseTrack((512, 512), 25.0, [tracked_pose, None, tracked_pose], [0.0, 0.04, 0.08],
                      "clip.mp4")
    own = load_track(save_track(track, tmp_path / "own.json"))  # read a frame at a time
    other = tmp_path / "other.json"
    other.write_text(layout(json.loads((tmp_path / "own.json").read_text())))
    loaded = load_track(other)
    assert loaded.times == own.times and loaded.image_size == own.image_size
    assert [f is None for f in loaded.frames] == [f is None for f in own.frames]
    np.testing.assert_array_equal(loaded.frames[2].positions, own.frames[2].positions)


def test_a_damaged_frame_line_is_reported_as_bad_json(tmp_path, tracked_pose):
    path = save_track(PoseTrack((512, 512), 25.0, [tracked_pose] * 3, [0.0, 0.04, 0.08]),
                      tmp_path / "t.json")
    lines = path.read_text().splitlines()
    second = [i for i, line in enumerate(lines) if line.startswith('    {"time"')][1]
    lines[second] = lines[second][: len(lines[second]) // 2]  # a frame cut in half
    path.write_text("\n".join(lines))
    with pytest.raises(PoseanimError, match="not valid JSON"):
        load_track(path)


def test_depth_is_recorded_and_read_back_and_old_files_have_none(tmp_path, tracked_pose):
    assert tracked_pose.depth is not None  # MediaPipe gives each body joint a depth
    path = save_track(PoseTrack((512, 512), None, [tracked_pose], [0.0], None), tmp_path / "d.json")
    joints = json.loads(path.read_text())["frames"][0]["joints"]
    body = np.isfinite(tracked_pose.depth)
    assert len(joints["leftWrist"]) == 4 and len(joints["nose4"]) == 3
    depth = load_track(path).frames[0].depth
    np.testing.assert_allclose(depth[body], tracked_pose.depth[body], atol=0.006)
    assert np.isnan(depth[~body]).all()
    old = tmp_path / "old.json"
    old.write_text('{"format": "poseanim-track", "version": 1, "image_size": [9, 9], '
                   '"frames": [{"joints": {"leftWrist": [1, 2, 0.9]}}]}')
    assert load_track(old).frames[0].depth is None


def test_a_recorded_arm_crossing_in_front_is_layered_in_front(tmp_path):
    """Layering from `--track`: the depth recorded with the pose brings the forearm forward."""
    from dataclasses import replace

    from poseanim.illustration import load_illustration
    from poseanim.rig.tables import JOINT_NAMES, KEYPOINT_INDEX
    from poseanim.rigging.sample_poses import pose_named

    ada = load_illustration("ada")
    rest = ada.rest_joints
    pose = pose_named("arms crossed", {n: rest[i] for i, n in enumerate(JOINT_NAMES)
                                       if np.isfinite(rest[i]).all()}, (600, 900))
    depth = np.where(np.isfinite(pose.positions[:, 0]), 0.0, np.nan)
    depth[[KEYPOINT_INDEX["leftElbow"], KEYPOINT_INDEX["leftWrist"]]] = -80.0
    path = save_track(PoseTrack((600, 900), 30.0, [replace(pose, depth=depth), pose], [0, 1 / 30],
                                None), tmp_path / "crossed.json")
    in_front, no_depth = load_track(path).frames
    assert ada.pose(in_front).order is not None
    assert ada.pose(no_depth).order is None
