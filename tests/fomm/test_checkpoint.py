"""FOMM checkpoints (`fomm.checkpoint`): the releases' entries and legacy pickle format, the
taichi config over the same layout, and every way a file can be wrong named in one line
(missing, not a checkpoint, truncated, another torch file, renamed or reshaped keys). The tiny
layout's seeded random weights stand for the published ones. Needs torch (the `fomm` extra)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from fomm_checkpoint import save_legacy, saved_tiny_fomm, tiny_fomm  # noqa: E402
from fomm_checkpoint import tiny_fomm_checkpoint, use_tiny_fomm  # noqa: E402

from poseanim.errors import PoseanimError  # noqa: E402
from poseanim.fomm import CONFIGS, load_checkpoint  # noqa: E402

pytestmark = pytest.mark.fomm

TINY = tiny_fomm()


@pytest.fixture(scope="module")
def checkpoint_path(tmp_path_factory) -> Path:
    return saved_tiny_fomm(tmp_path_factory.mktemp("fomm"))


def test_checkpoint_has_the_published_entries():
    checkpoint = tiny_fomm_checkpoint()
    # (the networks' keys, shapes and dtypes: the full-size test below)
    assert set(checkpoint) == {
        "generator",
        "discriminator",
        "kp_detector",
        "optimizer_generator",
        "optimizer_discriminator",
        "optimizer_kp_detector",
        "epoch",
    }


def test_legacy_file_is_a_bare_pickle(checkpoint_path):
    # the releases predate torch's zip format: the file starts with the pickle PROTO opcode
    assert checkpoint_path.read_bytes()[:2] == b"\x80\x02"


def test_taichi_config_loads_the_same_layout(checkpoint_path, monkeypatch):
    vox, taichi = CONFIGS["vox-256"], CONFIGS["taichi-256"]
    assert (taichi.keypoint_detector, taichi.dense_motion, taichi.generator, taichi.num_kp) == (
        vox.keypoint_detector, vox.dense_motion, vox.generator, vox.num_kp)  # fmt: skip
    use_tiny_fomm(monkeypatch)  # the tiny file loads as tiny "taichi-256" as it does as "vox-256"
    assert load_checkpoint(checkpoint_path, config="taichi-256").config.face is False
    assert load_checkpoint(checkpoint_path, config="vox-256").config.face is True


# --- errors --------------------------------------------------------------------------------


def test_missing_checkpoint(tmp_path):
    with pytest.raises(PoseanimError, match=r"checkpoint not found: .*nope\.pth\.tar$"):
        load_checkpoint(tmp_path / "nope.pth.tar")
    with pytest.raises(PoseanimError, match="is a directory"):
        load_checkpoint(tmp_path)


@pytest.mark.parametrize(
    "content",
    [
        b"",
        np.random.default_rng(0).bytes(4096),
        b"\x80\x02garbage that is not a pickle",
        b"PK\x03\x04zip?",
    ],
    ids=["empty", "random-bytes", "broken-pickle", "broken-zip"],
)
def test_not_a_checkpoint(tmp_path, content):
    path = tmp_path / "vox-cpk.pth.tar"
    path.write_bytes(content)
    with pytest.raises(PoseanimError, match="vox-cpk.pth.tar") as error:
        load_checkpoint(path)
    assert "\n" not in str(error.value)


def test_truncated_checkpoint(checkpoint_path, tmp_path):
    path = tmp_path / "cut.pth.tar"
    data = checkpoint_path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(PoseanimError, match="could not be read as a PyTorch checkpoint") as error:
        load_checkpoint(path)
    assert "\n" not in str(error.value)


def test_other_torch_file(tmp_path):
    path = tmp_path / "weights.pth"
    torch.save({"state_dict": {"fc.weight": torch.zeros(2, 2)}}, path)
    with pytest.raises(
        PoseanimError, match="not a First Order Motion Model checkpoint.*found state_dict"
    ):
        load_checkpoint(path)


def _checkpoint_file(tmp_path: Path, checkpoint: dict, **changed: dict) -> Path:
    """A legacy-format checkpoint file with some parts replaced."""
    return save_legacy({**checkpoint, **changed}, tmp_path / "changed.pth.tar")


def test_renamed_key_is_named(tmp_path):
    checkpoint = tiny_fomm_checkpoint()
    state = dict(checkpoint["kp_detector"])
    state["keypoint_head.weight"] = state.pop("kp.weight")
    with pytest.raises(PoseanimError) as error:
        load_checkpoint(
            _checkpoint_file(tmp_path, checkpoint, kp_detector=state, generator={}), TINY
        )
    message = str(error.value)
    assert "[kp_detector]" in message
    assert "1 missing (kp.weight)" in message
    assert "1 unexpected (keypoint_head.weight)" in message


def test_reshaped_and_extra_keys_are_named_and_counted(tmp_path):
    checkpoint = tiny_fomm_checkpoint()
    state = dict(checkpoint["generator"])
    state["final.weight"] = torch.zeros(3, 4, 5, 5)
    for index in range(5):
        state[f"extra.{index}"] = torch.zeros(1)
    with pytest.raises(PoseanimError) as error:
        load_checkpoint(_checkpoint_file(tmp_path, checkpoint, generator=state), TINY)
    message = str(error.value)
    assert "[generator]" in message
    assert "final.weight (3, 4, 5, 5) instead of (3, 4, 7, 7)" in message
    assert "5 unexpected (extra.0, extra.1, extra.2 and 2 more)" in message


def test_unknown_config(checkpoint_path):
    with pytest.raises(
        PoseanimError, match="unknown FOMM config 'vox-512'; choose one of: taichi-256, vox-256"
    ):
        load_checkpoint(checkpoint_path, config="vox-512")
