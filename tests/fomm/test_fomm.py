"""The FOMM raster mode (poseanim/fomm, `poseanim fomm`) with seeded random weights.

The published checkpoints cannot be downloaded here, so a checkpoint in the authors' layout
is built from seeded random weights, saved the way the releases are (legacy pickle format),
and loaded back through the public API and the CLI. What the model does (keypoints, relative
and absolute motion, streaming, loading and its errors) does not depend on the layer sizes,
so these tests run the published blocks shrunk (`tiny_fomm`: 64-pixel frames, four keypoints,
a few channels), in seconds; the command-line tests let the published names stand for that
layout (`use_tiny_fomm`). One test, marked slow, runs the full-size vox-256 model: its
checkpoint layout against the authors' and its equality with the plain networks. Driving
clips are warps of the real astronaut photo. Needs torch (the `fomm` extra); skipped without it.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")
cv2 = pytest.importorskip("cv2")

from conftest import DATA, PHOTO  # noqa: E402
from fomm_checkpoint import hide_torch, published_keys, save_legacy, tiny_fomm  # noqa: E402
from fomm_checkpoint import saved_tiny_fomm, tiny_fomm_checkpoint, use_tiny_fomm  # noqa: E402
from video_factory import read_clip, write_video  # noqa: E402

from poseanim.errors import PoseanimError  # noqa: E402
from poseanim.fomm import CONFIGS, FommModel, load_checkpoint, random_checkpoint  # noqa: E402
from poseanim.fomm.checkpoint import build_networks, load_state  # noqa: E402
from poseanim.fomm.face_crop import FaceMeshFinder, best_frame, square_around  # noqa: E402
from poseanim.fomm.frames import to_model  # noqa: E402
from poseanim.raster.video import frame_faces  # noqa: E402
from poseanim.video_source import ffmpeg_executable  # noqa: E402

pytestmark = pytest.mark.fomm

TINY = tiny_fomm()

KEYS_TSV = DATA / "fomm" / "keys_vox256.tsv"
"""The authors' state-dict keys, shapes and dtypes (tests/data/fomm/README.md)."""


def _warp(
    photo: np.ndarray, angle: float, zoom: float, shift: tuple[float, float], size: int
) -> np.ndarray:
    """The photo rotated, zoomed and shifted about the face, resized to size × size (uint8 RGB)."""
    matrix = cv2.getRotationMatrix2D((256.0, 190.0), angle, zoom)
    matrix[:, 2] += shift
    moved = cv2.warpAffine(photo, matrix, photo.shape[1::-1], borderMode=cv2.BORDER_REFLECT)
    return cv2.resize(moved, (size, size), interpolation=cv2.INTER_AREA)


@pytest.fixture(scope="module")
def photo(photo_rgb) -> np.ndarray:
    """The astronaut (conftest's photo)."""
    return photo_rgb


@pytest.fixture(scope="module")
def source(photo) -> np.ndarray:
    """The astronaut, (512, 512, 3) float32 in [0, 1]."""
    return photo.astype(np.float32) / 255.0


@pytest.fixture(scope="module")
def driving_uint8(photo) -> list[np.ndarray]:
    """Three 320×320 frames of the head turning, growing and moving, none like the photo."""
    return [_warp(photo, 8.0 * t - 10.0, 0.8 + 0.2 * t, (8.0 * t, -5.0 * t), 320) for t in range(3)]


@pytest.fixture(scope="module")
def driving(driving_uint8) -> np.ndarray:
    """(3, 320, 320, 3) float32 in [0, 1]."""
    return np.stack(driving_uint8).astype(np.float32) / 255.0


@pytest.fixture(scope="module")
def checkpoint() -> dict:
    return tiny_fomm_checkpoint()


@pytest.fixture(scope="module")
def checkpoint_path(tmp_path_factory) -> Path:
    return saved_tiny_fomm(tmp_path_factory.mktemp("fomm"))


@pytest.fixture(scope="module")
def model(checkpoint_path) -> FommModel:
    return load_checkpoint(checkpoint_path, config=TINY)


@pytest.fixture(scope="module")
def animated(model, source, driving) -> np.ndarray:
    """The default animation (relative, adapted scale) of the three driving frames."""
    return model.animate(source, driving)


# --- checkpoint format ---------------------------------------------------------------------


def _layout(checkpoint: dict, part: str) -> list[tuple[str, str, str]]:
    return [
        (key, str(tuple(value.shape)), str(value.dtype).removeprefix("torch."))
        for key, value in checkpoint[part].items()
    ]


def test_zip_format_with_data_parallel_prefix_loads_the_same(checkpoint, model, tmp_path):
    resaved = {
        part: (
            {f"module.{key}": value for key, value in state.items()}
            if part in ("kp_detector", "generator")
            else state
        )
        for part, state in checkpoint.items()
    }
    path = tmp_path / "resaved.pth"
    torch.save(resaved, path)
    assert path.read_bytes()[:2] == b"PK"
    again = load_checkpoint(path, TINY)
    for ours, theirs in (
        (again.kp_detector, model.kp_detector),
        (again.generator, model.generator),
    ):
        expected = theirs.state_dict()
        assert all(torch.equal(value, expected[key]) for key, value in ours.state_dict().items())


# --- animation -----------------------------------------------------------------------------


def test_animation_shape_range_and_content(animated, driving):
    assert animated.shape == (len(driving), 64, 64, 3)
    assert animated.dtype == np.float32
    assert animated.min() >= 0.0 and animated.max() <= 1.0
    # an image, not a constant (the tiny layout's damped last layer spreads its outputs
    # less, std 0.011 here; the full-size test asks 0.05 of vox-256)
    assert animated.std() > 0.005
    assert np.abs(animated[2] - animated[0]).mean() > 1e-3  # the motion changes the frames


def test_stream_equals_batch_and_runs_are_deterministic(model, source, driving, animated):
    stream = model.start(source)
    streamed = np.stack([stream.step(frame) for frame in driving])
    np.testing.assert_array_equal(streamed, animated)  # bit for bit: a second run, same frames


def _plain_frame(config, checkpoint: dict, source: np.ndarray, frame: np.ndarray) -> np.ndarray:
    """One absolute frame from the networks as built (no fusing, no cache), as the demo runs."""
    kp_detector, generator = build_networks(config)
    load_state(kp_detector, checkpoint["kp_detector"], "test")
    load_state(generator, checkpoint["generator"], "test")
    size = config.frame_size
    with torch.no_grad():
        source_tensor = to_model(source, size, "source")
        prediction = generator(
            source_tensor,
            kp_detector(to_model(frame, size, "driving")),
            kp_detector(source_tensor),
        )
    return prediction[0].permute(1, 2, 0).numpy()


def test_optimised_model_equals_the_plain_networks(model, checkpoint, source, driving):
    """Fused batch norms, channels-last and the cached source encoding change nothing beyond
    float rounding: compare with the networks as built, run frame by frame as the demo does."""
    plain = _plain_frame(TINY, checkpoint, source, driving[1])
    ours = model.animate(source, driving[1:2], relative=False)[0]
    assert np.abs(ours - plain).max() < 1e-4


@pytest.mark.slow
def test_full_size_model_has_the_published_layout_and_equals_the_plain_networks(
    source, driving, tmp_path
):
    """The one full-size test: vox-256's checkpoint has the authors' keys, shapes and dtypes,
    loads from the legacy file by its name, and animates as the plain networks do."""
    checkpoint = random_checkpoint("vox-256", seed=0)
    expected = published_keys(KEYS_TSV)
    for part in ("kp_detector", "generator"):
        assert _layout(checkpoint, part) == expected[part], part
    model = load_checkpoint(save_legacy(checkpoint, tmp_path / "vox-cpk.pth.tar"), "vox-256")
    ours = model.animate(source, driving[1:2], relative=False)[0]
    assert ours.shape == (256, 256, 3) and ours.std() > 0.05
    plain = _plain_frame(CONFIGS["vox-256"], checkpoint, source, driving[1])
    assert np.abs(ours - plain).max() < 1e-4


def test_first_relative_frame_has_the_source_keypoints(model, source, driving):
    stream = model.start(source, relative=True)
    first = stream.keypoints(driving[0])
    torch.testing.assert_close(first.value, stream.source_keypoints.value, atol=1e-6, rtol=0)
    torch.testing.assert_close(first.jacobian, stream.source_keypoints.jacobian, atol=1e-5, rtol=0)
    # while the detector itself puts the driving frame's keypoints elsewhere
    detected = model.keypoints_of(driving[0])
    assert (detected.value - stream.source_keypoints.value).abs().max() > 0.01


def test_absolute_mode_uses_the_driving_keypoints(model, source, driving, animated):
    stream = model.start(source, relative=False)
    for frame in driving[:2]:
        torch.testing.assert_close(
            stream.keypoints(frame).value, model.keypoints_of(frame).value, atol=0, rtol=0
        )
    absolute = model.animate(source, driving[:1], relative=False, adapt_scale=True)
    np.testing.assert_array_equal(
        absolute, model.animate(source, driving[:1], relative=False, adapt_scale=False)
    )
    assert np.abs(absolute[0] - animated[0]).mean() > 1e-3


def test_adapted_scale_follows_the_keypoint_hull_areas(model, source, driving):
    source_kp = model.keypoints_of(source).value[0].numpy()
    first_kp = model.keypoints_of(driving[0]).value[0].numpy()
    # OpenCV's hull as an independent reference for the area ratio
    area = lambda points: cv2.contourArea(cv2.convexHull(points.astype(np.float32)))  # noqa: E731
    expected_scale = np.sqrt(area(source_kp)) / np.sqrt(area(first_kp))
    stream = model.start(source, adapt_scale=True)
    stream.keypoints(driving[0])  # the reference
    moved = stream.keypoints(driving[2])
    assert stream.scale == pytest.approx(expected_scale, rel=1e-4)
    assert abs(stream.scale - 1.0) > 0.01
    displacement = model.keypoints_of(driving[2]).value - model.keypoints_of(driving[0]).value
    torch.testing.assert_close(
        moved.value - stream.source_keypoints.value, displacement * stream.scale, atol=1e-5, rtol=0
    )
    unscaled = model.start(source, adapt_scale=False)
    unscaled.keypoints(driving[0])
    torch.testing.assert_close(
        unscaled.keypoints(driving[2]).value - unscaled.source_keypoints.value,
        displacement,
        atol=1e-5,
        rtol=0,
    )
    assert unscaled.scale == 1.0


def test_best_frame_start_joins_backward_and_forward_runs(model, source, driving):
    joined = model.animate(source, driving, start_frame=1)
    backward = model.animate(source, driving[1::-1])  # frames 1, 0 with frame 1 as reference
    forward = model.start(source)
    forward.set_reference(driving[1])
    np.testing.assert_array_equal(joined[:2], backward[::-1])
    np.testing.assert_array_equal(joined[2], forward.step(driving[2]))


def test_other_weights_animate_differently(checkpoint_path, source, driving, animated, tmp_path):
    other = save_legacy(random_checkpoint(TINY, seed=1), tmp_path / "other.pth.tar")
    assert np.abs(load_checkpoint(other, TINY).animate(source, driving) - animated).mean() > 1e-3


def test_set_reference_replaces_the_first_frame(model, source, driving, animated):
    stream = model.start(source)
    stream.set_reference(driving[0])
    np.testing.assert_array_equal(stream.step(driving[2]), animated[2])


@pytest.mark.parametrize(
    ("image", "message"),
    [
        (np.zeros((64, 64, 3), np.uint8), "divide 8-bit images by 255"),
        (np.zeros((64, 64), np.float32), "RGB array"),
        (np.full((64, 64, 3), 2.0, np.float32), r"in \[0, 1\]"),
        (np.full((64, 64, 3), np.nan, np.float32), "finite"),
    ],
)
def test_bad_images_are_rejected_at_the_api(model, driving, image, message):
    with pytest.raises(PoseanimError, match=message):
        model.animate(image, driving[:1])


def test_empty_driving_is_rejected(model, source):
    with pytest.raises(PoseanimError, match="no frames"):
        model.animate(source, np.zeros((0, 256, 256, 3), np.float32))


@pytest.fixture(scope="module")
def clip(driving_uint8, tmp_path_factory) -> Path:
    """The driving frames as an MP4 file."""
    return write_video(tmp_path_factory.mktemp("clip") / "clip.mp4", driving_uint8)


# --- faces ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def faces(photo, driving_uint8):
    with FaceMeshFinder() as finder:
        return finder.find(photo), [finder.find(frame) for frame in driving_uint8]


@pytest.mark.parametrize("side, canvas", [(160, 720), (300, 1280)])
def test_a_small_face_the_pose_tracker_follows_is_found_for_cropping(photo, side, canvas):
    """Face Mesh's own detector misses a face this small in the whole frame (what
    `--crop-faces` saw in a full-body clip); the finder then looks where Pose puts the head."""
    frame = np.full((canvas, canvas, 3), 96, np.uint8)
    offset = (canvas - side) // 2
    frame[offset:offset + side, offset:offset + side] = cv2.resize(
        photo, (side, side), interpolation=cv2.INTER_AREA)
    with FaceMeshFinder() as finder:
        face = finder.find(frame)
    assert face is not None
    scale = side / photo.shape[0]
    with FaceMeshFinder() as finder:
        big = finder.find(photo)
    expected = big * scale + offset  # the same face, where it was pasted
    assert np.abs(face.mean(axis=0) - expected.mean(axis=0)).max() < 0.05 * side


def test_face_square_holds_the_face_inside_the_image(photo, faces):
    face = faces[0]
    box = square_around([face], *photo.shape[:2])
    assert box.left >= 0 and box.left + box.size <= photo.shape[1]
    assert box.top >= 0 and box.top + box.size <= photo.shape[0]
    low, high = face.min(axis=0), face.max(axis=0)
    assert box.left <= low[0] and high[0] <= box.left + box.size
    assert box.top <= low[1] and high[1] <= box.top + box.size
    assert box.crop(photo).shape == (box.size, box.size, 3)


def test_best_frame_picks_the_face_shaped_like_the_source(photo, faces):
    source_face, driving_faces = faces
    assert all(face is not None for face in driving_faces)
    # a zoomed copy of the source face has the same normalised shape; a turned head does not
    same_but_bigger = (source_face - 100.0) * 1.7
    assert best_frame(source_face, [driving_faces[2], None, same_but_bigger, driving_faces[1]]) == 2
    with pytest.raises(PoseanimError, match="no face found"):
        best_frame(source_face, [None, None])


def test_frame_faces_starts_from_the_frame_posed_like_the_photo(photo, clip):
    # the clip's head turns -10°, -2°, +6° and grows 0.8×, 1×, 1.2×: frame 1 is the photo's pose
    for crop in (False, True):
        framing = frame_faces(photo, clip, CONFIGS["vox-256"], crop=crop, find_best_frame=True)
        assert framing.start_frame == 1
        assert (framing.source_box is not None) == crop
    with pytest.raises(PoseanimError, match="need a face model"):
        frame_faces(photo, clip, CONFIGS["taichi-256"], crop=True, find_best_frame=False)


# --- command line --------------------------------------------------------------------------


@pytest.fixture
def fomm(run_cli, checkpoint_path, clip, monkeypatch):
    """Run `poseanim fomm` with the test checkpoint; the photo and the clip unless overridden.
    The published config names stand for the tiny layout (`--config` takes names only)."""
    use_tiny_fomm(monkeypatch)

    def run(output: Path, *options: str, source: Path = PHOTO, driving: Path = clip):
        return run_cli("fomm", "--source", source, "--driving", driving,
                       "--checkpoint", checkpoint_path, "-o", output, *options)  # fmt: skip

    return run


def test_cli_writes_the_animation(fomm, tmp_path, animated):
    output = tmp_path / "out.mp4"
    code, out, err = fomm(output, "--threads", "2")
    assert code == 0, err
    assert str(output) in out and "3 frames, 64×64" in out
    assert "animating" in err and "3/3 frames" in err
    frames = read_clip(output, rgb=False)
    assert len(frames) == 3 and frames[0].shape == (64, 64, 3)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.mp4"]  # no scratch files left
    # the video holds the API's frames up to compression (of the driving clip too: loosely)
    decoded = np.stack([cv2.cvtColor(f, cv2.COLOR_BGR2RGB) for f in frames]) / 255.0
    assert np.abs(decoded - animated).mean() < 0.08


def test_cli_absolute_taichi_to_png_frames(fomm, tmp_path):
    output = tmp_path / "frames"
    code, out, err = fomm(output, "--absolute", "--no-adapt-scale", "--config", "taichi-256")
    assert code == 0, err
    names = sorted(p.name for p in output.iterdir())
    assert names == ["frame_000001.png", "frame_000002.png", "frame_000003.png"]
    assert cv2.imread(str(output / names[0])).shape == (64, 64, 3)


def test_cli_face_crop_paste_back_and_best_frame(fomm, tmp_path, photo):
    output = tmp_path / "faces.mp4"
    code, out, err = fomm(output, "--crop-faces", "--paste-back", "--best-frame")
    assert code == 0, err
    assert "finding faces" in err
    frames = read_clip(output, rgb=False)
    assert len(frames) == 3 and frames[0].shape == photo.shape
    # outside the face square the photo is untouched (up to compression)
    corner = cv2.cvtColor(frames[0], cv2.COLOR_BGR2RGB)[400:, :100].astype(float)
    assert np.abs(corner - photo[400:, :100]).mean() < 6


@pytest.mark.parametrize("faceless", ["driving", "source"])
def test_cli_faces_needed_but_not_found(fomm, photo, tmp_path, faceless):
    # the shuttle and flag corner of the same photo: real pixels, no face
    shuttle = np.ascontiguousarray(photo[:256, 256:])
    inputs = {}
    if faceless == "driving":
        inputs["driving"] = write_video(tmp_path / "shuttle.mp4", [shuttle] * 2)
        expected = "no face found in any frame of"
    else:
        inputs["source"] = tmp_path / "shuttle.png"
        cv2.imwrite(str(inputs["source"]), cv2.cvtColor(shuttle, cv2.COLOR_RGB2BGR))
        expected = "no face found in the source photo"
    output = tmp_path / "out.mp4"
    code, _, err = fomm(output, "--best-frame", **inputs)
    assert code == 1
    assert expected in err
    assert not output.exists()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--checkpoint", "{tmp}/missing.pth.tar"], "checkpoint not found"),
        (["--driving", "{tmp}/missing.mp4"], "missing.mp4: no such file"),
        (["--source", "{tmp}/missing.jpg"], "missing.jpg: no such file"),
        (["-o", "{tmp}/out.avi"], "cannot write '.avi' video"),
        (["-o", "{tmp}/out.svg"], "the raster mode makes pictures, not a animated SVG"),
        (["--config", "taichi-256", "--crop-faces"], "need a face model"),
        (["--config", "vox-512"], "unknown FOMM config"),
    ],
)
def test_cli_errors_are_one_line(fomm, tmp_path, options, message):
    # a repeated option overrides the fixture's (argparse keeps the last one)
    code, _, err = fomm(tmp_path / "out.mp4", *[option.format(tmp=tmp_path) for option in options])
    assert code == 1
    assert message in err
    assert err.count("\n") == 1 and err.startswith("poseanim: error: ")
    assert list(tmp_path.iterdir()) == []


def test_cli_interrupt_leaves_nothing_behind(fomm, tmp_path, monkeypatch):
    import poseanim.raster.video as video

    calls = []
    original = video.resize_like_demo

    def interrupt_on_second_frame(image, size):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return original(image, size)

    monkeypatch.setattr(video, "resize_like_demo", interrupt_on_second_frame)
    (tmp_path / "out.mp4").write_bytes(b"an older result")
    code, _, _ = fomm(tmp_path / "out.mp4")
    assert code == 130
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.mp4"]
    assert (tmp_path / "out.mp4").read_bytes() == b"an older result"


def test_cli_without_torch_explains_the_extra(run_cli, monkeypatch):
    hide_torch(monkeypatch)
    code, _, err = run_cli("fomm")
    assert code == 1
    assert 'pip install "poseanim[fomm]"' in err
    code, out, _ = run_cli("--help")
    assert code == 0 and "fomm" in out
    code, out, _ = run_cli("fomm", "--help")
    assert code == 0 and "--checkpoint" in out


def test_cli_keeps_the_audio(fomm, clip, tmp_path):
    ffmpeg = ffmpeg_executable()
    talk = tmp_path / "talk.mp4"
    tone = ["-f", "lavfi", "-i", "sine=frequency=440:duration=1"]
    # the tone outlasts the 0.3 s clip, as a recording's sound usually does
    subprocess.run([ffmpeg, "-v", "error", "-i", str(clip), *tone, "-c:v", "copy", "-c:a", "aac",
                    str(talk)], check=True)  # fmt: skip

    def streams(path: Path) -> str:
        return subprocess.run([ffmpeg, "-i", str(path)], capture_output=True, text=True).stderr

    assert "Audio:" in streams(talk)
    output = tmp_path / "out.mp4"
    code, _, err = fomm(output, driving=talk)
    assert code == 0, err
    assert "Audio: aac" in streams(output) and len(read_clip(output, rgb=False)) == 3
    code, _, err = fomm(output, "--no-audio", driving=talk)
    assert code == 0, err
    assert "Audio:" not in streams(output) and "Video:" in streams(output)
