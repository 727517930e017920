"""`poseanim list`: one line per bundled illustration, name then title then path, by name."""

from __future__ import annotations

from pathlib import Path

from poseanim.bundled import bundled_illustrations


def test_each_bundled_drawing_is_listed_by_name_with_its_title_and_path(run_cli):
    code, stdout, stderr = run_cli("list")
    assert code == 0 and stderr == ""
    lines = stdout.splitlines()
    assert [line.split()[0] for line in lines] == ["ada", "bolt", "mira"]
    for line, (name, path) in zip(lines, sorted(bundled_illustrations().items())):
        # the title is the drawing's own <title>, so a user can tell which is which
        assert line.split()[1] == name.capitalize()
        assert Path(line.split()[-1]) == path and path.is_file()
