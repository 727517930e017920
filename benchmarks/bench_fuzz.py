"""Fuzzing cost: processor time per case, today's code beside an older commit's, same cases.

Run: `python benchmarks/bench_fuzz.py [-n 120] [--seed 4242] [--before REV]`. The cases are
made once by today's `tests/fuzz/mutate.py`; each goes to a worker of this checkout and to a
worker of `REV` (exported with `git archive`, its own `poseanim` and `tests/fuzz/worker.py`),
in alternating batches so a change of the machine's load falls on both. The figure is the
worker's processor time per case (what `make fuzz` spends on a case beyond making it), which
the neighbours' load changes little; the time to make the cases is shown once, as it is the
same for both. Target (issue 14): 100 000 cases must fit a session of one core.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "fuzz"))

import harness  # noqa: E402

BEFORE = "3016225"  # main when session 3 of issue 14 began (before render_rgba and the use fix)
BATCH = 10


def export(revision: str, folder: Path) -> Path | None:
    """The tree of `revision` unpacked under `folder`, or None without the history."""
    try:
        archive = subprocess.run(["git", "-C", str(REPO), "archive", revision], capture_output=True,
                                 check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    target = folder / revision
    with tempfile.TemporaryFile() as handle:
        handle.write(archive)
        handle.seek(0)
        with tarfile.open(fileobj=handle) as tar:
            tar.extractall(target, filter="data")
    return target


def row(name: str, results: list[harness.Result]) -> str:
    cpu = sorted(r.cpu * 1000 for r in results)
    kinds = {kind: sum(r.kind == kind for r in results) for kind in ("success", "error", *harness.BAD)}
    return (f"{name:<14}{len(results):>6}{kinds['success']:>9}{kinds['error']:>7}"
            f"{sum(kinds[k] for k in harness.BAD):>5}{statistics.fmean(cpu):>10.0f}"
            f"{statistics.median(cpu):>9.0f}{cpu[int(len(cpu) * 0.9)]:>9.0f}{sum(cpu) / 1000:>9.1f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--cases", type=int, default=120)
    parser.add_argument("--seed", type=int, default=4242)
    parser.add_argument("--before", default=BEFORE, metavar="REV")
    args = parser.parse_args()

    start = time.process_time()
    cases = list(harness.generated(args.cases, args.seed))
    making = (time.process_time() - start) / len(cases) * 1000
    with tempfile.TemporaryDirectory(prefix="poseanim-bench-fuzz-") as folder:
        old = export(args.before, Path(folder))
        pools = {"now": harness.Pool(1, 20.0, 2048)}
        if old is None:
            print(f"(no git history: {args.before} left out)")
        else:
            pools[args.before] = harness.Pool(1, 20.0, 2048, checkout=old)
        results: dict[str, list[harness.Result]] = {name: [] for name in pools}
        try:
            for first in range(0, len(cases), BATCH):
                for name, pool in pools.items():
                    results[name] += pool.run(cases[first:first + BATCH])
        finally:
            for pool in pools.values():
                pool.close()
    print(f"{len(cases)} cases of seed {args.seed}; making one: {making:.0f} ms (same for both)")
    print(f"{'code':<14}{'cases':>6}{'success':>9}{'error':>7}{'bad':>5}{'mean ms':>10}"
          f"{'median':>9}{'p90':>9}{'total s':>9}")
    for name, found in results.items():
        print(row(name, found))
    if len(results) == 2:
        now, before = (sum(r.cpu for r in found) for found in results.values())
        print(f"now / {args.before}: {now / before:.2f} of the processor time")
    return 0


if __name__ == "__main__":
    sys.exit(main())
