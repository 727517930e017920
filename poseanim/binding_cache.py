"""Bindings kept on disk, so that a character bound once is bound at once the next time.

Binding a drawing (`skinning.bind`) is a fraction of a second to several seconds of CPU (the
shape-aware weights paint every shape's silhouette and test it against every bone), and every
command that loads a character does it again: `rig check` after each edit of another file,
`image` for each photo of a batch script, `video`, `live`. The binding is a pure function of
its inputs (the control points and their outlines, the skeleton, the domains, the mode) and of
poseanim's code, so it is cached under a key that hashes exactly those: the code as the SHA-256
of every module and table of the installed package, the inputs field by field. A changed
drawing, a moved joint, another mode or another version of poseanim is another key; nothing is
keyed on a file's name or date.

Where: `$POSEANIM_CACHE` if set (`off` turns the cache off), else the user's cache folder
(`$XDG_CACHE_HOME`, `~/Library/Caches` on macOS, `%LOCALAPPDATA%` on Windows) under
`poseanim/bindings` (`poseanim.cache_folder`; cairo's parsed C declarations are kept there
too, `poseanim.cairo_declarations`). At most `MAX_BYTES` of bindings are kept, the least
recently used entries go (an entry is a few MB: 6 for Ada). Drafts bound once and thrown away
skip the cache
(`Illustration(cache=False)`: the rig editor's joints while they are dragged).

Safe against a broken cache: an entry is a NumPy `.npz` (a zip whose members carry a CRC-32
that is checked on reading), read without pickles, written to a temporary file and renamed
into place (a reader never sees half an entry, two writers never mix theirs), and checked
against the inputs: each array's header may claim no more than its member holds, no number
may be NaN or infinite, and the binding must pose the drawing at rest as drawn. Any failure to
read it – missing, truncated, corrupted, crafted, from an unknown layout – counts as a miss:
the drawing is bound again and the entry rewritten. A cache that cannot be written (read-only
home, full disk) is skipped silently: it only saves time.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import io
import math
import os
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from poseanim.cache_folder import cache_folder
from poseanim.fold_inside import FoldInside
from poseanim.rotation_blend import RotationBlend
from poseanim.skinning import (
    Binding, ControlPoints, DeformBlock, DeformLayout, Skeleton, Skinning, bind, deform,
)

MAX_BYTES = 256 * 2**20
"""The most the cache keeps on disk."""
LAYOUT = 4
"""The entries' own layout; bump it when `_arrays` changes."""


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """SHA-256 of poseanim's own modules and tables (paths and contents): any change of the
    code that binds makes every entry another key."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256(f"layout {LAYOUT}".encode())
    for path in sorted([*package.rglob("*.py"), *package.rglob("*.tsv")]):
        digest.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _feed(digest: Any, value: object) -> None:
    """Hash `value` (arrays, dataclasses, sequences, scalars) with its types and shapes, so
    that no two different inputs feed the same bytes."""
    if isinstance(value, np.ndarray):
        digest.update(f"a{value.dtype.str}{value.shape}".encode())
        digest.update(np.ascontiguousarray(value).tobytes())
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        digest.update(f"d{type(value).__name__}".encode())
        for field in dataclasses.fields(value):
            _feed(digest, getattr(value, field.name))
    elif isinstance(value, (list, tuple)):
        digest.update(f"l{len(value)}".encode())
        for item in value:
            _feed(digest, item)
    else:
        digest.update(f"s{value!r}".encode())


def binding_key(control: ControlPoints, skeleton: Skeleton, domains: list[list[int]],
                skinning: Skinning) -> str:
    """The key of a binding: the code's version and every input of `skinning.bind`."""
    digest = hashlib.sha256(code_version().encode())
    _feed(digest, (control, skeleton, domains, skinning))
    return digest.hexdigest()


def _arrays(binding: Binding) -> dict[str, np.ndarray]:
    """The binding as named arrays (the entry's layout, `LAYOUT`)."""
    layout, arrays = binding.layout, {}
    for name in ("pair_point", "pair_bone", "weight", "t", "along", "across", "point_count"):
        arrays[name] = np.asarray(getattr(binding, name))
    for name in ("features", "rest_features", "rows", "source", "origin"):
        arrays[f"layout.{name}"] = np.asarray(getattr(layout, name))
    for index, block in enumerate(layout.blocks):
        arrays[f"block{index}.columns"] = np.array([block.columns.start, block.columns.stop])
        arrays[f"block{index}.matrix"] = block.matrix
    for field in dataclasses.fields(RotationBlend):
        arrays[f"rotation.{field.name}"] = getattr(binding.rotation, field.name)
    for field in dataclasses.fields(FoldInside):
        arrays[f"inside.{field.name}"] = getattr(binding.inside, field.name)
    return arrays


def _binding(arrays: dict[str, np.ndarray]) -> Binding:
    """`_arrays` undone."""
    blocks: list[DeformBlock] = []
    while f"block{len(blocks)}.matrix" in arrays:
        start, stop = arrays[f"block{len(blocks)}.columns"].tolist()
        blocks.append(DeformBlock(slice(start, stop), arrays[f"block{len(blocks)}.matrix"]))
    layout = DeformLayout(arrays["layout.features"], arrays["layout.rest_features"],
                          tuple(blocks), int(arrays["layout.rows"]), arrays["layout.source"],
                          arrays["layout.origin"])
    rotation = RotationBlend(*(arrays[f"rotation.{field.name}"]
                               for field in dataclasses.fields(RotationBlend)))
    inside = FoldInside(*(arrays[f"inside.{field.name}"] for field in dataclasses.fields(FoldInside)))
    return Binding(arrays["pair_point"], arrays["pair_bone"], arrays["weight"], arrays["t"],
                   arrays["along"], arrays["across"], int(arrays["point_count"]), layout,
                   rotation, inside)


def _fits(binding: Binding, control: ControlPoints, skeleton: Skeleton) -> bool:
    """Whether a read binding has the sizes its inputs call for and poses the drawing at rest
    as it is drawn (every binding does, exactly): an entry crafted with valid CRCs but other
    shapes, types or out-of-range rows fails here instead of at pose time. (One with plausible wrong
    weights cannot be told from a real one without binding again; whoever can write the cache
    folder can also replace poseanim itself.)"""
    pairs = len(binding.pair_point)
    if not (binding.point_count == len(control.positions)
            and all(len(getattr(binding, name)) == pairs
                    for name in ("pair_bone", "weight", "t", "along", "across"))
            and len(binding.layout.source) == binding.point_count
            and (binding.layout.source.size == 0
                 or int(binding.layout.source.max()) < binding.layout.rows)
            and all(block.matrix.dtype == np.float32 for block in binding.layout.blocks)):
        return False
    try:
        with np.errstate(all="ignore"):
            rest = deform(binding, skeleton, skeleton.rest_joints, (1.0, 1.0))
    except (ValueError, IndexError, TypeError):
        return False
    reach = 1.0 + float(np.abs(control.positions).max(initial=0.0))
    return rest.shape == control.positions.shape and bool(
        np.all(np.abs(rest - control.positions) <= 1e-9 * reach))


def _claims_fit(path: Path) -> bool:
    """Whether every array of an entry claims no more bytes than its zip member holds (read
    from the headers alone): a crafted header of 10¹³ elements made `np.load` allocate, and
    fail, before any CRC was checked."""
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            with archive.open(info) as member:
                version = np.lib.format.read_magic(member)
                read_header = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                               else np.lib.format.read_array_header_2_0)
                shape, _, dtype = read_header(member)
                if dtype.hasobject or math.prod(shape) * dtype.itemsize > info.file_size:
                    return False
    return True


def _read(path: Path, control: ControlPoints, skeleton: Skeleton) -> Binding | None:
    """The entry at `path` if it is sound and fits these inputs, else None (a miss)."""
    try:
        if not _claims_fit(path):
            return None
        with np.load(path, allow_pickle=False) as entry:
            arrays = {name: entry[name] for name in entry.files}
        if not all(np.isfinite(array).all() for array in arrays.values()
                   if array.dtype.kind in "fc"):
            return None
        binding = _binding(arrays)
    except (OSError, ValueError, KeyError, TypeError, EOFError, MemoryError, zipfile.BadZipFile):
        return None
    return binding if _fits(binding, control, skeleton) else None


def _write(folder: Path, path: Path, binding: Binding) -> None:
    """Store an entry atomically and drop the least recently used beyond `MAX_BYTES`; a failure
    leaves the cache as it was."""
    buffer = io.BytesIO()
    np.savez(buffer, **_arrays(binding))
    temporary: Path | None = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=f".{path.stem[:16]}.", suffix=".part", dir=folder)
        temporary = Path(name)
        with os.fdopen(handle, "wb") as file:
            file.write(buffer.getvalue())
        os.replace(temporary, path)
        entries = sorted(((entry.stat(), entry) for entry in folder.glob("*.npz")),
                         key=lambda item: -item[0].st_mtime)
        kept = 0
        for stat, entry in entries:
            kept += stat.st_size
            if kept > MAX_BYTES and entry != path:
                entry.unlink(missing_ok=True)
    except OSError:
        if temporary is not None:
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)


def cached_bind(control: ControlPoints, skeleton: Skeleton, domains: list[list[int]],
                skinning: Skinning = "shape") -> Binding:
    """`skinning.bind`, read from the cache when these inputs were bound before."""
    folder = cache_folder()
    if folder is None:
        return bind(control, skeleton, domains, skinning)
    path = folder / f"{binding_key(control, skeleton, domains, skinning)}.npz"
    binding = _read(path, control, skeleton)
    if binding is not None:
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used
        return binding
    binding = bind(control, skeleton, domains, skinning)
    _write(folder, path, binding)
    return binding
