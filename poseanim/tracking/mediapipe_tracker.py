"""MediaPipe Pose and Face Mesh, mapped onto the rig's joints.

Uses the legacy `mp.solutions` graphs of mediapipe 0.10.21, whose models ship inside the wheel,
so tracking works offline. Pose runs on the whole image; Face Mesh runs on a square crop
around the head that Pose found, which finds small faces in full-body shots that Face Mesh
alone would miss.
"""

from __future__ import annotations

import contextlib
import os
import sys
from types import TracebackType
from typing import Iterator

import numpy as np

from poseanim.pose import Pose
from poseanim.rig.tables import EAR_LANDMARKS, JOINTS, KEYPOINT_INDEX, KEYPOINT_NAMES

os.environ.setdefault("GLOG_minloglevel", "2")

_BODY = [(KEYPOINT_INDEX[j.name], j.tracker_index) for j in JOINTS if j.region == "body"]
_BODY += [(KEYPOINT_INDEX[name], index) for name, index in EAR_LANDMARKS.items()]
_FACE_ROWS = np.array([KEYPOINT_INDEX[j.name] for j in JOINTS if j.region == "face"])
_FACE_VERTICES = np.array([j.tracker_index for j in JOINTS if j.region == "face"])
_HEAD_LANDMARKS = list(range(11))  # nose, eyes, ears, mouth in MediaPipe Pose
_MIN_HEAD_CROP = 96


@contextlib.contextmanager
def native_stderr_silenced() -> Iterator[None]:
    """Send the process's stderr (file descriptor 2) to /dev/null for a moment.

    MediaPipe's C++ graphs print start-up notices (TFLite delegates, absl warnings) straight to
    descriptor 2 from their own threads when they are built and first run; they mean nothing to
    a user and would bury poseanim's own one-line messages.
    """
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


class MediaPipeTracker:
    """Image → Pose with MediaPipe Pose (model_complexity=1) and Face Mesh.

    `video=False` detects afresh in every image (photos); `video=True` uses MediaPipe's
    tracking between frames (faster and steadier for video and the webcam). Use as a context
    manager, or call `close()`, to free the graphs.
    """

    def __init__(self, video: bool = False, face: bool = True) -> None:
        import mediapipe as mp  # imported here: loading it takes a second

        self._quiet_runs = 2  # the first runs of the graphs print their start-up notices
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
        if self._quiet_runs > 0:
            self._quiet_runs -= 1
            with native_stderr_silenced():
                return self._track(rgb)
        return self._track(rgb)

    def _track(self, rgb: np.ndarray) -> Pose | None:
        rgb = np.ascontiguousarray(rgb)
        height, width = rgb.shape[:2]
        result = self._pose.process(rgb)
        self.last_landmarks, self.last_face_mesh = None, None
        positions = np.full((len(KEYPOINT_NAMES), 2), np.nan)
        scores = np.zeros(len(KEYPOINT_NAMES))
        if result.pose_landmarks is None:
            return None
        landmarks = np.array([(p.x * width, p.y * height, p.visibility)
                              for p in result.pose_landmarks.landmark])
        self.last_landmarks = landmarks
        for row, index in _BODY:
            positions[row] = landmarks[index, :2]
            scores[row] = landmarks[index, 2]
        mesh = self._face_mesh(rgb, landmarks) if self._face is not None else None
        if mesh is not None:
            self.last_face_mesh = mesh
            positions[_FACE_ROWS] = mesh[_FACE_VERTICES]
            scores[_FACE_ROWS] = 1.0
        return Pose(positions, scores, (width, height))

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
