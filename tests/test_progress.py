"""The progress bar: what it says, on a terminal and into a log."""

from __future__ import annotations

import io
import time

from poseanim.progress import Progress


class Terminal(io.StringIO):
    """A text stream that says it is a terminal, as stderr does in an interactive shell."""

    def isatty(self) -> bool:
        return True


def test_log_output_has_count_rate_and_time_left():
    log = io.StringIO()
    with Progress(10, "rendering", stream=log) as progress:
        for _ in range(4):
            time.sleep(0.01)
            progress.advance()
        assert "4/10 frames" in progress.line() and "frames/s" in progress.line()
        assert "left" in progress.line()
    lines = log.getvalue().splitlines()
    assert lines[0].startswith("rendering [##") and "1/10 frames" in lines[0]
    assert "4/10 frames" in lines[-1] and " in 0:00" in lines[-1]
    assert "\r" not in log.getvalue()


def test_terminal_output_redraws_one_line_and_ends_it():
    terminal = Terminal()
    with Progress(None, "tracking", stream=terminal) as progress:
        progress.advance(3)
        time.sleep(0.15)
        progress.advance(2)
    text = terminal.getvalue()
    assert text.startswith("\r") and text.endswith("\n") and text.count("\n") == 1
    assert "3 frames" in text and "5 frames" in text
    assert "#" not in text  # no bar when the total is unknown
    assert float(text.split(" frames/s")[0].split()[-1]) < 100  # 2 frames in ~0.15 s


def test_an_interrupted_run_prints_no_summary():
    log = io.StringIO()
    try:
        with Progress(100, "rendering", stream=log) as progress:
            progress.advance()
            raise KeyboardInterrupt
    except KeyboardInterrupt:
        pass
    assert log.getvalue().count("\n") == 1 and " in 0:" not in log.getvalue()
