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

import pickle
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")
cv2 = pytest.importorskip("cv2")

from conftest import DATA  # noqa: E402

from poseanim.errors import PoseanimError  # noqa: E402
from poseanim.tpsmm import CONFIGS, TpsmmConfig, TpsmmModel, load_checkpoint  # noqa: E402
from poseanim.tpsmm import random_checkpoint  # noqa: E402
from poseanim.tpsmm.checkpoint import build_networks, infer_config  # noqa: E402
from poseanim.tpsmm.config import DenseMotionConfig, InpaintingConfig  # noqa: E402

pytestmark = pytest.mark.fomm

KEYS = DATA / "tpsmm"
"""keys_<config>.tsv: the authors' state-dict keys, shapes and dtypes per checkpoint entry."""

SMALL = TpsmmConfig(
    name="small-64",
    face=False,
    frame_size=64,
    num_tps=4,
    dense_motion=DenseMotionConfig(block_expansion=8, max_features=64, num_blocks=3),
    inpainting=InpaintingConfig(block_expansion=8, max_features=64),
)
"""The published layout scaled down: the same blocks and four occlusion masks, 64² frames,
fewer channels and a shallower motion hourglass (16² has only three halvings)."""


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
    return random_checkpoint(SMALL, seed=3)


@pytest.fixture(scope="module")
def checkpoint_path(checkpoint, tmp_path_factory) -> Path:
    """Saved as the authors' train_avd.py saves it: torch.save's (zip) format."""
    path = tmp_path_factory.mktemp("tpsmm") / "small.pth.tar"
    torch.save(checkpoint, path)
    return path


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


def _published(config: str) -> dict[str, list[tuple[str, str, str]]]:
    expected: dict[str, list[tuple[str, str, str]]] = {}
    part = ""
    for line in (KEYS / f"keys_{config}.tsv").read_text().splitlines():
        if line.startswith("## checkpoint['"):
            part = line.split("'")[1]
            expected[part] = []
        elif line and not line.startswith("#"):
            key, shape, dtype = line.split("\t")
            expected[part].append((key, shape, dtype))
    return expected


# --- checkpoint format ---------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_networks_have_the_published_keys_shapes_and_dtypes(name):
    expected = _published(name)
    with torch.device("meta"):  # shapes without allocating 75 M parameters per config
        networks = build_networks(CONFIGS[name])
    if not CONFIGS[name].background:
        assert "bg_predictor" not in expected
        del networks["bg_predictor"]
    assert set(networks) == set(expected)
    for part, network in networks.items():
        ours = [
            (key, str(tuple(value.shape)), str(value.dtype).removeprefix("torch."))
            for key, value in network.state_dict().items()
        ]
        assert ours == expected[part], part


def test_random_checkpoint_has_the_top_level_entries_of_train_avd(checkpoint):
    assert set(checkpoint) == {
        "inpainting_network", "dense_motion_network", "kp_detector", "avd_network",
        "bg_predictor", "optimizer", "optimizer_avd", "optimizer_bg_predictor", "epoch",
    }
    assert not set(random_checkpoint(SMALL, avd=False)) & {"avd_network", "optimizer_avd"}


def test_config_is_inferred_from_shapes_and_file_name(tmp_path):
    with torch.device("meta"):
        networks = build_networks(CONFIGS["vox-256"])
    states = {name: network.state_dict() for name, network in networks.items()}
    assert infer_config(tmp_path / "ted.pth.tar", states).name == "ted-384"
    assert infer_config(tmp_path / "taichi.pth.tar", states).name == "taichi-256"
    assert infer_config(tmp_path / "my-model.pth", states).name == "vox-256"
    without_background = {k: v for k, v in states.items() if k != "bg_predictor"}
    assert infer_config(tmp_path / "model.pth.tar", without_background).name == "mgif-256"


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
    # solves and the motion hourglass to 1e-5 … 1e-3 depending on the random weights: still
    # a fraction of one 8-bit level (3.9e-3)
    for mode in ("relative", "standard", "avd"):
        ours = model.animate(source, driving[:2], mode=mode)
        theirs = plain.animate(source, driving[:2], mode=mode)
        assert np.abs(ours - theirs).max() < 1e-3, mode
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


def test_avd_without_an_avd_network_is_refused(checkpoint, tmp_path):
    path = tmp_path / "no-avd.pth.tar"
    torch.save({k: v for k, v in checkpoint.items() if k not in ("avd_network", "optimizer_avd")},
               path)
    model = load_checkpoint(path, SMALL)
    with pytest.raises(PoseanimError, match="avd_network.*use relative or standard"):
        model.start(np.zeros((64, 64, 3), np.float32), mode="avd")
    with pytest.raises(PoseanimError, match="unknown TPSMM mode 'absolute'"):
        model.start(np.zeros((64, 64, 3), np.float32), mode="absolute")


# --- errors --------------------------------------------------------------------------------


def test_fomm_checkpoint_is_named_as_such(tmp_path):
    from poseanim.fomm import random_checkpoint as fomm_checkpoint

    path = tmp_path / "vox-cpk.pth.tar"
    torch.save(fomm_checkpoint("vox-256"), path)
    with pytest.raises(PoseanimError, match="is a First Order Motion Model checkpoint.*--model fomm"):
        load_checkpoint(path)


def test_tpsmm_checkpoint_given_to_fomm_is_named_as_such(checkpoint_path):
    from poseanim.fomm import load_checkpoint as load_fomm

    with pytest.raises(PoseanimError, match="is a Thin-Plate Spline.*--model tpsmm"):
        load_fomm(checkpoint_path)


def test_wrong_config_names_the_differing_keys(checkpoint_path):
    with pytest.raises(PoseanimError) as error:
        load_checkpoint(checkpoint_path, "vox-256")
    message = str(error.value)
    assert "[kp_detector] does not match the Thin-Plate Spline Motion Model architecture" in message
    assert "fg_encoder.fc.weight (40, 512) instead of (100, 512)" in message
    assert "\n" not in message


def test_background_predictor_in_an_mgif_config_is_named(tmp_path):
    with torch.device("meta"):
        networks = build_networks(CONFIGS["vox-256"])
    states = {name: network.state_dict() for name, network in networks.items()}
    with pytest.raises(PoseanimError, match=r"has a bg_predictor \(122 keys: bg_encoder.conv1"):
        from poseanim.tpsmm.checkpoint import _check_background

        _check_background(states, CONFIGS["mgif-256"], "vox.pth.tar")


def test_truncated_checkpoint(checkpoint_path, tmp_path):
    cut = tmp_path / "cut.pth.tar"
    cut.write_bytes(checkpoint_path.read_bytes()[: checkpoint_path.stat().st_size // 2])
    with pytest.raises(PoseanimError, match="could not be read as a PyTorch checkpoint"):
        load_checkpoint(cut)


@pytest.mark.parametrize("content", [b"", b"not a checkpoint\n", b"\x80\x02not a pickle"])
def test_not_a_checkpoint(tmp_path, content):
    path = tmp_path / "vox.pth.tar"
    path.write_bytes(content)
    with pytest.raises(PoseanimError, match="vox.pth.tar (is not|could not be read as) a PyTorch"):
        load_checkpoint(path)


class _RunsCode:
    """A pickle payload that would create a file when unpickled without restrictions."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def test_pickle_that_would_run_code_is_refused(checkpoint, tmp_path):
    marker = tmp_path / "code-ran"
    path = tmp_path / "vox.pth.tar"
    torch.save({**checkpoint, "epoch": _RunsCode(marker)}, path)
    with pytest.raises(PoseanimError, match=r"refused to load .*Python objects \(getattr\) that could run code"):
        load_checkpoint(path)
    assert not marker.exists()
    # the same with the legacy (pre-zip) format of the FOMM releases
    legacy = tmp_path / "legacy.pth.tar"
    torch.save({"epoch": _RunsCode(marker)}, legacy, _use_new_zipfile_serialization=False)
    with pytest.raises(PoseanimError, match="refused to load"):
        load_checkpoint(legacy)
    assert not marker.exists()
    assert pickle  # the payload is an ordinary pickle; torch's restricted unpickler stops it


def test_data_parallel_prefix_loads_the_same(checkpoint, model, source, driving, tmp_path):
    resaved = {
        part: {f"module.{k}": v for k, v in state.items()} if isinstance(state, dict) and part != "epoch" and not part.startswith("optimizer") else state
        for part, state in checkpoint.items()
    }
    path = tmp_path / "resaved.pth"
    torch.save(resaved, path)
    again = load_checkpoint(path, SMALL)
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
