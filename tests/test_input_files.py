"""Input files that are missing, folders, unreadable or too large: one line each."""

from __future__ import annotations

import os

import pytest

from poseanim.errors import PoseanimError
from poseanim.input_files import read_input_bytes


def test_the_bytes_of_a_readable_file(tmp_path):
    path = tmp_path / "a.svg"
    path.write_bytes(b"<svg/>")
    assert read_input_bytes(path, "an SVG file") == b"<svg/>"


@pytest.mark.parametrize("make, words", [
    (lambda p: None, "no such file"),
    (lambda p: p.mkdir(), "is a folder, not an SVG file"),
    (lambda p: p.write_bytes(b"x" * 2_000_001), "files over 1 MB are refused as an SVG file"),
])
def test_each_failure_is_one_line(tmp_path, make, words):
    path = tmp_path / "in.svg"
    make(path)
    with pytest.raises(PoseanimError, match=words) as caught:
        read_input_bytes(path, "an SVG file", max_bytes=1_000_000)
    assert "\n" not in str(caught.value)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_an_unreadable_file_says_why(tmp_path):
    path = tmp_path / "locked.svg"
    path.write_bytes(b"<svg/>")
    path.chmod(0)
    with pytest.raises(PoseanimError, match="cannot read .*Permission denied"):
        read_input_bytes(path, "an SVG file")
