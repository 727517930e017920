"""The illustrations shipped inside the package, by name.

Apart from `illustration` (which binds drawings, and so imports numpy and the skinning) so that
`poseanim list` and name lookups start without them.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from poseanim.errors import PoseanimError


def bundled_illustrations() -> dict[str, Path]:
    """Name → path of every illustration shipped inside the package."""
    folder = resources.files("poseanim").joinpath("illustrations")
    return {Path(str(entry)).stem: Path(str(entry)) for entry in folder.iterdir()
            if str(entry).endswith(".svg")}


def resolve_illustration(path_or_name: str | Path) -> Path:
    """A path for a file path or for the name of a bundled illustration."""
    path = Path(path_or_name)
    if path.suffix.lower() == ".svg" or path.exists():
        return path
    bundled = bundled_illustrations()
    if str(path_or_name) in bundled:
        return bundled[str(path_or_name)]
    names = ", ".join(sorted(bundled)) or "none"
    raise PoseanimError(f"no illustration file or bundled illustration named '{path_or_name}' "
                        f"(bundled: {names}; `poseanim list` shows them)")
