"""What each test costs in CPU, and which ones `make test-fast` leaves out for it.

    python tests/cpu_costs.py                  # the suite but the marked slow, heaviest first
    python tests/cpu_costs.py --write          # … and rewrite tests/slow_tests.tsv from it
    python tests/cpu_costs.py tests/render     # one part (never --write from a part)
    python tests/cpu_costs.py --fast           # what `make test-fast` runs (the list applied)
    python tests/cpu_costs.py --fast --write   # … and add to the list what is heavy there

Each test's cost is the CPU time (user + system) of the pytest process and of the children it
waited for (ffmpeg, subprocess CLI runs), from before its setup to after its teardown, read
with `resource.getrusage` (a `pytest_runtest_protocol` hook wrapper): not the wall clock, which
on the shared two cores measures the neighbours. Fixtures shared by several tests are paid by
the first that uses them. The tests run one after another, the listed ones included
(POSEANIM_TESTS_UNLISTED=1) unless `--fast`, those marked slow in their files left out.

The rule `--write` applies: a test that cost `--threshold` seconds or more (default 0.5) goes
on the list, except the cheapest of every test file, so that the fast run still runs each
module's own tests at least once. A fixture's cost moves to the next test that uses it once
its first user is listed, so `--fast --write` adds what is heavy in the fast run to the list
(the rule applied to the tests left; the cheapest of each file still stays).
"""

from __future__ import annotations

import argparse
import collections
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
SLOW_LIST = TESTS / "slow_tests.tsv"


def _cpu_seconds() -> float:
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


class CpuCosts:
    """The pytest plugin: one row per test, written to `path` when the session ends."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.rows: list[tuple[str, float]] = []

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(self, item, nextitem):
        start = _cpu_seconds()
        yield
        self.rows.append((item.nodeid, _cpu_seconds() - start))

    def pytest_sessionfinish(self, session, exitstatus):
        with open(self.path, "w", encoding="utf-8") as out:
            out.writelines(f"{nodeid}\t{seconds:.3f}\n" for nodeid, seconds in self.rows)


def pytest_configure(config):
    """Loaded with `-p cpu_costs` by `measure`: register the plugin that writes $CPU_COSTS."""
    if os.environ.get("CPU_COSTS"):
        config.pluginmanager.register(CpuCosts(os.environ["CPU_COSTS"]), "cpu-costs-rows")


def measure(arguments: list[str], fast: bool = False) -> tuple[list[tuple[str, float]], float, int]:
    """Run pytest on `arguments` (the tests folder by default) with the plugin, the listed
    tests included unless `fast`; returns the rows, the whole run's CPU seconds and pytest's
    exit status."""
    with tempfile.TemporaryDirectory() as folder:
        rows_path = Path(folder) / "rows.tsv"
        env = dict(os.environ, CPU_COSTS=str(rows_path), QT_QPA_PLATFORM="offscreen",
                   PYTHONPATH=str(TESTS), POSEANIM_TESTS_UNLISTED="0" if fast else "1")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        status = subprocess.call(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "cpu_costs",
             "-m", "not slow", *(arguments or [str(TESTS)])], cwd=TESTS, env=env)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        whole = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        rows = [(nodeid, float(seconds)) for nodeid, seconds in
                (line.split("\t") for line in rows_path.read_text(encoding="utf-8").splitlines())]
    return rows, whole, status


def listed(rows: list[tuple[str, float]], threshold: float) -> list[tuple[str, float]]:
    """The tests the rule (see the module) puts on the list, heaviest first (cost, node id)."""
    by_file: dict[str, list[tuple[float, str]]] = collections.defaultdict(list)
    for nodeid, seconds in rows:
        by_file[nodeid.split("::")[0]].append((seconds, nodeid))
    chosen = [(nodeid, seconds) for tests in by_file.values()
              for seconds, nodeid in sorted(tests)[1:] if seconds >= threshold]
    return sorted(chosen, key=lambda row: -row[1])


def write_list(slow: list[tuple[str, float]], threshold: float, load: float,
               added: bool) -> None:
    """Write `slow` as the list, or add it to the list there is (`added`: a `--fast` run)."""
    header = ("# Tests `make test-fast` leaves out (conftest marks them slow), with the CPU seconds"
              " measured:\n# `python tests/cpu_costs.py --write` (then --fast --write) writes it; "
              "the rule is in its docstring.\n")
    if added:
        lines = SLOW_LIST.read_text(encoding="utf-8").splitlines(keepends=True)
        header = "".join(line for line in lines if line.startswith("#"))
        entries = {**dict(line.rstrip("\n").split("\t")[:2] for line in lines
                          if line.strip() and not line.startswith("#")), **{
            nodeid: f"{seconds:.2f}" for nodeid, seconds in slow}}
    else:
        entries = {nodeid: f"{seconds:.2f}" for nodeid, seconds in slow}
    header += f"# {'added' if added else 'written'}: threshold {threshold} s, load {load:.1f}\n"
    SLOW_LIST.write_text(header + "".join(f"{nodeid}\t{entries[nodeid]}\n"
                                          for nodeid in sorted(entries)), encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help=f"rewrite {SLOW_LIST.name}")
    parser.add_argument("--threshold", type=float, default=0.5, metavar="S",
                        help="CPU seconds from which a test goes on the list (default 0.5)")
    parser.add_argument("--top", type=int, default=25, help="how many rows to print")
    parser.add_argument("--fast", action="store_true",
                        help="leave the listed tests out, as `make test-fast` does")
    parser.add_argument("--rows", metavar="FILE", help="also write every row (node id, CPU s)")
    options, arguments = parser.parse_known_args()
    if options.write and arguments:
        parser.error("--write measures the whole folder: give no pytest arguments")
    rows, whole, status = measure(arguments, options.fast)
    if options.rows:
        Path(options.rows).write_text("".join(f"{n}\t{t:.3f}\n" for n, t in rows), "utf-8")
    slow = listed(rows, options.threshold)
    tests = sum(seconds for _, seconds in rows)
    slow_total = sum(seconds for _, seconds in slow)
    for nodeid, seconds in sorted(rows, key=lambda row: -row[1])[:options.top]:
        print(f"{seconds:7.2f}  {nodeid}")
    load = os.getloadavg()[0]
    print(f"{len(rows)} tests, {tests:.1f} s CPU in tests, {whole:.1f} s the whole run "
          f"(collection, session fixtures), load {load:.1f}; at >= {options.threshold} s: "
          f"{len(slow)} tests, {slow_total:.1f} s; left for test-fast {tests - slow_total:.1f} s")
    if options.write:
        if status != 0:
            print("cpu_costs: the run failed; the list is left as it was", file=sys.stderr)
            return 1
        write_list(slow, options.threshold, load, added=options.fast)
    return status


if __name__ == "__main__":
    sys.exit(main())
