"""MediaPipe Pose, Face Mesh and (optionally) Hands, mapped onto the rig's joints.

The graphs come from `mediapipe_graphs`, the one module that talks to MediaPipe. Pose runs on
the whole image; Face Mesh runs on a square crop around the head that Pose found, which finds
small faces in full-body shots that Face Mesh alone would miss; Hands, likewise, runs on a
crop around each wrist (`tracking.hands`).

The two graphs are two stages, `find_body` then `find_face`: a stream of pictures runs them
at once on consecutive pictures (`track_stream`: Face Mesh on picture n while Pose looks at
picture n + 1), each on a thread of its own — both graphs compute in C without Python's lock,
so on two cores tracking costs the longer of the two instead of their sum, and every result
is exactly the one the two graphs give one after the other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generator, Iterable, TypeVar

import numpy as np

from poseanim.closing import Closing
from poseanim.pose import Pose
from poseanim.rig.tables import EAR_LANDMARKS, JOINTS, KEYPOINT_INDEX, KEYPOINT_NAMES
from poseanim.tracking.hands import HandTracker, put_hands
from poseanim.tracking.mediapipe_graphs import FaceMeshGraph, PoseGraph
from poseanim.tracking.tracker import Tracked
from poseanim.types import FaceMesh, PoseLandmarks, RGBImage

__all__ = ["Body", "MediaPipeTracker", "Tracked"]

_BODY = [(KEYPOINT_INDEX[j.name], j.tracker_index) for j in JOINTS if j.region in ("body", "foot")]
_BODY += [(KEYPOINT_INDEX[name], index) for name, index in EAR_LANDMARKS.items()]
_FACE_ROWS = np.array([KEYPOINT_INDEX[j.name] for j in JOINTS if j.region == "face"])
_FACE_VERTICES = np.array([j.tracker_index for j in JOINTS if j.region == "face"])
_HEAD_LANDMARKS = list(range(11))  # nose, eyes, ears, mouth in MediaPipe Pose
_MIN_HEAD_CROP = 96


@dataclass(frozen=True)
class Body:
    """The first stage's result: the picture and Pose's landmarks (None: nobody)."""

    rgb: np.ndarray
    landmarks: np.ndarray | None


Key = TypeVar("Key")


class MediaPipeTracker(Closing):
    """Image → Pose with MediaPipe Pose (model_complexity=1), Face Mesh and, with `hands=True`,
    MediaPipe Hands around the wrists (the finger joints).

    `video=False` detects afresh in every image (photos); `video=True` uses MediaPipe's
    tracking between frames (faster and steadier for video and the webcam). Use as a context
    manager, or call `close()`, to free the graphs.
    """

    def __init__(self, video: bool = False, face: bool = True, hands: bool = False) -> None:
        self._pose = PoseGraph(video=video)
        self._face = FaceMeshGraph(video=video) if face else None
        self._hands = HandTracker(video=video) if hands else None


    @property
    def tracks_hands(self) -> bool:
        """Whether it was made with hands (`find_face` can then leave them out per frame)."""
        return self._hands is not None

    def close(self) -> None:
        """Release the MediaPipe graphs."""
        self._pose.close()
        if self._face is not None:
            self._face.close()
        if self._hands is not None:
            self._hands.close()

    def track(self, rgb: RGBImage) -> Pose | None:
        """The person in an (H, W, 3) uint8 RGB image, or None when nobody is found."""
        return self.track_picture(rgb).pose

    def track_picture(self, rgb: np.ndarray) -> Tracked:
        """Pose, landmarks and face mesh of one picture (the two stages one after the other)."""
        return self.find_face(self.find_body(rgb))

    def track_stream(self, pictures: Iterable[tuple[Key, np.ndarray]]
                     ) -> Generator[tuple[Key, Tracked], None, None]:
        """Track a stream of (key, RGB picture) in order, the two stages at once on
        consecutive pictures (and reading the next picture on a third thread)."""
        from poseanim.stages import pipelined

        def body(item: tuple[Key, np.ndarray]) -> tuple[Key, Body]:
            return item[0], self.find_body(item[1])

        def face(item: tuple[Key, Body]) -> tuple[Key, Tracked]:
            return item[0], self.find_face(item[1])

        return pipelined(pictures, body, face, name="poseanim-tracking")

    def find_body(self, rgb: np.ndarray) -> Body:
        """Stage one: MediaPipe Pose on the whole picture."""
        rgb = np.ascontiguousarray(rgb)
        return Body(rgb, self._pose.landmarks(rgb))

    def find_face(self, body: Body, hands: bool = True) -> Tracked:
        """Stage two: Face Mesh around the head stage one found, Hands around its wrists (for
        a tracker made with hands, unless `hands` is False for this frame: the live window
        turns them off without starting again), and the pose of all of them."""
        if body.landmarks is None:
            return Tracked(None)
        height, width = body.rgb.shape[:2]
        positions = np.full((len(KEYPOINT_NAMES), 2), np.nan)
        scores = np.zeros(len(KEYPOINT_NAMES))
        depth = np.full(len(KEYPOINT_NAMES), np.nan)
        for row, index in _BODY:
            positions[row] = body.landmarks[index, :2]
            scores[row] = body.landmarks[index, 2]
            depth[row] = body.landmarks[index, 3]
        mesh = self._face_mesh(body.rgb, body.landmarks)
        if mesh is not None:
            positions[_FACE_ROWS] = mesh[_FACE_VERTICES]
            scores[_FACE_ROWS] = 1.0
        found = (() if self._hands is None or not hands
                 else tuple(self._hands.track(body.rgb, body.landmarks)))
        put_hands(positions, scores, list(found))
        return Tracked(Pose(positions, scores, (width, height), depth), body.landmarks, mesh,
                       found)

    def _face_mesh(self, rgb: RGBImage, landmarks: PoseLandmarks) -> FaceMesh | None:
        """(468, 2) face-mesh vertices in image pixels, from a crop around the head."""
        height, width = rgb.shape[:2]
        head = landmarks[_HEAD_LANDMARKS, :2]
        centre = head.mean(axis=0)
        half = max(np.ptp(head, axis=0).max() * 1.6, _MIN_HEAD_CROP / 2)
        left, top = np.floor(centre - half).astype(int)
        right, bottom = np.ceil(centre + half).astype(int)
        left, top = max(left, 0), max(top, 0)
        right, bottom = min(right, width), min(bottom, height)
        if self._face is None or right - left < 16 or bottom - top < 16:
            return None
        vertices = self._face.vertices(rgb[top:bottom, left:right])
        return None if vertices is None else vertices + (left, top)
