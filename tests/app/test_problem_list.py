"""The rig editor's problem list (`app.problem_list`): the real check report of a drawing,
summary first in bold, then each problem with its fix in its severity's colour."""

from __future__ import annotations

from svg_factory import core_template_joints, rigged_svg, skeleton_group

from poseanim.app.problem_list import SEVERITY_COLOURS, ProblemList
from poseanim.rigging.check import check_tree
from poseanim.svg.document import parse_svg_text


def test_each_problem_is_listed_with_its_fix_in_its_severitys_colour(qt_app):
    joints = core_template_joints()
    joints["leftElbow"] = joints["leftShoulder"]  # a bone of no length: an error
    text = rigged_svg(skeleton=skeleton_group(joints, omit=("rightWrist",)))  # and a warning
    report = check_tree(parse_svg_text(text, "figure.svg"), "figure.svg")
    shown = ProblemList()
    shown.show_report(report, opened=True)
    rows = [shown.item(i) for i in range(shown.count())]
    assert len(rows) == 1 + len(report.problems) == 3
    assert rows[0].text() == report.summary() + " (as the file was opened)"
    assert rows[0].font().bold()
    for row, problem in zip(rows[1:], report.problems):
        assert row.text() == f"{problem.severity}: {problem.message}\n    fix: {problem.fix}"
        assert row.foreground().color().name() == SEVERITY_COLOURS[problem.severity]
        assert row.toolTip() == problem.code
    assert {problem.severity for problem in report.problems} == {"error", "warning"}
    shown.show_report(check_tree(parse_svg_text(rigged_svg(), "fine.svg"), "fine.svg"), False)
    assert shown.count() == 1 and shown.item(0).text().endswith("will animate, no problems found")
