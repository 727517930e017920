"""What the live window says about its source, without a window or a clock: made-up silences."""

from __future__ import annotations

import subprocess
import sys

from poseanim.app.live_source import STALL_SECONDS, SourceHealth


def test_it_needs_no_qt():
    run = subprocess.run([sys.executable, "-c", "import sys, poseanim.app.live_source; "
                          "print(any(m.startswith('PySide6') for m in sys.modules))"],
                         capture_output=True, text=True, timeout=120)
    assert run.stdout.strip() == "False", run.stderr


def test_a_silent_camera_is_said_once_and_a_picture_takes_it_back():
    health = SourceHealth("camera 0", camera=True)
    assert health.silent(STALL_SECONDS - 0.1) is None and not health.stalled
    notice = health.silent(STALL_SECONDS + 1)
    assert notice is not None and health.stalled
    assert notice.text.startswith("No picture from camera 0 for 6 s: is it still connected")
    assert notice.offer_video and notice.offer_retry and notice.retry_text == "Try the camera again"
    assert health.silent(STALL_SECONDS + 9) is None  # said once
    assert health.picture() == "camera 0 delivers pictures again" and not health.stalled
    assert health.picture() is None


def test_a_file_that_froze_is_offered_again_and_a_failure_is_not_called_silence():
    health = SourceHealth("dance.mp4", camera=False)
    assert health.silent(30).retry_text == "Open it again"
    health.started("camera 1", camera=True)
    assert not health.stalled and health.error is None
    failed = health.failed("camera 1 cannot be opened")
    assert failed.offer_retry and health.error == "camera 1 cannot be opened"
    assert health.silent(60) is None  # the failure is what the banner says
    health.started("clip.mp4", camera=False)
    assert not health.failed("clip.mp4: broken").offer_retry
    ended = health.ended()
    assert ended.text.startswith("clip.mp4 has ended") and ended.retry_text == "Play it again"
