"""The rig editor's try-it panel (`app.try_it_panel`) without a window: the drawing at rest,
a sample pose scaled by the amount slider, and a file that is no photo, said in words (the
tracking of a photo is `commands/test_track`'s)."""

from __future__ import annotations

import numpy as np
import pytest
from svg_factory import rigged_svg

from poseanim.app.try_it_panel import REST, TryItPanel
from poseanim.illustration import Illustration
from poseanim.rig.reader import read_rigged_tree
from poseanim.svg.document import parse_svg_text

BOX = (10.0, 20.0, 300.0, 400.0)


@pytest.fixture(scope="module")
def limbs() -> Illustration:
    root = parse_svg_text(rigged_svg(), "limbs.svg")
    return Illustration(read_rigged_tree(root, "limbs.svg"), "limbs")


def test_rest_shows_the_drawing_as_it_is_on_the_box_in_view(qt_app, limbs):
    panel = TryItPanel()
    frame = panel.posed(limbs, lambda: BOX)
    assert panel.pose_list.currentItem().text() == REST
    np.testing.assert_allclose(frame.points, limbs.rest_points, atol=1e-9)
    assert tuple(frame.canvas) == BOX


def test_a_sample_pose_is_chosen_from_the_list_and_scaled_by_the_amount(qt_app, limbs):
    panel = TryItPanel()
    changes: list[None] = []
    panel.changed.connect(lambda: changes.append(None))
    panel.pose_list.setCurrentRow(1 + [panel.pose_list.item(row).text()
                                       for row in range(1, panel.pose_list.count())
                                       ].index("arms up"))
    assert len(changes) == 1
    full = panel.posed(limbs, lambda: BOX).points
    panel.amount.setValue(50)
    half = panel.posed(limbs, lambda: BOX).points
    panel.amount.setValue(0)
    none = panel.posed(limbs, lambda: BOX).points
    assert len(changes) == 3  # each change of the amount poses the preview again
    moved = np.linalg.norm(full - limbs.rest_points, axis=1)
    assert moved.max() > 20  # the arms went up
    np.testing.assert_allclose(none, limbs.rest_points, atol=1e-6)  # no amount: at rest
    between = np.linalg.norm(half - limbs.rest_points, axis=1)
    assert (between[moved > 20] < moved[moved > 20]).all()


def test_a_photo_that_cannot_pose_the_drawing_says_why(qt_app, tmp_path):
    panel = TryItPanel()
    changes: list[None] = []
    panel.changed.connect(lambda: changes.append(None))
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"not a picture")
    assert panel.try_photo(broken) is False and "is not a picture" in panel.status.text()
    assert changes == []  # the preview keeps its pose
