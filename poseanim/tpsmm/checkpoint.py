"""Reading the authors' TPSMM checkpoint files (vox.pth.tar, taichi.pth.tar, ted.pth.tar,
mgif.pth.tar).

A checkpoint is a torch.save'd dict: `inpainting_network`, `dense_motion_network`,
`kp_detector`, `optimizer`, `epoch`, and where trained that far `bg_predictor` (with its
optimiser), `avd_network` (with `optimizer_avd`). The authors' demo loads the first three
strictly and `avd_network` when present; `bg_predictor` is checked here but never used.
The file reading and strict key check are the FOMM mode's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any, NamedTuple

import torch
from torch import nn

from poseanim.errors import PoseanimError
from poseanim.fomm.checkpoint import (
    key_differences,
    load_state,
    named_config,
    randomise,
    read_torch_file,
    require_entries,
)
from poseanim.tpsmm.animation import TpsmmModel
from poseanim.tpsmm.avd import AvdNetwork
from poseanim.tpsmm.config import CONFIGS, TpsmmConfig, get_config
from poseanim.tpsmm.dense_motion import DenseMotionNetwork
from poseanim.tpsmm.inpainting import InpaintingNetwork
from poseanim.tpsmm.keypoint_detector import KeypointDetector
from poseanim.tpsmm.resnet import ResNet18

NETWORKS = ("kp_detector", "dense_motion_network", "inpainting_network")
MODEL = "Thin-Plate Spline Motion Model"


def build_networks(config: TpsmmConfig) -> dict[str, nn.Module]:
    """Untrained networks with the layout of `config`, in eval mode, by checkpoint entry.

    Within `with torch.device("meta")` they cost no memory, which is how layouts are
    compared before anything is allocated.
    """
    return dict(Networks.build(config)._asdict())


class BackgroundPredictor(nn.Module):
    """The checkpoint's `bg_predictor` layout: a ResNet-18 on source and driving stacked,
    regressing six affine parameters of the background. Training and reconstruction use
    it; the demo does not, so it is built only to check its keys and to write test files."""

    def __init__(self, config: TpsmmConfig) -> None:
        super().__init__()
        self.bg_encoder = ResNet18(2 * config.num_channels, 6)


class Networks(NamedTuple):
    """Every network a checkpoint holds, each as its own class, named by checkpoint entry."""

    kp_detector: KeypointDetector
    dense_motion_network: DenseMotionNetwork
    inpainting_network: InpaintingNetwork
    avd_network: AvdNetwork
    bg_predictor: BackgroundPredictor

    @classmethod
    def build(cls, config: TpsmmConfig) -> Networks:
        """Untrained networks with the layout of `config`, in eval mode."""
        return cls(KeypointDetector(config).eval(), DenseMotionNetwork(config).eval(),
                   InpaintingNetwork(config).eval(), AvdNetwork(config).eval(),
                   BackgroundPredictor(config).eval())


def read_checkpoint(path: str | Path) -> dict[str, Any]:
    """The TPSMM checkpoint dict at `path`; PoseanimError if it is not one."""
    return check_entries(read_torch_file(path), path)


def check_entries(checkpoint: Any, path: str | Path) -> dict[str, Any]:
    """`checkpoint` (read from `path`) if it has the TPSMM entries; PoseanimError otherwise
    (a First Order Motion Model checkpoint is named as such)."""
    return require_entries(
        checkpoint, path, MODEL, NETWORKS,
        other=("generator", "First Order Motion Model",
               "--model fomm (poseanim raster) or poseanim fomm"),
    )  # fmt: skip


def infer_config(path: str | Path, checkpoint: Mapping[str, Any]) -> TpsmmConfig:
    """The configuration of a checkpoint: its shapes decide the layout; the published four
    share theirs, so the file name (vox, taichi, ted, mgif) picks among them, then the
    presence of a background predictor (mgif has none); otherwise vox-256.

    A layout none of them has (a model trained with other widths) is read off the shapes,
    with the frame size and face flag of the configuration the file name points at.
    """
    named = named_config(path, CONFIGS)
    layouts = [name for name in CONFIGS if _fits(CONFIGS[name], checkpoint)]
    if not layouts:
        derived = _layout_from_shapes(checkpoint, CONFIGS[named or "vox-256"])
        if derived is not None and _fits(derived, checkpoint):
            return derived
        return CONFIGS["vox-256"]  # loading as vox-256 then names the differing keys
    if named in layouts:
        return CONFIGS[named]
    if "bg_predictor" not in checkpoint and "mgif-256" in layouts:
        return CONFIGS["mgif-256"]
    return CONFIGS["vox-256"] if "vox-256" in layouts else CONFIGS[layouts[0]]


def _layout_from_shapes(checkpoint: Mapping[str, Any], like: TpsmmConfig) -> TpsmmConfig | None:
    """`like` with the TPS count and network widths and depths the checkpoint's shapes show;
    None when the keys that tell them are missing."""
    try:
        head = _unprefixed(checkpoint["kp_detector"])["fg_encoder.fc.weight"]
        motion = _widths(checkpoint["dense_motion_network"], "hourglass.encoder.down_blocks")
        inpainting = _widths(checkpoint["inpainting_network"], "down_blocks")
        first = _unprefixed(checkpoint["inpainting_network"])["first.conv.weight"]
    except (KeyError, AttributeError):
        return None
    if not motion or not inpainting:
        return None
    num_kp = head.shape[0] // 2
    return replace(
        like,
        name=f"{like.name.split('-')[0]}-{num_kp // like.points_per_tps}tps-custom",
        num_tps=num_kp // like.points_per_tps,
        dense_motion=replace(
            like.dense_motion,
            block_expansion=motion[0] // 2,
            max_features=max(motion),
            num_blocks=len(motion),
        ),
        inpainting=replace(
            like.inpainting,
            block_expansion=first.shape[0],
            max_features=max(inpainting),
            num_down_blocks=len(inpainting),
        ),
    )


def _widths(state: Mapping[str, Any], prefix: str) -> list[int]:
    """Output channels of the blocks `prefix.0`, `prefix.1`, … of a state dict."""
    state = _unprefixed(state)
    widths: list[int] = []
    while f"{prefix}.{len(widths)}.conv.weight" in state:
        widths.append(int(state[f"{prefix}.{len(widths)}.conv.weight"].shape[0]))
    return widths


def _fits(config: TpsmmConfig, checkpoint: Mapping[str, Any]) -> bool:
    """Whether every network the demo loads has `config`'s keys and shapes."""
    with torch.device("meta"):
        networks = build_networks(config)
    return all(
        not key_differences(networks[name].state_dict(), _unprefixed(checkpoint[name]))
        for name in NETWORKS
    )


def _unprefixed(state: Mapping[str, Any]) -> dict[str, Any]:
    return {key.removeprefix("module."): value for key, value in state.items()}


def load_networks(
    checkpoint: Mapping[str, Any], config: TpsmmConfig, name: str
) -> TpsmmModel:
    """A TpsmmModel from a checkpoint dict already read, loaded strictly as `config`."""
    with torch.device("meta"):  # no weights filled only to be overwritten: loading assigns
        networks = Networks.build(config)  # bg_predictor: checked below, never run
    for part in NETWORKS:
        load_state(getattr(networks, part), checkpoint[part], f"{name} [{part}]", MODEL)
    avd = None
    if isinstance(checkpoint.get("avd_network"), Mapping):
        avd = networks.avd_network
        load_state(avd, checkpoint["avd_network"], f"{name} [avd_network]", MODEL)
    _check_background(checkpoint, config, name)
    return TpsmmModel(
        config,
        networks.kp_detector,
        networks.dense_motion_network,
        networks.inpainting_network,
        avd,
    )


def _check_background(checkpoint: Mapping[str, Any], config: TpsmmConfig, name: str) -> None:
    """A background predictor must have the published layout, and only where the
    configuration was trained with one (mgif-256 was not)."""
    state = checkpoint.get("bg_predictor")
    if state is None:
        return
    if not config.background:
        shown = ", ".join(list(_unprefixed(state))[:3])
        raise PoseanimError(
            f"{name} has a bg_predictor ({len(state)} keys: {shown}, …), which {config.name} "
            "was trained without; it is a vox-256, taichi-256 or ted-384 checkpoint: pass "
            "that --config"
        )
    with torch.device("meta"):
        expected = BackgroundPredictor(config).state_dict()
    problems = key_differences(expected, _unprefixed(state))
    if problems:
        raise PoseanimError(
            f"{name} [bg_predictor] does not match the {MODEL} architecture; keys: "
            + "; ".join(problems)
        )


def load_checkpoint(path: str | Path, config: str | TpsmmConfig | None = None) -> TpsmmModel:
    """A ready TpsmmModel from an authors' checkpoint file such as `vox.pth.tar`.

    config: a published configuration's name, a TpsmmConfig, or None to infer it from the
    checkpoint (see `infer_config`).
    """
    checkpoint = read_checkpoint(path)
    if config is None:
        settings = infer_config(path, checkpoint)
    elif isinstance(config, TpsmmConfig):
        settings = config
    else:
        settings = get_config(config)
    return load_networks(checkpoint, settings, Path(path).name)


def random_checkpoint(
    config: str | TpsmmConfig = "vox-256", seed: int = 0, avd: bool = True
) -> dict[str, Any]:
    """A checkpoint dict in the authors' layout (as train_avd.py writes it) with seeded random
    weights, for tests and benchmarks: the published weights cannot be shipped.

    The keypoint head is damped and its biases spread, so keypoints lie apart inside the frame
    and move a little with the image, as trained ones do; the inpainting network's last layer
    is damped so outputs spread over (0, 1) instead of saturating. avd=False leaves out the
    AVD network (a checkpoint of train.py). Optimiser states are empty placeholders.
    """
    settings = config if isinstance(config, TpsmmConfig) else get_config(config)
    built = Networks.build(settings)
    networks: dict[str, nn.Module] = dict(built._asdict())
    if not settings.background:
        del networks["bg_predictor"]
    if not avd:
        del networks["avd_network"]
    rng = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for network in networks.values():
            randomise(network, rng)
        head = built.kp_detector.fg_encoder.fc
        head.weight.mul_(0.05)
        head.bias.copy_((torch.rand(head.bias.shape, generator=rng) * 2.0 - 1.0) * 1.5)
        built.inpainting_network.final.weight.mul_(0.15)
        last = built.avd_network.decoder[-1]
        if avd and isinstance(last, nn.Linear):  # the decoder ends with its output layer
            last.weight.mul_(0.05)
    empty_optimizer = {
        "state": {},
        "param_groups": [{"lr": 2e-4, "betas": (0.5, 0.999), "params": []}],
    }
    checkpoint: dict[str, Any] = {name: network.state_dict() for name, network in networks.items()}
    checkpoint["optimizer"] = empty_optimizer
    if avd:
        checkpoint["optimizer_avd"] = empty_optimizer
    if settings.background:
        checkpoint["optimizer_bg_predictor"] = empty_optimizer
    checkpoint["epoch"] = 99
    return checkpoint
