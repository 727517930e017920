"""The binding cache (`poseanim.binding_cache`): a drawing bound once is read back equal, a
changed drawing is another key, and a broken or unwritable cache only costs a new binding."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import poseanim.binding_cache as binding_cache
from poseanim.cache_folder import CACHE_ENV
from poseanim.illustration import Illustration
from poseanim.rig.reader import read_rigged_svg
from poseanim.rigging.editing import RigDocument
from svg_factory import core_template_joints, limb_shapes, rigged_svg, skeleton_group

FOLDER = []


def drawing(shift: float = 0.0):
    """The test figure, its left wrist moved by `shift` (read from a file, as commands do)."""
    joints = core_template_joints()
    if shift:
        joints = dict(joints, leftWrist=joints["leftWrist"] + shift)
    path = FOLDER[-1] / f"figure{shift}.svg"
    path.write_text(rigged_svg(limb_shapes(joints), skeleton_group(joints)))
    return read_rigged_svg(path)


@pytest.fixture(autouse=True)
def drawings(tmp_path_factory):
    FOLDER.append(tmp_path_factory.mktemp("drawings"))


def assert_same(a, b) -> None:
    """Every array of two bindings (nested dataclasses, block tuples) equal."""
    if dataclasses.is_dataclass(a):
        for field in dataclasses.fields(a):
            assert_same(getattr(a, field.name), getattr(b, field.name))
    elif isinstance(a, tuple):
        assert len(a) == len(b)
        for x, y in zip(a, b):
            assert_same(x, y)
    elif isinstance(a, np.ndarray):
        assert a.dtype == b.dtype
        np.testing.assert_array_equal(a, b)
    else:
        assert a == b


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "bindings"))
    binds = []
    real = binding_cache.bind

    def counted(*args):
        binds.append(args)
        return real(*args)

    monkeypatch.setattr(binding_cache, "bind", counted)
    return tmp_path / "bindings", binds


@pytest.mark.parametrize("mode", ["shape", "pa"])
def test_a_drawing_bound_once_is_read_back_equal(cache, mode):
    folder, binds = cache
    first = Illustration(drawing(), "x", mode)
    second = Illustration(drawing(), "x", mode)
    assert len(binds) == 1 and len(list(folder.glob("*.npz"))) == 1
    assert_same(first.binding, second.binding)
    np.testing.assert_array_equal(first.pose(first.rest_pose()).points,
                                  second.pose(second.rest_pose()).points)
    Illustration(drawing(), "x", "pa" if mode == "shape" else "shape")  # the other mode
    Illustration(drawing(shift=3.0), "x", mode)  # a moved joint
    assert len(binds) == 3 and len(list(folder.glob("*.npz"))) == 3


@pytest.mark.parametrize("damage", ["truncated", "flipped", "not a zip", "empty"])
def test_a_broken_entry_is_bound_again_and_rewritten(cache, damage):
    folder, binds = cache
    expected = Illustration(drawing(), "x").binding
    (entry,) = folder.glob("*.npz")
    data = entry.read_bytes()
    entry.write_bytes({"truncated": data[: len(data) // 2],
                       "flipped": data[:200] + bytes([data[200] ^ 0xFF]) + data[201:],
                       "not a zip": b"PK not really",
                       "empty": b""}[damage])
    assert_same(Illustration(drawing(), "x").binding, expected)
    assert len(binds) == 2 and entry.read_bytes() == data  # rewritten whole
    Illustration(drawing(), "x")
    assert len(binds) == 2


def _huge_claim(arrays: dict) -> None:
    """Replace `weight` by a member whose header claims 10¹³ floats (valid CRC, 8 bytes)."""
    arrays["weight"] = None


CRAFTED = {  # entries with valid CRCs, as only someone who can write the cache folder makes them
    "a header claiming 10^13 floats": _huge_claim,
    "a weight short": lambda a: a.update(weight=a["weight"][:-1]),
    "a point's row short": lambda a: a.update({"layout.source": a["layout.source"][:-1]}),
    "a block one column wide": lambda a: a.update({"block0.matrix": a["block0.matrix"][:, :1]}),
    "a block of one row more": lambda a: a.update({"block0.matrix": np.concatenate(
        [a["block0.matrix"], a["block0.matrix"][:1]])}),
    "a NaN weight": lambda a: a["weight"].__setitem__(0, np.nan),
    "a NaN coefficient": lambda a: a["block0.matrix"].__setitem__((0, 0), np.nan),
    "an infinite rest point": lambda a: a["layout.origin"].__setitem__((0, 0), np.inf),
    "integer coefficients": lambda a: a.update({"block0.matrix": a["block0.matrix"].astype(int)}),
}


@pytest.mark.parametrize("craft", CRAFTED)
def test_a_crafted_entry_is_ignored_and_bound_again(cache, craft):
    """Not a crash at reading (MemoryError), nor at posing (ValueError, IndexError), nor NaN
    points: a miss, bound again and rewritten."""
    import io
    import zipfile

    folder, binds = cache
    expected = Illustration(drawing(), "x").binding
    (entry,) = folder.glob("*.npz")
    data = entry.read_bytes()
    with np.load(entry) as stored:
        arrays = {name: stored[name].copy() for name in stored.files}
    CRAFTED[craft](arrays)
    buffer = io.BytesIO()
    np.savez(buffer, **{name: array for name, array in arrays.items() if array is not None})
    if arrays["weight"] is None:
        with zipfile.ZipFile(buffer, "a") as archive, archive.open("weight.npy", "w") as member:
            np.lib.format.write_array_header_1_0(
                member, {"descr": "<f8", "fortran_order": False, "shape": (10**13,)})
            member.write(bytes(8))
    entry.write_bytes(buffer.getvalue())
    again = Illustration(drawing(), "x")
    assert_same(again.binding, expected)
    assert np.isfinite(again.pose(again.rest_pose()).points).all()
    assert len(binds) == 2 and entry.read_bytes() == data  # rewritten whole


def test_an_unwritable_cache_only_costs_the_binding(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(CACHE_ENV, str(blocker / "bindings"))
    expected = Illustration(drawing(), "x").binding
    monkeypatch.setenv(CACHE_ENV, "off")
    assert_same(Illustration(drawing(), "x").binding, expected)
    assert list(tmp_path.iterdir()) == [blocker]  # no temporary file left behind


def test_the_least_recently_used_entries_go(cache, monkeypatch):
    folder, _ = cache
    Illustration(drawing(1.0), "x", "pa")
    (entry,) = folder.glob("*.npz")
    monkeypatch.setattr(binding_cache, "MAX_BYTES", 2.5 * entry.stat().st_size)
    for shift in (2.0, 3.0):
        Illustration(drawing(shift), "x", "pa")
    assert len(list(folder.glob("*.npz"))) == 2 and not entry.exists()
    assert not list(folder.glob(".*"))  # no temporary files


def test_the_rig_editors_dragged_joints_leave_no_entry_behind(cache):
    """Each position of a dragged joint is bound once and thrown away: caching it would only
    fill the cache folder."""
    folder, _ = cache
    path = FOLDER[-1] / "figure.svg"
    joints = core_template_joints()
    path.write_text(rigged_svg(limb_shapes(joints), skeleton_group(joints)))
    document = RigDocument.open(path)
    opened = sorted(folder.glob("*.npz"))
    for shift in (3.0, 6.0, 9.0):
        dragged = document.rebound(dict(joints, leftWrist=joints["leftWrist"] + shift))
        assert dragged is not None and np.isfinite(dragged.rest_points).all()
    assert sorted(folder.glob("*.npz")) == opened
