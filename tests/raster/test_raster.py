"""`poseanim.raster` and `poseanim raster`: one interface for FOMM and TPSMM.

Checkpoints are seeded random ones in the authors' layouts (TPSMM: the published blocks with
fewer channels, which the loader reads off the shapes; FOMM: the tiny layout of
`fomm_checkpoint.tiny_fomm`, which the published names stand for here). The driving clip is the real astronaut photo turning, written as an MP4 file.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")
cv2 = pytest.importorskip("cv2")

from conftest import PHOTO  # noqa: E402
from fomm_checkpoint import hide_torch, narrow_tpsmm, save_legacy, tiny_fomm  # noqa: E402
from fomm_checkpoint import RunsCode, use_tiny_fomm  # noqa: E402
from video_factory import read_clip, write_video  # noqa: E402

from poseanim.errors import PoseanimError  # noqa: E402
from poseanim.raster import load_checkpoint  # noqa: E402
from poseanim.tpsmm import random_checkpoint  # noqa: E402
from poseanim.video_source import ffmpeg_executable  # noqa: E402

pytestmark = pytest.mark.fomm

NARROW = narrow_tpsmm()


@pytest.fixture(autouse=True)
def tiny_fomm_names(monkeypatch) -> None:
    """FOMM's published names stand for the tiny layout (the loader and --config go by name)."""
    use_tiny_fomm(monkeypatch)


@pytest.fixture(scope="module")
def photo(photo_rgb) -> np.ndarray:
    """The astronaut (conftest's photo)."""
    return photo_rgb


@pytest.fixture(scope="module")
def clip(photo, tmp_path_factory) -> Path:
    """Three 320² frames of the head turning -10°, -2°, +6° and growing: frame 1 is posed like
    the photo."""
    frames = []
    for t in range(3):
        matrix = cv2.getRotationMatrix2D((256.0, 190.0), 8.0 * t - 10.0, 0.8 + 0.2 * t)
        matrix[:, 2] += (8.0 * t, -5.0 * t)
        moved = cv2.warpAffine(photo, matrix, photo.shape[1::-1], borderMode=cv2.BORDER_REFLECT)
        frames.append(cv2.resize(moved, (320, 320), interpolation=cv2.INTER_AREA))
    return write_video(tmp_path_factory.mktemp("clip") / "clip.mp4", frames)


@pytest.fixture(scope="module")
def tpsmm_path(tmp_path_factory) -> Path:
    """Named like the authors' vox file, so the loader picks vox's size and face flag."""
    path = tmp_path_factory.mktemp("tpsmm") / "vox.pth.tar"
    torch.save(random_checkpoint(NARROW, seed=5), path)
    return path


@pytest.fixture(scope="module")
def fomm_path(tmp_path_factory) -> Path:
    from poseanim.fomm import random_checkpoint as fomm_checkpoint

    path = tmp_path_factory.mktemp("fomm") / "vox-cpk.pth.tar"
    return save_legacy(fomm_checkpoint(tiny_fomm("vox-256")), path)


@pytest.fixture(scope="module")
def tpsmm(tpsmm_path):
    return load_checkpoint(tpsmm_path)


@pytest.fixture
def raster(run_cli, clip):
    def run(checkpoint: Path, output: Path, *options: str, driving: Path = clip):
        return run_cli("raster", "--source", PHOTO, "--driving", driving,
                       "--checkpoint", checkpoint, "-o", output, *options)  # fmt: skip

    return run


# --- API -----------------------------------------------------------------------------------


def test_load_checkpoint_tells_the_model_from_the_file(tpsmm, fomm_path):
    assert tpsmm.kind == "tpsmm"
    assert tpsmm.config.frame_size == 256 and tpsmm.config.face
    assert tpsmm.config.num_tps == 4 and tpsmm.modes == ("relative", "standard", "avd")
    fomm = load_checkpoint(fomm_path)
    assert fomm.kind == "fomm" and fomm.config.name == "vox-256" and fomm.config.frame_size == 64
    assert fomm.modes == ("relative", "standard")


# The tests that animate the 256² TPSMM (5-25 s of CPU each) run in the full suite only.
@pytest.mark.slow
def test_one_interface_for_both_models(tpsmm, fomm_path, photo):
    source = photo.astype(np.float32) / 255.0
    driving = np.stack([cv2.resize(source, (200, 200))] * 2)
    fomm = load_checkpoint(fomm_path)
    for model in (tpsmm, fomm):
        frames = model.animate(source, driving, mode="standard")
        size = model.config.frame_size  # TPSMM 256, the tiny FOMM 64
        assert frames.shape == (2, size, size, 3) and np.isfinite(frames).all()
        stream = model.start(source, mode="standard")
        np.testing.assert_array_equal(stream.step(driving[0]), frames[0])
    # FOMM's own API agrees with the common one (absolute = standard)
    np.testing.assert_array_equal(
        fomm.network.animate(source, driving, relative=False),
        fomm.animate(source, driving, mode="absolute"),
    )
    with pytest.raises(PoseanimError, match="FOMM has no mode 'avd' \\(avd is a TPSMM mode\\)"):
        fomm.start(source, mode="avd")


def test_model_flag_that_contradicts_the_file(fomm_path, tpsmm_path):
    with pytest.raises(PoseanimError, match="is a First Order Motion Model checkpoint, not"):
        load_checkpoint(fomm_path, model="tpsmm")
    with pytest.raises(PoseanimError, match="is a Thin-Plate Spline Motion Model checkpoint, not"):
        load_checkpoint(tpsmm_path, model="fomm")
    with pytest.raises(PoseanimError, match="unknown raster model 'first'"):
        load_checkpoint(tpsmm_path, model="first")


def test_neither_model(tmp_path):
    path = tmp_path / "weights.pth"
    torch.save({"state_dict": {"fc.weight": torch.zeros(2, 2)}}, path)
    with pytest.raises(PoseanimError, match="neither a First Order.*found state_dict"):
        load_checkpoint(path)


# --- command line --------------------------------------------------------------------------


@pytest.mark.slow
def test_cli_tpsmm_writes_the_animation_with_progress(raster, tpsmm_path, tpsmm, clip, tmp_path,
                                                    photo):
    output = tmp_path / "out.mp4"
    code, out, err = raster(tpsmm_path, output, "--threads", "2")
    assert code == 0, err
    assert "3 frames, 256×256" in out and "animating" in err and "3/3 frames" in err
    frames = read_clip(output)
    assert len(frames) == 3 and frames[0].shape == (256, 256, 3)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.mp4"]
    # the video holds the API's frames up to compression (of the driving clip too: loosely)
    driving = [f.astype(np.float32) / 255.0 for f in read_clip(clip)]
    expected = tpsmm.animate(photo.astype(np.float32) / 255.0, driving)
    assert np.abs(np.stack(frames) / 255.0 - expected).mean() < 0.08


@pytest.mark.slow
def test_cli_avd_mode_to_png_frames(raster, tpsmm_path, tmp_path):
    output = tmp_path / "frames"
    code, _, err = raster(tpsmm_path, output, "--mode", "avd")
    assert code == 0, err
    names = sorted(p.name for p in output.iterdir())
    assert names == ["frame_000001.png", "frame_000002.png", "frame_000003.png"]


@pytest.mark.slow
def test_cli_face_crop_paste_back_and_best_frame(raster, tpsmm_path, tmp_path, photo):
    output = tmp_path / "faces.mp4"
    code, _, err = raster(tpsmm_path, output, "--crop-faces", "--paste-back", "--best-frame")
    assert code == 0, err
    assert "finding faces" in err
    frames = read_clip(output)
    assert len(frames) == 3 and frames[0].shape == photo.shape
    # outside the face square the photo is untouched (up to compression)
    assert np.abs(frames[0][400:, :100].astype(float) - photo[400:, :100]).mean() < 6


@pytest.mark.slow
def test_cli_fomm_through_raster(raster, fomm_path, tmp_path):
    output = tmp_path / "out.gif"
    code, out, err = raster(fomm_path, output, "--model", "fomm", "--mode", "standard")
    assert code == 0, err
    assert "3 frames, 64×64" in out


@pytest.mark.slow
def test_cli_keeps_the_audio(raster, tpsmm_path, clip, tmp_path):
    ffmpeg = ffmpeg_executable()
    talk = tmp_path / "talk.mp4"
    tone = ["-f", "lavfi", "-i", "sine=frequency=440:duration=1"]
    subprocess.run([ffmpeg, "-v", "error", "-i", str(clip), *tone, "-c:v", "copy", "-c:a", "aac",
                    str(talk)], check=True)  # fmt: skip
    output = tmp_path / "out.mp4"
    code, _, err = raster(tpsmm_path, output, driving=talk)
    assert code == 0, err
    streams = subprocess.run([ffmpeg, "-i", str(output)], capture_output=True, text=True).stderr
    assert "Audio: aac" in streams


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--model", "fomm"], "is a Thin-Plate Spline Motion Model checkpoint, not a First"),
        (["--config", "ted-999"], "unknown TPSMM config 'ted-999'"),
        (["--config", "mgif-256"], "fg_encoder.fc.weight (40, 512) instead of (100, 512)"),
        (["--paste-back"], "--paste-back needs --crop-faces"),
    ],
)
def test_cli_errors_are_one_line(raster, tpsmm_path, tmp_path, options, message):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    code, _, err = raster(tpsmm_path, out_dir / "out.mp4", *options)
    assert code == 1
    assert message in err
    assert err.count("\n") == 1 and err.startswith("poseanim: error: ")
    assert list(out_dir.iterdir()) == []


def test_cli_refuses_a_pickle_that_would_run_code(raster, tmp_path):
    marker = tmp_path / "code-ran"
    path = tmp_path / "vox.pth.tar"
    torch.save({"inpainting_network": RunsCode(marker)}, path)
    code, _, err = raster(path, tmp_path / "out.mp4")
    assert code == 1 and "refused to load" in err and "\n" not in err.rstrip("\n")
    assert not marker.exists()


def test_cli_without_torch_explains_the_extra(run_cli, monkeypatch):
    hide_torch(monkeypatch)
    code, _, err = run_cli("raster")
    assert code == 1
    assert 'pip install "poseanim[fomm]"' in err
    code, out, _ = run_cli("raster", "--help")
    assert code == 0 and "--checkpoint" in out and "--mode" in out
