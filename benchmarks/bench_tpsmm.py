"""Seconds per frame of the TPSMM raster mode on the CPU, per configuration, plain versus
optimised.

    python benchmarks/bench_tpsmm.py [--frames 3] [--threads 2] [--configs vox-256 ted-384]

The baseline runs the networks as the authors' demo does (eval mode, torch.no_grad, one
frame at a time, the inpainting network encoding the source again and the dense motion
network downsampling it and drawing its keypoint heatmaps again for every frame). Each
following row adds one optimisation; the last is what `poseanim.tpsmm` runs. vox-256,
taichi-256 and mgif-256 run the same networks at 256² (only their weights differ), so
vox-256 stands for all three unless asked for by name; ted-384 runs them at 384². Weights are
seeded random ones in the published layout (the time does not depend on their values); the
frames are the astronaut photo turning. The optimised frames must equal the baseline's
within 1e-3 (float32 rounding, a quarter of an 8-bit level).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

try:
    import torch
except ImportError:
    print('skipped: the TPSMM benchmark needs torch: pip install "poseanim[fomm]"')
    sys.exit(0)

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_fomm import PHOTO, Variant, compare_rows, driving_frames  # noqa: E402

from poseanim.fomm.animation import area_scale  # noqa: E402
from poseanim.fomm.frames import from_model, to_model  # noqa: E402
from poseanim.sources import read_image  # noqa: E402
from poseanim.tpsmm import CONFIGS, TpsmmModel, random_checkpoint  # noqa: E402
from poseanim.tpsmm.checkpoint import build_networks  # noqa: E402

FOMM_DEMO_SECONDS = 1.0  # the FOMM authors' code on a 2-core CPU, 256² (shared/fomm/CHECKPOINT.md)
AUTHORS_RATIO = 2.4  # TPSMM's demo costs about 2.4× FOMM's per frame at 256² (CHECKPOINT.md)
TOLERANCE = 1e-3


VARIANTS = [
    Variant("baseline: eval + no_grad, as the demo"),
    Variant("+ inference_mode", inference_mode=True),
    Variant("+ source encoded once", inference_mode=True, cache_source=True),
    Variant("+ batch norms folded", inference_mode=True, cache_source=True, fuse=True),
    Variant(
        "+ channels_last", inference_mode=True, cache_source=True, fuse=True, channels_last=True
    ),
]
NETWORKS = ("kp_detector", "dense_motion_network", "inpainting_network", "avd_network")


class Runner:
    """One variant's networks, animating frames one at a time in relative mode."""

    def __init__(self, variant: Variant, config_name: str, checkpoint: dict, source) -> None:
        self.variant = variant
        self.size = CONFIGS[config_name].frame_size
        networks = build_networks(CONFIGS[config_name])
        for name in NETWORKS:
            networks[name].load_state_dict(checkpoint[name])
        self.kp_detector = networks["kp_detector"]
        self.dense_motion = networks["dense_motion_network"]
        self.inpainting = networks["inpainting_network"]
        if variant.fuse:
            self.kp_detector.fg_encoder.fuse()
        self.layout = torch.channels_last if variant.channels_last else torch.contiguous_format
        for network in (self.kp_detector, self.dense_motion, self.inpainting):
            network.to(memory_format=self.layout)
        self.grad_off: Callable[[], contextlib.AbstractContextManager] = (
            torch.inference_mode if variant.inference_mode else torch.no_grad
        )
        with self.grad_off():
            self.source = self.tensor(source)
            self.kp_source = self.kp_detector(self.source)
            self.prepared = self.dense_motion.prepare(self.source, self.kp_source)
            self.features = self.inpainting.encode(self.source)
        self.reference: torch.Tensor | None = None
        self.scale = 1.0

    def tensor(self, image: np.ndarray) -> torch.Tensor:
        return to_model(image, self.size, "frame").contiguous(memory_format=self.layout)

    def step(self, frame: np.ndarray) -> np.ndarray:
        with self.grad_off():
            kp_driving = self.kp_detector(self.tensor(frame))
            if self.reference is None:
                self.reference = kp_driving
                self.scale = area_scale(self.kp_source[0], kp_driving[0])
            keypoints = (kp_driving - self.reference) * self.scale + self.kp_source
            if self.variant.cache_source:
                motion = self.dense_motion(self.prepared, keypoints)
                prediction = self.inpainting.decode(self.source, self.features, motion)
            else:
                motion = self.dense_motion(
                    self.dense_motion.prepare(self.source, self.kp_source), keypoints
                )
                prediction = self.inpainting(self.source, motion)
            return from_model(prediction).copy()


def bench_config(name: str, frames: int, source: np.ndarray) -> bool:
    """Print one configuration's table; False when the optimised frames drift."""
    checkpoint = random_checkpoint(name, seed=0)
    size = CONFIGS[name].frame_size
    driving = driving_frames(source, frames)
    runners = [Runner(variant, name, checkpoint, source) for variant in VARIANTS]
    networks = build_networks(CONFIGS[name])
    for part in NETWORKS:
        networks[part].load_state_dict(checkpoint[part])
    api = TpsmmModel(CONFIGS[name], *(networks[part] for part in NETWORKS)).start(source)
    steps = [runner.step for runner in runners] + [api.step]
    names = [variant.name for variant in VARIANTS] + ["poseanim.tpsmm: start(...).step"]
    print(f"\nTPSMM {name} ({size}×{size}), {frames} frames per row")
    return compare_rows(names, steps, driving) <= TOLERANCE


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--frames", type=int, default=3, help="timed frames per row (default 3)")
    parser.add_argument("--threads", type=int, default=2, help="torch CPU threads (default 2)")
    parser.add_argument(
        "--configs", nargs="+", default=["vox-256", "ted-384"], choices=sorted(CONFIGS),
        help="configurations to time (default: vox-256, standing for the 256² ones, and ted-384)",
    )  # fmt: skip
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    with contextlib.suppress(RuntimeError):  # allowed only before any parallel work
        torch.set_num_interop_threads(1)
    source = read_image(PHOTO).astype(np.float32) / 255.0
    print(
        f"TPSMM, torch {torch.__version__}, {torch.get_num_threads()} threads, "
        f"{torch.get_num_interop_threads()} inter-op thread(s)"
    )
    drifted = [name for name in args.configs if not bench_config(name, args.frames, source)]
    print(
        f"\nthe authors' demo on this kind of machine: about "
        f"{AUTHORS_RATIO * FOMM_DEMO_SECONDS:.1f} s/frame at 256² (2.4× FOMM's 1 s)"
    )
    if drifted:
        print(
            f"FAIL: optimised frames differ from the baseline by more than {TOLERANCE} "
            f"({', '.join(drifted)})",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
