"""Running a Qt window from the command line, the same way for every window poseanim opens.

Without a display, with a display it cannot reach, or without the system libraries its xcb
(X11) plugin links against, Qt aborts the whole process (SIGABRT) with a message of its own;
and while its event loop runs Python never sees Ctrl-C. Both would break the CLI's promise
of one clear line and a clean exit, so every window is started through here, and these
causes are checked first, each named in one line with what to install or set.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from poseanim.errors import PoseanimError

DEBIAN_PACKAGES = {
    "libxcb-cursor.so.0": "libxcb-cursor0", "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0", "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6", "libEGL.so.1": "libegl1", "libGL.so.1": "libgl1",
    "libOpenGL.so.0": "libopengl0", "libfontconfig.so.1": "libfontconfig1",
    "libdbus-1.so.3": "libdbus-1-3", "libglib-2.0.so.0": "libglib2.0-0",
}
"""Debian/Ubuntu packages of the libraries Qt's xcb plugin needs that do not follow the
`libxcb-NAME.so.N` → `libxcb-NAMEN` rule (docs/live.md lists the whole set)."""
XCB_PACKAGES = ("libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 "
                "libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 "
                "libxkbcommon-x11-0 libegl1")


def debian_package(soname: str) -> str:
    """The Debian package that ships a shared library (`libxcb-icccm.so.4` → `libxcb-icccm4`)."""
    if soname in DEBIAN_PACKAGES:
        return DEBIAN_PACKAGES[soname]
    match = re.fullmatch(r"(lib[\w.+-]+?)\.so\.(\d+)(?:\.[\d.]+)?", soname)
    if match is None:
        return soname
    name, version = match.groups()
    return f"{name.lower()}{'-' if name[-1].isdigit() else ''}{version}"


def _qt_plugin_folder() -> Path:
    import PySide6

    return Path(PySide6.__file__).parent / "Qt" / "plugins"


def keep_opencv_plugins_away() -> None:
    """Forget OpenCV's Qt plugin folder: opencv-python (non-headless) sets
    QT_QPA_PLATFORM_PLUGIN_PATH to its own Qt 5 plugins on import, which PySide6's Qt 6 cannot
    load (it aborts, pointing at cv2/qt/plugins)."""
    for name in ("QT_QPA_PLATFORM_PLUGIN_PATH", "QT_PLUGIN_PATH"):
        value = os.environ.get(name, "")
        if "cv2" in Path(value).parts:
            del os.environ[name]


def missing_xcb_libraries() -> list[str]:
    """Shared libraries the xcb platform plugin needs that the system lacks (via ldd)."""
    plugin = _qt_plugin_folder() / "platforms" / "libqxcb.so"
    ldd = shutil.which("ldd")
    if not plugin.exists() or ldd is None:
        return []
    try:
        report = subprocess.run([ldd, str(plugin)], capture_output=True, text=True, timeout=20,
                                stdin=subprocess.DEVNULL).stdout
    except (OSError, subprocess.TimeoutExpired):
        return []
    return sorted(set(re.findall(r"^\s*(\S+) => not found", report, flags=re.M)))


def display_reachable(display: str) -> bool:
    """Whether an X server answers at `display` (libxcb's own connect, as Qt's plugin does)."""
    name = ctypes.util.find_library("xcb")
    if name is None:
        return True  # cannot tell; Qt will say
    xcb = ctypes.CDLL(name)
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    connection = xcb.xcb_connect(display.encode(), None)
    try:
        return xcb.xcb_connection_has_error(connection) == 0
    finally:
        xcb.xcb_disconnect(connection)


def check_display() -> None:
    """Qt aborts the process when it finds no usable display; say why in one line instead."""
    keep_opencv_plugins_away()
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if not sys.platform.startswith("linux") or platform not in ("", "xcb"):
        return
    display = os.environ.get("DISPLAY", "")
    if not display and not os.environ.get("WAYLAND_DISPLAY"):
        raise PoseanimError("no display to open the window on (neither DISPLAY nor "
                            "WAYLAND_DISPLAY is set); run it in a desktop session, or over SSH "
                            "with `ssh -X`")
    if os.environ.get("WAYLAND_DISPLAY") and not platform:
        return  # Qt picks its Wayland plugin
    missing = missing_xcb_libraries()
    if missing:
        packages = " ".join(sorted({debian_package(soname) for soname in missing}))
        raise PoseanimError(f"Qt's X11 (xcb) plugin cannot load: the system lacks "
                            f"{', '.join(missing)}; install them (Debian/Ubuntu: "
                            f"`sudo apt install {packages}`, or the whole set: {XCB_PACKAGES})")
    if not display_reachable(display):
        raise PoseanimError(f"cannot reach the X display DISPLAY={display} (no X server answers "
                            "there, or it refuses this user); check DISPLAY, or log in to the "
                            "desktop session (over SSH: `ssh -X`)")


def qt_application():
    """The QApplication (created on first use), once a display is known to exist."""
    from PySide6.QtWidgets import QApplication

    check_display()
    return QApplication.instance() or QApplication([sys.argv[0]])


def run_window(window) -> None:
    """Show `window` and run Qt's event loop until it closes.

    Ctrl-C in the terminal closes the window cleanly; a timer wakes the loop so that Python
    gets to see the signal.
    """
    from PySide6.QtCore import QTimer

    previous = signal.signal(signal.SIGINT, lambda *_: window.close())
    wake = QTimer()
    wake.setInterval(200)
    wake.timeout.connect(lambda: None)
    wake.start()
    try:
        window.show()
        qt_application().exec()
    finally:
        wake.stop()
        signal.signal(signal.SIGINT, previous)
        window.close()
