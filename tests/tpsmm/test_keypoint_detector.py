"""TPSMM's keypoint detector (`tpsmm.keypoint_detector`) on real images: the published key
names, and the head's outputs read as (x, y) pairs squashed into (−1, 1). Needs torch."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")

from fomm_checkpoint import small_tpsmm  # noqa: E402

from poseanim.tpsmm.keypoint_detector import KeypointDetector  # noqa: E402

pytestmark = pytest.mark.fomm


def test_the_heads_outputs_are_consecutive_xy_pairs_squashed_into_the_picture():
    config = small_tpsmm()
    torch.manual_seed(0)
    detector = KeypointDetector(config).eval()
    assert detector.state_dict()["fg_encoder.fc.weight"].shape == (2 * config.num_kp, 512)
    logits = torch.linspace(-3, 3, 2 * config.num_kp)
    with torch.no_grad():
        detector.fg_encoder.fc.weight.zero_()  # the head answers its bias whatever the image
        detector.fg_encoder.fc.bias.copy_(logits)
    image = torch.rand(2, 3, 64, 64, generator=torch.Generator().manual_seed(1))
    with torch.inference_mode():
        found = detector(image)
    assert found.shape == (2, config.num_kp, 2)
    expected = (torch.sigmoid(logits) * 2 - 1).reshape(config.num_kp, 2)
    torch.testing.assert_close(found, expected.expand(2, config.num_kp, 2))
    assert found[0, 0, 0] < found[0, 0, 1] < found[0, 1, 0]  # x then y, keypoint after keypoint


def test_seeded_weights_give_each_image_its_own_keypoints_inside_the_picture():
    torch.manual_seed(0)
    detector = KeypointDetector(small_tpsmm()).eval()
    images = torch.rand(2, 3, 64, 64, generator=torch.Generator().manual_seed(2))
    with torch.inference_mode():
        both = detector(images)
        second = detector(images[1:])
    assert (both.abs() < 1).all() and not torch.allclose(both[0], both[1])
    torch.testing.assert_close(second, both[1:])
