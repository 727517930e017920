"""The desktop apps fail soft: no display, an unreachable one, or missing xcb libraries each
end in one line naming the cause (and the packages to install), never in Qt's SIGABRT."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from poseanim.app.window import debian_package

COMMAND = [sys.executable, "-m", "poseanim"]


@pytest.fixture(scope="module")
def rigged(tmp_path_factory):
    path = tmp_path_factory.mktemp("window") / "t.svg"
    subprocess.run(COMMAND + ["rig", "template", "-o", str(path)], check=True, capture_output=True)
    return path


def _without_qt_platform(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    return {**env, **extra}


@pytest.mark.parametrize("arguments", [["rig", "edit", "FILE"], ["live", "-i", "FILE"]])
@pytest.mark.parametrize("display", [":99", ""])
def test_an_unusable_display_is_one_line_not_an_abort(rigged, arguments, display):
    # opencv-python sets this on import; it must not send PySide6 to OpenCV's Qt 5 plugins
    env = _without_qt_platform(DISPLAY=display,
                               QT_QPA_PLATFORM_PLUGIN_PATH=str(rigged.parent / "cv2" / "qt" / "plugins"))
    result = subprocess.run(COMMAND + [str(rigged) if a == "FILE" else a for a in arguments],
                            capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 1, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("poseanim: error")]
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    if display:  # this machine: either the libraries are missing, or nobody answers at :99
        assert ("sudo apt install libxcb" in lines[0]) or ("cannot reach the X display" in lines[0])
    else:
        assert "neither DISPLAY nor WAYLAND_DISPLAY" in lines[0]


def test_library_names_map_to_debian_packages():
    assert debian_package("libxcb-icccm.so.4") == "libxcb-icccm4"
    assert debian_package("libxcb-render-util.so.0") == "libxcb-render-util0"
    assert debian_package("libxkbcommon-x11.so.0") == "libxkbcommon-x11-0"
    assert debian_package("libxcb-cursor.so.0") == "libxcb-cursor0"
    assert debian_package("libEGL.so.1") == "libegl1"
