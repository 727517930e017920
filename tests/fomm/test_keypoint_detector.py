"""FOMM's keypoint detector (`fomm.keypoint_detector`) on the tiny layout and real images: the
soft-argmax and the heatmap-weighted jacobians. Needs torch."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")

from fomm_checkpoint import tiny_fomm  # noqa: E402

from poseanim.fomm.keypoint_detector import KeypointDetector  # noqa: E402

pytestmark = pytest.mark.fomm


def detector() -> KeypointDetector:
    torch.manual_seed(0)
    return KeypointDetector(tiny_fomm()).eval()


def images(count: int) -> torch.Tensor:
    return torch.rand(count, 3, 64, 64, generator=torch.Generator().manual_seed(count))


def test_keypoints_lie_in_the_picture_with_a_jacobian_each_per_image():
    network = detector()
    with torch.inference_mode():
        found = network(images(3))
        alone = network(images(3)[1:2])
    assert found.value.shape == (3, 4, 2) and found.jacobian.shape == (3, 4, 2, 2)
    assert (found.value.abs() < 1).all()
    torch.testing.assert_close(alone.value, found.value[1:2])  # batch norms run on statistics
    torch.testing.assert_close(alone.jacobian, found.jacobian[1:2])


def test_a_flat_heatmap_puts_the_keypoint_in_the_middle_and_averages_the_jacobian_maps():
    network = detector()
    with torch.no_grad():
        network.kp.weight.zero_()
        network.jacobian.weight.zero_()  # every jacobian map is its bias
        network.jacobian.bias.copy_(torch.arange(16, dtype=torch.float32))
    with torch.inference_mode():
        found = network(images(2))
    torch.testing.assert_close(found.value, torch.zeros(2, 4, 2), atol=1e-6, rtol=0)
    expected = torch.arange(16, dtype=torch.float32).reshape(4, 2, 2).expand(2, 4, 2, 2)
    torch.testing.assert_close(found.jacobian, expected)


def test_a_peaked_heatmap_puts_the_keypoint_on_its_peak():
    """A head that scores one corner of the 58×58 heatmap far above the rest: the soft-argmax
    lands there (x, y = −1, −1), the other keypoints stay in the middle."""
    network = detector()
    with torch.no_grad():
        network.kp.weight.zero_()
        network.kp.bias.zero_()

    def peaked(module, inputs, out: torch.Tensor) -> torch.Tensor:
        out = out.clone()
        out[:, 0, 0, 0] += 50.0
        return out

    network.kp.register_forward_hook(peaked)
    with torch.inference_mode():
        found = network(images(1))
    torch.testing.assert_close(found.value[0, 0], torch.tensor([-1.0, -1.0]), atol=1e-3, rtol=0)
    torch.testing.assert_close(found.value[0, 1:], torch.zeros(3, 2), atol=1e-6, rtol=0)
