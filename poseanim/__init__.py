"""poseanim: animate rigged SVG characters (Pose Animator convention) from people in pictures.

The data path is source → tracker → pose → filter → rig → deformer → renderer:

>>> import poseanim
>>> character = poseanim.load_illustration("ada")            # bind once
>>> photo = poseanim.read_image("examples/photos/astronaut.jpg")
>>> with poseanim.MediaPipeTracker() as tracker:
...     pose = tracker.track(photo)                            # None when nobody is found
>>> frame = character.pose(pose)                               # deform (vectorised)
>>> poseanim.write_svg(frame, "posed.svg"); poseanim.write_png(frame, "posed.png")
"""

from __future__ import annotations

import importlib
import os
from typing import TYPE_CHECKING, Any

from poseanim import cairo_declarations, moved_modules

if TYPE_CHECKING:
    from poseanim.bundled import bundled_illustrations
    from poseanim.errors import PoseanimError
    from poseanim.illustration import EarAnchor, Illustration, PosedFrame, load_illustration
    from poseanim.pipeline import SourceSpec, TrackedFrame, open_frame_source, track_frames
    from poseanim.pose import Pose
    from poseanim.render.writers import write_png, write_svg
    from poseanim.sources import read_image
    from poseanim.tracking.mediapipe_tracker import MediaPipeTracker
    from poseanim.tracking.track_file import PoseTrack, load_track, save_track
    from poseanim.tracking.tracker import Tracked

__version__ = "0.1.0"
# One BLAS thread. poseanim's matrix products are small (a frame's deformation is a few hundred
# thousand multiply-adds, a painter's gradients a dozen 3×3s), and OpenBLAS's threads, which spin
# while they wait, made them 1.2–1.7× slower in wall time and took the cores that the pipeline's
# stages (decoding, MediaPipe, painting, encoding) run on. It takes effect when numpy loads after
# poseanim (the command line, the app); a caller's own setting wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
moved_modules.install()
cairo_declarations.install()  # cairo's C header parsed once, not at each start
_HOMES = {
    "EarAnchor": "pose", "Illustration": "illustration", "PosedFrame": "illustration",
    "bundled_illustrations": "bundled", "load_illustration": "illustration",
    "MediaPipeTracker": "tracking.mediapipe_tracker", "Pose": "pose",
    "PoseanimError": "errors", "PoseTrack": "tracking.track_file",
    "load_track": "tracking.track_file", "save_track": "tracking.track_file",
    "read_image": "sources", "write_png": "render.writers", "write_svg": "render.writers",
    "SourceSpec": "pipeline", "TrackedFrame": "pipeline", "open_frame_source": "pipeline",
    "track_frames": "pipeline", "Tracked": "tracking.tracker",
}
"""Where each public name lives. They are imported on first use: `import poseanim` (and so
every `poseanim` command) would otherwise load numpy, cairo and friends before `--help`."""
__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    """Import a public name's module the first time the name is asked for."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'poseanim' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"poseanim.{home}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(list(globals()) + __all__)
