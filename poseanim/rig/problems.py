"""What can be wrong with a rigged drawing, as data: one `Problem` per finding.

The reader (`rig.reader`) states every rule of the format it applies as a problem with a stable
code, so that `poseanim rig check` (`rigging.check`) reports exactly what the reader found,
worded once, and adds only the rules that need a bound drawing. Reading stops with a `RigError`
(a PoseanimError naming the first error) only when nothing can be animated.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from poseanim.errors import PoseanimError
from poseanim.svg.document import describe_element

Severity = Literal["error", "warning", "note"]


@dataclass(frozen=True)
class Problem:
    """One thing to fix: a stable `code` for tools, the message, and the fix in words."""

    code: str
    severity: Severity
    message: str
    fix: str

    @property
    def text(self) -> str:
        """The message and its fix as one line."""
        return f"{self.message}; {self.fix}"


class RigError(PoseanimError):
    """A drawing that cannot be animated, with the `Problem` that says why."""

    def __init__(self, source: str, problem: Problem) -> None:
        super().__init__(f"{source}: {problem.text}")
        self.problem = problem


describe = describe_element
"""How a message names an element: `<path id="hair">`, or `<path> (no id)`."""
