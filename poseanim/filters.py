"""Temporal filtering of tracked poses: One Euro smoothing and the tracking-loss rule.

Shared by everything that animates over time (video export, the live window) so that a
character moves the same way whatever drives it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np

from poseanim.extremities import HANDS
from poseanim.geometry import as_complex, as_points, similarity_fit
from poseanim.layering import Sides, arms_in_front
from poseanim.moved_modules import moved_names
from poseanim.pose import BODY_ROWS, FACE_ROWS, EarAnchor, Pose

HOLD_SECONDS = 0.5
EASE_SECONDS = 1.0
FACE_EASE_SECONDS = 1.5  # a lost face eases to a neutral expression over this long


class OneEuroFilter:
    """The One Euro filter (Casiez, Roussel & Vogel, CHI 2012), vectorised over points.

    A low-pass filter whose cut-off rises with speed: slow motion is smoothed hard (no
    jitter), fast motion passes with little lag. Values are (K, D) arrays; each row adapts on
    its own speed. NaN rows (untracked) restart their filter when they come back.
    """

    def __init__(self, min_cutoff: float = 1.0, beta: float = 0.0, d_cutoff: float = 1.0) -> None:
        self.min_cutoff = min_cutoff
        self.beta = beta
        self.d_cutoff = d_cutoff
        self._value: np.ndarray | None = None
        self._speed: np.ndarray | None = None
        self._time: float | None = None

    @staticmethod
    def _alpha(cutoff: np.ndarray | float, dt: float) -> np.ndarray | float:
        tau = 1.0 / (2 * math.pi * np.asarray(cutoff))
        return 1.0 / (1.0 + tau / dt)

    def reset(self) -> None:
        """Forget the history: the next value passes unfiltered."""
        self._value = self._speed = self._time = None

    def __call__(self, time: float, value: np.ndarray) -> np.ndarray:
        """Filter `value` observed at `time` (seconds)."""
        value = np.asarray(value, dtype=np.float64)
        if self._value is None or self._time is None or time <= self._time:
            self._value, self._speed, self._time = value.copy(), np.zeros_like(value), time
            return value.copy()
        dt = time - self._time
        fresh = ~np.isfinite(self._value).all(axis=-1)  # rows that were untracked last time
        speed = (value - self._value) / dt
        speed[fresh] = 0.0
        speed_hat = self._speed + self._alpha(self.d_cutoff, dt) * (speed - self._speed)
        magnitude = np.linalg.norm(speed_hat, axis=-1, keepdims=True)
        alpha = self._alpha(self.min_cutoff + self.beta * magnitude, dt)
        filtered = self._value + alpha * (value - self._value)
        filtered[fresh] = value[fresh]
        self._value = np.where(np.isfinite(value), filtered, np.nan)
        self._speed = np.where(np.isfinite(speed_hat), speed_hat, 0.0)
        self._time = time
        return self._value.copy()


def smoothing_to_cutoff(smoothing: float) -> float:
    """Map a 0…1 smoothing amount (a slider) to a minimum cut-off in Hz (5 Hz … 0.05 Hz)."""
    smoothing = min(max(smoothing, 0.0), 1.0)
    return 5.0 * (0.01 ** smoothing)


class PoseFilter:
    """One Euro smoothing of every keypoint, in image-height units so that the defaults hold
    at any resolution. smoothing 0 passes poses through; 1 is very steady."""

    def __init__(self, smoothing: float = 0.5, beta: float = 8.0) -> None:
        self._filter = OneEuroFilter(smoothing_to_cutoff(smoothing), beta, 1.0)
        self.smoothing = smoothing

    def set_smoothing(self, smoothing: float) -> None:
        """Change the amount live (the filter keeps its history)."""
        self.smoothing = smoothing
        self._filter.min_cutoff = smoothing_to_cutoff(smoothing)

    def reset(self) -> None:
        """Forget the history (after the person was lost)."""
        self._filter.reset()

    def __call__(self, time: float, pose: Pose) -> Pose:
        """The smoothed pose at `time` seconds."""
        if self.smoothing <= 0:
            return pose
        unit = float(pose.image_size[1]) or 1.0
        positions = self._filter(time, pose.positions / unit) * unit
        return replace(pose, positions=positions)


def smoothstep(progress: float) -> float:
    """0 → 0, 1 → 1 with zero slope at both ends: an ease without a jolt."""
    progress = min(max(progress, 0.0), 1.0)
    return progress * progress * (3 - 2 * progress)


class HandHold:
    """The lost-hand rule: a hand the tracker loses keeps its last shape on the forearm.

    For `hold` seconds the hand's joints ride rigidly on the tracked forearm in the shape they
    last had; over the next `ease` seconds they ease into the drawing's rest hand (scaled to the
    person), which they keep until the hand is found again. A hand never seen is left untracked:
    the illustration then puts its drawn hand on the forearm (`Illustration.pose`).

    rest_joints: (RIG_COUNT, 2) the illustration's rest joints, or None (then the last shape is
    kept for good).
    """

    def __init__(self, rest_joints: np.ndarray | None = None, hold: float = HOLD_SECONDS,
                 ease: float = EASE_SECONDS) -> None:
        self.rest_joints = rest_joints
        self.hold, self.ease = hold, ease
        self._shape: dict[str, np.ndarray] = {}
        self._seen: dict[str, float] = {}

    def reset(self) -> None:
        """Forget the remembered hands (another person, another clip)."""
        self._shape.clear()
        self._seen.clear()

    def _rest_shape(self, hand_index: int, pose: Pose) -> np.ndarray | None:
        """The drawing's rest hand in its forearm frame, in the pose's pixels."""
        if self.rest_joints is None:
            return None
        hand = HANDS[hand_index]
        count = len(self.rest_joints)
        shape = hand.shape(self.rest_joints) if hand.rows.max() < count else None
        rows = BODY_ROWS[BODY_ROWS < count]
        fit = similarity_fit(self.rest_joints[rows], pose.positions[rows])
        if shape is None or fit is None:
            return None
        return abs(fit[0]) * shape

    def __call__(self, time: float, pose: Pose) -> Pose:
        """The pose with each lost hand placed by the rule (tracked hands are remembered)."""
        positions, scores = pose.positions, pose.scores
        for index, hand in enumerate(HANDS):
            shape = hand.shape(pose.positions)
            if shape is not None:
                self._shape[hand.name], self._seen[hand.name] = shape, time
                continue
            if hand.name not in self._shape:
                continue
            held = self._shape[hand.name]
            rest = self._rest_shape(index, pose)
            lost_for = time - self._seen[hand.name]
            eased = smoothstep((lost_for - self.hold) / self.ease) if self.ease > 0 else 1.0
            now = held if rest is None or lost_for <= self.hold else held + eased * (rest - held)
            placed = hand.placed(pose.positions, now)
            if placed is None:
                continue
            if positions is pose.positions:
                positions, scores = positions.copy(), scores.copy()
            positions[hand.rows] = placed
            scores[hand.rows] = (scores[hand.base] + scores[hand.end]) / 2
        return pose if positions is pose.positions else replace(pose, positions=positions,
                                                                 scores=scores)


StreamState = Literal["waiting", "tracking", "holding", "easing", "rest"]


@dataclass(frozen=True)
class StreamPose:
    """What a pose stream says for one frame.

    pose: the pose to draw (None before anyone was seen); ears: the face-lost fallback's
    memory; state: tracking, holding (person just lost), easing (back to rest), rest, waiting;
    in_front: the arms to draw in front of the torso, decided with hysteresis over the tracked
    frames (`layering.arms_in_front`); None: let the pose's own depth decide.
    """

    pose: Pose | None
    ears: EarAnchor
    state: StreamState
    in_front: Sides | None = None


class PoseStream:
    """Tracked poses over time → poses to draw, with smoothing and the tracking-loss rule.

    When the person leaves the frame the last pose is held for `hold` seconds, then eased over
    `ease` seconds into the character's rest pose (placed where the person was last seen). The
    face-lost fallback's memory (the face relative to the ears) is refreshed whenever the face
    is seen; while the face is lost it eases toward the drawing's neutral face over
    `FACE_EASE_SECONDS`, keeping its size and place. A hand lost while its forearm is tracked
    follows `HandHold`'s rule.

    rest_joints: (RIG_COUNT, 2) the illustration's rest joints (`Illustration.rest_joints`).
    """

    def __init__(self, rest_joints: np.ndarray | None = None, smoothing: float = 0.5,
                 hold: float = HOLD_SECONDS, ease: float = EASE_SECONDS) -> None:
        self.filter = PoseFilter(smoothing)
        self.rest_joints = rest_joints
        self.hold, self.ease = hold, ease
        self.ears = EarAnchor()
        self.hands = HandHold(rest_joints, hold, ease)
        self._face_seen_time = 0.0
        self._last: Pose | None = None
        self._last_time = 0.0
        self._rest_target: Pose | None = None
        self._in_front: Sides = frozenset()

    def set_rest(self, rest_joints: np.ndarray) -> None:
        """Use another illustration's rest pose from now on (after switching characters)."""
        self.rest_joints = rest_joints
        self.hands.rest_joints = rest_joints
        self._rest_target = None

    def _rest_like(self, pose: Pose) -> Pose:
        """The rest pose moved and scaled onto where `pose` stands."""
        rest = self.rest_joints
        if rest is None or len(rest) == 0:
            return pose
        count = len(rest)
        fit = similarity_fit(rest, pose.positions[:count])
        if fit is None:
            return pose
        factor, shift = fit
        positions = pose.positions.copy()
        positions[:count] = as_points(factor * as_complex(rest) + shift)
        positions[count:] = np.nan  # the ears: the rest face needs no fallback
        scores = np.where(np.isfinite(positions[:, 0]), 1.0, 0.0)
        return Pose(positions, scores, pose.image_size)

    def _face_memory(self, time: float, face_seen: bool) -> EarAnchor:
        """The ears anchor for this frame: eased toward neutral while the face is lost."""
        if face_seen or self.rest_joints is None:
            return self.ears
        progress = (time - self._face_seen_time) / FACE_EASE_SECONDS
        return self.ears.easing_to(self.rest_joints[FACE_ROWS], progress)

    def step(self, time: float, tracked: Pose | None) -> StreamPose:
        """Feed the tracker's result for the frame at `time` seconds."""
        if tracked is not None:
            pose = self.hands(time, self.filter(time, tracked))
            observed = EarAnchor.observe(pose)
            if observed is not None:
                self.ears, self._face_seen_time = observed, time
            self._last, self._last_time, self._rest_target = pose, time, None
            self._in_front = arms_in_front(pose.depth, pose.positions, self._in_front)
            return StreamPose(pose, self._face_memory(time, observed is not None), "tracking",
                              self._in_front)
        if self._last is None:
            return StreamPose(None, self.ears, "waiting")
        self.filter.reset()
        lost_for = time - self._last_time
        if lost_for <= self.hold:
            return StreamPose(self._last, self.ears, "holding")
        if self._rest_target is None:
            self._rest_target = self._rest_like(self._last)
        progress = min((lost_for - self.hold) / self.ease, 1.0) if self.ease > 0 else 1.0
        eased = smoothstep(progress)
        start, end = self._last, self._rest_target
        both = np.isfinite(start.positions) & np.isfinite(end.positions)
        positions = np.where(both, start.positions + eased * (end.positions - start.positions),
                             end.positions)
        scores = start.scores + eased * (end.scores - start.scores)
        pose = Pose(positions, scores, start.image_size, start.depth)
        return StreamPose(pose, self.ears, "easing" if progress < 1 else "rest")


_MOVED_TO_VISIBILITY = frozenset({"ShapeVisibility", "SHOW_ABOVE", "HIDE_BELOW", "FADE_SECONDS"})
"""Moved to `poseanim.visibility` (2026-12-02): they filter posed frames, which are made above
this module; still found here, lazily."""


__getattr__ = moved_names(__name__, _MOVED_TO_VISIBILITY, "poseanim.visibility")
