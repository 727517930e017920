"""`poseanim rig template|check|init`: what each job prints, its exit code, and the one line a
user error gets (the rules themselves are tested in rigging/test_check, rig/test_template and
rigging/test_auto_rig)."""

from __future__ import annotations

import json

from poseanim.bundled import bundled_illustrations
from svg_factory import core_template_joints, rigged_svg, skeleton_group

JOINTS = core_template_joints()
DRAWING = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle r="4"/></svg>'


def test_check_passes_the_bundled_characters(run_cli):
    for path in bundled_illustrations().values():
        code, out, _ = run_cli("rig", "check", path)
        assert code == 0, out
        assert "will animate" in out


def test_check_exit_codes_text_and_json(run_cli, tmp_path):
    broken = tmp_path / "broken.svg"
    stuck = {**JOINTS, "leftElbow": JOINTS["leftShoulder"]}
    broken.write_text(rigged_svg(skeleton=skeleton_group(stuck, omit=("rightWrist",))))
    code, out, err = run_cli("rig", "check", broken)
    assert code == 1 and err == ""
    lines = out.splitlines()
    assert lines[0].startswith("error [zero-length-bone] bone leftShoulder–leftElbow has no length")
    assert lines[1].startswith("    fix: move 'leftShoulder' or 'leftElbow'")
    assert lines[-1] == f"{broken}: will not animate (1 error, 1 warning)"

    code, out, _ = run_cli("rig", "check", broken, "--json")
    report = json.loads(out)
    assert code == 1 and report["animates"] is False and report["file"] == str(broken)
    assert [p["code"] for p in report["problems"]] == ["missing-joint", "zero-length-bone"]
    assert set(report["problems"][0]) == {"code", "severity", "message", "fix"}

    fine = tmp_path / "fine.svg"
    fine.write_text(rigged_svg(skeleton=skeleton_group(omit=("rightWrist",))))
    code, out, _ = run_cli("rig", "check", fine)
    assert code == 0
    assert out.splitlines()[-1] == f"{fine}: will animate (1 warning)"


def test_check_reports_a_missing_file_instead_of_raising(run_cli, tmp_path):
    code, out, err = run_cli("rig", "check", tmp_path / "nope.svg", "--json")
    assert code == 1 and err == ""
    assert json.loads(out)["problems"][0]["message"] == f"{tmp_path / 'nope.svg'}: no such file"


def test_template_into_a_missing_folder_is_one_line(run_cli, tmp_path):
    code, out, err = run_cli("rig", "template", "-o", tmp_path / "no" / "such.svg")
    assert code == 1 and out == ""
    assert err == f"poseanim: error: cannot write {tmp_path / 'no' / 'such.svg'}: folder " \
                  f"{tmp_path / 'no'} does not exist\n"


def test_init_will_not_overwrite_its_input(run_cli, tmp_path):
    plain = tmp_path / "in.svg"
    plain.write_text(DRAWING)
    code, _, err = run_cli("rig", "init", plain, "-o", plain)
    assert code == 1
    assert err == ("poseanim: error: -o must differ from the drawing: init writes a new file and "
                   "leaves the original as it is\n")
    assert plain.read_text() == DRAWING
