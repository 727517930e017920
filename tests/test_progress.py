"""The progress bar: what it says, on a terminal and into a log."""

from __future__ import annotations

import io

from poseanim.progress import Progress


class FakeClock:
    """Seconds that pass only when the test says so."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Terminal(io.StringIO):
    """A text stream that says it is a terminal, as stderr does in an interactive shell."""

    def isatty(self) -> bool:
        return True


def test_log_output_has_count_rate_and_time_left():
    log, clock = io.StringIO(), FakeClock()
    with Progress(10, "rendering", stream=log, clock=clock) as progress:
        clock.now += 3.0  # loading models: not counted in the rate
        for _ in range(4):
            progress.advance()
            clock.now += 0.5
        assert "4/10 frames" in progress.line() and "1.5 frames/s" in progress.line()
        assert "0:04 left" in progress.line()  # 3 frames in the 2 s after the first; 6 to go
    lines = log.getvalue().splitlines()
    assert lines[0].startswith("rendering [##") and "1/10 frames" in lines[0]
    assert "4/10 frames" in lines[-1] and " in 0:05" in lines[-1]
    assert "\r" not in log.getvalue()


def test_terminal_output_redraws_one_line_and_ends_it():
    terminal, clock = Terminal(), FakeClock()
    with Progress(None, "tracking", stream=terminal, clock=clock) as progress:
        progress.advance(3)
        clock.now += 0.2
        progress.advance(2)
    text = terminal.getvalue()
    assert text.startswith("\r") and text.endswith("\n") and text.count("\n") == 1
    assert "3 frames" in text and "5 frames" in text
    assert "#" not in text  # no bar when the total is unknown
    assert "10.0 frames/s" in text  # 2 frames in 0.2 s


def test_an_interrupted_run_prints_no_summary():
    log = io.StringIO()
    try:
        with Progress(100, "rendering", stream=log) as progress:
            progress.advance()
            raise KeyboardInterrupt
    except KeyboardInterrupt:
        pass
    assert log.getvalue().count("\n") == 1 and " in 0:" not in log.getvalue()
