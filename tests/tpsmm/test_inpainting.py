"""TPSMM's inpainting network (`tpsmm.inpainting`) on the small layout (64², four scales) with
seeded random weights and real tensors: the sampling grid resized corners aligned, the source
encoded at every scale, the frame the warped source where the finest occlusion mask says the
source shows, and nothing of the source where every mask hides it. Needs torch."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

torch = pytest.importorskip("torch")

from fomm_checkpoint import small_tpsmm  # noqa: E402

from poseanim.fomm.blocks import coordinate_grid  # noqa: E402
from poseanim.tpsmm.dense_motion import DenseMotion  # noqa: E402
from poseanim.tpsmm.inpainting import InpaintingNetwork, deform  # noqa: E402

pytestmark = pytest.mark.fomm

CONFIG = small_tpsmm()
SCALES = (8, 16, 32, 64)  # the occlusion masks' sizes, coarsest first


@pytest.fixture(scope="module")
def network() -> InpaintingNetwork:
    torch.manual_seed(0)
    return InpaintingNetwork(CONFIG).eval()


@pytest.fixture(scope="module")
def sources(photo_rgb) -> torch.Tensor:
    """The astronaut at 64², and upside down: (2, 3, 64, 64) in [0, 1]."""
    small = cv2.resize(photo_rgb, (64, 64), interpolation=cv2.INTER_AREA)
    pictures = np.stack([small, small[::-1]]).astype(np.float32) / 255.0
    return torch.from_numpy(pictures).permute(0, 3, 1, 2).contiguous()


def identity(size: int) -> torch.Tensor:
    return coordinate_grid(size, size, torch.zeros(1)).expand(2, size, size, 2).contiguous()


def masks(value: float, finest: float | None = None) -> list[torch.Tensor]:
    """One mask of `value` per scale; the finest one `finest` when given."""
    chosen = [value] * (len(SCALES) - 1) + [value if finest is None else finest]
    return [torch.full((2, 1, size, size), level) for size, level in zip(SCALES, chosen)]


def test_the_grid_is_resized_with_its_corners_where_they_were(sources):
    """A 16² identity grid brought to the picture's 64² is the 64² identity (TPSMM samples
    with aligned corners): deforming by it gives the picture back."""
    torch.testing.assert_close(deform(sources, identity(16)), sources, rtol=0, atol=1e-5)
    shifted = identity(64).clone()
    shifted[..., 0] += 2 / 63  # one pixel to the right
    moved = deform(sources, shifted)
    torch.testing.assert_close(moved[..., :-1], sources[..., 1:], rtol=0, atol=1e-5)
    assert moved[..., -1].abs().max() < 1e-5  # sampled beyond the edge: zeros (float32 rounding)


def test_the_source_is_encoded_at_every_scale_finest_first(network, sources):
    with torch.no_grad():
        features = network.encode(sources)
    assert [tuple(f.shape) for f in features] == [
        (2, 8, 64, 64), (2, 16, 32, 32), (2, 32, 16, 16), (2, 64, 8, 8)]


def test_where_the_finest_mask_shows_the_source_the_frame_is_the_warped_source(network, sources):
    with torch.no_grad():
        features = network.encode(sources)
        frame = network.decode(sources, features, DenseMotion(identity(16), masks(0.3, 1.0)))
        whole = network(sources, DenseMotion(identity(16), masks(0.3, 0.6)))
        split = network.decode(sources, features, DenseMotion(identity(16), masks(0.3, 0.6)))
    torch.testing.assert_close(frame, sources, rtol=0, atol=1e-5)
    torch.testing.assert_close(split, whole, rtol=0, atol=0)  # encode once, decode per frame
    assert not torch.allclose(whole, sources, atol=1e-2)  # elsewhere the network paints
    assert ((whole >= 0) & (whole <= 1)).all()


def test_where_every_mask_hides_the_source_nothing_of_it_reaches_the_frame(network, sources):
    """Every mask 0: the photo and its upside-down copy give the same (made up) frame;
    every mask 0.5: they do not."""
    with torch.no_grad():
        hidden = network(sources, DenseMotion(identity(16), masks(0.0)))
        half = network(sources, DenseMotion(identity(16), masks(0.5)))
    assert torch.equal(hidden[0], hidden[1])
    assert not torch.allclose(half[0], half[1], atol=1e-3)
