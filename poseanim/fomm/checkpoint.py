"""Reading the authors' checkpoint files (`vox-cpk.pth.tar`, `taichi-cpk.pth.tar`).

A checkpoint is a torch.save'd dict: `generator`, `discriminator`, `kp_detector`, the three
`optimizer_*` states and `epoch`. The releases use the legacy (pre-zip) pickle format with
CUDA storages; only `kp_detector` and `generator` are needed, and they are loaded strictly.
"""

from __future__ import annotations

import pickle
import re
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import torch
from torch import nn

from poseanim.errors import PoseanimError
from poseanim.fomm.animation import FommModel
from poseanim.fomm.config import FommConfig, get_config
from poseanim.fomm.generator import OcclusionAwareGenerator
from poseanim.fomm.keypoint_detector import KeypointDetector

NETWORKS = ("kp_detector", "generator")
# how many differing keys an architecture error names before it only counts the rest
_KEYS_SHOWN = 3


def build_networks(config: FommConfig) -> tuple[KeypointDetector, OcclusionAwareGenerator]:
    """Untrained networks with the layout of `config`, in eval mode."""
    return KeypointDetector(config).eval(), OcclusionAwareGenerator(config).eval()


def _looks_like_torch_file(path: Path) -> bool:
    """Cheap check before unpickling: a torch zip archive or a legacy pickle stream.

    torch.save writes a zip holding `<name>/data.pkl` since torch 1.6, and before that (the
    published releases) a bare pickle stream whose first opcode is PROTO (0x80, protocol 2).
    """
    try:
        with path.open("rb") as file:
            head = file.read(2)
    except OSError as error:
        raise PoseanimError(f"cannot read {path}: {error.strerror or error}") from None
    if head[:1] == b"\x80" and head[1:2] in (b"\x02", b"\x03", b"\x04", b"\x05"):
        return True
    if head == b"PK" and zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            return any(name.endswith("/data.pkl") for name in archive.namelist())
    return False


def read_torch_file(path: str | Path) -> Any:
    """The object torch.save wrote at `path`, tensors on the CPU; PoseanimError if it is not
    a torch file, is damaged, or holds anything but plain weights and numbers.

    Unpickled with weights_only=True: torch's restricted unpickler rebuilds tensors, dicts,
    lists and numbers only, so a file crafted to run code when loaded is refused instead of
    run. The authors' published checkpoints hold nothing else.
    """
    path = Path(path)
    if not path.is_file():
        reason = "is a directory" if path.is_dir() else "not found"
        raise PoseanimError(f"checkpoint {reason}: {path}")
    if not _looks_like_torch_file(path):
        if path.read_bytes()[:2] == b"PK":  # a zip without its central directory at the end
            raise PoseanimError(
                f"{path} could not be read as a PyTorch checkpoint (damaged or truncated?): "
                "the archive is incomplete; download it again"
            )
        raise PoseanimError(
            f"{path} is not a PyTorch checkpoint (expected a file written by torch.save)"
        )
    try:
        return torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as error:
        if "Unsupported global" in str(error):
            found = _refused_global(str(error))
            raise PoseanimError(
                f"refused to load {path}: it holds Python objects{found} that could run code "
                "when loaded, which a published checkpoint never does; delete it and download "
                "the checkpoint again from the authors' release"
            ) from None
        raise _damaged(path, error) from None
    except Exception as error:  # a damaged pickle can fail in any way; the user needs one line
        raise _damaged(path, error) from None


def _refused_global(message: str) -> str:
    """` (such as os.system)`: the global torch's unpickler refused, if its message names one."""
    match = re.search(r"Unsupported global: GLOBAL ([\w.]+)", message)
    return f" ({match.group(1)})" if match else ""


def _damaged(path: Path, error: Exception) -> PoseanimError:
    """The one-line error for a torch file that fails to unpickle."""
    detail = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return PoseanimError(
        f"{path} could not be read as a PyTorch checkpoint (damaged or truncated?): {detail}"
    )


def read_checkpoint(path: str | Path) -> dict[str, Any]:
    """The FOMM checkpoint dict at `path`, tensors on the CPU; PoseanimError if it is not one."""
    return check_entries(read_torch_file(path), path)


def check_entries(checkpoint: Any, path: str | Path) -> dict[str, Any]:
    """`checkpoint` (read from `path`) if it has the FOMM entries; PoseanimError otherwise
    (a Thin-Plate Spline Motion Model checkpoint is named as such)."""
    return require_entries(
        checkpoint, path, "First Order Motion Model", NETWORKS,
        other=("inpainting_network", "Thin-Plate Spline Motion Model",
               "--model tpsmm (poseanim raster)"),
    )  # fmt: skip


def require_entries(
    checkpoint: Any,
    path: str | Path,
    model: str,
    networks: Iterable[str],
    other: tuple[str, str, str],
) -> dict[str, Any]:
    """`checkpoint` as a dict if it holds every entry of `networks` (as mappings); otherwise
    a PoseanimError that names `model`, or, when the file has the key `other[0]`, says it is
    the `other[1]` model's checkpoint and to use it with `other[2]`."""
    key, other_model, use = other
    if isinstance(checkpoint, Mapping) and key in checkpoint:
        raise PoseanimError(
            f"{path} is a {other_model} checkpoint, not a {model} one; use it with {use}"
        )
    names = list(networks)
    if not isinstance(checkpoint, Mapping) or any(
        not isinstance(checkpoint.get(name), Mapping) for name in names
    ):
        raise PoseanimError(
            f"{path} is not a {model} checkpoint: expected "
            + ", ".join(f"'{name}'" for name in names)
            + f" entries, found {entries(checkpoint)}"
        )
    return dict(checkpoint)


def named_config(path: str | Path, names: Iterable[str]) -> str | None:
    """The configuration a file's name points at (`taichi-cpk.pth.tar` → taichi-256), if
    exactly one of `names` has its first word at the start of a word of the file name."""
    words = re.split(r"[^a-z0-9]+", Path(path).name.lower())
    named = [
        name for name in names if any(word.startswith(name.split("-")[0]) for word in words)
    ]
    return named[0] if len(named) == 1 else None


def entries(checkpoint: Any) -> str:
    """What a loaded file holds, for an error message: its keys or its type."""
    if isinstance(checkpoint, Mapping):
        return ", ".join(map(str, checkpoint)) or "nothing"
    return type(checkpoint).__name__


def _strip_data_parallel(state: Mapping[str, Any]) -> dict[str, Any]:
    """Keys without the `module.` prefix that nn.DataParallel adds when a model is re-saved."""
    return {key.removeprefix("module."): value for key, value in state.items()}


def _listed(keys: list[str]) -> str:
    """`a, b, c and 4 more`: a few keys by name, the rest counted."""
    shown = ", ".join(keys[:_KEYS_SHOWN])
    rest = len(keys) - _KEYS_SHOWN
    return f"{shown} and {rest} more" if rest > 0 else shown


def key_differences(expected: Mapping[str, Any], state: Mapping[str, Any]) -> list[str]:
    """How the keys of a state dict differ from a network's: missing, unexpected and
    reshaped keys, a few named each; empty when they agree."""
    missing = sorted(expected.keys() - state.keys())
    unexpected = sorted(state.keys() - expected.keys())
    reshaped = sorted(
        key
        for key in expected.keys() & state.keys()
        if not isinstance(state[key], torch.Tensor) or state[key].shape != expected[key].shape
    )
    problems = []
    if missing:
        problems.append(f"{len(missing)} missing ({_listed(missing)})")
    if unexpected:
        problems.append(f"{len(unexpected)} unexpected ({_listed(unexpected)})")
    if reshaped:
        details = [
            f"{key} {tuple(getattr(state[key], 'shape', ()))} "
            f"instead of {tuple(expected[key].shape)}"
            for key in reshaped
        ]
        problems.append(f"{len(reshaped)} with another shape ({_listed(details)})")
    return problems


def load_state(
    network: nn.Module,
    state: Mapping[str, Any],
    where: str,
    model: str = "First Order Motion Model",
) -> None:
    """Load `state` into `network` strictly; on any difference say which keys differ.

    The network takes the checkpoint's tensors themselves (`assign`), so it may be built on
    torch's meta device: every parameter and buffer is in a strict checkpoint.

    `where` names the checkpoint part in the message, e.g. "vox-cpk.pth.tar [generator]";
    `model` the architecture it was expected to be.
    """
    state = _strip_data_parallel(state)
    problems = key_differences(network.state_dict(), state)
    if problems:
        raise PoseanimError(
            f"{where} does not match the {model} architecture; keys: "
            + "; ".join(problems)
            + f" (is it a {model} checkpoint for this --config?)"
        )
    network.load_state_dict(state, strict=True, assign=True)


def load_networks(checkpoint: Mapping[str, Any], config: FommConfig, name: str) -> FommModel:
    """A FommModel from a checkpoint dict already read, loaded strictly as `config`."""
    with torch.device("meta"):  # no weights filled only to be overwritten: loading assigns
        kp_detector, generator = build_networks(config)
    load_state(kp_detector, checkpoint["kp_detector"], f"{name} [kp_detector]")
    load_state(generator, checkpoint["generator"], f"{name} [generator]")
    return FommModel(config, kp_detector, generator)


def _settings(config: str | FommConfig) -> FommConfig:
    """`config` itself, or the published configuration of that name."""
    return config if isinstance(config, FommConfig) else get_config(config)


def load_checkpoint(path: str | Path, config: str | FommConfig = "vox-256") -> FommModel:
    """A ready FommModel from an authors' checkpoint file such as `vox-cpk.pth.tar`.

    config: a published configuration's name or a FommConfig (a smaller layout, as tests use).
    """
    settings = _settings(config)
    return load_networks(read_checkpoint(path), settings, Path(path).name)


def randomise(network: nn.Module, rng: torch.Generator) -> None:
    """Seeded weights that keep activations in a usable range (He-scaled convolutions and
    linear layers, norms with non-trivial scales and batch statistics) so tests exercise
    every stage. Covers the layer types of both raster models."""
    for module in network.modules():
        if isinstance(module, (nn.Conv2d, nn.Linear)):
            fan_in = module.weight[0].numel()
            module.weight.copy_(
                torch.randn(module.weight.shape, generator=rng) * (2.0 / fan_in) ** 0.5
            )
            if module.bias is not None:
                module.bias.copy_(torch.randn(module.bias.shape, generator=rng) * 0.05)
        elif isinstance(module, (nn.BatchNorm1d, nn.BatchNorm2d, nn.InstanceNorm2d)):
            size = module.num_features
            module.weight.copy_(0.8 + 0.4 * torch.rand(size, generator=rng))
            module.bias.copy_(torch.randn(size, generator=rng) * 0.1)
            mean, var, count = module.running_mean, module.running_var, module.num_batches_tracked
            if mean is not None and var is not None and count is not None:  # tracks statistics
                mean.copy_(torch.randn(size, generator=rng) * 0.1)
                var.copy_(0.5 + torch.rand(size, generator=rng))
                count.fill_(1000)


def random_checkpoint(config: str | FommConfig = "vox-256", seed: int = 0) -> dict[str, Any]:
    """A checkpoint dict in the authors' layout with seeded random weights.

    For tests and benchmarks: the published weights cannot be shipped. Jacobian heads start
    near identity, as the authors initialise them, so the affine frames stay invertible; the
    last generator layer is damped so outputs spread over (0, 1) instead of saturating.
    `discriminator` and the optimiser states are placeholders that inference never reads.
    """
    settings = _settings(config)
    kp_detector, generator = build_networks(settings)
    rng = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for network in (kp_detector, generator):
            randomise(network, rng)
        jacobian = kp_detector.jacobian
        jacobian.weight.mul_(0.01)
        if jacobian.bias is not None:  # the published layout has one
            jacobian.bias.copy_(torch.tensor([1.0, 0.0, 0.0, 1.0]).repeat(settings.num_kp))
        generator.final.weight.mul_(0.15)
    empty_optimizer = {
        "state": {},
        "param_groups": [{"lr": 2e-4, "betas": (0.5, 0.999), "params": []}],
    }
    return {
        "generator": generator.state_dict(),
        "discriminator": {},
        "kp_detector": kp_detector.state_dict(),
        "optimizer_generator": empty_optimizer,
        "optimizer_discriminator": empty_optimizer,
        "optimizer_kp_detector": empty_optimizer,
        "epoch": 99,
    }
