"""What the live window says about its speed (`app.live_status`): frames shown per second over
a rolling window on an injected clock, falling to 0 when frames stop, and the status bar's
fields for each mode."""

from __future__ import annotations

import pytest

from poseanim.app.live_status import LiveStats, LiveStatusBar


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def painted(stats: LiveStats, clock: Clock, times: list[float]) -> None:
    for at in times:
        clock.now = at
        stats.painted_at.append(at)


def test_the_rate_is_frames_shown_per_second_and_falls_to_zero_a_second_after_they_stop():
    clock = Clock()
    stats = LiveStats(clock=clock)
    assert stats.fps() == 0.0
    painted(stats, clock, [0.0])
    assert stats.fps() == 0.0  # one frame is no rate
    painted(stats, clock, [k / 25 for k in range(1, 50)])
    assert stats.fps() == pytest.approx(25.0)
    clock.now += 0.9
    assert stats.fps() == pytest.approx(25.0)  # a short stall is not a stop
    clock.now += 0.2
    assert stats.fps() == 0.0


def test_slow_frames_count_as_stopped_only_after_twice_their_interval():
    """FOMM shows a frame every few seconds: its rate stays shown between frames."""
    clock = Clock()
    stats = LiveStats(clock=clock)
    painted(stats, clock, [0.0, 3.0, 6.0, 9.0])
    clock.now = 14.5
    assert stats.fps() == pytest.approx(1 / 3)
    clock.now = 15.1
    assert stats.fps() == 0.0


def test_the_window_forgets_old_frames():
    clock = Clock()
    stats = LiveStats(window=5, clock=clock)
    painted(stats, clock, [0.0, 1.0, 2.0])  # 1 fps long ago
    painted(stats, clock, [2.1, 2.2, 2.3, 2.4, 2.5])  # then 10 fps
    assert stats.fps() == pytest.approx(10.0)
    assert LiveStats.mean(stats.latency_ms) == 0.0
    stats.latency_ms.extend([30.0, 50.0])
    assert LiveStats.mean(stats.latency_ms) == 40.0


@pytest.mark.parametrize("fomm", [False, True], ids=["character", "FOMM"])
def test_the_status_bar_shows_the_timings_of_its_mode(qt_app, fomm):
    clock = Clock()
    stats = LiveStats(clock=clock)
    painted(stats, clock, [0.0, 0.05, 0.1])
    stats.tracking_ms.extend([10.0, 14.0])
    stats.render_ms.append(3.25)
    stats.latency_ms.extend([80.0, 90.0])
    stats.fomm_ms.append(1500.0)
    bar = LiveStatusBar(fomm_mode=fomm)
    bar.show_timings(29.97, stats, "tracking")
    shown = {name: label.text() for name, label in bar.fields.items()}
    assert list(shown) == ["source", "capture", *(["fomm"] if fomm else ["tracking", "hands"]),
                           "render", "latency", "state"]
    assert shown["capture"] == "capture 30.0 fps"
    assert shown["render"] == "render  3.2 ms"
    assert shown["latency"] == "latency   85 ms (20.0 fps shown)"
    assert shown["state"] == "tracking"
    if fomm:
        assert shown["fomm"] == "FOMM 20.0 fps, 1500 ms/frame"
    else:
        assert shown["tracking"] == "tracking 12.0 ms"
