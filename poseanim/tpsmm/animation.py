"""The animation step: move the source photo's keypoints the way the driving frames move,
in one of the authors' demo's three modes.

- standard: the driving keypoints as they are (the source takes the driver's shape too);
- relative (the demo's default): each driving frame's keypoint displacement since the first
  (reference) frame, scaled by sqrt(source hull area / reference hull area), added to the
  source keypoints;
- avd: the AVD network combines the driving pose with the source's identity.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence

import numpy as np
import torch

from poseanim.errors import PoseanimError
from poseanim.fomm.animation import area_scale, frames_from, stacked
from poseanim.fomm.blocks import set_memory_format
from poseanim.fomm.frames import from_model, to_model
from poseanim.tpsmm.avd import AvdNetwork
from poseanim.tpsmm.config import TpsmmConfig
from poseanim.tpsmm.dense_motion import DenseMotionNetwork
from poseanim.tpsmm.inpainting import InpaintingNetwork
from poseanim.tpsmm.keypoint_detector import KeypointDetector

MODES = ("relative", "standard", "avd")


class TpsmmStream:
    """Animates one source photo from driving frames given one at a time (live use).

    Everything that depends on the source alone (its keypoints, its encoder features, its
    downsampled copy and keypoint heatmaps) is computed once, here. Outputs equal
    `TpsmmModel.animate` on the same frames.
    """

    def __init__(
        self, model: TpsmmModel, source: np.ndarray, mode: str, adapt_scale: bool = True
    ) -> None:
        model.check_mode(mode)
        self._model = model
        self.mode = mode
        self.adapt_scale = adapt_scale
        with torch.inference_mode():
            self._source = model.to_tensor(source, "source")
            self.source_keypoints = model.kp_detector(self._source)
            self._features = model.inpainting_network.encode(self._source)
            self._motion_source = model.dense_motion_network.prepare(
                self._source, self.source_keypoints
            )
        self._reference: torch.Tensor | None = None
        self.scale = 1.0

    def set_reference(self, frame: np.ndarray) -> None:
        """Make `frame` ((H, W, 3) float in [0, 1]) the pose that maps to the source's pose."""
        with torch.inference_mode():
            self._set_reference(self._model.keypoints_of(frame))

    def _set_reference(self, keypoints: torch.Tensor) -> torch.Tensor:
        """Make `keypoints` the driving reference (and the scale from it); returns them."""
        self._reference = keypoints
        self.scale = (
            area_scale(self.source_keypoints[0], keypoints[0]) if self.adapt_scale else 1.0
        )
        return keypoints

    def keypoints(self, frame: np.ndarray) -> torch.Tensor:
        """The (1, K, 2) keypoints that drive the networks for `frame` (relative mode: the
        first call sets the reference)."""
        with torch.inference_mode():
            return self._keypoints(self._model.keypoints_of(frame))

    def _keypoints(self, driving: torch.Tensor) -> torch.Tensor:
        if self.mode == "standard":
            return driving
        if self.mode == "avd":
            assert self._model.avd_network is not None  # check_mode made sure
            return self._model.avd_network(self.source_keypoints, driving)
        reference = self._reference if self._reference is not None else self._set_reference(driving)
        return (driving - reference) * self.scale + self.source_keypoints

    def step(self, frame: np.ndarray) -> np.ndarray:
        """Driving frame (H, W, 3) float in [0, 1] → output (S, S, 3) float32 in [0, 1]."""
        with torch.inference_mode():
            keypoints = self._keypoints(self._model.keypoints_of(frame))
            motion = self._model.dense_motion_network(self._motion_source, keypoints)
            prediction = self._model.inpainting_network.decode(
                self._source, self._features, motion
            )
            return from_model(prediction)


class TpsmmModel:
    """A loaded TPSMM: keypoint detector, dense motion and inpainting networks (and the AVD
    network where the checkpoint has one) in eval mode, tuned for CPU inference.

    Takes the networks over: the batch norms (keypoint detector's ResNet, AVD MLPs) are folded
    into the layers before them and the convolutional networks switch to channels-last.
    The instance norms of the other two networks have nothing to fold.
    """

    def __init__(
        self,
        config: TpsmmConfig,
        kp_detector: KeypointDetector,
        dense_motion_network: DenseMotionNetwork,
        inpainting_network: InpaintingNetwork,
        avd_network: AvdNetwork | None = None,
        optimise: bool = True,
    ) -> None:
        self.config = config
        self.kp_detector = kp_detector.eval()
        self.dense_motion_network = dense_motion_network.eval()
        self.inpainting_network = inpainting_network.eval()
        self.avd_network = avd_network.eval() if avd_network is not None else None
        self.memory_format = torch.channels_last if optimise else torch.contiguous_format
        for network in (self.kp_detector, self.dense_motion_network, self.inpainting_network):
            set_memory_format(network, self.memory_format)
            network.requires_grad_(False)
        if optimise:
            self.kp_detector.fg_encoder.fuse()
            if self.avd_network is not None:
                self.avd_network.fuse()
        if self.avd_network is not None:
            self.avd_network.requires_grad_(False)

    def check_mode(self, mode: str) -> None:
        """PoseanimError unless this model can animate in `mode`."""
        if mode not in MODES:
            raise PoseanimError(
                f"unknown TPSMM mode {mode!r}; choose one of: {', '.join(MODES)}"
            )
        if mode == "avd" and self.avd_network is None:
            raise PoseanimError(
                "mode avd needs a checkpoint with an avd_network (trained with the authors' "
                "train_avd.py); this one has none: use relative or standard"
            )

    def to_tensor(self, image: np.ndarray, what: str) -> torch.Tensor:
        """(H, W, 3) float image in [0, 1] → (1, 3, S, S) model input, S the config's size."""
        return to_model(image, self.config.frame_size, what).contiguous(
            memory_format=self.memory_format
        )

    def keypoints_of(self, image: np.ndarray) -> torch.Tensor:
        """The detector's (1, K, 2) keypoints of one (H, W, 3) float image in [0, 1]."""
        with torch.inference_mode():
            return self.kp_detector(self.to_tensor(image, "driving frame"))

    def start(
        self, source: np.ndarray, mode: str = "relative", adapt_scale: bool = True
    ) -> TpsmmStream:
        """A stream animating `source` ((H, W, 3) float in [0, 1]) one driving frame at a time.

        adapt_scale=False (not in the authors' demo, which always adapts) keeps the driving
        motion's size in relative mode, as FOMM's --no-adapt-scale does.
        """
        return TpsmmStream(self, source, mode, adapt_scale)

    def frames(
        self,
        source: np.ndarray,
        driving: Iterable[np.ndarray],
        mode: str = "relative",
        start_frame: int = 0,
        progress: Callable[[], None] | None = None,
        adapt_scale: bool = True,
    ) -> Iterator[np.ndarray]:
        """Output frames (S, S, 3) in driving order, computed lazily (see `frames_from`)."""
        self.check_mode(mode)
        return frames_from(
            lambda: self.start(source, mode, adapt_scale), driving, start_frame, progress
        )

    def animate(
        self,
        source: np.ndarray,
        driving: np.ndarray | Sequence[np.ndarray],
        mode: str = "relative",
        start_frame: int = 0,
    ) -> np.ndarray:
        """Animate `source` (H, W, 3) with `driving` (T, H', W', 3), both float in [0, 1].

        Returns (T, S, S, 3) float32 in [0, 1], S = 256 (384 for ted-384).
        """
        return stacked(driving, lambda: self.frames(source, driving, mode, start_frame))
