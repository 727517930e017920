"""Matching element ids to joint names, the way Pose Animator files spell them.

Editors append suffixes to ids (Illustrator writes `leftEye0_2_`, recent Illustrator de-duplicates
with plain digits, `rightShoulder2`, `leftEye01`; Inkscape writes `leftEye0-1`), so a joint is found
by prefix, as Pose Animator finds it inside the skeleton group; the longest known name wins so that
`nose11` is joint `nose1` de-duplicated, never a joint `nose` with a suffix.
"""

from __future__ import annotations

import re

from poseanim.rig.tables import JOINT_NAMES

_SUFFIX = re.compile(r"^(?:[_\-.]\w*|\d+)?$")
_BY_LENGTH: tuple[str, ...] = tuple(sorted(JOINT_NAMES, key=len, reverse=True))


def joint_name_for_id(element_id: str | None, names: tuple[str, ...] = _BY_LENGTH) -> str | None:
    """The joint an element id denotes, or None.

    The rest after the longest matching name must be empty, plain digits (`rightShoulder2`,
    `nose11` → `nose1`) or an editor suffix starting with `_`, `-` or `.` (`_1_`, `-1`, `.1`);
    anything else (`leftEyeBrow`, `noseTip`) names no joint.
    """
    if not element_id:
        return None
    for name in names:
        if element_id.startswith(name):
            return name if _SUFFIX.match(element_id[len(name):]) else None
    return None


def has_prefix_id(element_id: str | None, prefix: str) -> bool:
    """Whether an id names a group by prefix (`skeleton`, `skeleton_1_`, `illustration-3`)."""
    return bool(element_id) and element_id.startswith(prefix)  # type: ignore[union-attr]
