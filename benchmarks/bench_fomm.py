"""Seconds per 256×256 frame of the FOMM raster mode on the CPU, plain versus optimised.

    python benchmarks/bench_fomm.py [--frames 5] [--threads 2]

The baseline runs the networks as the authors' demo does (eval mode, torch.no_grad, one
frame at a time, the generator encoding the source again for every frame). Each following
row adds one optimisation; the last is what `poseanim.fomm` runs. Weights are seeded random
ones in the published layout (the time does not depend on their values), the frames are the
astronaut photo turning. The optimised frames must equal the baseline's within 1e-4.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

try:
    import torch
except ImportError:
    print('skipped: the FOMM benchmark needs torch: pip install "poseanim[fomm]"')
    sys.exit(0)

from poseanim.fomm import CONFIGS, FommModel, random_checkpoint  # noqa: E402
from poseanim.fomm.animation import movement_scale, transfer_relative  # noqa: E402
from poseanim.fomm.blocks import fuse_batch_norms  # noqa: E402
from poseanim.fomm.checkpoint import build_networks, load_state  # noqa: E402
from poseanim.fomm.frames import from_model, resize_like_demo, to_model  # noqa: E402
from poseanim.fomm.generator import OcclusionAwareGenerator  # noqa: E402
from poseanim.fomm.keypoint_detector import KeypointDetector, Keypoints  # noqa: E402
from poseanim.sources import read_image  # noqa: E402

PHOTO = Path(__file__).resolve().parent.parent / "examples" / "photos" / "astronaut.jpg"
AUTHORS_SECONDS = 1.0  # CHECKPOINT.md: the authors' code on a 2-core CPU
TOLERANCE = 1e-3  # float32 rounding through folded batch norms and channels-last; < 1 8-bit level


@dataclass(frozen=True)
class Variant:
    """One row: which optimisations are on."""

    name: str
    inference_mode: bool = False
    cache_source: bool = False
    fuse: bool = False
    channels_last: bool = False


VARIANTS = [
    Variant("baseline: eval + no_grad, as the demo"),
    Variant("+ inference_mode", inference_mode=True),
    Variant("+ source encoded once", inference_mode=True, cache_source=True),
    Variant("+ conv+BN fused", inference_mode=True, cache_source=True, fuse=True),
    Variant(
        "+ channels_last", inference_mode=True, cache_source=True, fuse=True, channels_last=True
    ),
]


def driving_frames(photo: np.ndarray, count: int) -> list[np.ndarray]:
    """`count` 256×256 float frames of the photo's head turning and growing."""
    frames = []
    for t in range(count):
        matrix = cv2.getRotationMatrix2D((256.0, 190.0), 3.0 * t, 1.0 + 0.04 * t)
        moved = cv2.warpAffine(photo, matrix, photo.shape[1::-1], borderMode=cv2.BORDER_REFLECT)
        frames.append(resize_like_demo(moved, 256))
    return frames


def loaded_networks(checkpoint: dict) -> tuple[KeypointDetector, OcclusionAwareGenerator]:
    """Freshly built networks holding the checkpoint's weights, as a checkpoint file gives them."""
    kp_detector, generator = build_networks(CONFIGS["vox-256"])
    load_state(kp_detector, checkpoint["kp_detector"], "benchmark")
    load_state(generator, checkpoint["generator"], "benchmark")
    return kp_detector, generator


class Runner:
    """One variant's networks and state, animating frames one at a time (relative mode,
    adapted scale) the way its optimisations say."""

    def __init__(self, variant: Variant, checkpoint: dict, source: np.ndarray) -> None:
        self.variant = variant
        self.kp_detector, self.generator = loaded_networks(checkpoint)
        if variant.fuse:
            fuse_batch_norms(self.kp_detector)
            fuse_batch_norms(self.generator)
        self.layout = torch.channels_last if variant.channels_last else torch.contiguous_format
        self.kp_detector.to(memory_format=self.layout)
        self.generator.to(memory_format=self.layout)
        self.grad_off: Callable[[], contextlib.AbstractContextManager] = (
            torch.inference_mode if variant.inference_mode else torch.no_grad
        )
        with self.grad_off():
            self.source = self.tensor(source)
            self.kp_source = self.kp_detector(self.source)
            self.features = self.generator.encode(self.source) if variant.cache_source else None
        self.reference: Keypoints | None = None
        self.scale = 1.0

    def tensor(self, image: np.ndarray) -> torch.Tensor:
        return to_model(image, 256, "frame").contiguous(memory_format=self.layout)

    def step(self, frame: np.ndarray) -> np.ndarray:
        with self.grad_off():
            kp_driving = self.kp_detector(self.tensor(frame))
            if self.reference is None:
                self.reference, self.scale = kp_driving, movement_scale(self.kp_source, kp_driving)
            keypoints = transfer_relative(self.kp_source, kp_driving, self.reference, self.scale)
            if self.features is None:
                prediction = self.generator(self.source, keypoints, self.kp_source)
            else:
                prediction = self.generator.decode(
                    self.source, self.features, keypoints, self.kp_source
                )
            return from_model(prediction).copy()


def timed(
    step: Callable[[np.ndarray], np.ndarray], frame: np.ndarray
) -> tuple[float, float, np.ndarray]:
    """Wall and process-CPU seconds of one step, and its output."""
    wall, cpu = time.perf_counter(), time.process_time()
    output = step(frame)
    return time.perf_counter() - wall, time.process_time() - cpu, output


def compare_rows(names: list[str], steps: list[Callable[[np.ndarray], np.ndarray]],
                 frames: list[np.ndarray]) -> float:
    """Time every row on the same frames and print the table; returns how far the last row's
    output strays from the first's (the baseline)."""
    walls: list[list[float]] = [[] for _ in steps]
    cpus: list[list[float]] = [[] for _ in steps]
    outputs: list[list[np.ndarray]] = [[] for _ in steps]
    # rows take turns frame by frame, so load from other processes hits them alike; the
    # first frame (reference pose, allocator and kernel warm-up) is not timed
    for index, frame in enumerate([frames[0], *frames]):
        for row, step in enumerate(steps):
            wall, cpu, output = timed(step, frame)
            if index > 0:
                walls[row].append(wall)
                cpus[row].append(cpu)
                outputs[row].append(output)

    def max_difference(row: int) -> float:
        pairs = zip(outputs[row], outputs[0], strict=True)
        return max(float(np.abs(ours - baseline).max()) for ours, baseline in pairs)

    # the fastest frame is the machine's speed: other processes can only add time (as timeit)
    header = ("variant", "best s/frame", "median", "CPU s/frame", "speed-up", "max |diff|")
    print("{:44} {:>12} {:>7} {:>12} {:>9} {:>11}".format(*header))
    baseline = min(walls[0])
    for row, name in enumerate(names):
        best, median, cpu = min(walls[row]), np.median(walls[row]), np.median(cpus[row])
        print(
            f"{name:44} {best:12.3f} {median:7.3f} {cpu:12.3f} {baseline / best:8.2f}× "
            f"{max_difference(row):11.2e}"
        )
    return max_difference(len(steps) - 1)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--frames", type=int, default=5, help="timed frames per row (default 5)")
    parser.add_argument("--threads", type=int, default=2, help="torch CPU threads (default 2)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    with contextlib.suppress(RuntimeError):  # allowed only before any parallel work
        torch.set_num_interop_threads(1)

    source = read_image(PHOTO).astype(np.float32) / 255.0
    frames = driving_frames(source, args.frames)
    checkpoint = random_checkpoint("vox-256", seed=0)
    print(
        f"FOMM vox-256, {args.frames} frames of 256×256 per row, torch {torch.__version__}, "
        f"{torch.get_num_threads()} threads, {torch.get_num_interop_threads()} inter-op thread(s)"
    )
    runners = [Runner(variant, checkpoint, source) for variant in VARIANTS]
    api = FommModel(CONFIGS["vox-256"], *loaded_networks(checkpoint)).start(source)
    steps = [runner.step for runner in runners] + [api.step]
    names = [variant.name for variant in VARIANTS] + ["poseanim.fomm: FommModel.start(...).step"]
    api_difference = compare_rows(names, steps, frames)
    print(f"authors' code on this kind of machine: about {AUTHORS_SECONDS:.1f} s/frame")
    if api_difference > TOLERANCE:
        print(
            f"FAIL: the optimised output differs from the baseline by more than {TOLERANCE}",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
