"""The animated SVG is assembled from columns spooled to disk: however small the blocks, the
file is the same, and it holds what every frame showed."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from conftest import DATA, first_fast

from poseanim.illustration import load_illustration
from poseanim.pose import Pose
from poseanim.render import animated_svg
from poseanim.render.animated_svg import AnimatedSvgWriter
from poseanim.render.svg_writer import shape_path_data
from poseanim.render.video_writers import ExportSettings, OutputFrame
from poseanim.tracking.track_file import load_track

SVG = "{http://www.w3.org/2000/svg}"


def moving_frames(name: str, count: int):
    """The tracked astronaut stepping right, then lost (every score 0) for the last frames."""
    illustration = load_illustration(name)
    pose = load_track(DATA / "astronaut_pose.json").frames[0]
    frames = []
    for index in range(count):
        scores = pose.scores if index < count - 3 else np.zeros_like(pose.scores)
        moved = Pose(pose.positions + [4.0 * index, 0.0], scores, pose.image_size)
        frames.append(illustration.pose(moved))
    return frames


def write(path: Path, frames, repeat_at: int = 2) -> bytes:
    writer = AnimatedSvgWriter(path, ExportSettings(fps=10.0))
    try:
        for index, frame in enumerate(frames):
            writer.write(OutputFrame(frame), 3 if index == repeat_at else 1)
        writer.finish()
    finally:
        writer.close()
    return path.read_bytes()


@pytest.mark.parametrize("name", first_fast("ada", "mira"))
def test_tiny_spool_blocks_write_the_same_file(name, tmp_path, monkeypatch):
    frames = moving_frames(name, 12)
    whole = write(tmp_path / "whole.svg", frames)
    monkeypatch.setattr(animated_svg, "SPOOL_BLOCK_CHARACTERS", 300)
    assert write(tmp_path / "blocks.svg", frames) == whole
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blocks.svg", "whole.svg"]  # no spool left


def test_each_shape_plays_its_outline_of_every_frame(tmp_path, monkeypatch):
    monkeypatch.setattr(animated_svg, "SPOOL_BLOCK_CHARACTERS", 500)
    frames = moving_frames("ada", 10)
    root = ET.fromstring(write(tmp_path / "a.svg", frames, repeat_at=2))
    shown = [frames[0], frames[1], frames[2], frames[2], frames[2], *frames[3:]]  # one repeated
    animations = [a for a in root.iter(f"{SVG}animate") if a.get("attributeName") == "d"]
    assert len(animations) > 20
    for animate in animations:
        values = animate.get("values").split(";")
        keys = [round(float(k) * len(shown)) for k in animate.get("keyTimes").split(";")]
        assert len(values) == len(keys) and keys[0] == 0 and keys == sorted(set(keys))
        assert animate.get("dur") == f"{len(shown) / 10:g}s"
    # every moving shape has an element that plays, frame by frame, the outline posed for it
    paths = list(root.iter(f"{SVG}path"))
    for number in range(len(frames[0].illustration.shapes)):
        expected = [shape_path_data(frame, number, 2) for frame in shown]
        if len(set(expected)) > 1:
            assert any(_plays(path, expected) for path in paths)
    hidden = [a for a in root.iter(f"{SVG}animate") if a.get("attributeName") == "visibility"]
    assert hidden and all(a.get("values").endswith("hidden") for a in hidden)


def _plays(path: ET.Element, expected: list[str]) -> bool:
    """Whether the path's `d` animation shows `expected`, one outline per output frame."""
    animate = path.find(f"{SVG}animate[@attributeName='d']")
    if animate is None:
        return False
    values = animate.get("values").split(";")
    keys = [round(float(k) * len(expected)) for k in animate.get("keyTimes").split(";")]
    played = [values[max(i for i, key in enumerate(keys) if key <= frame)]
              for frame in range(len(expected))]
    return played == expected


def test_a_fading_shape_plays_its_fade_times_its_own_opacity(tmp_path):
    """`PosedFrame.opacity` (the fade of a garment shown or hidden) reaches the animated
    SVG as an `opacity` animation: the author's opacity times the fade, frame by frame."""
    from dataclasses import replace

    frames = moving_frames("ada", 6)
    shape = 3
    fades = [1.0, 1.0, 0.75, 0.5, 0.25, 1.0]
    faded = []
    for frame, fade in zip(frames, fades):
        opacity = np.ones(len(frame.visible))
        opacity[shape] = fade
        faded.append(replace(frame, opacity=opacity))
    root = ET.fromstring(write(tmp_path / "f.svg", faded, repeat_at=-1))
    animated = [a for a in root.iter(f"{SVG}animate") if a.get("attributeName") == "opacity"]
    assert len(animated) == 1
    values = [float(v) for v in animated[0].get("values").split(";")]
    keys = [round(float(k) * len(fades)) for k in animated[0].get("keyTimes").split(";")]
    own = float(frames[0].illustration.shapes[shape].style.get("opacity", "1") or 1)
    played = [values[max(i for i, key in enumerate(keys) if key <= n)] for n in range(len(fades))]
    np.testing.assert_allclose(played, [own * fade for fade in fades], atol=1e-3)


def _played(animate: ET.Element, frame: int, frames: int) -> str:
    """The value a discrete SMIL animation shows at output frame `frame`."""
    values = animate.get("values").split(";")
    keys = [round(float(k) * frames) for k in animate.get("keyTimes").split(";")]
    return values[max(i for i, key in enumerate(keys) if key <= frame)]


def test_an_arm_brought_in_front_plays_in_front_then_back(tmp_path):
    """The animated SVG's element order is fixed, so a shape drawn in front in some frames
    (`PosedFrame.order`) has a front copy after the torso; frame by frame, the elements
    showing, in document order, are the shapes in the frame's paint order."""
    from dataclasses import replace

    from poseanim.rig.tables import JOINT_NAMES, KEYPOINT_INDEX
    from poseanim.rigging.sample_poses import pose_named

    ada = load_illustration("ada")
    rest = ada.rest_joints
    pose = pose_named("arms crossed", {n: rest[i] for i, n in enumerate(JOINT_NAMES)
                                       if np.isfinite(rest[i]).all()}, (600, 900))
    frames = []
    for forearm in (0.0, -120.0, -120.0, 0.0):
        depth = np.zeros(len(pose.scores))
        depth[[KEYPOINT_INDEX["leftElbow"], KEYPOINT_INDEX["leftWrist"]]] = forearm
        frames.append(ada.pose(replace(pose, depth=depth)))
    assert frames[1].order is not None and frames[0].order is None
    root = ET.fromstring(write(tmp_path / "c.svg", frames, repeat_at=-1))
    paths = [path for path in root.iter(f"{SVG}path") if path.find(f"{SVG}animate") is not None
             or path.get("d")]
    fronts = [path for path in paths if (path.get("id") or "").endswith("-in-front")]
    assert fronts
    for number, frame in enumerate(frames):
        shown = []  # the outline each showing element draws in frame 1, in document order
        for path in paths:
            visibility = path.find(f"{SVG}animate[@attributeName='visibility']")
            if (path.get("visibility") == "hidden" if visibility is None
                    else _played(visibility, number, len(frames)) == "hidden"):
                continue
            d = path.find(f"{SVG}animate[@attributeName='d']")
            shown.append(_played(d, 1, len(frames)) if d is not None else path.get("d"))
        expected = [shape_path_data(frames[1], s, 2) for s in frame.paint_order()
                    if frame.visible[s]]
        assert shown == expected, number
