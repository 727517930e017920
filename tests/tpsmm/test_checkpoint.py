"""TPSMM checkpoints (`tpsmm.checkpoint`): the authors' layout key by key, the configuration
inferred from a file, and every way a file can be wrong, each named in one line (a FOMM file,
a truncated or foreign file, a pickle that would run code). Seeded random weights stand for the
published ones (`fomm_checkpoint`). Needs torch (the `fomm` extra)."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")

from conftest import DATA  # noqa: E402
from fomm_checkpoint import RunsCode, published_keys, saved_small_tpsmm, small_tpsmm  # noqa: E402
from fomm_checkpoint import saved_tiny_fomm, small_tpsmm_checkpoint  # noqa: E402

from poseanim.errors import PoseanimError  # noqa: E402
from poseanim.tpsmm import CONFIGS, load_checkpoint, random_checkpoint  # noqa: E402
from poseanim.tpsmm.checkpoint import build_networks, infer_config  # noqa: E402

pytestmark = pytest.mark.fomm

KEYS = DATA / "tpsmm"
"""keys_<config>.tsv: the authors' state-dict keys, shapes and dtypes per checkpoint entry."""
SMALL = small_tpsmm()


@pytest.fixture(scope="module")
def checkpoint_path(tmp_path_factory) -> Path:
    return saved_small_tpsmm(tmp_path_factory.mktemp("tpsmm"))


# --- checkpoint format ---------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_networks_have_the_published_keys_shapes_and_dtypes(name):
    expected = published_keys(KEYS / f"keys_{name}.tsv")
    with torch.device("meta"):  # shapes without allocating 75 M parameters per config
        networks = build_networks(CONFIGS[name])
    if not CONFIGS[name].background:
        assert "bg_predictor" not in expected
        del networks["bg_predictor"]
    assert set(networks) == set(expected)
    for part, network in networks.items():
        ours = [
            (key, str(tuple(value.shape)), str(value.dtype).removeprefix("torch."))
            for key, value in network.state_dict().items()
        ]
        assert ours == expected[part], part


def test_random_checkpoint_has_the_top_level_entries_of_train_avd():
    checkpoint = small_tpsmm_checkpoint()
    assert set(checkpoint) == {
        "inpainting_network", "dense_motion_network", "kp_detector", "avd_network",
        "bg_predictor", "optimizer", "optimizer_avd", "optimizer_bg_predictor", "epoch",
    }
    with torch.device("meta"):  # the entries without filling 20 M weights
        assert not set(random_checkpoint(SMALL, avd=False)) & {"avd_network", "optimizer_avd"}


def test_config_is_inferred_from_shapes_and_file_name(tmp_path):
    with torch.device("meta"):
        networks = build_networks(CONFIGS["vox-256"])
    states = {name: network.state_dict() for name, network in networks.items()}
    assert infer_config(tmp_path / "ted.pth.tar", states).name == "ted-384"
    assert infer_config(tmp_path / "taichi.pth.tar", states).name == "taichi-256"
    assert infer_config(tmp_path / "my-model.pth", states).name == "vox-256"
    without_background = {k: v for k, v in states.items() if k != "bg_predictor"}
    assert infer_config(tmp_path / "model.pth.tar", without_background).name == "mgif-256"


# --- errors --------------------------------------------------------------------------------


def test_fomm_checkpoint_is_named_as_such(tmp_path):
    path = saved_tiny_fomm(tmp_path)  # the entries tell the model, whatever the layout
    with pytest.raises(PoseanimError, match="is a First Order Motion Model checkpoint.*--model fomm"):
        load_checkpoint(path)


def test_tpsmm_checkpoint_given_to_fomm_is_named_as_such(checkpoint_path):
    from poseanim.fomm import load_checkpoint as load_fomm

    with pytest.raises(PoseanimError, match="is a Thin-Plate Spline.*--model tpsmm"):
        load_fomm(checkpoint_path)


def test_wrong_config_names_the_differing_keys(checkpoint_path):
    with pytest.raises(PoseanimError) as error:
        load_checkpoint(checkpoint_path, "vox-256")
    message = str(error.value)
    assert "[kp_detector] does not match the Thin-Plate Spline Motion Model architecture" in message
    assert "fg_encoder.fc.weight (40, 512) instead of (100, 512)" in message
    assert "\n" not in message


def test_background_predictor_in_an_mgif_config_is_named(tmp_path):
    with torch.device("meta"):
        networks = build_networks(CONFIGS["vox-256"])
    states = {name: network.state_dict() for name, network in networks.items()}
    with pytest.raises(PoseanimError, match=r"has a bg_predictor \(122 keys: bg_encoder.conv1"):
        from poseanim.tpsmm.checkpoint import _check_background

        _check_background(states, CONFIGS["mgif-256"], "vox.pth.tar")


def test_truncated_checkpoint(checkpoint_path, tmp_path):
    cut = tmp_path / "cut.pth.tar"
    cut.write_bytes(checkpoint_path.read_bytes()[: checkpoint_path.stat().st_size // 2])
    with pytest.raises(PoseanimError, match="could not be read as a PyTorch checkpoint"):
        load_checkpoint(cut)


@pytest.mark.parametrize("content", [b"", b"not a checkpoint\n", b"\x80\x02not a pickle"])
def test_not_a_checkpoint(tmp_path, content):
    path = tmp_path / "vox.pth.tar"
    path.write_bytes(content)
    with pytest.raises(PoseanimError, match="vox.pth.tar (is not|could not be read as) a PyTorch"):
        load_checkpoint(path)


def test_pickle_that_would_run_code_is_refused(tmp_path):
    checkpoint = small_tpsmm_checkpoint()
    marker = tmp_path / "code-ran"
    path = tmp_path / "vox.pth.tar"
    torch.save({**checkpoint, "epoch": RunsCode(marker)}, path)
    with pytest.raises(PoseanimError, match=r"refused to load .*Python objects \(getattr\) that could run code"):
        load_checkpoint(path)
    assert not marker.exists()
    # the same with the legacy (pre-zip) format of the FOMM releases
    legacy = tmp_path / "legacy.pth.tar"
    torch.save({"epoch": RunsCode(marker)}, legacy, _use_new_zipfile_serialization=False)
    with pytest.raises(PoseanimError, match="refused to load"):
        load_checkpoint(legacy)
    assert not marker.exists()
    assert pickle  # the payload is an ordinary pickle; torch's restricted unpickler stops it
