"""Every rule of the format is written once, in the reader: what it finds reading a drawing is
exactly what `rig check` reports for it, and a drawing it cannot read fails with the very
problem `rig check` lists as its error."""

from __future__ import annotations

import pytest

from poseanim.errors import PoseanimError
from poseanim.rig.problems import Problem, RigError, describe
from poseanim.rig.reader import read_rigged_tree
from poseanim.rigging.check import check_tree
from poseanim.svg.document import parse_svg_text

from svg_factory import HEADER, limb_shapes, rigged_svg, skeleton_group


def parsed(text: str):
    return parse_svg_text(text, "t.svg")


def test_what_the_reader_finds_is_what_rig_check_reports():
    body = (limb_shapes() + '<text x="1" y="1">hi</text>'
            + '<g id="brows"><circle id="leftBrow9_1_" cx="1" cy="1" r="1"/>'
              '<circle id="leftBrow0_1_" cx="300" cy="120" r="1"/><path d="M290,120 L310,118"/></g>')
    text = rigged_svg(body=body, skeleton=skeleton_group(omit=("rightWrist",)))
    text = text.replace("</svg>", '<path id="hat" d="M260,60 L340,60 L300,20 Z"/></svg>')
    drawing = read_rigged_tree(parsed(text), "t.svg")
    codes = {problem.code for problem in drawing.problems}
    assert {"missing-joint", "ignored-element", "outside-illustration"} <= codes
    reported = check_tree(parsed(text), "t.svg").problems
    assert all(problem in reported for problem in drawing.problems)
    assert drawing.warnings == [p.text for p in drawing.problems if p.severity == "warning"]


@pytest.mark.parametrize("text, code", [
    (f'{HEADER}<g id="illustration">{limb_shapes()}</g></svg>', "missing-group"),
    (rigged_svg(skeleton='<g id="skeleton"><circle id="foo" r="1"/></g>'), "no-joints"),
    (rigged_svg(body='<text x="1" y="1">me</text>'), "no-shapes"),
])
def test_a_drawing_that_cannot_be_read_fails_with_rig_checks_error(text, code):
    with pytest.raises(RigError) as caught:
        read_rigged_tree(parsed(text), "t.svg")
    problem = caught.value.problem
    assert problem.code == code and problem.severity == "error"
    assert isinstance(caught.value, PoseanimError)
    assert str(caught.value) == f"t.svg: {problem.message}; {problem.fix}"
    assert problem in check_tree(parsed(text), "t.svg").problems


def test_a_problem_is_one_line_with_its_fix():
    problem = Problem("x", "warning", "it is wrong", "do this")
    assert problem.text == "it is wrong; do this"
    element = parsed(f'{HEADER}<path id="arm" d="M0,0"/><rect/></svg>')
    assert [describe(child) for child in element] == ['<path id="arm">', "<rect> (no id)"]
