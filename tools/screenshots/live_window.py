"""Take docs/images/live.png: the real live window on a real display, playing the test video.

    xvfb-run -s "-screen 0 1400x900x24" python tools/screenshots/live_window.py

Runs on the desktop's own Qt platform (xcb under Xvfb), waits until the character has
followed the person for a while, then grabs the window.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests"))  # the moving-person video of the live tests

from PySide6.QtWidgets import QApplication  # noqa: E402

from live_video import LEFT, RIGHT, Segment, write_video  # noqa: E402
from poseanim.app.capture import SourceSpec  # noqa: E402
from poseanim.app.live_window import LiveSettings, LiveWindow  # noqa: E402
from poseanim.illustration import load_illustration  # noqa: E402
from poseanim.sources import read_image  # noqa: E402

OUTPUT = REPO / "docs" / "images" / "live.png"


def main() -> None:
    app = QApplication([sys.argv[0]])
    with tempfile.TemporaryDirectory() as folder:
        video = write_video(Path(folder) / "person.mp4",
                            read_image(REPO / "examples" / "photos" / "astronaut.jpg"),
                            (Segment(2.0, RIGHT), Segment(60.0, LEFT)))
        window = LiveWindow(LiveSettings(SourceSpec("video", path=video), load_illustration("ada"),
                                         output_dir=Path(folder)))
        window.resize(1400, 560)
        window.show()
        deadline = time.perf_counter() + 60
        while (window.tracked is None or window.tracked.capture.time < 3.5) \
                and time.perf_counter() < deadline:
            app.processEvents()
            time.sleep(0.005)
        window.action("Bones").trigger()
        for _ in range(30):  # a few more frames and a status bar update
            app.processEvents()
            time.sleep(0.02)
        window.grab().save(str(OUTPUT))
        window.close()
    print(OUTPUT)


if __name__ == "__main__":
    main()
