"""Outputs appear whole or not at all, with the permissions users expect."""

from __future__ import annotations

import os
import stat

import pytest

from poseanim.atomic import atomic_folder, atomic_output, check_writable, write_bytes_atomic
from poseanim.errors import PoseanimError


def test_a_file_written_atomically_replaces_the_old_one_and_leaves_nothing_behind(tmp_path):
    target = tmp_path / "out.svg"
    target.write_bytes(b"old")
    write_bytes_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.svg"]
    mask = os.umask(0o022)
    os.umask(mask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~mask


def test_a_failure_while_writing_keeps_the_old_file_and_removes_the_temporary(tmp_path):
    target = tmp_path / "out.png"
    target.write_bytes(b"good")
    with pytest.raises(RuntimeError, match="disk full"):
        with atomic_output(target) as temporary:
            temporary.write_bytes(b"half")
            raise RuntimeError("disk full")
    assert target.read_bytes() == b"good"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.png"]


@pytest.mark.parametrize("where, words", [("missing/out.svg", "does not exist"),
                                          ("folder", "it is a folder")])
def test_an_output_that_cannot_be_written_is_refused_before_any_work(tmp_path, where, words):
    (tmp_path / "folder").mkdir()
    with pytest.raises(PoseanimError, match=words):
        check_writable(tmp_path / where)


def test_a_folder_replaces_only_an_earlier_result(tmp_path):
    target = tmp_path / "frames"
    with atomic_folder(target, lambda folder: True) as temporary:
        (temporary / "frame_000001.png").write_bytes(b"1")
    assert [p.name for p in target.iterdir()] == ["frame_000001.png"]
    (target / "mine.txt").write_text("the user's own file")
    with pytest.raises(PoseanimError):
        with atomic_folder(target, lambda folder: False) as temporary:
            (temporary / "frame_000001.png").write_bytes(b"2")
    assert (target / "mine.txt").read_text() == "the user's own file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["frames"]
