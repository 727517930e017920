"""FOMM's occlusion-aware generator (`fomm.generator`) on real tensors, in the tiny layout
with seeded random weights: the source encoded once and decoded per frame gives the authors'
one-call forward, the motion is brought to the features' size, what the occlusion map hides
of the source does not reach the frame, and every image of a batch is its own. Needs torch."""

from __future__ import annotations

import copy

import cv2
import numpy as np
import pytest

torch = pytest.importorskip("torch")

from fomm_checkpoint import tiny_fomm  # noqa: E402

from poseanim.fomm.blocks import coordinate_grid  # noqa: E402
from poseanim.fomm.dense_motion import DenseMotion  # noqa: E402
from poseanim.fomm.generator import OcclusionAwareGenerator  # noqa: E402
from poseanim.fomm.keypoint_detector import Keypoints  # noqa: E402

pytestmark = pytest.mark.fomm

CONFIG = tiny_fomm()  # 64² frames, two down blocks: features 16², 16 channels


class GivenMotion(torch.nn.Module):
    """Stands in for the dense motion network: always this motion (the generator's own
    arithmetic is what these tests look at)."""

    def __init__(self, motion: DenseMotion) -> None:
        super().__init__()
        self.motion = motion

    def forward(self, source, kp_driving, kp_source) -> DenseMotion:
        return self.motion


def moved_by(generator: OcclusionAwareGenerator, given: DenseMotion) -> OcclusionAwareGenerator:
    """A copy of `generator` whose dense motion is always `given`."""
    copied = copy.deepcopy(generator)
    copied.dense_motion_network = GivenMotion(given)
    return copied


@pytest.fixture(scope="module")
def generator() -> OcclusionAwareGenerator:
    torch.manual_seed(0)
    return OcclusionAwareGenerator(CONFIG).eval()


@pytest.fixture(scope="module")
def sources(photo_rgb) -> torch.Tensor:
    """The astronaut at 64², and mirrored: (2, 3, 64, 64) in [0, 1]."""
    small = cv2.resize(photo_rgb, (64, 64), interpolation=cv2.INTER_AREA)
    pictures = np.stack([small, small[:, ::-1]]).astype(np.float32) / 255.0
    return torch.from_numpy(pictures).permute(0, 3, 1, 2).contiguous()


def keypoints(seed: int, count: int = 2) -> Keypoints:
    generator = torch.Generator().manual_seed(seed)
    values = torch.rand(count, CONFIG.num_kp, 2, generator=generator) * 1.4 - 0.7
    jacobians = torch.eye(2) + 0.1 * torch.randn(count, CONFIG.num_kp, 2, 2, generator=generator)
    return Keypoints(values, jacobians)


def motion(size: int, count: int, occlusion: float, point: tuple[float, float] | None = None
           ) -> DenseMotion:
    """A size² motion: the identity grid, or every pixel taken from `point`."""
    like = torch.zeros(1)
    grid = coordinate_grid(size, size, like) if point is None else torch.tensor(point).expand(
        size, size, 2)
    return DenseMotion(grid.expand(count, size, size, 2).contiguous(),
                       torch.full((count, 1, size, size), occlusion))


def test_the_source_is_encoded_to_a_quarter_of_its_size(generator, sources):
    with torch.no_grad():
        features = generator.encode(sources)
    assert features.shape == (2, 16, 16, 16)


def test_encoding_once_and_decoding_is_the_authors_forward(generator, sources):
    driving, source = keypoints(1), keypoints(2)
    with torch.no_grad():
        whole = generator(sources, driving, source)
        split = generator.decode(sources, generator.encode(sources), driving, source)
    assert whole.shape == sources.shape
    assert ((whole > 0) & (whole < 1)).all()
    torch.testing.assert_close(split, whole, rtol=0, atol=0)


def test_what_the_occlusion_map_hides_of_the_source_does_not_reach_the_frame(
        generator, sources):
    """Occlusion 0 everywhere: the photo and its mirror image decode to the same frame;
    occlusion 1: they do not."""
    for occlusion, alike in ((0.0, True), (1.0, False)):
        with torch.no_grad():
            frames = moved_by(generator, motion(16, 2, occlusion))(
                sources, keypoints(1), keypoints(2))
        assert torch.equal(frames[0], frames[1]) == alike


def test_a_coarser_motion_is_brought_to_the_features_size(generator, sources):
    """Every pixel taken from one point, the motion given at 8² or at 16² (the features'
    size): the same frame, as a constant resizes to itself."""
    frames = []
    for size in (8, 16):
        moved = moved_by(generator, motion(size, 2, 0.8, point=(0.3, -0.2)))
        with torch.no_grad():
            frames.append(moved(sources, keypoints(1), keypoints(2)))
    torch.testing.assert_close(frames[0], frames[1], rtol=0, atol=1e-6)
    # one point of the source everywhere: a flat frame but for the decoder's borders
    centre = frames[0][:, :, 8:-8, 8:-8]
    assert (centre.amax(dim=(2, 3)) - centre.amin(dim=(2, 3))).max() < 0.05


def test_each_image_of_a_batch_is_decoded_on_its_own(generator, sources):
    """In eval mode (batch norm by its running statistics) a batch is its images side by side,
    the real dense motion network between them."""
    driving, source = keypoints(3), keypoints(4)
    with torch.no_grad():
        batch = generator(sources, driving, source)
        for index in range(2):
            alone = generator(sources[index:index + 1],
                              Keypoints(driving.value[index:index + 1],
                                        driving.jacobian[index:index + 1]),
                              Keypoints(source.value[index:index + 1],
                                        source.jacobian[index:index + 1]))
            torch.testing.assert_close(alone[0], batch[index], rtol=0, atol=1e-5)
