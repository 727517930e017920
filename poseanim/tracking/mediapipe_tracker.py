"""MediaPipe Pose and Face Mesh, mapped onto the rig's joints.

Uses the legacy `mp.solutions` graphs of mediapipe 0.10.21, whose models ship inside the wheel,
so tracking works offline. Pose runs on the whole image; Face Mesh runs on a square crop
around the head that Pose found, which finds small faces in full-body shots that Face Mesh
alone would miss.

The two graphs are two stages, `find_body` then `find_face`: a stream of pictures runs them
at once on consecutive pictures (`track_stream`: Face Mesh on picture n while Pose looks at
picture n + 1), each on a thread of its own — both graphs compute in C without Python's lock,
so on two cores tracking costs the longer of the two instead of their sum, and every result
is exactly the one the two graphs give one after the other.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from dataclasses import dataclass
from types import TracebackType
from typing import Iterable, Iterator, TypeVar

import numpy as np

from poseanim.pose import Pose
from poseanim.rig.tables import EAR_LANDMARKS, JOINTS, KEYPOINT_INDEX, KEYPOINT_NAMES

os.environ.setdefault("GLOG_minloglevel", "2")

_BODY = [(KEYPOINT_INDEX[j.name], j.tracker_index) for j in JOINTS if j.region in ("body", "foot")]
_BODY += [(KEYPOINT_INDEX[name], index) for name, index in EAR_LANDMARKS.items()]
_FACE_ROWS = np.array([KEYPOINT_INDEX[j.name] for j in JOINTS if j.region == "face"])
_FACE_VERTICES = np.array([j.tracker_index for j in JOINTS if j.region == "face"])
_HEAD_LANDMARKS = list(range(11))  # nose, eyes, ears, mouth in MediaPipe Pose
_MIN_HEAD_CROP = 96


_silence_lock = threading.Lock()
_silence_depth = 0
_saved_stderr = -1


@contextlib.contextmanager
def native_stderr_silenced() -> Iterator[None]:
    """Send the process's stderr (file descriptor 2) to /dev/null for a moment.

    MediaPipe's C++ graphs print start-up notices (TFLite delegates, absl warnings) straight to
    descriptor 2 from their own threads when they are built and first run; they mean nothing to
    a user and would bury poseanim's own one-line messages. The two stages of a stream enter
    this from two threads: the first in saves the real descriptor, the last out restores it.
    """
    global _silence_depth, _saved_stderr
    with _silence_lock:
        if _silence_depth == 0:
            sys.stderr.flush()
            _saved_stderr = os.dup(2)
            with open(os.devnull, "wb") as null:
                os.dup2(null.fileno(), 2)
        _silence_depth += 1
    try:
        yield
    finally:
        with _silence_lock:
            _silence_depth -= 1
            if _silence_depth == 0:
                os.dup2(_saved_stderr, 2)
                os.close(_saved_stderr)


@dataclass(frozen=True)
class Tracked:
    """What tracking found in one picture: the pose (None: nobody), MediaPipe Pose's (33, 3)
    landmarks (x, y pixels, visibility) and the (468, 2) face-mesh vertices in pixels, each
    None where not found (the raw landmarks are for debug views)."""

    pose: Pose | None
    landmarks: np.ndarray | None = None
    face_mesh: np.ndarray | None = None


@dataclass(frozen=True)
class Body:
    """The first stage's result: the picture and Pose's landmarks (None: nobody)."""

    rgb: np.ndarray
    landmarks: np.ndarray | None


Key = TypeVar("Key")


class MediaPipeTracker:
    """Image → Pose with MediaPipe Pose (model_complexity=1) and Face Mesh.

    `video=False` detects afresh in every image (photos); `video=True` uses MediaPipe's
    tracking between frames (faster and steadier for video and the webcam). Use as a context
    manager, or call `close()`, to free the graphs.
    """

    def __init__(self, video: bool = False, face: bool = True) -> None:
        import mediapipe as mp  # imported here: loading it takes a second

        self._quiet_runs = {"body": 2, "face": 2}  # first runs print start-up notices
        self._pose = mp.solutions.pose.Pose(static_image_mode=not video, model_complexity=1,
                                            smooth_landmarks=video, enable_segmentation=False,
                                            min_detection_confidence=0.5,
                                            min_tracking_confidence=0.5)
        self._face = (mp.solutions.face_mesh.FaceMesh(static_image_mode=not video,
                                                      max_num_faces=1, refine_landmarks=False,
                                                      min_detection_confidence=0.5,
                                                      min_tracking_confidence=0.5)
                      if face else None)
        self.last_landmarks: np.ndarray | None = None
        """(33, 3) Pose landmarks (x, y pixels, visibility) of the last image, for debug views."""
        self.last_face_mesh: np.ndarray | None = None
        """(468, 2) face-mesh vertices in pixels of the last image, or None."""

    def __enter__(self) -> MediaPipeTracker:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Release the MediaPipe graphs."""
        self._pose.close()
        if self._face is not None:
            self._face.close()

    def track(self, rgb: np.ndarray) -> Pose | None:
        """The person in an (H, W, 3) uint8 RGB image, or None when nobody is found."""
        tracked = self.track_picture(rgb)
        self.last_landmarks, self.last_face_mesh = tracked.landmarks, tracked.face_mesh
        return tracked.pose

    def track_picture(self, rgb: np.ndarray) -> Tracked:
        """Pose, landmarks and face mesh of one picture (the two stages one after the other)."""
        return self.find_face(self.find_body(rgb))

    def track_stream(self, pictures: Iterable[tuple[Key, np.ndarray]]
                     ) -> Iterator[tuple[Key, Tracked]]:
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
        with self._quiet("body"):
            result = self._pose.process(rgb)
        if result.pose_landmarks is None:
            return Body(rgb, None)
        height, width = rgb.shape[:2]
        return Body(rgb, np.array([(p.x * width, p.y * height, p.visibility)
                                   for p in result.pose_landmarks.landmark]))

    def find_face(self, body: Body) -> Tracked:
        """Stage two: Face Mesh around the head stage one found, and the pose of both."""
        if body.landmarks is None:
            return Tracked(None)
        height, width = body.rgb.shape[:2]
        positions = np.full((len(KEYPOINT_NAMES), 2), np.nan)
        scores = np.zeros(len(KEYPOINT_NAMES))
        for row, index in _BODY:
            positions[row] = body.landmarks[index, :2]
            scores[row] = body.landmarks[index, 2]
        mesh = None
        if self._face is not None:
            with self._quiet("face"):
                mesh = self._face_mesh(body.rgb, body.landmarks)
        if mesh is not None:
            positions[_FACE_ROWS] = mesh[_FACE_VERTICES]
            scores[_FACE_ROWS] = 1.0
        return Tracked(Pose(positions, scores, (width, height)), body.landmarks, mesh)

    def _quiet(self, stage: str) -> contextlib.AbstractContextManager:
        """Silence native stderr for the first runs of a stage's graph."""
        if self._quiet_runs[stage] <= 0:
            return contextlib.nullcontext()
        self._quiet_runs[stage] -= 1
        return native_stderr_silenced()

    def _face_mesh(self, rgb: np.ndarray, landmarks: np.ndarray) -> np.ndarray | None:
        """(468, 2) face-mesh vertices in image pixels, from a crop around the head."""
        height, width = rgb.shape[:2]
        head = landmarks[_HEAD_LANDMARKS, :2]
        centre = head.mean(axis=0)
        half = max(np.ptp(head, axis=0).max() * 1.6, _MIN_HEAD_CROP / 2)
        left, top = np.floor(centre - half).astype(int)
        right, bottom = np.ceil(centre + half).astype(int)
        left, top = max(left, 0), max(top, 0)
        right, bottom = min(right, width), min(bottom, height)
        if right - left < 16 or bottom - top < 16:
            return None
        crop = np.ascontiguousarray(rgb[top:bottom, left:right])
        result = self._face.process(crop)  # type: ignore[union-attr]
        if not result.multi_face_landmarks:
            return None
        crop_h, crop_w = crop.shape[:2]
        vertices = np.array([(p.x * crop_w + left, p.y * crop_h + top)
                             for p in result.multi_face_landmarks[0].landmark[:468]])
        return vertices
