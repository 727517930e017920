"""Stages on threads of their own: order kept, errors raised where results are read, every
thread stopped when the reader stops early."""

from __future__ import annotations

import threading

import pytest

from poseanim.stages import pipelined


def running_stage_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("test-stage")]


def test_items_pass_every_stage_in_order() -> None:
    seen_by_second: list[int] = []

    def second(item: int) -> int:
        seen_by_second.append(item)  # a stateful stage sees the items in sequence
        return item * 10

    results = list(pipelined(range(100), lambda item: item + 1, second, name="test-stage"))
    assert results == [(item + 1) * 10 for item in range(100)]
    assert seen_by_second == list(range(1, 101))
    assert running_stage_threads() == []


def test_an_error_in_a_stage_is_raised_to_the_reader() -> None:
    def fails_at_five(item: int) -> int:
        if item == 5:
            raise ValueError("stage failed at 5")
        return item

    received = []
    with pytest.raises(ValueError, match="stage failed at 5"):
        for item in pipelined(range(100), fails_at_five, name="test-stage"):
            received.append(item)
    assert received == [0, 1, 2, 3, 4]
    assert running_stage_threads() == []


def test_an_error_in_the_source_is_raised_to_the_reader() -> None:
    def source():
        yield 1
        raise OSError("the file ends early")

    with pytest.raises(OSError, match="ends early"):
        list(pipelined(source(), lambda item: item, name="test-stage"))
    assert running_stage_threads() == []


def test_a_reader_that_stops_early_stops_every_thread() -> None:
    endless = iter(int, 1)  # 0, 0, 0, … for ever
    stream = pipelined(endless, lambda item: item, lambda item: item, name="test-stage")
    assert next(stream) == 0
    stream.close()
    assert running_stage_threads() == []
