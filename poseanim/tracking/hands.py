"""MediaPipe Hands on crops around the wrists that Pose found, mapped onto the hand joints.

Hands run on the whole picture misses the small hands of a full-body shot (its palm detector
sees the image at 192 px); a square crop around each wrist that Pose found gives it a hand that
fills the picture. Each side has its own Hands graph, fed only the crop around that side's
wrist, so left and right come from the body's wrists, never from the model's handedness guess
(which a mirrored picture swaps).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from poseanim.rig.tables import JOINT_BY_NAME, KEYPOINT_INDEX, hand_joints

if TYPE_CHECKING:
    from poseanim.tracking.mediapipe_graphs import HandsGraph

# MediaPipe Pose landmarks per side: (elbow, wrist, pinky knuckle, index knuckle)
_POSE_HAND = {"left": (13, 15, 17, 19), "right": (14, 16, 18, 20)}
_MIN_CROP = 48  # pixels: smaller crops hold too little for the palm detector
_CROP_PER_HAND = 2.4  # crop side over the hand length Pose suggests
_MAX_WRIST_GAP = 0.45  # a found hand's wrist must lie this near (× crop side) to Pose's wrist
_MIN_WRIST_VISIBILITY = 0.3  # below it Pose thinks the wrist is out of the picture or hidden
_RETRY_EVERY = 4  # in video, a side with no hand is searched again every this many frames


@dataclass(frozen=True)
class HandLandmarks:
    """One side's hand as Hands found it, in the picture's pixels.

    side: "left" or "right" (the person's own, from the body's wrist); points: (21, 2) the
    MediaPipe Hands landmarks (0 wrist … 20 pinky tip); score: the model's confidence.
    crop: (left, top, right, bottom) of the crop it was found in.
    """

    side: str
    points: np.ndarray
    score: float
    crop: tuple[int, int, int, int]


def hand_crop(landmarks: np.ndarray, side: str, width: int, height: int
              ) -> tuple[int, int, int, int] | None:
    """(left, top, right, bottom) of a square crop around one hand, clipped to the picture.

    landmarks: (33, ≥2) Pose landmarks in pixels. The hand's size is guessed from Pose's own
    knuckle landmarks and from the forearm (whichever is larger, since the knuckles of a
    foreshortened hand come out too close), its centre a little beyond the wrist.
    """
    elbow, wrist, pinky, index = (landmarks[i, :2] for i in _POSE_HAND[side])
    knuckles = (pinky + index) / 2
    reach = knuckles - wrist
    forearm = wrist - elbow
    length = max(float(np.linalg.norm(reach)) * 2.2, float(np.linalg.norm(forearm)) * 0.75)
    direction = reach if np.linalg.norm(reach) > 1e-6 else forearm
    norm = np.linalg.norm(direction)
    if not np.isfinite(length) or norm < 1e-6:
        return None
    centre = wrist + direction / norm * length * 0.45
    half = max(length * _CROP_PER_HAND, _MIN_CROP) / 2
    left, top = (int(v) for v in np.floor(centre - half))
    right, bottom = (int(v) for v in np.ceil(centre + half))
    left, top, right, bottom = max(left, 0), max(top, 0), min(right, width), min(bottom, height)
    if right - left < 16 or bottom - top < 16:
        return None
    return left, top, right, bottom


class HandTracker:
    """Both hands of the person Pose found: one MediaPipe Hands graph per side.

    `video=True` lets each graph track its hand between frames (its crop follows the wrist, so
    the hand stays where the graph expects it), and searches a side where no hand was found
    only every few frames (a palm search costs as much as the face mesh; a hand lost for a
    moment rides its forearm meanwhile); `video=False` detects afresh in every picture.
    """

    def __init__(self, video: bool = False) -> None:
        from poseanim.tracking.mediapipe_graphs import HandsGraph

        self._graphs = {side: HandsGraph(video=video) for side in ("left", "right")}
        self._video = video
        self._misses = {side: 0 for side in self._graphs}

    def close(self) -> None:
        """Release the graphs."""
        for graph in self._graphs.values():
            graph.close()

    def track(self, rgb: np.ndarray, landmarks: np.ndarray) -> list[HandLandmarks]:
        """The hands at the two wrists of Pose landmarks (33, 3: x, y, visibility) in an
        (H, W, 3) RGB image. A wrist that Pose thinks is out of the picture is not searched
        (a palm search costs as much as the face mesh)."""
        found = []
        for side, graph in self._graphs.items():
            if landmarks[_POSE_HAND[side][1], 2] < _MIN_WRIST_VISIBILITY:
                continue
            misses = self._misses[side]
            if self._video and misses and misses % _RETRY_EVERY:
                self._misses[side] += 1
                continue
            hand = self._find(rgb, landmarks, side, graph)
            self._misses[side] = 0 if hand is not None else misses + 1
            if hand is not None:
                found.append(hand)
        return found

    @staticmethod
    def _find(rgb: np.ndarray, landmarks: np.ndarray, side: str,
              graph: HandsGraph) -> HandLandmarks | None:
        """The hand at one wrist, or None."""
        height, width = rgb.shape[:2]
        crop = hand_crop(landmarks, side, width, height)
        if crop is None:
            return None
        left, top, right, bottom = crop
        found = graph.hand(rgb[top:bottom, left:right])
        if found is None:
            return None
        points, score = found[0] + (left, top), found[1]
        crop_w, crop_h = right - left, bottom - top
        wrist = landmarks[_POSE_HAND[side][1], :2]
        if np.linalg.norm(points[0] - wrist) > _MAX_WRIST_GAP * max(crop_w, crop_h):
            return None  # the other hand, or someone else's, reached into this crop
        return HandLandmarks(side, points, score, crop)


HAND_ROWS: dict[str, np.ndarray] = {
    side: np.array([KEYPOINT_INDEX[name] for name in hand_joints(side)]) for side in ("left", "right")}
HAND_LANDMARKS: np.ndarray = np.array([JOINT_BY_NAME[name].tracker_index for name in hand_joints("left")])
"""Hands landmark of each hand joint, in `hand_joints(side)` order (the same for both sides)."""


def put_hands(positions: np.ndarray, scores: np.ndarray, hands: list[HandLandmarks]) -> None:
    """Write found hands into (K, 2) positions and (K,) scores, in place.

    Each hand is moved so that its wrist lands on the body's wrist: the palm bones then start
    where the forearm ends, as they do in the drawing, whichever of the two models was off.
    """
    for hand in hands:
        wrist = positions[KEYPOINT_INDEX[f"{hand.side}Wrist"]]
        shift = wrist - hand.points[0] if np.isfinite(wrist).all() else np.zeros(2)
        positions[HAND_ROWS[hand.side]] = hand.points[HAND_LANDMARKS] + shift
        scores[HAND_ROWS[hand.side]] = hand.score
