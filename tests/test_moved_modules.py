"""Modules that moved still import from their old paths, as the very same module, with a warning."""

from __future__ import annotations

import importlib
import sys

import pytest

from poseanim.moved_modules import MOVED


@pytest.mark.parametrize("old, new", sorted(MOVED.items()))
def test_old_path_is_the_new_module_with_a_deprecation_warning(old, new):
    sys.modules.pop(old, None)
    with pytest.warns(DeprecationWarning, match=new.replace(".", r"\.")):
        moved = importlib.import_module(old)
    current = importlib.import_module(new)
    assert moved is current
    assert current.__spec__.name == new  # the shared module keeps its own identity


def test_from_import_of_an_old_name_gives_its_objects():
    sys.modules.pop("poseanim.rig.svg_document", None)
    with pytest.warns(DeprecationWarning):
        from poseanim.rig.svg_document import parse_svg_text
    from poseanim.svg.document import parse_svg_text as current

    assert parse_svg_text is current
    assert parse_svg_text("<svg xmlns='http://www.w3.org/2000/svg'/>", "inline").tag.endswith("svg")


@pytest.mark.parametrize("old, name, new", [
    ("poseanim.filters", "ShapeVisibility", "poseanim.visibility"),
    ("poseanim.svg.document", "parse_transform", "poseanim.svg.geometry"),
    ("poseanim.render.video_writers", "open_writer", "poseanim.render.outputs"),
])
def test_a_name_that_moved_out_of_a_module_is_still_found_there(old, name, new):
    assert getattr(importlib.import_module(old), name) is getattr(importlib.import_module(new), name)
    with pytest.raises(AttributeError, match=f"'{old}' has no attribute 'no_such_name'"):
        _ = importlib.import_module(old).no_such_name
