"""Memory benchmark: peak resident memory of whole exports, a short clip beside one N times
as long, in the same run.

Run: `python benchmarks/bench_memory.py [--seconds 20] [--times 4]` (or `make bench`). Each
command runs in a fresh process; its peak RSS comes from the kernel (wait4). Memory that does
not grow with the clip's length shows as a ratio near 1.0 between the long and the short
export; the target (issue 15) is a 10-minute export in the memory of a short one, which the
ratio extrapolates to (the benchmark keeps clips short so that it runs in a few minutes).
Rendering reads a recorded track (the same poses for every format); `poseanim track` tracks
a real video of the bundled photo moved about.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from bench_core import POSE, REPO, table

from poseanim.pose import Pose
from poseanim.tracking.track_file import PoseTrack, load_track, save_track

sys.path.insert(0, str(REPO / "tests"))
from video_factory import warped_frames, write_video  # noqa: E402

FPS = 30.0
OUTPUTS = [("MP4", "out.mp4", []), ("GIF", "out.gif", []), ("WebM", "out.webm", []),
           ("animated SVG", "out.svg", []), ("PNG frames", "frames", ["--frames", "png"]),
           ("SVG frames", "svgs", ["--frames", "svg"])]


def peak_rss_mb(arguments: list[str]) -> float:
    """Peak resident memory in MB of one fresh `python -m poseanim arguments…`."""
    process = subprocess.Popen([sys.executable, "-m", "poseanim", *arguments], cwd=REPO,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    error = process.stderr.read().decode(errors="replace") if process.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"poseanim {' '.join(arguments)} failed: {error.strip()[-300:]}")
    return usage.ru_maxrss / 1024  # kilobytes on Linux


def walking_track(path: Path, frames: int) -> Path:
    """The astronaut's pose swaying left and right for `frames` frames, as a track file."""
    pose = load_track(POSE).frames[0]
    poses = [Pose(pose.positions + [40 * np.sin(i / 15), 10 * np.cos(i / 9)], pose.scores,
                  pose.image_size) for i in range(frames)]
    return save_track(PoseTrack(pose.image_size, FPS, poses, [i / FPS for i in range(frames)],
                                "bench"), path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="short clip (20 s)")
    parser.add_argument("--times", type=int, default=4, help="long clip = short × this (4)")
    parser.add_argument("--track-seconds", type=float, default=4.0,
                        help="short video for `poseanim track` (4 s)")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    short, long = round(args.seconds * FPS), round(args.seconds * FPS) * args.times
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        tracks = {n: walking_track(work / f"walk{n}.json", n) for n in (short, long)}
        for name, output, extra in OUTPUTS:
            peaks = [peak_rss_mb(["video", "--track", str(tracks[n]), "-i", "ada", "-o",
                                  str(work / f"{n}-{output}"), "--width", "240", *extra])
                     for n in (short, long)]
            rows.append([f"video --track → {name}, 240 px", f"{peaks[0]:.0f}", f"{peaks[1]:.0f}",
                         f"{peaks[1] / peaks[0]:.2f}"])
        photo = __import__("poseanim").read_image(REPO / "examples" / "photos" / "astronaut.jpg")
        count = round(args.track_seconds * FPS)
        clips = {n: write_video(work / f"clip{n}.mp4",
                                warped_frames(photo, n, (320, 240)), FPS)
                 for n in (count, count * args.times)}
        peaks = [peak_rss_mb(["track", str(clip), "-o", str(work / f"t{n}.json")])
                 for n, clip in clips.items()]
        rows.append(["track 320×240 video → track file", f"{peaks[0]:.0f}", f"{peaks[1]:.0f}",
                     f"{peaks[1] / peaks[0]:.2f}"])
    print(f"{os.cpu_count()} CPU cores, load average {load:.1f} before the run; render clips "
          f"of {short} and {long} frames, tracked clips of {count} and {count * args.times}")
    print(table(rows, ["export", "peak RSS short MB", f"long (×{args.times}) MB",
                       "long ÷ short (target ≈ 1)"]))


if __name__ == "__main__":
    main()
