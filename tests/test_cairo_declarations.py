"""cairo's C declarations kept in the cache folder (`poseanim.cairo_declarations`): the second
start paints the same pixels without parsing the header, and a broken entry only costs a parse.

Each start is a fresh Python (the finder answers when cairocffi is first imported), with the
cache in a tmp folder (the tests run with it off)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PAINT = """
import hashlib, json, sys
from poseanim.illustration import load_illustration
from poseanim.render.cairo_painter import CairoPainter
from poseanim.tracking.track_file import load_track
character = load_illustration("ada")
frame = character.pose(load_track(sys.argv[1]).frames[0])
pixels = CairoPainter(character, (160, 200)).paint(frame)
print(json.dumps([hashlib.sha256(pixels.tobytes()).hexdigest(), "pycparser" in sys.modules,
                  type(sys.modules["cairocffi"].ffi).__module__]))
"""
STAR = Path(__file__).resolve().parent / "data" / "star_pose.json"


def start(folder) -> tuple[str, bool, str]:
    """(the painted pixels' digest, whether pycparser was imported, the FFI's module) of a
    fresh Python painting Ada in the star pose with the cache (bindings too) in `folder`."""
    environment = dict(os.environ, POSEANIM_CACHE=str(folder / "bindings"))
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    result = subprocess.run([sys.executable, "-c", PAINT, str(STAR)], capture_output=True, text=True,
                            check=True, env=environment)
    (line,) = result.stdout.strip().splitlines()  # storing prints nothing (cffi would say so)
    digest, parsed, kind = json.loads(line)
    return digest, parsed, kind


def test_the_second_start_paints_the_same_without_parsing_the_header(tmp_path):
    first = start(tmp_path)
    stored = list((tmp_path / "bindings").glob("cairo-*.marshal"))
    second = start(tmp_path)
    assert first[1] and first[2] == "cffi.api"  # cairocffi's own module, which parses
    assert len(stored) == 1 and not second[1] and second[2] == "_cffi_backend"
    assert second[0] == first[0]


def test_a_broken_entry_is_a_miss_and_is_written_again(tmp_path):
    reference = start(tmp_path)
    (entry,) = (tmp_path / "bindings").glob("cairo-*.marshal")
    for broken in (entry.read_bytes()[:1000], b"\x00garbage", b""):
        entry.write_bytes(broken)
        digest, parsed, _ = start(tmp_path)
        assert digest == reference[0] and parsed
        assert entry.read_bytes() != broken
    assert start(tmp_path) == (reference[0], False, "_cffi_backend")
