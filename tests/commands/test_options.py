"""The options every command shares, parsed one way: times, trims, picture sizes."""

from __future__ import annotations

import argparse
from types import SimpleNamespace

import pytest

from poseanim.commands.options import (
    check_picture_options, frames_between, frames_within, parse_time, parse_time_range,
    time_position,
)
from poseanim.errors import PoseanimError


@pytest.mark.parametrize("text, seconds", [("12.5", 12.5), ("0", 0.0), ("1:02.5", 62.5),
                                           ("0:01:02.5", 62.5), (" 2:00 ", 120.0)])
def test_times_in_seconds_or_timecodes(text, seconds):
    assert parse_time(text, "--start") == pytest.approx(seconds)


@pytest.mark.parametrize("text", ["", "abc", "-1", "1:60", "1:2:3:4", "nan", "1:-5"])
def test_what_is_not_a_time_is_refused_in_one_line(text):
    with pytest.raises(PoseanimError, match="--end '.*' is not a time") as caught:
        parse_time(text, "--end")
    assert "\n" not in str(caught.value)


def test_a_trim_must_end_after_it_starts():
    assert parse_time_range(SimpleNamespace(start="1", end="0:02")) == (1.0, 2.0)
    assert parse_time_range(SimpleNamespace(start=None, end=None)) == (None, None)
    with pytest.raises(PoseanimError, match=r"--end \(1 s\) must come after --start \(2 s\)"):
        parse_time_range(SimpleNamespace(start="2", end="1"))


def test_frames_within_a_trim_take_a_typed_display_time_and_stop_at_the_end():
    frames = [SimpleNamespace(time=i / 30) for i in range(90)]
    kept = list(frames_within(iter(frames), 1.0, 2.0))
    assert kept[0].time == pytest.approx(1.0) and kept[-1].time == pytest.approx(59 / 30)
    assert len(kept) == 30
    assert time_position(0.9995, 1.0, None) == 0  # half a millisecond of slack
    assert time_position(0.5, 1.0, None) == -1 and time_position(2.0, None, 2.0) == 1
    assert frames_between(90, 30.0, 1.0, 2.0) == 30
    assert frames_between(90, 30.0, 2.5, None) == 15
    assert frames_between(90, 30.0, 5.0, None) == 0


@pytest.mark.parametrize("options, words", [
    (dict(width=0), "--width must be between 1 and 16384"),
    (dict(height=20000), "--height must be between 1 and 16384"),
    (dict(scale=0.0), "--scale must be above 0"),
    (dict(precision=7), "--precision must be between 0 and 6"),
])
def test_picture_sizes_out_of_range_are_refused(options, words):
    args = argparse.Namespace(**{"width": None, "height": None, "scale": 1.0, "precision": 2,
                                 **options})
    with pytest.raises(PoseanimError, match=words):
        check_picture_options(args)
