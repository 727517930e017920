"""The one door to MediaPipe: its legacy Pose, Face Mesh and Hands graphs, quiet, answering in pixels.

Every user of MediaPipe (the tracker, FOMM's face crops, auto-rig) goes through here, so the
models are configured in one place and MediaPipe's C++ start-up notices (`INFO: Created
TensorFlow Lite XNNPACK delegate`, absl's `W0000 … feedback manager` lines) never reach the
terminal: they are printed straight to file descriptor 2 while a graph starts and while each
of its models runs for the first time, so those moments run with that descriptor sent to
/dev/null. A graph's landmark model first runs on the first picture in which its detector finds
something, so a graph stays quiet until it has found something (and one run more). mediapipe==0.10.21's
`mp.solutions` graphs carry their models inside the wheel, so this works offline.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from typing import Any, Iterator

import numpy as np

from poseanim.closing import Closing
from poseanim.types import FaceMesh, PoseLandmarks, RGBImage

os.environ.setdefault("GLOG_minloglevel", "2")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

QUIET_RUNS_AFTER_FOUND = 1
"""Runs that stay silenced after the first one that found something (notices may trail)."""


_silence_lock = threading.Lock()
_silence_depth = 0
_saved_stderr = -1


@contextlib.contextmanager
def native_stderr_silenced() -> Iterator[None]:
    """Send the process's stderr (file descriptor 2) to /dev/null for a moment.

    Python's own `sys.stderr` is flushed first, so poseanim's messages written before are kept.
    Graphs run on several threads at once (the tracker's body and face stages): the first one
    in saves the real descriptor, the last one out restores it.
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


class _Graph(Closing):
    """A MediaPipe solution graph built quietly, whose first runs are quiet too."""

    def __init__(self, build: Any) -> None:
        with native_stderr_silenced():
            self._graph = build()
            # The graph opens its models on its own threads; a first (blank) run returns only
            # once they are open, so their notices land inside the silenced moment.
            self._graph.process(np.zeros((64, 64, 3), np.uint8))
        self._quiet_runs = QUIET_RUNS_AFTER_FOUND + 1
        self._found = False

    def _process(self, rgb: RGBImage) -> Any:
        rgb = np.ascontiguousarray(rgb)
        if self._quiet_runs <= 0:
            return self._graph.process(rgb)
        with native_stderr_silenced():
            result = self._graph.process(rgb)
        self._found = self._found or self._found_in(result)
        if self._found:
            self._quiet_runs -= 1
        return result

    @staticmethod
    def _found_in(result: Any) -> bool:
        """Whether the graph found anything (so every model in it has run)."""
        raise NotImplementedError

    def close(self) -> None:
        """Free the graph."""
        self._graph.close()



class PoseGraph(_Graph):
    """MediaPipe Pose (model_complexity=1) on whole pictures.

    video=False detects afresh in every picture (photos, frames visited out of order);
    video=True tracks from frame to frame (steadier and faster for video and the webcam).
    """

    def __init__(self, video: bool = False) -> None:
        import mediapipe as mp  # imported here: loading it takes a second

        super().__init__(lambda: mp.solutions.pose.Pose(
            static_image_mode=not video, model_complexity=1, smooth_landmarks=video,
            enable_segmentation=False, min_detection_confidence=0.5,
            min_tracking_confidence=0.5))

    @staticmethod
    def _found_in(result: Any) -> bool:
        return result.pose_landmarks is not None

    def landmarks(self, rgb: RGBImage) -> PoseLandmarks | None:
        """The 33 landmarks of the person in `rgb` (x, y pixels, visibility, depth), or None.

        depth: MediaPipe's z in pixels (x's scale), smaller nearer the camera, 0 at the hips."""
        result = self._process(rgb)
        if result.pose_landmarks is None:
            return None
        height, width = rgb.shape[:2]
        return np.array([(p.x * width, p.y * height, p.visibility, p.z * width)
                         for p in result.pose_landmarks.landmark])


class HandsGraph(_Graph):
    """MediaPipe Hands, one hand per picture (the crop around one wrist).

    video=True tracks the hand from frame to frame with the lite landmark model (a third
    cheaper); video=False detects afresh with the full model.
    """

    def __init__(self, video: bool = False) -> None:
        import mediapipe as mp  # imported here: loading it takes a second

        super().__init__(lambda: mp.solutions.hands.Hands(
            static_image_mode=not video, max_num_hands=1, model_complexity=0 if video else 1,
            min_detection_confidence=0.5, min_tracking_confidence=0.5))

    @staticmethod
    def _found_in(result: Any) -> bool:
        return bool(result.multi_hand_landmarks)

    def hand(self, rgb: RGBImage) -> tuple[np.ndarray, float] | None:
        """The 21 landmarks of the hand in `rgb` (pixels) and the model's confidence, or None."""
        result = self._process(rgb)
        if not result.multi_hand_landmarks:
            return None
        height, width = rgb.shape[:2]
        points = np.array([(p.x * width, p.y * height)
                           for p in result.multi_hand_landmarks[0].landmark])
        return points, float(result.multi_handedness[0].classification[0].score)


class FaceMeshGraph(_Graph):
    """MediaPipe Face Mesh, one face, without the iris refinement (468 vertices).

    video=False searches every picture afresh, so a crop never inherits a lost track.
    """

    def __init__(self, video: bool = False) -> None:
        import mediapipe as mp  # imported here: loading it takes a second

        super().__init__(lambda: mp.solutions.face_mesh.FaceMesh(
            static_image_mode=not video, max_num_faces=1, refine_landmarks=False,
            min_detection_confidence=0.5, min_tracking_confidence=0.5))

    @staticmethod
    def _found_in(result: Any) -> bool:
        return bool(result.multi_face_landmarks)

    def vertices(self, rgb: RGBImage) -> FaceMesh | None:
        """The face's 468 vertices in `rgb`'s pixels (x right, y down), or None without one."""
        result = self._process(rgb)
        if not result.multi_face_landmarks:
            return None
        height, width = rgb.shape[:2]
        return np.array([(p.x * width, p.y * height)
                         for p in result.multi_face_landmarks[0].landmark[:468]])


class HolisticGraph(_Graph):
    """MediaPipe Holistic: Pose, Face Mesh and both hands in one graph, its hands cropped by the
    graph itself around Pose's wrists. poseanim tracks with the separate graphs (two tracking
    threads, hands only when asked); this one is kept to measure that choice against
    (benchmarks/bench_hands.py)."""

    def __init__(self, video: bool = False) -> None:
        import mediapipe as mp  # imported here: loading it takes a second

        super().__init__(lambda: mp.solutions.holistic.Holistic(
            static_image_mode=not video, model_complexity=1, refine_face_landmarks=False,
            min_detection_confidence=0.5, min_tracking_confidence=0.5))

    @staticmethod
    def _found_in(result: Any) -> bool:
        return result.pose_landmarks is not None

    def hands(self, rgb: RGBImage) -> list[np.ndarray]:
        """(21, 2) pixel landmarks of each hand found in `rgb` (none, one or two), with the
        body, face and hands all run on it."""
        result = self._process(rgb)
        height, width = rgb.shape[:2]
        return [np.array([(p.x * width, p.y * height) for p in found.landmark])
                for found in (result.left_hand_landmarks, result.right_hand_landmarks)
                if found is not None]
