"""The animation step: move the source photo's keypoints the way the driving frames move.

Relative mode (the demo's default) transfers each driving frame's keypoint displacement from
the first driving frame onto the source keypoints, so the source keeps its own face shape;
absolute mode uses the driving keypoints as they are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence, Sized
from typing import Protocol

import numpy as np
import torch

from poseanim.errors import PoseanimError
from poseanim.fomm.blocks import fuse_batch_norms, set_memory_format
from poseanim.fomm.config import FommConfig
from poseanim.fomm.frames import from_model, to_model
from poseanim.fomm.generator import OcclusionAwareGenerator
from poseanim.fomm.keypoint_detector import KeypointDetector, Keypoints


def _cross(o: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
    """z of (a − o) × (b − o): positive when o → a → b turns left."""
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def _half_hull(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """One chain of Andrew's monotone-chain convex hull over points sorted along x."""
    chain: list[tuple[float, float]] = []
    for point in points:
        while len(chain) >= 2 and _cross(chain[-2], chain[-1], point) <= 0:
            chain.pop()
        chain.append(point)
    return chain


def hull_area(points: np.ndarray) -> float:
    """Area of the convex hull of (N, 2) points; 0 when they are collinear.

    Ten keypoints do not justify a scipy dependency for scipy.spatial.ConvexHull.
    """
    ordered = sorted(map(tuple, points.tolist()))
    hull = _half_hull(ordered)[:-1] + _half_hull(ordered[::-1])[:-1]
    if len(hull) < 3:
        return 0.0
    xs, ys = np.array(hull).T
    return float(abs(np.dot(xs, np.roll(ys, -1)) - np.dot(ys, np.roll(xs, -1))) / 2.0)


def movement_scale(kp_source: Keypoints, kp_reference: Keypoints) -> float:
    """sqrt(source hull area / reference hull area): how much bigger the source's keypoint
    spread is than the driving one's, so a small driving face moves a big source face as far.

    1 when the reference keypoints are collinear, where the ratio has no meaning.
    """
    return area_scale(kp_source.value[0], kp_reference.value[0])


def area_scale(source: torch.Tensor, reference: torch.Tensor) -> float:
    """sqrt(hull area of `source` / hull area of `reference`), both (K, 2) keypoints; 1 when
    the reference points are collinear."""
    reference_area = hull_area(reference.cpu().numpy())
    if reference_area == 0.0:
        return 1.0
    return float(np.sqrt(hull_area(source.cpu().numpy())) / np.sqrt(reference_area))


def transfer_relative(
    kp_source: Keypoints, kp_driving: Keypoints, kp_reference: Keypoints, scale: float
) -> Keypoints:
    """Source keypoints moved by the driving frame's motion since the reference frame.

    value = (driving − reference) · scale + source;
    jacobian = (J_driving · J_reference⁻¹) · J_source.
    """
    value = (kp_driving.value - kp_reference.value) * scale + kp_source.value
    jacobian = torch.matmul(
        torch.matmul(kp_driving.jacobian, torch.inverse(kp_reference.jacobian)), kp_source.jacobian
    )
    return Keypoints(value=value, jacobian=jacobian)


class Stream(Protocol):
    """What both raster models' streams offer: one driving frame in, one output frame out,
    the first frame (or the one given to set_reference) being the reference pose."""

    def set_reference(self, frame: np.ndarray) -> None: ...

    def step(self, frame: np.ndarray) -> np.ndarray: ...


def frames_from(
    start: Callable[[], Stream],
    driving: Iterable[np.ndarray],
    start_frame: int = 0,
    progress: Callable[[], None] | None = None,
) -> Iterator[np.ndarray]:
    """Output frames in driving order, computed lazily by streams that `start` makes.

    With start_frame > 0 (the demos' best frame), `driving` must be a sequence: frames
    start_frame…0 are animated backwards from start_frame as reference, then the rest
    forwards, and the two are joined; the backward part is held in memory until done.
    `progress` is called after each frame is computed.
    """
    report = progress or (lambda: None)
    if start_frame == 0:
        stream = start()
        for frame in driving:
            output = stream.step(frame)
            report()
            yield output
        return
    frames = driving if isinstance(driving, Sequence) else list(driving)
    if not 0 <= start_frame < len(frames):
        raise PoseanimError(
            f"start frame {start_frame} is outside the {len(frames)} driving frames"
        )
    backward_stream = start()
    backward = []
    for frame in frames[start_frame::-1]:
        backward.append(backward_stream.step(frame))
        report()
    yield from reversed(backward)
    forward_stream = start()
    forward_stream.set_reference(frames[start_frame])
    for frame in frames[start_frame + 1 :]:
        output = forward_stream.step(frame)
        report()
        yield output


def stacked(
    driving: Sized, frames: Callable[[], Iterable[np.ndarray]]
) -> np.ndarray:
    """Every output frame at once, (T, S, S, 3): what the models' `animate` returns for the
    lazy `frames` of a driving clip; PoseanimError for a clip without frames (before `frames`
    is asked for anything)."""
    if len(driving) == 0:
        raise PoseanimError("driving has no frames")
    return np.stack(list(frames()))


class FommStream:
    """Animates one source photo from driving frames given one at a time (live use).

    The first driving frame (or the one given to `set_reference`) is the reference pose of
    relative mode. Outputs equal `FommModel.animate` on the same frames.
    """

    def __init__(
        self, model: FommModel, source: np.ndarray, relative: bool, adapt_scale: bool
    ) -> None:
        self._model = model
        self.relative = relative
        self.adapt_scale = adapt_scale
        with torch.inference_mode():
            self._source = model.to_tensor(source, "source")
            self.source_keypoints = model.kp_detector(self._source)
            self._features = model.generator.encode(self._source)
        self._reference: Keypoints | None = None
        self.scale = 1.0

    def set_reference(self, frame: np.ndarray) -> None:
        """Make `frame` ((H, W, 3) float in [0, 1]) the pose that maps to the source's pose."""
        with torch.inference_mode():
            self._set_reference(self._model.keypoints_of(frame))

    def _set_reference(self, keypoints: Keypoints) -> Keypoints:
        """Make `keypoints` the driving reference (and the scale from it); returns them."""
        self._reference = keypoints
        self.scale = movement_scale(self.source_keypoints, keypoints) if self.adapt_scale else 1.0
        return keypoints

    def keypoints(self, frame: np.ndarray) -> Keypoints:
        """The keypoints that drive the generator for `frame`; the first call sets the reference."""
        with torch.inference_mode():
            return self._keypoints(self._model.keypoints_of(frame))

    def _keypoints(self, driving: Keypoints) -> Keypoints:
        if not self.relative:
            return driving
        reference = self._reference if self._reference is not None else self._set_reference(driving)
        return transfer_relative(self.source_keypoints, driving, reference, self.scale)

    def step(self, frame: np.ndarray) -> np.ndarray:
        """Driving frame (H, W, 3) float in [0, 1] → output (256, 256, 3) float32 in [0, 1]."""
        with torch.inference_mode():
            keypoints = self._keypoints(self._model.keypoints_of(frame))
            prediction = self._model.generator.decode(
                self._source, self._features, keypoints, self.source_keypoints
            )
            return from_model(prediction)


class FommModel:
    """A loaded FOMM: keypoint detector and generator in eval mode, tuned for CPU inference.

    Takes the networks over: their batch norms are folded into the convolutions in place and
    they switch to the channels-last layout; outputs stay equal to the plain networks' within
    float32 rounding: keypoints to about 1e-5, frames to 1e-5 … 5e-4 depending on the weights
    (never more than one 8-bit level; see benchmarks/bench_fomm.py).
    """

    def __init__(
        self, config: FommConfig, kp_detector: KeypointDetector, generator: OcclusionAwareGenerator
    ) -> None:
        self.config = config
        self.kp_detector = kp_detector.eval()
        self.generator = generator.eval()
        for network in (self.kp_detector, self.generator):
            fuse_batch_norms(network)
            set_memory_format(network, torch.channels_last)
            network.requires_grad_(False)

    def to_tensor(self, image: np.ndarray, what: str) -> torch.Tensor:
        """(H, W, 3) float image in [0, 1] → (1, 3, 256, 256) channels-last model input."""
        return to_model(image, self.config.frame_size, what).contiguous(
            memory_format=torch.channels_last
        )

    def keypoints_of(self, image: np.ndarray) -> Keypoints:
        """The detector's keypoints of one (H, W, 3) float image in [0, 1]."""
        with torch.inference_mode():
            return self.kp_detector(self.to_tensor(image, "driving frame"))

    def start(
        self, source: np.ndarray, relative: bool = True, adapt_scale: bool = True
    ) -> FommStream:
        """A stream animating `source` ((H, W, 3) float in [0, 1]) one driving frame at a time."""
        return FommStream(self, source, relative=relative, adapt_scale=adapt_scale)

    def frames(
        self,
        source: np.ndarray,
        driving: Iterable[np.ndarray],
        relative: bool = True,
        adapt_scale: bool = True,
        start_frame: int = 0,
        progress: Callable[[], None] | None = None,
    ) -> Iterator[np.ndarray]:
        """Output frames (256, 256, 3) in driving order, computed lazily (see `frames_from`)."""
        return frames_from(
            lambda: self.start(source, relative, adapt_scale), driving, start_frame, progress
        )

    def animate(
        self,
        source: np.ndarray,
        driving: np.ndarray | Sequence[np.ndarray],
        relative: bool = True,
        adapt_scale: bool = True,
        start_frame: int = 0,
    ) -> np.ndarray:
        """Animate `source` (H, W, 3) with `driving` (T, H', W', 3), both float in [0, 1].

        Returns (T, 256, 256, 3) float32 in [0, 1]. relative=False is absolute mode, which
        ignores adapt_scale. start_frame: see `frames`.
        """
        return stacked(
            driving, lambda: self.frames(source, driving, relative, adapt_scale, start_frame)
        )
