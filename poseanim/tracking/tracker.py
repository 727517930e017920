"""What a tracker is: a picture in, a `Tracked` out (the pose, and the raw landmarks behind it).

The raw landmarks travel with the pose in one value instead of being left on the tracker for
whoever asks next (a debug view, the live camera view), so a result can be passed between
threads and kept with its frame.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import TracebackType
from typing import Generator, Iterable, Protocol, TypeVar

from poseanim.pose import Pose
from poseanim.tracking.hands import HandLandmarks
from poseanim.types import FaceMesh, PoseLandmarks, RGBImage


@dataclass(frozen=True)
class Tracked:
    """What tracking found in one picture.

    pose: the person mapped onto the rig's keypoints, None when nobody was found.
    landmarks: the body model's own landmarks (MediaPipe Pose: (33, 3) x, y pixels, visibility).
    face_mesh: the face model's vertices ((468, 2) pixels), None when no face was found.
    hands: the hand model's landmarks per hand found (see `tracking.hands`).
    """

    pose: Pose | None
    landmarks: PoseLandmarks | None = None
    face_mesh: FaceMesh | None = None
    hands: tuple[HandLandmarks, ...] = ()
    """The hands found at the body's wrists (trackers made with hands=True)."""


Key = TypeVar("Key")


class Tracker(Protocol):
    """Finds the person in pictures. Use as a context manager, or call `close()`."""

    def track_picture(self, rgb: RGBImage) -> Tracked:
        """What is in an (H, W, 3) uint8 RGB picture."""

    def track(self, rgb: RGBImage) -> Pose | None:
        """Only the pose of `track_picture`."""

    def track_stream(self, pictures: Iterable[tuple[Key, RGBImage]]
                     ) -> Generator[tuple[Key, Tracked], None, None]:
        """`track_picture` of each (key, picture) of a video in order, the key passed along
        (a tracker may follow the person from frame to frame, and work on two at once)."""

    def close(self) -> None:
        """Free the models."""

    def __enter__(self) -> Tracker: ...

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None: ...
