"""FOMM's published configurations by name (no torch: the config is plain data)."""

from __future__ import annotations

import pytest

from poseanim.errors import PoseanimError
from poseanim.fomm.config import config_called, get_config


def test_the_face_and_the_body_model_share_every_layer_size():
    vox, taichi = get_config("vox-256"), get_config("taichi-256")
    assert (vox.face, taichi.face) == (True, False)
    assert (vox.num_kp, vox.frame_size, vox.num_channels) == (10, 256, 3)
    assert (vox.keypoint_detector, vox.dense_motion, vox.generator) == \
        (taichi.keypoint_detector, taichi.dense_motion, taichi.generator)


def test_an_unknown_name_lists_the_known_ones():
    with pytest.raises(PoseanimError, match=r"^unknown FOMM config 'vox-512'; choose one of: "
                                            r"taichi-256, vox-256$"):
        get_config("vox-512")
    assert config_called({"b": 2, "a": 1}, "a", "X") == 1
    with pytest.raises(PoseanimError, match="unknown X config 'c'; choose one of: a, b$"):
        config_called({"b": 2, "a": 1}, "c", "X")
