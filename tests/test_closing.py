"""`Closing`: `with` gives the object itself and closes it however the block ends."""

import pytest

from poseanim.closing import Closing


class Counted(Closing):
    def __init__(self) -> None:
        self.closed = 0

    def close(self) -> None:
        self.closed += 1


def test_with_returns_the_object_and_closes_it_once():
    thing = Counted()
    with thing as entered:
        assert entered is thing and thing.closed == 0
    assert thing.closed == 1


def test_a_block_that_raises_still_closes_and_the_error_goes_on():
    thing = Counted()
    with pytest.raises(ValueError, match="broken"), thing:
        raise ValueError("broken")
    assert thing.closed == 1
