"""Pictures to files and data URIs, by suffix, written whole."""

from __future__ import annotations

import base64

import cv2
import numpy as np
import pytest

from poseanim.render.images import encode_image, photo_data_uri, write_image


@pytest.fixture
def picture() -> np.ndarray:
    rgb = np.zeros((20, 30, 3), np.uint8)
    rgb[:, :10] = (255, 0, 0)
    rgb[:, 20:] = (0, 0, 255)
    return rgb


def test_a_png_keeps_every_pixel_and_its_colour_order(picture, tmp_path):
    path = write_image(tmp_path / "p.png", picture)
    back = cv2.cvtColor(cv2.imread(str(path)), cv2.COLOR_BGR2RGB)
    assert np.array_equal(back, picture)


def test_transparency_survives_as_rgba(tmp_path):
    rgba = np.zeros((4, 4, 4), np.uint8)
    rgba[..., 1] = 200
    rgba[:2, :, 3] = 255
    back = cv2.imread(str(write_image(tmp_path / "a.png", rgba)), cv2.IMREAD_UNCHANGED)
    assert np.array_equal(cv2.cvtColor(back, cv2.COLOR_BGRA2RGBA), rgba)


def test_the_suffix_picks_the_type_and_an_unknown_one_writes_png(picture, tmp_path):
    assert write_image(tmp_path / "p.jpg", picture).read_bytes()[:2] == b"\xff\xd8"
    assert write_image(tmp_path / "p.xyz", picture).read_bytes()[:4] == b"\x89PNG"
    assert encode_image(picture, ".webp")[8:12] == b"WEBP"


def test_a_photo_embeds_as_a_jpeg_data_uri(picture):
    uri = photo_data_uri(picture)
    assert uri.startswith("data:image/jpeg;base64,")
    decoded = cv2.imdecode(np.frombuffer(base64.b64decode(uri.split(",", 1)[1]), np.uint8),
                           cv2.IMREAD_COLOR)
    assert decoded.shape == picture.shape
    assert np.abs(cv2.cvtColor(decoded, cv2.COLOR_BGR2RGB).astype(int) - picture).mean() < 8
