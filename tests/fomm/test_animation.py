"""FOMM's animation behaviour on a tiny configuration: seconds instead of minutes.

The same networks as the published models, shrunk (a 64-pixel frame, four keypoints, a few
channels) and given seeded random weights: what `FommModel` does with them (relative and
absolute motion transfer, streaming, determinism) does not depend on the layer sizes. The
full-size model's layout and its equality with the plain networks stay in `test_fomm.py`
(marked slow).
"""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")
cv2 = pytest.importorskip("cv2")

from poseanim.fomm.animation import FommModel  # noqa: E402
from poseanim.fomm.checkpoint import build_networks, randomise  # noqa: E402
from poseanim.fomm.config import (  # noqa: E402
    DenseMotionConfig, FommConfig, GeneratorConfig, KeypointDetectorConfig,
)

pytestmark = pytest.mark.fomm

TINY = FommConfig(
    name="tiny", face=True, num_kp=4, frame_size=64,
    keypoint_detector=KeypointDetectorConfig(block_expansion=4, max_features=16, num_blocks=3),
    dense_motion=DenseMotionConfig(block_expansion=4, max_features=16, num_blocks=3),
    generator=GeneratorConfig(block_expansion=4, max_features=16, num_down_blocks=2,
                              num_bottleneck_blocks=1),
)


def _model(seed: int) -> FommModel:
    kp_detector, generator = build_networks(TINY)
    rng = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for network in (kp_detector, generator):
            randomise(network, rng)
    return FommModel(TINY, kp_detector, generator)


@pytest.fixture(scope="module")
def model() -> FommModel:
    return _model(seed=0)


@pytest.fixture(scope="module")
def source(photo_rgb) -> np.ndarray:
    """The astronaut photo, (512, 512, 3) float32 in [0, 1]."""
    return photo_rgb.astype(np.float32) / 255.0


@pytest.fixture(scope="module")
def driving(photo_rgb) -> np.ndarray:
    """(3, 96, 96, 3) float32: the photo turned, grown and moved a little more each frame."""
    frames = []
    for t in range(3):
        matrix = cv2.getRotationMatrix2D((256, 256), 8.0 * t - 10.0, 0.8 + 0.2 * t)
        matrix[:, 2] += (8.0 * t, -5.0 * t)
        frames.append(cv2.resize(cv2.warpAffine(photo_rgb, matrix, (512, 512)), (96, 96),
                                 interpolation=cv2.INTER_AREA))
    return np.stack(frames).astype(np.float32) / 255.0


@pytest.fixture(scope="module")
def animated(model, source, driving) -> np.ndarray:
    return model.animate(source, driving)


def test_frames_have_the_model_size_and_stay_in_range(animated, driving):
    assert animated.shape == (len(driving), 64, 64, 3) and animated.dtype == np.float32
    assert animated.min() >= 0.0 and animated.max() <= 1.0
    assert animated.std() > 0.01, "a picture, not a constant"
    assert np.abs(animated[2] - animated[0]).mean() > 1e-4, "the motion changes the frames"


def test_a_stream_gives_the_batch_frames_bit_for_bit(model, source, driving, animated):
    stream = model.start(source)
    np.testing.assert_array_equal(np.stack([stream.step(frame) for frame in driving]), animated)
    np.testing.assert_array_equal(model.animate(source, driving), animated)


def test_relative_motion_starts_from_the_source_keypoints(model, source, driving):
    stream = model.start(source, relative=True)
    first = stream.keypoints(driving[0])
    torch.testing.assert_close(first.value, stream.source_keypoints.value, atol=1e-6, rtol=0)
    torch.testing.assert_close(first.jacobian, stream.source_keypoints.jacobian, atol=1e-5,
                               rtol=0)


def test_absolute_motion_uses_the_driving_keypoints_and_ignores_scale(model, source, driving):
    stream = model.start(source, relative=False)
    for frame in driving:
        torch.testing.assert_close(stream.keypoints(frame).value,
                                   model.keypoints_of(frame).value, atol=0, rtol=0)
    np.testing.assert_array_equal(
        model.animate(source, driving[:1], relative=False, adapt_scale=True),
        model.animate(source, driving[:1], relative=False, adapt_scale=False))


def test_other_weights_animate_differently(source, driving, animated):
    assert np.abs(_model(seed=1).animate(source, driving) - animated).mean() > 1e-3
