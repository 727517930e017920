"""Photos of every depth and layout, photos with transparency, and photos that lie about their
size: what `read_image` makes of them (the same array for tracking, --debug and --overlay)."""

from __future__ import annotations

import struct
import zlib

import cv2
import numpy as np
import pytest
from PIL import Image

from poseanim.errors import PoseanimError
from poseanim.sources import read_image

from conftest import PHOTO


@pytest.fixture(scope="module")
def astronaut() -> np.ndarray:
    return np.asarray(Image.open(PHOTO).convert("RGB"))


def _save(tmp_path, name: str, picture: Image.Image, **options):
    path = tmp_path / name
    picture.save(path, **options)
    return path


@pytest.mark.parametrize("mode, name", [("L", "grey.png"), ("P", "palette.png"),
                                        ("CMYK", "cmyk.jpg"), ("RGB", "plain.tiff")])
def test_every_layout_reads_as_8_bit_rgb_close_to_the_original(tmp_path, astronaut, mode, name):
    source = Image.fromarray(astronaut)
    converted = source.convert(mode) if mode != "P" else source.quantize(256)
    picture = read_image(_save(tmp_path, name, converted))
    assert picture.dtype == np.uint8 and picture.shape == astronaut.shape
    expected = np.asarray(converted.convert("RGB"), dtype=float)
    if mode == "L":
        expected = np.repeat(np.asarray(converted, dtype=float)[..., None], 3, axis=2)
    assert np.abs(picture.astype(float) - expected).mean() < 4.0  # JPEG/CMYK rounding only


def test_a_16_bit_photo_reads_as_its_8_bit_values(tmp_path, astronaut):
    sixteen = astronaut.astype(np.uint16) * 257
    path = tmp_path / "deep.png"
    assert cv2.imwrite(str(path), cv2.cvtColor(sixteen, cv2.COLOR_RGB2BGR))
    picture = read_image(path)
    assert picture.dtype == np.uint8
    assert np.abs(picture.astype(int) - astronaut.astype(int)).max() <= 1


@pytest.mark.parametrize("mode", ["RGBA", "LA", "P"])
def test_transparent_pixels_are_composited_on_white(tmp_path, astronaut, mode):
    alpha = np.zeros(astronaut.shape[:2], np.uint8)
    alpha[:, 256:] = 255  # left half fully transparent (and stored black), right half opaque
    alpha[:, 200:256] = 128
    stored = astronaut.copy()
    stored[:, :256] = 0
    rgba = Image.fromarray(np.dstack([stored, alpha]))
    if mode == "LA":
        rgba = rgba.convert("LA")
    elif mode == "P":
        rgba = rgba.convert("RGBA").quantize(255)  # palette with a transparent entry
    path = _save(tmp_path, f"alpha-{mode}.png", rgba)
    picture = read_image(path).astype(int)
    if mode != "P":  # quantising moves the half-transparent band; the rest holds for all
        assert np.abs(picture[:, 200:256] - (128 / 255 * stored[:, 200:256] + 127 / 255 * 255)).max() <= 2
    assert (picture[:, :190] >= 250).all()  # what was transparent is white, not black
    opaque = np.asarray(rgba.convert("RGB"), dtype=int)[:, 300:]
    assert np.abs(picture[:, 300:] - opaque).mean() < 1.0


def _png_claiming(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b""))


@pytest.mark.parametrize("size", [(100_000, 100_000), (30_000, 30_000)])
def test_a_header_claiming_too_many_pixels_is_refused_before_decoding(tmp_path, size):
    path = tmp_path / "claim.png"
    path.write_bytes(_png_claiming(*size))
    with pytest.raises(PoseanimError, match=rf"{size[0]}×{size[1]} pixels.*megapixels are refused"):
        read_image(path)


def test_the_photo_command_gives_one_line_for_a_bomb(tmp_path, run_cli):
    path = tmp_path / "claim.png"
    path.write_bytes(_png_claiming(100_000, 100_000))
    code, out, err = run_cli("image", str(path), "-i", "ada", "-o", str(tmp_path / "x.svg"))
    assert code == 1 and "100000×100000 pixels" in err and err.count("\n") == 1
    assert not (tmp_path / "x.svg").exists()
