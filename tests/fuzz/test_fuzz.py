"""The fuzzing harness in the normal suite: every kept regression fixture, and a short run.

Both go through the harness's worker processes (time and memory limits, crash and hang
detection), so a regression that crashes the interpreter or never returns fails the test
instead of the test run. The long run is `make fuzz N=100000` (see README.md here).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import harness  # noqa: E402

pytestmark = pytest.mark.slow

# Thinned cases only (every mutation family and stage, ~0.11 s of processor time each): the
# whole-drawing tenth costs 0.5–2 s a case and is left to the long run (`make fuzz`).
SHORT_RUN_CASES = int(os.environ.get("POSEANIM_FUZZ_CASES", "100"))
SHORT_RUN_SEED = 20261201
# Processor seconds (not wall-clock: a busy machine slows a case, it does not make it a hang).
# The costliest cases take 2–4 s; a real hang (unbounded work) blows far past it.
CASE_SECONDS = 30.0


@pytest.fixture(scope="module")
def pool():
    workers = harness.Pool(jobs=2, timeout=CASE_SECONDS, memory_mb=2048)
    yield workers
    workers.close()


def _bad(results: list[harness.Result]) -> list[str]:
    return [f"{r.key}: {r.kind} {r.signature}\n{r.message[-1200:]}" for r in results
            if r.kind in harness.BAD]


def test_regression_fixtures_end_in_a_picture_or_one_clean_error(pool):
    fixtures = sorted((HERE / "regressions").glob("*.svg"))
    assert len(fixtures) >= 10
    results = list(pool.run(harness.from_files(fixtures)))
    assert len(results) == len(fixtures)
    assert not _bad(results), "\n\n".join(_bad(results))
    errors = [r for r in results if r.kind == "error"]
    assert all("\n" not in r.message and r.message for r in errors)


def test_a_short_fuzz_run_finds_no_crash_hang_or_memory_blowup(pool):
    results = list(pool.run(harness.generated(SHORT_RUN_CASES, SHORT_RUN_SEED, whole=False)))
    assert len(results) == SHORT_RUN_CASES
    assert not _bad(results), "\n\n".join(_bad(results))
    kinds = {r.kind for r in results}
    assert kinds == {"success", "error"}  # the mutations reach both outcomes


def test_the_harness_classifies_a_crash_a_hang_and_a_memory_blowup(tmp_path):
    """The classifier itself, on a worker told to misbehave (not on poseanim code)."""
    bad = harness.Pool(jobs=1, timeout=0.5, memory_mb=1024, worker_arguments=["--selftest"])
    try:
        cases = [("crash", "selftest", b"crash"), ("hang", "selftest", b"hang"),
                 ("memory", "selftest", b"memory"), ("die", "selftest", b"die"),
                 ("fine", "selftest", b"fine")]
        results = {r.key: r for r in bad.run(cases)}
    finally:
        bad.close()
    assert results["crash"].kind == "crash" and results["crash"].signature.startswith("ZeroDivisionError")
    assert results["hang"].kind == "hang"
    assert results["memory"].kind == "memory"
    assert results["die"].kind == "crash" and results["die"].signature == "Died:SIGSEGV"
    assert results["fine"].kind == "success"


def test_the_summary_names_the_case_the_next_run_starts_at(tmp_path):
    """A long run goes on over several sessions from the key its summary names."""
    arguments = ["-n", "2", "--seed", str(SHORT_RUN_SEED), "--first", "0", "--jobs", "1",
                 "--out", str(tmp_path)]
    assert harness.main(arguments) == 0
    last = (tmp_path / "summary.txt").read_text().splitlines()[-1]
    assert last == f"next: --seed {SHORT_RUN_SEED} --first 2"
