"""Reading the user's input files with one set of clear messages for the usual failures."""

from __future__ import annotations

from pathlib import Path

from poseanim.errors import PoseanimError


def read_input_bytes(path: str | Path, kind: str, max_bytes: int | None = None) -> bytes:
    """The bytes of an input file; `kind` names what it should be ("an SVG file", "a picture").

    Missing files, folders, unreadable files and files over `max_bytes` become one-line
    PoseanimErrors.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise PoseanimError(f"{path} is a folder, not {kind}")
        if max_bytes is not None and size > max_bytes:
            raise PoseanimError(f"{path} is {size / 1e6:.0f} MB; files over "
                                f"{max_bytes // 1_000_000} MB are refused as {kind}")
        return path.read_bytes()
    except FileNotFoundError:
        raise PoseanimError(f"{path}: no such file") from None
    except OSError as error:
        raise PoseanimError(f"cannot read {path}: {error.strerror or error}") from None
