"""Running a Qt window from the command line, the same way for every window poseanim opens.

Without a display Qt aborts the whole process with a message of its own, and while its event
loop runs Python never sees Ctrl-C; both would break the CLI's promise of one clear line and
a clean exit, so every window is started through here.
"""

from __future__ import annotations

import os
import signal
import sys

from poseanim.errors import PoseanimError


def check_display() -> None:
    """Qt aborts the process when it finds no display; say so in one line instead."""
    if (sys.platform.startswith("linux") and not os.environ.get("QT_QPA_PLATFORM")
            and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY")):
        raise PoseanimError("no display to open the window on (neither DISPLAY nor "
                            "WAYLAND_DISPLAY is set); run it in a desktop session, or over SSH "
                            "with `ssh -X`")


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
    wake = QTimer(interval=200, timeout=lambda: None)
    wake.start()
    try:
        window.show()
        qt_application().exec()
    finally:
        wake.stop()
        signal.signal(signal.SIGINT, previous)
        window.close()
