"""Bundled illustrations by name: what `-i ada` means, and the error for a name that is none."""

from __future__ import annotations

from pathlib import Path

import pytest

from poseanim.bundled import bundled_illustrations, resolve_illustration
from poseanim.errors import PoseanimError


def test_the_package_ships_three_characters_as_svg_files():
    bundled = bundled_illustrations()
    assert sorted(bundled) == ["ada", "bolt", "mira"]
    for name, path in bundled.items():
        assert path.suffix == ".svg" and path.stem == name
        assert path.read_bytes().lstrip().startswith(b"<")


def test_a_name_resolves_to_the_bundled_file_and_a_path_to_itself(tmp_path):
    assert resolve_illustration("mira") == bundled_illustrations()["mira"]
    # an .svg path is the user's file even before it exists (the reader says it is missing)
    assert resolve_illustration("missing.svg") == Path("missing.svg")
    # an existing file is taken as given whatever its suffix, even when named like a character
    own = tmp_path / "ada"
    own.write_text("<svg/>")
    assert resolve_illustration(own) == own


def test_an_unknown_name_lists_the_bundled_ones_and_the_command_that_shows_them():
    with pytest.raises(PoseanimError) as error:
        resolve_illustration("adda")
    assert str(error.value) == ("no illustration file or bundled illustration named 'adda' "
                                "(bundled: ada, bolt, mira; `poseanim list` shows them)")
