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

from typing import TYPE_CHECKING, Any

from poseanim import moved_modules
from poseanim.errors import PoseanimError
from poseanim.illustration import (
    EarAnchor, Illustration, PosedFrame, bundled_illustrations, load_illustration,
)
from poseanim.pose import Pose
from poseanim.render.writers import write_png, write_svg
from poseanim.sources import read_image
from poseanim.tracking.track_file import PoseTrack, load_track, save_track

if TYPE_CHECKING:
    from poseanim.tracking.mediapipe_tracker import MediaPipeTracker

__version__ = "0.1.0"
moved_modules.install()
__all__ = [
    "EarAnchor", "Illustration", "MediaPipeTracker", "Pose", "PosedFrame", "PoseTrack",
    "PoseanimError", "bundled_illustrations", "load_illustration", "load_track", "read_image",
    "save_track", "write_png", "write_svg",
]


def __getattr__(name: str) -> Any:
    """Import MediaPipe only when the tracker is asked for: it takes a second to load."""
    if name == "MediaPipeTracker":
        from poseanim.tracking.mediapipe_tracker import MediaPipeTracker

        return MediaPipeTracker
    raise AttributeError(f"module 'poseanim' has no attribute {name!r}")
