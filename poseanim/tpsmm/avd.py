"""Animation via disentanglement (AVD): keypoints that take the pose from the driving frame
and the identity (face or body shape) from the source, for sources unlike the driver.

Three MLPs: an identity encoder of the source keypoints, a pose encoder of the driving ones,
and a decoder of both codes back to keypoints. Batch norms run on their running statistics.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn.utils.fusion import fuse_linear_bn_eval

from poseanim.tpsmm.config import TpsmmConfig

_HIDDEN = (256, 512, 1024)


def _mlp(sizes: list[int]) -> nn.Sequential:
    """Linear → BatchNorm1d → ReLU for each hidden size, then a plain Linear.

    The positions (0, 1, 2 = ReLU, 3, …) are the checkpoint's key names.
    """
    layers: list[nn.Module] = []
    for inputs, outputs in zip(sizes[:-2], sizes[1:-1], strict=True):
        layers += [nn.Linear(inputs, outputs), nn.BatchNorm1d(outputs), nn.ReLU()]
    layers.append(nn.Linear(sizes[-2], sizes[-1]))
    return nn.Sequential(*layers)


def _fuse_mlp(mlp: nn.Sequential) -> None:
    """Fold each eval-mode BatchNorm1d into the Linear before it, in place."""
    for index in range(1, len(mlp)):
        linear, norm = mlp[index - 1], mlp[index]
        if isinstance(norm, nn.BatchNorm1d) and isinstance(linear, nn.Linear):
            mlp[index - 1] = fuse_linear_bn_eval(linear, norm)
            mlp[index] = nn.Identity()


class AvdNetwork(nn.Module):
    """(source keypoints (N, K, 2), driving keypoints (N, K, 2)) → (N, K, 2) keypoints."""

    def __init__(self, config: TpsmmConfig) -> None:
        super().__init__()
        size = 2 * config.num_kp
        params = config.avd
        self.id_encoder = _mlp([size, *_HIDDEN, params.id_bottle_size])
        self.pose_encoder = _mlp([size, *_HIDDEN, params.pose_bottle_size])
        self.decoder = _mlp(
            [params.pose_bottle_size + params.id_bottle_size, *_HIDDEN[::-1], size]
        )

    def forward(self, kp_source: torch.Tensor, kp_driving: torch.Tensor) -> torch.Tensor:
        batch = kp_source.shape[0]
        pose = self.pose_encoder(kp_driving.reshape(batch, -1))
        identity = self.id_encoder(kp_source.reshape(batch, -1))
        return self.decoder(torch.cat([pose, identity], dim=1)).reshape(kp_source.shape)

    def fuse(self) -> None:
        """Fold the batch norms into the linear layers; call after loading weights."""
        for mlp in (self.id_encoder, self.pose_encoder, self.decoder):
            _fuse_mlp(mlp)
