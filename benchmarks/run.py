"""Run every benchmark in this folder (`bench_*.py`) in turn and print their tables.

`make bench` calls this; each benchmark also runs on its own: `python benchmarks/bench_core.py`.
A benchmark whose optional dependency is missing (torch for FOMM) says so and is skipped.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def main() -> int:
    failures = 0
    for script in sorted(Path(__file__).resolve().parent.glob("bench_*.py")):
        print(f"\n=== {script.stem} ===", flush=True)
        failures += subprocess.call([sys.executable, str(script)]) != 0
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
