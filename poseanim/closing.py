"""`Closing`: the context-manager half of anything with a `close()` (sources, trackers, graphs).

One mixin instead of the same `__enter__`/`__exit__` pair written in every class that holds a
file, a device or a model: `with` returns the object itself and closes it on the way out,
whether the block ended normally or raised.
"""

from __future__ import annotations

from types import TracebackType
from typing import TypeVar

ClosingT = TypeVar("ClosingT", bound="Closing")


class Closing:
    """`with thing:` returns `thing` and calls `thing.close()` when the block ends."""

    def close(self) -> None:
        """Nothing to release unless a subclass says otherwise."""

    def __enter__(self: ClosingT) -> ClosingT:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()
