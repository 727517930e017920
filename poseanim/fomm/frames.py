"""Images in and out of the model: validation at the API edge and the demo's 256×256 resize.

The authors' demo resizes with `skimage.transform.resize` (Gaussian anti-aliasing with
sigma = (factor − 1) / 2, mirrored edges, then bilinear sampling at pixel centres). The same
steps are done here with OpenCV so that scikit-image is not needed and inputs match.
"""

from __future__ import annotations

import cv2
import numpy as np
import torch

from poseanim.errors import PoseanimError

# scipy.ndimage.gaussian_filter's default: the kernel reaches 4 sigma on each side
_TRUNCATE = 4.0
# resampling a [0, 1] image elsewhere can overshoot by rounding; that is not a user error
_RANGE_SLACK = 1e-3


def _gaussian_taps(sigma: float) -> np.ndarray:
    """Normalised 1-D Gaussian kernel, (2r + 1,) float64; [1] when sigma is 0."""
    radius = int(_TRUNCATE * sigma + 0.5)
    if radius == 0:
        return np.ones(1)
    taps = np.exp(-0.5 * (np.arange(-radius, radius + 1) / sigma) ** 2)
    return taps / taps.sum()


def _resize_axis(image: np.ndarray, size: int, axis: int) -> np.ndarray:
    """Bilinear resize of one axis (0: rows, 1: columns) to `size`, sampling at pixel centres.

    OpenCV clamps samples that fall outside the image to its edge pixel; scikit-image mirrors
    them about the edge pixel's centre. Only an upscaled axis has such samples (its outermost
    output lines, less than half an input pixel outside), so those lines are recomputed as the
    mirrored blend of the edge line and its neighbour.
    """
    count = image.shape[axis]
    shape = (image.shape[1], size) if axis == 0 else (size, image.shape[0])
    resized = cv2.resize(image, shape, interpolation=cv2.INTER_LINEAR)
    if 1 < count < size:
        position = (np.arange(size) + 0.5) * count / size - 0.5
        for outside, edge, inner, distance in (
            (position < 0, 0, 1, -position),
            (position > count - 1, count - 1, count - 2, position - (count - 1)),
        ):
            lines = np.flatnonzero(outside)
            if lines.size == 0:
                continue
            weight = np.expand_dims(distance[lines], tuple(a for a in range(image.ndim) if a != axis))
            edge_line = np.take(image, [edge], axis=axis)
            inner_line = np.take(image, [inner], axis=axis)
            blended = (1 - weight) * edge_line + weight * inner_line
            index: list[slice | np.ndarray] = [slice(None)] * image.ndim
            index[axis] = lines
            resized[tuple(index)] = blended.astype(resized.dtype)
    return resized


def resize_like_demo(image: np.ndarray, size: int) -> np.ndarray:
    """Resize (H, W, C) float32 to (size, size, C) the way skimage.transform.resize does."""
    height, width = image.shape[:2]
    sigma_y = max(0.0, (height / size - 1.0) / 2.0)
    sigma_x = max(0.0, (width / size - 1.0) / 2.0)
    if sigma_x > 0 or sigma_y > 0:
        image = cv2.sepFilter2D(
            image,
            -1,
            _gaussian_taps(sigma_x),
            _gaussian_taps(sigma_y),
            borderType=cv2.BORDER_REFLECT_101,
        )
    return _resize_axis(_resize_axis(image, size, 1), size, 0)


def check_image(image: np.ndarray, what: str) -> np.ndarray:
    """`image` as (H, W, 3) float32 if it is a float RGB(A) image in [0, 1], else PoseanimError.

    An alpha channel is dropped, as the demo does; values off [0, 1] by rounding are clipped.
    """
    if not isinstance(image, np.ndarray) or image.ndim != 3 or image.shape[2] not in (3, 4):
        shape = getattr(image, "shape", type(image).__name__)
        raise PoseanimError(f"{what} must be an (H, W, 3) RGB array, got {shape}")
    if not np.issubdtype(image.dtype, np.floating):
        raise PoseanimError(
            f"{what} must be float in [0, 1], got {image.dtype}; divide 8-bit images by 255"
        )
    rgb = image[:, :, :3]
    if (
        rgb.size == 0
        or not np.isfinite(rgb).all()
        or rgb.min() < -_RANGE_SLACK
        or rgb.max() > 1.0 + _RANGE_SLACK
    ):
        raise PoseanimError(f"{what} must hold finite values in [0, 1]")
    return np.clip(rgb, 0.0, 1.0).astype(np.float32)


def to_model(image: np.ndarray, size: int, what: str) -> torch.Tensor:
    """Checked (H, W, 3) float image → (1, 3, size, size) float32 tensor."""
    resized = resize_like_demo(check_image(image, what), size)
    return torch.from_numpy(resized).permute(2, 0, 1)[None].contiguous()


def to_uint8(image: np.ndarray) -> np.ndarray:
    """Float image in [0, 1] → uint8, rounded to nearest as skimage's img_as_ubyte (the demo)."""
    return np.rint(np.clip(image, 0.0, 1.0) * 255.0).astype(np.uint8)


def from_model(prediction: torch.Tensor) -> np.ndarray:
    """(1, 3, H, W) model output → (H, W, 3) float32 numpy image in [0, 1]."""
    return prediction[0].permute(1, 2, 0).contiguous().numpy()
