"""The --debug picture: the photo dimmed, the landmarks as dots, the bones in side colours."""

from __future__ import annotations

import numpy as np

from poseanim.render.debug_view import draw_debug


def test_the_photo_is_dimmed_and_left_untouched_without_a_pose(photo_rgb):
    original = photo_rgb.copy()
    picture = draw_debug(photo_rgb, None)
    assert np.array_equal(photo_rgb, original)  # drawn on a copy
    expected = (photo_rgb.astype(np.float32) * 0.6 + 40).clip(0, 255).astype(np.uint8)
    assert picture.shape == photo_rgb.shape and np.array_equal(picture, expected)


def test_joints_and_bones_are_drawn_where_the_pose_puts_them(photo_rgb, tracked_pose):
    dimmed = draw_debug(photo_rgb, None)
    picture = draw_debug(photo_rgb, tracked_pose)
    for name, colour in (("leftShoulder", (255, 140, 0)), ("rightShoulder", (0, 150, 255))):
        x, y = np.round(tracked_pose.position(name)).astype(int)
        assert tuple(picture[y, x]) == colour, name  # a filled dot in the side's colour
    changed = (picture != dimmed).any(axis=2)
    assert 0.005 < changed.mean() < 0.3  # lines and dots, not a flood


def test_raw_landmarks_are_white_dots(photo_rgb):
    landmarks = np.array([[100.0, 120.0, 0.9], [300.0, 50.0, 0.9]])
    picture = draw_debug(photo_rgb, None, landmarks)
    assert tuple(picture[120, 100]) == (255, 255, 255) and tuple(picture[50, 300]) == (255, 255, 255)
