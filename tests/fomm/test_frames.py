"""Images in and out of the raster models (`fomm.frames`): what the API accepts, the demo's
resize (scikit-image's, done with OpenCV), and the way back to pixels. Needs torch."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from poseanim.errors import PoseanimError  # noqa: E402
from poseanim.fomm.frames import (  # noqa: E402
    check_image, from_model, resize_like_demo, to_model, to_uint8,
)

pytestmark = pytest.mark.fomm


def test_upscaling_mirrors_edge_samples_as_the_demo_resize_does():
    """skimage.transform.resize (the demo's) mirrors samples that fall outside the image about
    the edge pixel's centre; OpenCV alone would clamp them to the edge pixel."""
    ramp = np.tile(np.array([0.0, 1.0, 0.0, 1.0], dtype=np.float32)[None, :, None], (4, 1, 3))
    resized = resize_like_demo(ramp, 16)
    positions = (np.arange(16) + 0.5) * 4 / 16 - 0.5  # sample positions in the input
    mirrored = np.abs(positions)
    mirrored = np.where(mirrored > 3, 6 - mirrored, mirrored)
    expected = np.interp(mirrored, np.arange(4), ramp[0, :, 0])
    np.testing.assert_allclose(resized[0, :, 0], expected, atol=1e-6)
    assert resized[0, 0, 0] == pytest.approx(0.375)  # clamping would give 0


def test_downscaling_blurs_first_so_a_fine_pattern_turns_grey():
    """A one-pixel checkerboard brought to a quarter: the Gaussian before the sampling (sigma
    (factor - 1) / 2 = 1.5) leaves it grey, where sampling alone would keep black and white."""
    board = (np.indices((64, 64)).sum(axis=0) % 2).astype(np.float32)
    small = resize_like_demo(np.repeat(board[..., None], 3, axis=2), 16)
    assert small.shape == (16, 16, 3)
    assert np.abs(small - 0.5).max() < 0.02


def test_a_flat_image_stays_flat_at_any_size():
    grey = np.full((30, 50, 3), 0.25, np.float32)
    for size in (8, 64):
        np.testing.assert_allclose(resize_like_demo(grey, size), 0.25, atol=1e-6)


@pytest.mark.parametrize("image, message", [
    (np.zeros((4, 4), np.float32), r"must be an \(H, W, 3\) RGB array, got \(4, 4\)"),
    (np.zeros((4, 4, 2), np.float32), r"RGB array, got \(4, 4, 2\)"),
    ([[0.0]], "RGB array, got list"),
    (np.zeros((4, 4, 3), np.uint8), "got uint8; divide 8-bit images by 255"),
    (np.full((4, 4, 3), np.nan, np.float32), r"finite values in \[0, 1\]"),
    (np.full((4, 4, 3), 1.01, np.float32), r"finite values in \[0, 1\]"),
    (np.zeros((0, 4, 3), np.float32), r"finite values in \[0, 1\]"),
])
def test_what_is_not_a_float_rgb_image_in_range_is_refused_in_one_line(image, message):
    with pytest.raises(PoseanimError, match=message):
        check_image(image, "source")


def test_alpha_is_dropped_and_rounding_off_the_range_is_clipped():
    rgba = np.dstack([np.full((2, 2, 3), 1.0005), np.zeros((2, 2, 1))]).astype(np.float64)
    rgba[0, 0, 0] = -0.0005
    checked = check_image(rgba, "source")
    assert checked.shape == (2, 2, 3) and checked.dtype == np.float32
    assert checked.min() == 0.0 and checked.max() == 1.0


def test_pixels_go_in_as_one_batch_and_come_back_as_an_image():
    image = np.random.default_rng(0).random((20, 20, 3)).astype(np.float32)
    tensor = to_model(image, 20, "source")
    assert tensor.shape == (1, 3, 20, 20) and tensor.is_contiguous()
    np.testing.assert_allclose(from_model(tensor), image, atol=1e-6)  # same size: no change
    assert list(to_uint8(np.array([0.0, 0.499 / 255, 0.501 / 255, 1.2, -1.0]))) == [
        0, 0, 1, 255, 0]
