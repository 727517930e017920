"""Lottie and dotLottie export, checked by real players against our own PNG frames.

The track is the astronaut's tracked pose (tests/data) waving its arms over 12 frames, with
the left hand lost (score 0) in frames 5–7; `poseanim video --track` writes it as Lottie and,
with the same options, as PNG frames (the cairo painter) for the players to match.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import cv2
import numpy as np
import pytest

from conftest import first_fast
from lottie_players import difference, dotlottie_web_frames, lottie_web_frames, rlottie_frames
from poseanim.cli import main
from poseanim.illustration import load_illustration
from poseanim.render.lottie import key_frames
from wave_track import FPS, FRAMES, LOST, write_wave_track

SIZE = (320, 320)
# Tolerance reached (levels of 255, premultiplied RGBA, largest channel): players and cairo
# differ only in anti-aliasing along edges.
MEAN_TOLERANCE = 1.5
EDGE_PERCENTILE, EDGE_TOLERANCE = 99.0, 48.0


@pytest.fixture(scope="module")
def wave_track(tmp_path_factory) -> Path:
    return write_wave_track(tmp_path_factory.mktemp("wave") / "wave.json")


def export(run_cli, track: Path, output: Path, *extra: str) -> Path:
    code, _out, err = run_cli("video", "--track", str(track), "-o", str(output), "--fit",
                              "--smoothing", "0", "--width", str(SIZE[0]),
                              "--height", str(SIZE[1]), *extra)
    assert code == 0, err
    return output


def our_frames(run_cli, track: Path, folder: Path, *extra: str) -> list[np.ndarray]:
    """Our own PNG frames (cairo), transparent unless `extra` gives a background."""
    export(run_cli, track, folder, "--frames", "png", "--background", "none", *extra)
    return [cv2.cvtColor(cv2.imread(str(path), cv2.IMREAD_UNCHANGED), cv2.COLOR_BGRA2RGBA)
            for path in sorted(folder.glob("frame_*.png"))]


def assert_matches(ours: list[np.ndarray], theirs: list[np.ndarray], player: str) -> None:
    for index, (mine, played) in enumerate(zip(ours, theirs)):
        assert played.shape == mine.shape, f"{player} frame {index}"
        gap = difference(mine, played)
        assert gap.mean() <= MEAN_TOLERANCE, f"{player} frame {index}: mean {gap.mean():.2f}"
        edge = np.percentile(gap, EDGE_PERCENTILE)
        assert edge <= EDGE_TOLERANCE, f"{player} frame {index}: p{EDGE_PERCENTILE:g} {edge:.1f}"


def _main(*args: str) -> tuple[int, str, str]:
    """The command line in-process, for module fixtures (`run_cli` is per test)."""
    return main(list(args)), "", ""


@pytest.fixture(scope="module", params=first_fast("ada", "bolt", "mira"))
def exported(request, wave_track, tmp_path_factory):
    """(character, Lottie path, our frames) for Ada (solid paints, opacities) and Mira
    (linear and radial gradients in bounding-box and user space)."""
    folder = tmp_path_factory.mktemp(request.param)
    output = export(_main, wave_track, folder / "wave.json", "-i", request.param,
                    "--key-error", "0")
    return request.param, output, our_frames(_main, wave_track, folder / "frames", "-i",
                                              request.param)


def test_rlottie_plays_every_frame_as_we_draw_it(exported):
    name, output, ours = exported
    document = json.loads(output.read_text())
    assert (document["w"], document["h"], document["fr"], document["op"]) == (*SIZE, FPS, FRAMES)
    assert len(ours) == FRAMES
    assert_matches(ours, rlottie_frames(output, list(range(FRAMES)), SIZE), f"rlottie {name}")


@pytest.mark.slow
@pytest.mark.parametrize("renderer", ["svg", "canvas"])
def test_lottie_web_in_chromium_plays_as_we_draw(exported, renderer):
    name, output, ours = exported
    frames = [0, 3, 6, 11]
    theirs = lottie_web_frames(output.read_bytes(), frames, renderer)
    assert_matches([ours[f] for f in frames], theirs, f"lottie-web {renderer} {name}")


def test_layers_follow_the_drawing_and_lost_shapes_fade_out(exported):
    name, output, ours = exported
    document = json.loads(output.read_text())
    layers = document["layers"]
    shapes = load_illustration(name).shapes
    ids = [shape.element.get("id") for shape in shapes]
    drawn = [layer["nm"] for layer in reversed(layers)]
    assert [n for n in drawn if n in ids] == [i for i in ids if i in drawn]  # paint order kept
    faded = [paint["o"] for layer in layers for paint in paints(layer["shapes"])
             if paint["o"]["a"] == 1]
    assert faded, "the lost hand's shapes have their paints' opacity keyed"
    for opacity in faded:
        shown = [opacity_at(opacity["k"], t) for t in range(FRAMES)]
        assert shown[0] > 0 and shown[-1] > 0
        assert min(shown[LOST.start:]) == 0  # gone (after fading) while the hand is lost
    # what the players show there is what we draw: the hand is gone from our frames too
    assert (difference(ours[0], ours[LOST.stop]) > 0).any()


def paints(items: list[dict]) -> list[dict]:
    """The fills and strokes (solid or gradient) among Lottie shape items, groups opened."""
    found = []
    for item in items:
        if item["ty"] == "gr":
            found += paints(item["it"])
        elif item["ty"] in ("fl", "st", "gf", "gs"):
            found.append(item)
    return found


def opacity_at(keys: list[dict], time: int) -> float:
    """A linearly keyed Lottie value at `time`."""
    times = [key["t"] for key in keys]
    return float(np.interp(time, times, [key["s"][0] for key in keys]))


def test_background_colour_is_an_opaque_layer_at_the_back(wave_track, tmp_path, run_cli):
    output = export(run_cli, wave_track, tmp_path / "blue.json", "--background", "#203040")
    layers = json.loads(output.read_text())["layers"]
    assert layers[-1]["nm"] == "background"
    played = rlottie_frames(output, [0], SIZE)[0]
    # rlottie loses a level of alpha for each layer below 100 % opacity (fill and stroke
    # sharing an SVG opacity) where those layers are
    assert played[..., 3].min() >= 240 and (played[..., 3] == 255).mean() > 0.9
    assert np.abs(played[2, 2, :3].astype(int) - (0x20, 0x30, 0x40)).max() <= 2


def path_keys(output: Path) -> int:
    """How many path keyframes a Lottie file holds."""
    def count(items: list[dict]) -> int:
        return sum(count(item["it"]) if item["ty"] == "gr" else
                   len(item["ks"]["k"]) if item["ty"] == "sh" and item["ks"]["a"] else 0
                   for item in items)

    return sum(count(layer["shapes"]) for layer in json.loads(output.read_text())["layers"])


def test_key_error_drops_keys_and_stays_within_its_bound(tmp_path, run_cli):
    slow = write_wave_track(tmp_path / "slow.json", frames=24, period=96)  # a slow swing
    exact = export(run_cli, slow, tmp_path / "exact.json", "--key-error", "0")
    loose = export(run_cli, slow, tmp_path / "loose.json", "--key-error", "1")
    assert path_keys(loose) < path_keys(exact) * 0.5
    assert loose.stat().st_size < exact.stat().st_size
    frames = list(range(24))
    assert_matches(rlottie_frames(exact, frames, SIZE), rlottie_frames(loose, frames, SIZE),
                   "1 px keys")


def test_key_frames_keep_every_left_out_frame_within_the_error():
    walk = np.cumsum(np.random.default_rng(7).normal(0, 1, (200, 6)), axis=0)
    walk[50:90] = walk[50]  # a held pose costs two keys
    for tolerance in (0.0, 0.5, 2.0):
        keys = key_frames(walk, tolerance)
        assert keys[0] == 0 and keys[-1] == len(walk) - 1
        for start, stop in zip(keys, keys[1:]):
            blend = np.linspace(0, 1, stop - start + 1)[:, None]
            between = walk[start] + blend * (walk[stop] - walk[start])
            assert np.abs(walk[start:stop + 1] - between).max() <= tolerance + 1e-9
        assert not set(range(51, 89)) & set(keys)


@pytest.mark.slow
def test_dotlottie_is_a_zip_with_a_manifest_and_the_same_animation(wave_track, tmp_path,
                                                                   run_cli):
    packed = export(run_cli, wave_track, tmp_path / "wave.lottie")
    plain = export(run_cli, wave_track, tmp_path / "wave.json")
    with zipfile.ZipFile(packed) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        inner = archive.read(f"animations/{manifest['animations'][0]['id']}.json")
    assert manifest["version"] == "1"
    assert inner == plain.read_bytes()
    assert packed.stat().st_size < plain.stat().st_size / 3
    frames = [0, 5, 11]
    ours = our_frames(run_cli, wave_track, tmp_path / "frames")
    assert_matches([ours[frame] for frame in frames],
                   dotlottie_web_frames(packed.read_bytes(), frames, SIZE), "dotlottie-web")


def test_lottie_cannot_hold_the_video_and_bad_key_errors_are_refused(wave_track, tmp_path,
                                                                     run_cli):
    code, _out, err = run_cli("video", "--track", str(wave_track), "-o", str(tmp_path / "a.json"),
                              "--key-error", "-1")
    assert code != 0 and "--key-error must be between 0 and 100" in err
    assert not (tmp_path / "a.json").exists()


def test_an_arm_brought_in_front_plays_in_front_in_rlottie(tmp_path, run_cli):
    """A recorded arm crossing in front of the body (depth in the track) and back: the Lottie
    holds a second, front copy of the arm's shapes and shows one copy at a time, so rlottie
    plays the same paint order as our frames, frame by frame."""
    from dataclasses import replace

    from poseanim.rig.tables import JOINT_NAMES, KEYPOINT_INDEX
    from poseanim.rigging.sample_poses import pose_named
    from poseanim.tracking.track_file import PoseTrack, save_track

    ada = load_illustration("ada")
    rest = ada.rest_joints
    pose = pose_named("arms crossed", {n: rest[i] for i, n in enumerate(JOINT_NAMES)
                                       if np.isfinite(rest[i]).all()}, (600, 900))
    frames = []
    for forearm in (0.0, -120.0, -120.0, -120.0, 0.0, 0.0):
        depth = np.where(np.isfinite(pose.positions[:, 0]), 0.0, np.nan)
        depth[[KEYPOINT_INDEX["leftElbow"], KEYPOINT_INDEX["leftWrist"]]] = forearm
        frames.append(replace(pose, depth=depth))
    track = save_track(PoseTrack((600, 900), 10.0, frames, [i / 10 for i in range(6)], None),
                       tmp_path / "crossing.json")
    output = export(run_cli, track, tmp_path / "crossing.json.lottie.json", "-i", "ada",
                    "--key-error", "0")
    ours = our_frames(run_cli, track, tmp_path / "frames", "-i", "ada")
    theirs = rlottie_frames(output, list(range(6)), SIZE)
    assert_matches(ours, theirs, "rlottie crossing")
    reordered = (difference(ours[0], ours[2]) > 64).sum()
    assert reordered > 100  # the paint order did change in our frames
    for mine, played in zip(ours, theirs):  # and the player shows the arm where we do
        assert (difference(mine, played) > 64).sum() < reordered / 10
    names = [layer["nm"] for layer in json.loads(output.read_text())["layers"]]
    assert any(name.endswith("(in front)") for name in names)


def test_a_gradient_shape_posed_to_a_point_is_drawn_unscaled_in_pixels(tmp_path):
    """A userSpaceOnUse gradient on a shape posed to a point has a (near) singular layout: its
    group is laid out as the cairo painter lays it (`gradient_inverses`: the identity), not in
    coordinates of 1e17 or through numpy's inverse (LinAlgError, fuzz case 13:74215)."""
    from dataclasses import replace

    from poseanim.illustration import Illustration
    from poseanim.render.export import ExportSettings, OutputFrame
    from poseanim.render.lottie import LottieWriter
    from poseanim.rig.reader import read_rigged_tree
    from poseanim.svg.document import parse_svg_text
    from svg_factory import limb_shapes, rigged_svg

    dot = ('<defs><linearGradient id="g" gradientUnits="userSpaceOnUse" x1="280" x2="340">'
           '<stop offset="0" stop-color="red"/><stop offset="1" stop-color="blue"/>'
           '</linearGradient></defs>'
           '<path id="dot" d="M280,300 L340,300 L340,340 Z" fill="url(#g)"/>')
    text = rigged_svg(body=limb_shapes() + dot)
    drawn = Illustration(read_rigged_tree(parse_svg_text(text, "t.svg"), "t.svg"), "t")
    index = next(i for i, shape in enumerate(drawn.shapes) if shape.element.get("id") == "dot")
    base = drawn.pose(drawn.rest_pose()).fitted(300, 450)  # frame 0: a scaled layout
    start, stop = drawn.subpath_ranges[index][0][0], drawn.subpath_ranges[index][-1][1]
    points = base.points.copy()
    points[start:stop] = (150.0, 160.0)
    writer = LottieWriter(tmp_path / "a.json", ExportSettings(fps=10.0))
    for frame in (base, replace(base, points=points)):
        writer.write(OutputFrame(frame))
    writer.finish()
    document = json.loads((tmp_path / "a.json").read_text())
    layer = next(layer for layer in document["layers"] if layer["nm"] == "dot")
    inner, placement = layer["shapes"][0]["it"]

    def at(value: dict, time: int):
        return value["k"] if value["a"] == 0 else value["k"][time]["s"]

    assert at(placement["s"], 0)[0] < 60  # fitted into 300 × 450: about half the size
    assert at(placement["s"], 1) == [100, 100]  # frame 1: unscaled, unturned, in place
    assert at(placement["r"], 1) in (0, [0]) and at(placement["p"], 1) == [0, 0]
    outline = at(inner["it"][0]["ks"], 1)[0]["v"]
    assert np.allclose(outline, (150.0, 160.0))  # the outline in pixels, where it was posed
