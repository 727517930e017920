"""The camera source (`poseanim.camera`): a camera that is not there is refused in one line
that says what to try instead (no machine of the test suite has camera 63)."""

from __future__ import annotations

import cv2
import pytest

from poseanim.camera import CameraSource
from poseanim.errors import PoseanimError


def test_a_missing_camera_says_what_to_try_and_writes_nothing_to_the_terminal(capfd):
    """Even where cv2 was imported before poseanim (OpenCV reads OPENCV_LOG_LEVEL once, at its
    import): its own warnings would repeat ours."""
    level = cv2.getLogLevel()
    with pytest.raises(PoseanimError) as error:
        CameraSource(63)
    assert str(error.value) == (
        "camera 63 could not be opened: there is no such camera, it is unplugged, or another "
        "program is using it; plug one in, close the other program, try another with "
        "--camera N, or play a file with --video FILE")
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")
    assert cv2.getLogLevel() == level  # the program's own level, left as it was
