"""TPSMM's published configurations by name (plain data, no torch)."""

from __future__ import annotations

import pytest

from poseanim.errors import PoseanimError
from poseanim.tpsmm.config import CONFIGS, get_config


def test_each_published_model_has_its_frame_size_and_keypoints():
    assert sorted(CONFIGS) == ["mgif-256", "taichi-256", "ted-384", "vox-256"]
    assert get_config("ted-384").frame_size == 384
    assert get_config("vox-256").face and not get_config("taichi-256").face
    # the detector predicts num_tps groups of points_per_tps keypoints
    assert all(config.num_kp == config.num_tps * config.points_per_tps == 50
               for config in CONFIGS.values())
    assert [name for name, config in CONFIGS.items() if not config.background] == ["mgif-256"]


def test_an_unknown_name_lists_the_known_ones():
    with pytest.raises(PoseanimError, match=r"^unknown TPSMM config 'ted'; choose one of: "
                                            r"mgif-256, taichi-256, ted-384, vox-256$"):
        get_config("ted")
