"""Atomic file output: a result appears whole or not at all.

Every writer goes through `atomic_output`, so a crash, a full disk or Ctrl-C never leaves a
half-written file where the user expects a result (and never clobbers an older good one).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable, Iterator

from poseanim.errors import PoseanimError


def check_writable(path: str | Path) -> Path:
    """Fail early, before any slow work, when the output's folder cannot take the file."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise PoseanimError(f"cannot write {path}: folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise PoseanimError(f"cannot write {path}: folder {folder} is not writable")
    if path.is_dir():
        raise PoseanimError(f"cannot write {path}: it is a folder")
    return path


def _umask() -> int:
    """The process's file-creation mask (reading it means setting it; it is put back at once)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_output(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside `path`; on success it replaces `path`, else it is removed."""
    path = check_writable(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part",
                                         dir=path.parent if str(path.parent) else ".")
    os.close(handle)
    os.chmod(temporary, 0o666 & ~_umask())  # mkstemp's private 0600 is not what users expect
    try:
        yield Path(temporary)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def write_bytes_atomic(path: str | Path, data: bytes) -> Path:
    """Write bytes to `path` atomically; OS errors become one-line PoseanimErrors."""
    try:
        with atomic_output(path) as temporary:
            temporary.write_bytes(data)
    except OSError as error:
        raise PoseanimError(f"cannot write {path}: {error.strerror or error}") from None
    return Path(path)


@contextlib.contextmanager
def atomic_folder(path: str | Path, replaceable: Callable[[Path], bool]) -> Iterator[Path]:
    """Yield a temporary folder beside `path`; on success it becomes `path`, else it is removed.

    An existing folder at `path` is replaced only when `replaceable(path)` says it holds
    nothing but an earlier result (so a mistyped -o never deletes the user's files).
    """
    path = Path(path)
    parent = path.parent if str(path.parent) else Path(".")
    temporary = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".part", dir=parent))
    os.chmod(temporary, 0o777 & ~_umask())
    try:
        yield temporary
        if path.is_dir():
            if not replaceable(path):
                raise PoseanimError(f"{path} now holds other files; nothing was replaced")
            retired = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".old", dir=parent))
            os.replace(path, retired / path.name)
            os.replace(temporary, path)
            shutil.rmtree(retired, ignore_errors=True)
        else:
            os.replace(temporary, path)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
