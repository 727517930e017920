"""The command line's behaviour towards the shell: closed pipes, and the exit codes of signals."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

COMMAND = [sys.executable, "-m", "poseanim"]


@pytest.mark.parametrize("arguments", [["list"], ["--help"], ["rig", "template"]])
def test_a_closed_stdout_ends_quietly(arguments, tmp_path):
    """`poseanim … | head`: the reader goes away before the command writes."""
    if arguments[0] == "rig":
        arguments = arguments + ["-o", str(tmp_path / "t.svg")]
    process = subprocess.Popen(COMMAND + arguments, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()  # before the interpreter has even started
    stderr = process.stderr.read().decode()
    code = process.wait()
    assert stderr == ""
    assert code in (0, 141)  # 141 = 128 + SIGPIPE, as a C tool killed by it would say


def test_a_closed_stderr_neither_breaks_the_work_nor_the_exit_code(tmp_path):
    process = subprocess.Popen(COMMAND + ["rig", "template", "-o", str(tmp_path / "t.svg")],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stderr.close()
    out = process.stdout.read().decode()
    assert process.wait() == 0 and (tmp_path / "t.svg").exists() and "t.svg" in out


def test_an_error_with_stderr_closed_still_exits_1(tmp_path):
    process = subprocess.Popen(COMMAND + ["image", str(tmp_path / "missing.jpg"), "-i", "ada",
                                          "-o", str(tmp_path / "x.svg")],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"})
    process.stderr.close()
    process.stdout.read()
    assert process.wait() == 1  # not 120, Python's code for a failed flush at exit
