"""`poseanim live` on the command line: every option is checked before a window opens, a bad
one is refused in one line, and a source that fails in the window ends the command with 1."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest


@pytest.mark.slow
@pytest.mark.gui
def test_command_line_reports_a_missing_camera_and_exits_cleanly(tmp_path):
    environment = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    process = subprocess.Popen([sys.executable, "-m", "poseanim", "live", "--camera", "99",
                                "--output-dir", str(tmp_path)], env=environment,
                               stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    ours = ""
    for _ in range(50):  # Qt may warn first; ours comes once the window has tried the camera
        ours = process.stderr.readline()
        if ours.startswith("poseanim:") or not ours:
            break
    process.send_signal(signal.SIGINT)
    _, rest = process.communicate(timeout=20)
    assert ours.startswith("poseanim: error: camera 99 could not be opened")
    assert process.returncode == 1 and "Traceback" not in rest


@pytest.mark.parametrize("arguments, message", [
    (["--video", "no-such.mp4"], "no-such.mp4: no such file"),
    (["--smoothing", "2"], "--smoothing must be between 0 and 1"),
    (["--camera", "0", "--loop"], "--loop goes with --video or --track"),
    (["--camera", "-1"], "--camera must be 0 or more, not -1"),
    (["--track", "absent.json"], "no such track file"),
    (["--output-dir", "absent-folder"], "--output-dir absent-folder is not a folder"),
    (["--background", "notacolour"], "'notacolour' is not a colour, a picture or a video"),
    (["--checkpoint", "vox.pth.tar"], "--checkpoint, --model, --config and --mode go with "
                                      "--raster PHOTO"),
])
def test_command_line_rejects_bad_options_in_one_line(run_cli, arguments, message):
    code, _, error = run_cli("live", *arguments)
    assert code == 1 and error.startswith("poseanim: error: ") and message in error
    assert len(error.strip().splitlines()) == 1


