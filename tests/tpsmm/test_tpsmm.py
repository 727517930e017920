"""The TPSMM raster mode's model (poseanim/tpsmm) with seeded random weights.

The published checkpoints cannot be downloaded here, so checkpoints in the authors' layout
are built from seeded random weights, saved with torch.save as the authors' training script
does, and loaded back through the public API. A small configuration (64², narrow networks)
keeps the tests quick; one test runs the full vox-256 size (marked slow). Parts of the model
are checked against independent re-derivations: the anti-aliased downsampling against a
direct blur and decimation, the folded/channels-last path against the plain networks (the TPS
solve against a float64 numpy solution: `test_tps`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")
cv2 = pytest.importorskip("cv2")

from fomm_checkpoint import saved_small_tpsmm, small_tpsmm, small_tpsmm_checkpoint  # noqa: E402

from poseanim.errors import PoseanimError  # noqa: E402
from poseanim.tpsmm import TpsmmModel, load_checkpoint  # noqa: E402
from poseanim.tpsmm import random_checkpoint  # noqa: E402
from poseanim.tpsmm.checkpoint import build_networks, check_entries, load_networks  # noqa: E402

pytestmark = pytest.mark.fomm

SMALL = small_tpsmm()
"""The published layout scaled down (`fomm_checkpoint.small_tpsmm`)."""


def _warp(photo: np.ndarray, angle: float, zoom: float, shift: tuple[float, float]) -> np.ndarray:
    """The photo rotated, zoomed and shifted about the face, as float in [0, 1], 200×200."""
    matrix = cv2.getRotationMatrix2D((256.0, 190.0), angle, zoom)
    matrix[:, 2] += shift
    moved = cv2.warpAffine(photo, matrix, photo.shape[1::-1], borderMode=cv2.BORDER_REFLECT)
    return cv2.resize(moved, (200, 200), interpolation=cv2.INTER_AREA).astype(np.float32) / 255.0


@pytest.fixture(scope="module")
def photo(photo_rgb) -> np.ndarray:
    """The astronaut (conftest's photo)."""
    return photo_rgb


@pytest.fixture(scope="module")
def source(photo) -> np.ndarray:
    return photo.astype(np.float32) / 255.0


@pytest.fixture(scope="module")
def driving(photo) -> np.ndarray:
    """(4, 200, 200, 3): the head turning, growing and moving, none like the photo."""
    return np.stack(
        [_warp(photo, 8.0 * t - 10.0, 0.8 + 0.15 * t, (8.0 * t, -5.0 * t)) for t in range(4)]
    )


@pytest.fixture(scope="module")
def checkpoint() -> dict:
    return small_tpsmm_checkpoint()


@pytest.fixture(scope="module")
def checkpoint_path(tmp_path_factory) -> Path:
    return saved_small_tpsmm(tmp_path_factory.mktemp("tpsmm"))


@pytest.fixture(scope="module")
def model(checkpoint_path) -> TpsmmModel:
    return load_checkpoint(checkpoint_path, SMALL)


@pytest.fixture(scope="module")
def plain(checkpoint) -> TpsmmModel:
    """The same weights without the CPU optimisations (no folding, contiguous layout)."""
    networks = build_networks(SMALL)
    for name in ("kp_detector", "dense_motion_network", "inpainting_network", "avd_network"):
        networks[name].load_state_dict(checkpoint[name])
    return TpsmmModel(
        SMALL,
        networks["kp_detector"],
        networks["dense_motion_network"],
        networks["inpainting_network"],
        networks["avd_network"],
        optimise=False,
    )


@pytest.fixture(scope="module")
def animated(model, source, driving) -> np.ndarray:
    return model.animate(source, driving)


# --- the model against independent re-derivations ------------------------------------------


def test_downsampling_is_a_gaussian_blur_then_every_fourth_pixel(model):
    down = model.dense_motion_network.down
    image = torch.rand(1, 3, 64, 64)
    kernel = down.weight[0, 0].numpy().astype(np.float64)
    padded = np.pad(image[0].numpy().astype(np.float64), ((0, 0), (6, 6), (6, 6)))
    blurred = np.stack([cv2.filter2D(channel, -1, kernel, borderType=cv2.BORDER_CONSTANT,
                                     anchor=(6, 6))[6:-6, 6:-6] for channel in padded])
    np.testing.assert_allclose(down(image)[0].numpy(), blurred[:, ::4, ::4], atol=1e-5)


# 6-15 s of CPU each on an idle machine: the full suite runs them.
@pytest.mark.slow
def test_optimised_model_equals_the_plain_networks(model, plain, source, driving):
    # float32 rounding of the folded layers (1e-6 in the keypoints) grows through the TPS
    # solves and the motion hourglass to 1e-5 … 1.4e-3 depending on the random weights and
    # the CPU's BLAS (1.37e-3 in "standard" on an AMD EPYC): under half an 8-bit level, so
    # the written frames differ by one level at most
    half_a_level = 0.5 / 255
    for mode in ("relative", "standard", "avd"):
        ours = model.animate(source, driving[:2], mode=mode)
        theirs = plain.animate(source, driving[:2], mode=mode)
        assert np.abs(ours - theirs).max() < half_a_level, mode
    np.testing.assert_allclose(model.keypoints_of(source), plain.keypoints_of(source), atol=1e-5)


# --- animation modes -----------------------------------------------------------------------


def test_animation_shape_range_and_content(animated, driving):
    assert animated.shape == (len(driving), 64, 64, 3)
    assert animated.dtype == np.float32
    assert np.isfinite(animated).all() and 0.0 <= animated.min() and animated.max() <= 1.0
    assert animated.std() > 0.02  # not a flat picture
    assert np.abs(animated[0] - animated[-1]).mean() > 1e-3  # the frames move


def test_relative_mode_follows_the_demo_formula(model, source, driving):
    stream = model.start(source, mode="relative")
    first = stream.keypoints(driving[0])
    np.testing.assert_allclose(first, stream.source_keypoints, atol=1e-6)
    later = stream.keypoints(driving[2])
    kp_source = stream.source_keypoints[0].numpy()
    kp_first = model.keypoints_of(driving[0])[0].numpy()
    kp_later = model.keypoints_of(driving[2])[0].numpy()
    # the demo's scale: sqrt of the convex-hull areas (OpenCV's hull as the independent one)
    area = lambda p: cv2.contourArea(cv2.convexHull(p.astype(np.float32)))  # noqa: E731
    scale = np.sqrt(area(kp_source)) / np.sqrt(area(kp_first))
    assert stream.scale == pytest.approx(scale, rel=1e-5)
    np.testing.assert_allclose(later[0], (kp_later - kp_first) * scale + kp_source, atol=1e-5)


@pytest.mark.slow
def test_relative_equals_standard_when_the_source_is_the_first_driving_frame(model, driving):
    relative = model.animate(driving[0], driving, mode="relative")
    standard = model.animate(driving[0], driving, mode="standard")
    assert np.abs(relative - standard).max() < 1e-5


@pytest.mark.slow
def test_standard_and_avd_modes_use_their_keypoints(model, source, driving):
    standard = model.start(source, mode="standard")
    np.testing.assert_array_equal(standard.keypoints(driving[1]), model.keypoints_of(driving[1]))
    avd = model.start(source, mode="avd")
    expected = model.avd_network(avd.source_keypoints, model.keypoints_of(driving[1]))
    np.testing.assert_allclose(avd.keypoints(driving[1]), expected, atol=1e-6)
    outputs = {mode: model.animate(source, driving[1:2], mode=mode)
               for mode in ("relative", "standard", "avd")}
    assert np.abs(outputs["avd"] - outputs["standard"]).mean() > 1e-4


@pytest.mark.slow
def test_stream_equals_batch_and_runs_are_deterministic(model, source, driving, animated):
    stream = model.start(source)
    np.testing.assert_array_equal(np.stack([stream.step(f) for f in driving]), animated)
    np.testing.assert_array_equal(model.animate(source, driving), animated)


@pytest.mark.slow
def test_best_frame_start_joins_backward_and_forward_runs(model, source, driving):
    joined = model.animate(source, driving, start_frame=2)
    backward = model.animate(source, driving[2::-1])
    forward = model.start(source)
    forward.set_reference(driving[2])
    np.testing.assert_array_equal(joined[:3], backward[::-1])
    np.testing.assert_array_equal(joined[3], forward.step(driving[3]))


def test_avd_without_an_avd_network_is_refused(checkpoint):
    """A checkpoint of the authors' train.py (no AVD network), loaded as read from its file
    (reading files: `test_checkpoint`)."""
    without = {k: v for k, v in checkpoint.items() if k not in ("avd_network", "optimizer_avd")}
    model = load_networks(check_entries(without, "no-avd.pth.tar"), SMALL, "no-avd.pth.tar")
    with pytest.raises(PoseanimError, match="avd_network.*use relative or standard"):
        model.start(np.zeros((64, 64, 3), np.float32), mode="avd")
    with pytest.raises(PoseanimError, match="unknown TPSMM mode 'absolute'"):
        model.start(np.zeros((64, 64, 3), np.float32), mode="absolute")


def test_data_parallel_prefix_loads_the_same(checkpoint, model, source, driving):
    """Networks saved from inside torch's DataParallel have every key prefixed `module.`."""
    resaved = {
        part: {f"module.{k}": v for k, v in state.items()} if isinstance(state, dict) and part != "epoch" and not part.startswith("optimizer") else state
        for part, state in checkpoint.items()
    }
    again = load_networks(check_entries(resaved, "resaved.pth"), SMALL, "resaved.pth")
    np.testing.assert_array_equal(again.animate(source, driving[:1]), model.animate(source, driving[:1]))


@pytest.mark.slow
def test_full_size_vox_checkpoint_animates(tmp_path, source, driving):
    path = tmp_path / "vox.pth.tar"
    torch.save(random_checkpoint("vox-256", seed=1), path)
    model = load_checkpoint(path)  # config inferred: the layout, then the file name
    assert model.config.name == "vox-256" and model.avd_network is not None
    frames = model.animate(source, driving[:2])
    assert frames.shape == (2, 256, 256, 3)
    assert np.isfinite(frames).all() and frames.std() > 0.02
