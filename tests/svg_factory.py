"""Small rigged SVG documents written in code, for tests that need a drawing of known shape."""

from __future__ import annotations

import numpy as np

from poseanim.rig.tables import BONES, CORE_JOINTS
from poseanim.rig.template import template_joints

HEADER = '<svg xmlns="http://www.w3.org/2000/svg" width="600" height="900" viewBox="0 0 600 900">'


def core_template_joints() -> dict[str, np.ndarray]:
    """The template's positions of Pose Animator's joints (no hand or foot joints)."""
    return {name: p for name, p in template_joints().items() if name in CORE_JOINTS}


def skeleton_group(joints: dict[str, np.ndarray] | None = None, group_id: str = "skeleton",
                   omit: tuple[str, ...] = ()) -> str:
    """A skeleton group with one circle per joint (the template's Pose Animator joints, without
    hands and feet, unless given)."""
    joints = core_template_joints() if joints is None else joints
    circles = "".join(f'<circle id="{name}" cx="{x:.2f}" cy="{y:.2f}" r="3"/>'
                      for name, (x, y) in joints.items() if name not in omit)
    return f'<g id="{group_id}">{circles}</g>'


def limb_shapes(joints: dict[str, np.ndarray] | None = None, half_width: float = 14.0) -> str:
    """One quadrilateral path around every body bone, a head ellipse and two eye ellipses."""
    joints = core_template_joints() if joints is None else joints
    parts = []
    for bone in BONES:
        if bone.region != "body":
            continue
        a, b = joints[bone.joint0], joints[bone.joint1]
        direction = (b - a) / np.linalg.norm(b - a)
        normal = np.array([-direction[1], direction[0]]) * half_width
        corners = [a + normal, b + normal, b - normal, a - normal]
        d = "M" + " L".join(f"{x:.2f},{y:.2f}" for x, y in corners) + " Z"
        parts.append(f'<path d="{d}" fill="#3a7bd5" stroke="#123" stroke-width="2"/>')
    head = (joints["leftJaw2"] + joints["rightJaw2"]) / 2
    parts.append(f'<ellipse cx="{head[0]:.2f}" cy="{head[1] + 10:.2f}" rx="48" ry="60" '
                 'fill="#f2c9a0" stroke="#123" stroke-width="2"/>')
    for side in ("left", "right"):
        eye = (joints[f"{side}Eye0"] + joints[f"{side}Eye3"]) / 2
        parts.append(f'<ellipse cx="{eye[0]:.2f}" cy="{eye[1]:.2f}" rx="7" ry="4" fill="#222"/>')
    return "".join(parts)


def rigged_svg(body: str | None = None, skeleton: str | None = None) -> str:
    """A complete rigged document: the given (or default) drawing and skeleton groups."""
    body = limb_shapes() if body is None else body
    skeleton = skeleton_group() if skeleton is None else skeleton
    return f'{HEADER}<g id="illustration">{body}</g>{skeleton}</svg>'
