"""`poseanim track` and `poseanim video` on a real clip: the astronaut moved by known warps.

The clip is tracked once per session (real MediaPipe, video mode) into a track file that the
render tests reuse; one test runs tracking inside `poseanim video` itself (with sound).
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from pathlib import Path

import cv2
import numpy as np
import pytest

from poseanim.cli import main
from poseanim.svg.geometry import parse_transform
from poseanim.tracking.track_file import load_track
from poseanim.video_source import ffmpeg_executable
from video_factory import FPS, FRAMES, SIZE, apply, warp, warped_frames, write_video

pytestmark = pytest.mark.slow

SVG = "{http://www.w3.org/2000/svg}"
SETTLED = 4


@pytest.fixture(scope="session")
def clip(photo_rgb, tmp_path_factory) -> Path:
    """24 frames at 10 frames/s, 384 px: the astronaut turning and moving right."""
    return write_video(tmp_path_factory.mktemp("clip") / "clip.mp4", warped_frames(photo_rgb))


@pytest.fixture(scope="session")
def clip_track(clip) -> Path:
    """The clip tracked by `poseanim track` (once for every test here)."""
    path = clip.parent / "clip.json"
    assert main(["track", str(clip), "-o", str(path)]) == 0
    return path


def ffmpeg_report(path: Path) -> str:
    """What ffmpeg says about a media file (streams, rates, sizes)."""
    return subprocess.run([ffmpeg_executable(), "-hide_banner", "-i", str(path)],
                          capture_output=True, text=True).stderr


def decode(path: Path, decoder: str | None = None) -> np.ndarray:
    """Every frame as (N, H, W, 4) RGBA, decoded by ffmpeg (`decoder` forces one, e.g. the
    libvpx one that reads WebM's alpha)."""
    report = ffmpeg_report(path)
    width, height = map(int, re.search(r", (\d+)x(\d+)", report).groups())
    command = [ffmpeg_executable(), "-loglevel", "error"]
    command += ["-c:v", decoder] if decoder else []
    command += ["-i", str(path), "-f", "rawvideo", "-pix_fmt", "rgba", "-"]
    data = subprocess.run(command, capture_output=True, check=True).stdout
    return np.frombuffer(data, np.uint8).reshape(-1, height, width, 4)


def centroid(rgba: np.ndarray) -> np.ndarray:
    """(2,) mean (x, y) of the drawn (non-transparent) pixels."""
    ys, xs = np.nonzero(rgba[..., 3] > 128)
    return np.array([xs.mean(), ys.mean()])


def motion(index: int, since: int = 0) -> np.ndarray:
    """(2, 3) affine taking the person in frame `since` to the person in frame `index`."""
    first = np.vstack([warp(since), [0, 0, 1]])
    now = np.vstack([warp(index), [0, 0, 1]])
    return (now @ np.linalg.inv(first))[:2]


def leftovers(folder: Path) -> list[str]:
    """Temporary files or folders a writer could have left behind."""
    return [p.name for p in folder.iterdir() if ".part" in p.name or p.name.endswith(".old")]


def test_track_records_every_frame_following_the_person(clip_track):
    track = load_track(clip_track)
    assert len(track.frames) == FRAMES and track.fps == FPS and track.image_size == (SIZE, SIZE)
    assert track.found_count() == FRAMES
    assert track.times[1] == pytest.approx(1 / FPS)
    # MediaPipe's first detection and its later tracking place the shoulders a few pixels
    # apart; from frame SETTLED on, the shoulders must follow the warp closely.
    reference = track.frames[SETTLED]
    start = (reference.position("leftShoulder") + reference.position("rightShoulder")) / 2
    for index in range(SETTLED + 1, FRAMES):
        pose = track.frames[index]
        shoulders = (pose.position("leftShoulder") + pose.position("rightShoulder")) / 2
        expected = apply(motion(index, SETTLED), start)
        assert np.linalg.norm(shoulders - expected) < 6, index


def test_mp4_from_a_track_has_every_frame_at_the_source_rate(clip_track, tmp_path, run_cli):
    out = tmp_path / "bolt.mp4"
    code, stdout, stderr = run_cli("video", "--track", clip_track, "-i", "bolt", "-o", out)
    assert code == 0, stderr
    assert stdout.strip() == str(out)
    assert "24/24 frames" in stderr and "frames/s" in stderr
    capture = cv2.VideoCapture(str(out))
    assert capture.get(cv2.CAP_PROP_FRAME_COUNT) == FRAMES
    assert capture.get(cv2.CAP_PROP_FPS) == pytest.approx(FPS)
    size = (capture.get(cv2.CAP_PROP_FRAME_WIDTH), capture.get(cv2.CAP_PROP_FRAME_HEIGHT))
    assert size == (SIZE, SIZE)
    assert "h264" in ffmpeg_report(out)
    assert leftovers(tmp_path) == []


def test_tracking_a_video_keeps_its_sound_in_mp4(clip, tmp_path, run_cli):
    with_sound = tmp_path / "with_sound.mp4"
    subprocess.run([ffmpeg_executable(), "-loglevel", "error", "-i", str(clip), "-f", "lavfi",
                    "-i", f"sine=frequency=440:duration={FRAMES / FPS}", "-c:v", "copy",
                    "-c:a", "aac", "-shortest", str(with_sound)], check=True)
    out = tmp_path / "out.mp4"
    code, _, stderr = run_cli("video", with_sound, "-o", out, "--height", "200")
    assert code == 0, stderr
    report = ffmpeg_report(out)
    assert "Audio: aac" in report and "200x200" in report
    assert len(decode(out)) == FRAMES


def test_the_character_moves_as_the_person_does(clip_track, tmp_path, run_cli):
    folder = tmp_path / "frames"
    code, _, stderr = run_cli("video", "--track", clip_track, "-o", folder, "--frames", "png",
                              "--background", "none", "--smoothing", "0")
    assert code == 0, stderr
    names = sorted(p.name for p in folder.iterdir())
    assert names == [f"frame_{i:06d}.png" for i in range(1, FRAMES + 1)]
    frames = [cv2.imread(str(folder / name), cv2.IMREAD_UNCHANGED) for name in names]
    assert all(frame.shape == (SIZE, SIZE, 4) for frame in frames)
    start = centroid(frames[0])
    for index in (8, 16, 23):
        expected = apply(motion(index), start)
        assert np.linalg.norm(centroid(frames[index]) - expected) < 8, index
    assert centroid(frames[23])[0] - start[0] > 50  # it really went right


def test_mirror_swaps_the_direction_and_svg_frames_can_hold_the_video(clip, clip_track, tmp_path,
                                                                       run_cli):
    folder = tmp_path / "mirrored"
    assert run_cli("video", clip, "--track", clip_track, "--mirror", "--frames", "svg",
                   "--overlay", "-o", folder, "--fps", "1")[0] == 0
    first, last = (ET.parse(folder / f"frame_{i:06d}.svg").getroot() for i in (1, 3))
    assert first.find(f"{SVG}image").get("{http://www.w3.org/1999/xlink}href").startswith(
        "data:image/jpeg;base64,")
    assert mean_x(last) < mean_x(first) - 30  # the person went right, the mirror image left


def mean_x(root: ET.Element) -> float:
    """The mean x of every point in the paths of an SVG document."""
    numbers = [float(v) for path in root.iter(f"{SVG}path")
               for v in re.findall(r"-?\d+(?:\.\d+)?", path.get("d"))]
    return float(np.mean(numbers[0::2]))


def test_gif_and_webm_can_be_transparent(clip_track, tmp_path, run_cli):
    gif, webm = tmp_path / "a.gif", tmp_path / "a.webm"
    for out in (gif, webm):
        code, _, stderr = run_cli("video", "--track", clip_track, "-o", out, "--background",
                                  "none", "--width", "192")
        assert code == 0, stderr
    gif_frames = decode(gif)
    webm_frames = decode(webm, decoder="libvpx-vp9")
    for frames in (gif_frames, webm_frames):
        assert frames.shape == (FRAMES, 192, 192, 4)
        assert frames[:, 0, 0, 3].max() <= 2  # corners see through (VP9 alpha is lossy)
        assert (frames[..., 3] == 255).mean() > 0.1  # the character does not
    assert "10 fps" in ffmpeg_report(gif) and "vp9" in ffmpeg_report(webm)
    assert b"NETSCAPE2.0" in gif.read_bytes()  # loops
    code, _, _ = run_cli("video", "--track", clip_track, "-o", gif, "--no-loop", "--scale", "0.25")
    assert code == 0 and b"NETSCAPE2.0" not in gif.read_bytes()


def test_animated_svg_values_match_the_frames(clip_track, tmp_path, run_cli):
    animated, folder = tmp_path / "a.svg", tmp_path / "svgs"
    for out, extra in ((animated, ()), (folder, ("--frames", "svg"))):
        code, _, stderr = run_cli("video", "--track", clip_track, "-o", out, "--precision", "1",
                                  *extra)
        assert code == 0, stderr
    root = ET.parse(animated).getroot()
    assert root.get("width") == str(SIZE)
    per_frame: list[set[str]] = [set() for _ in range(FRAMES)]
    animations = 0
    for path in root.iter(f"{SVG}path"):
        tracks = {a.get("attributeName"): a for a in path.findall(f"{SVG}animate")}
        if "d" not in tracks:
            continue
        animations += 1
        d = expand(tracks["d"])
        shown = (expand(tracks["visibility"]) if "visibility" in tracks
                 else [path.get("visibility", "visible")] * FRAMES)
        assert tracks["d"].get("dur") == f"{FRAMES / FPS:g}s"
        assert tracks["d"].get("repeatCount") == "indefinite"
        assert re.fullmatch(r"[-MCZ0-9.,\s]+", d[0]) and not re.search(r"\.\d\d", d[0])
        for index in range(FRAMES):
            if shown[index] == "visible":
                per_frame[index].add(d[index])
    assert animations > 20
    for index in range(FRAMES):
        frame = ET.parse(folder / f"frame_{index + 1:06d}.svg").getroot()
        assert {p.get("d") for p in frame.iter(f"{SVG}path")} == per_frame[index], index


def expand(animate: ET.Element) -> list[str]:
    """The value an `<animate calcMode="discrete">` shows in each frame of the clip."""
    values = animate.get("values").split(";")
    starts = [round(float(t) * FRAMES) for t in animate.get("keyTimes").split(";")]
    assert animate.get("calcMode") == "discrete" and starts[0] == 0 and starts == sorted(starts)
    shown = []
    for index in range(FRAMES):
        shown.append(values[max(i for i, start in enumerate(starts) if start <= index)])
    return shown


def test_animated_svg_gradients_follow_their_shapes_as_in_the_frames(clip_track, tmp_path,
                                                                      run_cli):
    animated, folder = tmp_path / "mira.svg", tmp_path / "mira"
    for out, extra in ((animated, ()), (folder, ("--frames", "svg"))):
        assert run_cli("video", "--track", clip_track, "-i", "mira", "-o", out, *extra)[0] == 0
    root = ET.parse(animated).getroot()
    by_id = {element.get("id"): element for element in root.iter() if element.get("id")}
    checked = 0
    for path in root.iter(f"{SVG}path"):
        reference = re.search(r"url\(#([^)]+-animated-\d+)\)", path.get("style") or "")
        if reference is None:
            continue
        outlines = expand(path.find(f"{SVG}animate[@attributeName='d']"))
        steps = {a.get("type"): expand(a) for a in by_id[reference.group(1)]}
        assert list(steps) == ["translate", "rotate", "scale", "skewX"]
        for index in (0, 11, 23):
            chain = " ".join(f"{kind}({steps[kind][index]})" for kind in steps)
            expected = frame_gradient_transform(folder / f"frame_{index + 1:06d}.svg",
                                                outlines[index])
            assert np.allclose(parse_transform(chain), expected, atol=2e-3, rtol=1e-3), index
            checked += 1
    assert checked >= 6  # Mira's two sleeves, three frames each


def frame_gradient_transform(frame_svg: Path, outline: str) -> np.ndarray:
    """The gradientTransform the shape drawn with `outline` gets in a posed frame's SVG."""
    root = ET.parse(frame_svg).getroot()
    by_id = {element.get("id"): element for element in root.iter() if element.get("id")}
    path = next(p for p in root.iter(f"{SVG}path") if p.get("d") == outline)
    paint = re.search(r"url\(#([^)]+)\)", path.get("style") or "") or \
        re.search(r"url\(#([^)]+)\)", path.get("fill") or "")
    return parse_transform(by_id[paint.group(1)].get("gradientTransform"))


def test_no_loop_svg_freezes_on_the_last_frame(clip_track, tmp_path, run_cli):
    out = tmp_path / "once.svg"
    assert run_cli("video", "--track", clip_track, "-o", out, "--no-loop")[0] == 0
    animate = next(ET.parse(out).getroot().iter(f"{SVG}animate"))
    assert animate.get("fill") == "freeze" and animate.get("repeatCount") is None


@pytest.mark.parametrize("fps, frames", [(5, 12), (20, 48)])
def test_frame_rate_is_changed_by_dropping_or_repeating(clip_track, tmp_path, run_cli, fps, frames):
    out = tmp_path / "out.mp4"
    assert run_cli("video", "--track", clip_track, "-o", out, "--fps", fps, "--width", "96")[0] == 0
    assert len(decode(out)) == frames
    assert f"{fps} fps" in ffmpeg_report(out)


def test_overlay_fit_and_side_by_side(clip, clip_track, tmp_path, run_cli):
    over = tmp_path / "over.mp4"
    assert run_cli("video", clip, "--track", clip_track, "--overlay", "-o", over)[0] == 0
    last = decode(over)[-1]
    assert np.abs(last[0, 0, :3].astype(int) - 96).max() < 12  # the video's grey border shows
    fitted = tmp_path / "fit.mp4"
    assert run_cli("video", "--track", clip_track, "--fit", "--scale", "0.25", "-o", fitted)[0] == 0
    assert "150x226" in ffmpeg_report(fitted)  # Ada's 600 × 900 canvas, sides made even
    folder = tmp_path / "debug"
    assert run_cli("video", clip, "--track", clip_track, "--side-by-side", "--frames", "png",
                   "-o", folder, "--height", "160")[0] == 0
    picture = cv2.imread(str(folder / "frame_000001.png"))
    assert picture.shape == (160, 320, 3)


def test_fit_frames_a_video_once_for_the_whole_clip_as_a_track_is(clip, clip_track, tmp_path,
                                                                   run_cli):
    """`video --fit` of a video tracks it first, then draws it framed once, as `--track` does
    (it used to frame as it played, zoomed in on the first frames and out as the figure moved)."""
    masks = {}
    for name, source in (("video", [clip]), ("track", ["--track", clip_track])):
        folder = tmp_path / name
        code, _, stderr = run_cli("video", *source, "--fit", "--frames", "png", "-o", folder,
                                  "--background", "none", "--width", "150")
        assert code == 0, stderr
        masks[name] = [cv2.imread(str(path), cv2.IMREAD_UNCHANGED)[..., 3] > 0
                       for path in sorted(folder.glob("frame_*.png"))]
    assert len(masks["video"]) == len(masks["track"]) == FRAMES
    for drawn, recorded in zip(masks["video"], masks["track"]):
        overlap = (drawn & recorded).sum() / (drawn | recorded).sum()
        assert overlap > 0.99, overlap  # the same framing (the track's joints are rounded)


def test_frames_without_a_person_follow_the_tracking_loss_rule(clip_track, tmp_path, run_cli):
    data = json.loads(clip_track.read_text())
    for index in [0, 1, 2] + list(range(8, FRAMES)):
        data["frames"][index]["joints"] = None  # nobody at first, then lost after frame 7
    lossy = tmp_path / "lossy.json"
    lossy.write_text(json.dumps(data))
    folder = tmp_path / "frames"
    code, _, stderr = run_cli("video", "--track", lossy, "-o", folder, "--frames", "png",
                              "--background", "none", "--smoothing", "0")
    assert code == 0, stderr
    frames = [cv2.imread(str(folder / f"frame_{i + 1:06d}.png"), cv2.IMREAD_UNCHANGED)
              for i in range(FRAMES)]
    assert all(frames[i][..., 3].max() == 0 for i in range(3))  # nobody seen yet: empty
    held = frames[7]
    assert all(np.array_equal(frames[i], held) for i in range(8, 13))  # held for 0.5 s
    assert not np.array_equal(frames[16], held)  # then eased towards rest
    assert all(frames[i][..., 3].max() == 255 for i in range(3, FRAMES))


AS_FOREGROUND_JOB = ("import runpy, signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
                     "sys.argv[0] = 'poseanim'; runpy.run_module('poseanim', run_name='__main__')")
"""`python -m poseanim` with Ctrl-C as a terminal delivers it: a suite started in the background
(`make test &`, a CI runner's nohup) passes SIGINT on *ignored*, and Python keeps an ignored
SIGINT ignored, so the interrupt under test would never arrive."""


@pytest.mark.parametrize("output, extra", [("out.mp4", ()), ("frames", ("--frames", "png")),
                                           ("out.svg", ())])
def test_ctrl_c_leaves_nothing_behind(clip_track, tmp_path, output, extra):
    data = json.loads(clip_track.read_text())
    data["frames"] = data["frames"] * 200  # 4800 frames: long enough to interrupt
    long_track = tmp_path / "long.json"
    long_track.write_text(json.dumps(data))
    out = tmp_path / output
    process = subprocess.Popen([sys.executable, "-c", AS_FOREGROUND_JOB, "video", "--track",
                                str(long_track), "-o", str(out), *extra],
                               stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"})
    for line in process.stderr:  # past any warnings, to the first progress line
        if line.startswith("rendering"):
            break
    assert process.poll() is None, "finished before it could be interrupted"
    process.send_signal(signal.SIGINT)
    _, rest = process.communicate(timeout=60)
    assert process.returncode == 130
    assert "interrupted" in rest and "Traceback" not in rest
    assert not out.exists() and leftovers(tmp_path) == []


@pytest.mark.parametrize("output, moment", [("out.mp4", 0.0), ("out.svg", 0.7), ("frames", 1.3)])
def test_sigterm_at_any_moment_exits_143_and_leaves_nothing_behind(clip_track, tmp_path, output,
                                                                    moment):
    """A real SIGTERM (what `kill`, systemd and CI runners send) unwinds like Ctrl-C."""
    data = json.loads(clip_track.read_text())
    data["frames"] = data["frames"] * 200
    long_track = tmp_path / "long.json"
    long_track.write_text(json.dumps(data))
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    out = tmp_path / output
    extra = ("--frames", "png") if output == "frames" else ()
    process = subprocess.Popen([sys.executable, "-m", "poseanim", "video", "--track",
                                str(long_track), "-o", str(out), *extra],
                               stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONUNBUFFERED": "1", "TMPDIR": str(scratch)})
    for line in process.stderr:
        if line.startswith("rendering"):
            break
    threading.Event().wait(moment)  # somewhere into the export, not a timing assertion
    assert process.poll() is None, "finished before it could be terminated"
    process.send_signal(signal.SIGTERM)
    _, rest = process.communicate(timeout=60)
    assert process.returncode == 143, rest
    assert "terminated; no partial output was kept" in rest and "Traceback" not in rest
    assert not out.exists() and leftovers(tmp_path) == []
    assert list(scratch.iterdir()) == []  # no spool or temporary file in TMPDIR either
