"""Old import paths of modules that moved, kept working with a DeprecationWarning, and of
names that moved out of a module that stays (`moved_names`).

A finder on `sys.meta_path` answers for the old name with the module at its new place (the same
module object, so state and monkeypatching are shared), instead of a shim file at the old path:
no file at the old path means git sees each move as a rename.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import sys
import warnings
from collections.abc import Callable, Iterable
from types import ModuleType
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:  # the type alone: the module would import importlib.resources
    from importlib.abc import Loader

MOVED = {
    "poseanim.rig.svg_document": "poseanim.svg.document",
    "poseanim.rig.svg_source": "poseanim.svg.text",
    "poseanim.rig.check": "poseanim.rigging.check",
    "poseanim.rig.auto_rig": "poseanim.rigging.auto_rig",
    "poseanim.rig.editing": "poseanim.rigging.editing",
    "poseanim.app.test_poses": "poseanim.rigging.sample_poses",
    "poseanim.render.qt_painter": "poseanim.app.qt_painter",
}
"""Old dotted module path → where the module lives now."""


class _Alias:
    """Finds an old module name and loads it as the module at the new name.

    A finder and loader by its methods alone: the import system asks for nothing else, and
    importlib.abc would import importlib.resources into every start (`poseanim --help`)."""

    def __init__(self) -> None:
        self._own_specs: dict[str, importlib.machinery.ModuleSpec | None] = {}

    def find_spec(self, fullname: str, path: object = None,
                  target: object = None) -> importlib.machinery.ModuleSpec | None:
        if fullname not in MOVED:
            return None
        return importlib.machinery.ModuleSpec(fullname, cast("Loader", self))

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        new = MOVED[spec.name]
        warnings.warn(f"{spec.name} moved to {new}; import it from there", DeprecationWarning,
                      stacklevel=2)
        module = importlib.import_module(new)
        self._own_specs[new] = module.__spec__
        return module

    def exec_module(self, module: ModuleType) -> None:
        # The import machinery stamped the old name's spec on the shared module: put its own back.
        module.__spec__ = self._own_specs[module.__name__]


def install() -> None:
    """Answer for the old paths (idempotent)."""
    if not any(isinstance(finder, _Alias) for finder in sys.meta_path):
        sys.meta_path.append(_Alias())


def moved_names(module: str, names: Iterable[str], home: str) -> Callable[[str], Any]:
    """A module-level `__getattr__` for `module` that finds `names` in the module `home`,
    imported only when one is asked for (the new home often imports the old module, so a
    plain import back would be a cycle)."""
    moved = frozenset(names)

    def __getattr__(name: str) -> Any:
        if name in moved:
            return getattr(importlib.import_module(home), name)
        raise AttributeError(f"module {module!r} has no attribute {name!r}")

    return __getattr__
