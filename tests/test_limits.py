"""The input limits: defaults far above real drawings, raised per run by environment variable,
and a bad variable refused in one line that says what to do."""

from __future__ import annotations

import pytest

from poseanim import limits
from poseanim.errors import PoseanimError


def test_an_unset_variable_gives_the_default(monkeypatch):
    monkeypatch.delenv("POSEANIM_MAX_SHAPES", raising=False)
    assert limits._limit("MAX_SHAPES", 2_000) == 2_000


@pytest.mark.parametrize("text, value", [("400", 400), ("1_000_000", 1_000_000), (" 7 ", 7)])
def test_a_variable_raises_the_limit_for_one_run(monkeypatch, text, value):
    monkeypatch.setenv("POSEANIM_MAX_NESTING_DEPTH", text)
    assert limits._limit("MAX_NESTING_DEPTH", 64) == value


@pytest.mark.parametrize("text, message", [
    ("lots", r"^POSEANIM_MAX_SHAPES='lots' is not a whole number; unset it or give one "
             r"\(the default is 2000\)$"),
    ("2.5", "is not a whole number"),
    ("0", r"^POSEANIM_MAX_SHAPES must be at least 1 \(the default is 2000\)$"),
    ("-3", "must be at least 1"),
])
def test_a_bad_variable_is_refused_in_words(monkeypatch, text, message):
    monkeypatch.setenv("POSEANIM_MAX_SHAPES", text)
    with pytest.raises(PoseanimError, match=message):
        limits._limit("MAX_SHAPES", 2_000)


def test_the_defaults_leave_room_for_the_bundled_characters():
    # a few hundred elements and shapes, 3000-4500 control points (the docstrings' figures)
    assert limits.MAX_ELEMENTS >= 10_000 and limits.MAX_SHAPES >= 1_000
    assert limits.MAX_CONTROL_POINTS >= 20 * 4_500
    assert limits.MAX_RASTER_PIXELS >= limits.MAX_RASTER_SIDE * 4_096
