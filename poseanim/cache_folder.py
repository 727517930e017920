"""Where poseanim keeps what it may compute again but need not: bound characters
(`poseanim.binding_cache`) and cairo's parsed C declarations (`poseanim.cairo_declarations`).

A module of its own, without numpy, because the finder of `cairo_declarations` asks for it
while a module is being imported."""

from __future__ import annotations

import os
import sys
from pathlib import Path

CACHE_ENV = "POSEANIM_CACHE"


def cache_folder() -> Path | None:
    """The cache folder (bindings and cairo's declarations), or None when the cache is off."""
    chosen = os.environ.get(CACHE_ENV)
    if chosen is not None:
        return None if chosen.strip().lower() in ("", "off", "0", "no") else Path(chosen)
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "poseanim" / "bindings"
