"""cairocffi's C declarations, parsed once per installation instead of at every start.

cairocffi (1.x) hands cairo's C header, ~100 KB of declarations, to cffi's `cdef` each time it
is imported, and pycparser parses it: ~0.3 s of CPU, the largest single cost of a cold
`rig check` (which paints the poses it tries, `rigging.quality`) and of every command that
paints. cffi's own answer is its out-of-line ABI mode: the parsed declarations written once as
literals and handed to `_cffi_backend.FFI` directly (how cairocffi 0.7–0.9 shipped its
bindings). This module does that at run time. A finder on `sys.meta_path` answers for
`cairocffi.ffi`: with the literals kept in the cache folder (`poseanim.cache_folder`, the
binding cache's) under a key of cairocffi's declaring files and of cffi's and Python's versions,
its `ffi` is built from them; without, cairocffi's own module runs as it always did, and its
parsed declarations are then written for the next start.

Kept as data, not code: the literals (bytes, ints, strings, tuples) are stored with `marshal`
and their types checked when read, so nothing in the cache folder is executed (cffi's C parser
does trust their contents, as Python trusts its bytecode cache). Written to a temporary file
and renamed into place, or not at all (read-only folder, full disk). Left out: `ffi_pixbuf`
(cairocffi.pixbuf, gdk-pixbuf's image loading, which poseanim does not use); with xcffib
installed (cairocffi then adds xcb's declarations) or the cache off (`POSEANIM_CACHE=off`, as
the tests run) the finder stands aside.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, cast

from poseanim.cache_folder import cache_folder

if TYPE_CHECKING:  # the type alone: the module would import importlib.resources
    from importlib.abc import Loader

MODULE = "cairocffi.ffi"
FORMAT = 1
"""The stored entries' own layout; bump it when `_literals` changes."""
LITERALS = {"_version": int, "_types": bytes, "_globals": tuple, "_struct_unions": tuple,
            "_enums": tuple, "_typenames": tuple}
"""The keywords out-of-line cffi hands `_cffi_backend.FFI`, with their types."""


class _Declarations:
    """Finds `cairocffi.ffi` and loads it from the stored declarations, or stores them.

    A finder and loader by its methods alone (see `poseanim.moved_modules`)."""

    def find_spec(self, fullname: str, path: Any = None,
                  target: object = None) -> importlib.machinery.ModuleSpec | None:
        if fullname != MODULE or not path:
            return None
        folder = cache_folder()
        original = importlib.machinery.PathFinder.find_spec(fullname, path)
        if (folder is None or original is None or original.origin is None
                or importlib.util.find_spec("xcffib") is not None):
            return None
        spec = importlib.machinery.ModuleSpec(fullname, cast("Loader", self),
                                              origin=original.origin)
        spec.loader_state = (original, folder / f"cairo-{_key(Path(original.origin))}.marshal")
        return spec

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> None:
        return None  # the usual module object

    def exec_module(self, module: ModuleType) -> None:
        original, stored = cast(Any, module.__spec__).loader_state
        module.__file__ = original.origin
        ffi = _read(stored)
        if ffi is not None:
            module.__dict__["ffi"] = ffi
            return
        original.loader.exec_module(module)  # cairocffi's own: parses the header
        _write(module.__dict__["ffi"], stored)


def install() -> None:
    """Answer for `cairocffi.ffi` before the usual finders do (idempotent)."""
    if not any(isinstance(finder, _Declarations) for finder in sys.meta_path):
        sys.meta_path.insert(0, _Declarations())


def _key(declaring: Path) -> str:
    """The stored declarations' key: cairocffi's declaring files (ffi.py, constants.py),
    cffi's backend and Python, and `FORMAT`."""
    import hashlib

    import _cffi_backend

    digest = hashlib.sha256(f"{FORMAT} {_cffi_backend.__version__} {sys.version}".encode())
    for name in ("ffi.py", "constants.py"):
        try:
            digest.update((declaring.parent / name).read_bytes())
        except OSError:
            digest.update(b"missing")
    return digest.hexdigest()[:32]


def _read(stored: Path) -> Any:
    """The FFI of the stored declarations, or None (missing, unreadable or not of their form:
    a miss)."""
    import marshal

    import _cffi_backend

    try:
        literals = marshal.loads(stored.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None
    if not (isinstance(literals, dict) and literals.keys() == LITERALS.keys()
            and all(isinstance(literals[name], kind) for name, kind in LITERALS.items())):
        return None
    try:
        return _cffi_backend.FFI(MODULE, **literals)
    except (TypeError, ValueError, ImportError):  # ImportError: a version cffi does not know
        return None


def _write(ffi: Any, stored: Path) -> None:
    """Store the literals of an in-line FFI's parsed declarations (cffi's out-of-line module,
    its one call's arguments read back from the text without running it)."""
    import ast
    import contextlib
    import marshal
    import os
    import tempfile

    try:
        stored.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=".cairo.", suffix=".part", dir=stored.parent)
    except OSError:
        return
    os.close(handle)
    temporary = Path(name)
    try:
        ffi.set_source(MODULE, None, compiler_verbose=False)
        ffi.emit_python_code(str(temporary))
        call = next(node for node in ast.walk(ast.parse(temporary.read_text()))
                    if isinstance(node, ast.Call))
        literals = {word.arg: ast.literal_eval(word.value) for word in call.keywords}
        if literals.keys() != LITERALS.keys():
            return  # another cffi: nothing stored, cairocffi parses as before
        temporary.write_bytes(marshal.dumps(literals))
        os.replace(temporary, stored)
    except (OSError, ValueError, SyntaxError, StopIteration):
        pass
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
