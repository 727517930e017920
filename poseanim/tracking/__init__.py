"""Trackers turn images into `Pose`s: MediaPipe on pixels, or a recorded track file."""
