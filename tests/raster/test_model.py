"""The one interface over both raster models (`raster.model`), on the small layouts with
seeded random weights (tiny FOMM, 64² TPSMM) and the real astronaut photo: which modes each
model offers and in whose words, how a checkpoint is told apart, and that the common
`frames`, `animate` and `start` give each model's own frames. Needs torch."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

torch = pytest.importorskip("torch")

from fomm_checkpoint import small_tpsmm, small_tpsmm_checkpoint  # noqa: E402
from fomm_checkpoint import tiny_fomm, tiny_fomm_checkpoint  # noqa: E402

from poseanim.errors import PoseanimError  # noqa: E402
from poseanim.fomm import checkpoint as fomm_checkpoint  # noqa: E402
from poseanim.raster.model import RasterModel, load_checkpoint, model_of  # noqa: E402
from poseanim.tpsmm import checkpoint as tpsmm_checkpoint  # noqa: E402

pytestmark = pytest.mark.fomm


@pytest.fixture(scope="module")
def fomm() -> RasterModel:
    return RasterModel("fomm", fomm_checkpoint.load_networks(
        tiny_fomm_checkpoint(), tiny_fomm(), "tiny"))


@pytest.fixture(scope="module")
def tpsmm() -> RasterModel:
    return RasterModel("tpsmm", tpsmm_checkpoint.load_networks(
        small_tpsmm_checkpoint(), small_tpsmm(), "small"))


@pytest.fixture(scope="module")
def clip(photo_rgb) -> tuple[np.ndarray, np.ndarray]:
    """The photo as the source, and three driving frames of it turning (float in [0, 1])."""
    source = photo_rgb.astype(np.float32) / 255.0
    frames = []
    for angle in (-6.0, 0.0, 6.0):
        matrix = cv2.getRotationMatrix2D((256.0, 190.0), angle, 1.0)
        frames.append(cv2.resize(cv2.warpAffine(source, matrix, (512, 512)), (96, 96)))
    return source, np.stack(frames)


def test_each_model_offers_its_modes_in_its_own_words(fomm, tpsmm):
    assert fomm.modes == ("relative", "standard")
    assert tpsmm.modes == ("relative", "standard", "avd")  # its checkpoint has an AVD network
    assert fomm.check_mode("absolute") == "standard" == tpsmm.check_mode("absolute")
    with pytest.raises(PoseanimError, match=r"FOMM has no mode 'avd' \(avd is a TPSMM mode\)"):
        fomm.check_mode("avd")
    with pytest.raises(PoseanimError, match="unknown TPSMM mode 'sideways'"):
        tpsmm.check_mode("sideways")
    assert fomm.config.frame_size == tpsmm.config.frame_size == 64


def test_a_tpsmm_checkpoint_without_an_avd_network_does_not_offer_avd():
    from poseanim.tpsmm import random_checkpoint

    model = RasterModel("tpsmm", tpsmm_checkpoint.load_networks(
        random_checkpoint(small_tpsmm(), seed=1, avd=False), small_tpsmm(), "plain"))
    assert model.modes == ("relative", "standard")
    with pytest.raises(PoseanimError, match="mode avd needs a checkpoint with an avd_network"):
        model.check_mode("avd")


def test_a_checkpoint_is_told_by_its_networks():
    assert model_of({"inpainting_network": {}, "kp_detector": {}}, "a.pth") == "tpsmm"
    assert model_of({"generator": {}, "kp_detector": {}}, "b.pth.tar") == "fomm"
    with pytest.raises(PoseanimError, match="c.pth is neither .* found state_dict"):
        model_of({"state_dict": {}}, "c.pth")
    with pytest.raises(PoseanimError, match="is neither"):
        model_of([1, 2], "d.pth")


def test_a_tpsmm_configuration_does_not_describe_a_fomm_file(tmp_path):
    from fomm_checkpoint import saved_tiny_fomm

    with pytest.raises(PoseanimError, match="a TpsmmConfig does not describe a FOMM checkpoint"):
        load_checkpoint(saved_tiny_fomm(tmp_path), config=small_tpsmm())


@pytest.mark.parametrize("mode, own", [("relative", True), ("absolute", False)])
def test_fomm_through_the_interface_is_fomms_own_animation(fomm, clip, mode, own):
    source, driving = clip
    frames = fomm.animate(source, driving, mode=mode, start_frame=1)
    np.testing.assert_array_equal(frames, fomm.network.animate(source, driving, own,
                                                               start_frame=1))
    assert frames.shape == (3, 64, 64, 3)
    stream = fomm.start(source, mode=mode)
    np.testing.assert_array_equal(stream.step(driving[0]), fomm.network.animate(
        source, driving[:1], own)[0])


@pytest.mark.parametrize("mode", ["relative", "standard", "avd"])
def test_tpsmm_through_the_interface_is_tpsmms_own_animation(tpsmm, clip, mode):
    source, driving = clip
    steps: list[int] = []
    frames = list(tpsmm.frames(source, driving, mode, start_frame=2,
                               progress=lambda: steps.append(1)))
    assert len(steps) == 3
    np.testing.assert_array_equal(np.stack(frames), tpsmm.network.animate(
        source, driving, mode, start_frame=2))


def test_a_driving_clip_without_frames_is_refused_before_anything_runs(fomm, tpsmm, clip):
    source, _ = clip
    for model in (fomm, tpsmm):
        with pytest.raises(PoseanimError, match="driving has no frames"):
            model.animate(source, np.zeros((0, 64, 64, 3), np.float32), start_frame=3)
