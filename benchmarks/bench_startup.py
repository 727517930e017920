"""Start-up benchmark: how long the light commands take, beside bare Python in the same run.

Run: `python benchmarks/bench_startup.py` (or `make bench`). Each command runs in a fresh
process, several times, alternating with the references so that the machine's load hits them
alike; the table gives the median wall time and the median CPU time (user + system, what the
command itself costs when other work shares the cores). Target (issue 15): `poseanim --help`,
`poseanim list` and `poseanim rig check` under 0.3 s. References: `python -c pass` (the floor
no command can go under) and importing every command module, as the command line did before
it learnt to import only the module of the command that runs. The processes may write and
read bytecode caches (PYTHONDONTWRITEBYTECODE is cleared for them), as an installed package does:
compiling poseanim's modules afresh in every run would add a tenth of a second that no user
pays.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from statistics import median

from bench_core import REPO, table

ADA = REPO / "poseanim" / "illustrations" / "ada.svg"
RUNS = [
    ("python -c pass (floor)", ["-c", "pass"], ""),
    ("every command module imported (before)",
     ["-c", "from poseanim.cli import build_parser; build_parser()"], ""),
    ("poseanim --help", ["-m", "poseanim", "--help"], "< 300"),
    ("poseanim list", ["-m", "poseanim", "list"], "< 300"),
    ("poseanim rig check ada.svg", ["-m", "poseanim", "rig", "check", str(ADA)], "< 300"),
]


def run_once(arguments: list[str]) -> tuple[float, float]:
    """(wall ms, CPU ms) of one fresh `python arguments…` process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([sys.executable, *arguments], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, cwd=REPO, env=environment)
    wall = (time.perf_counter() - started) * 1000
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000
    return wall, cpu


def main(repeats: int = 7) -> None:
    load = os.getloadavg()[0]
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name, _, _ in RUNS}
    for _ in range(repeats):
        for name, arguments, _ in RUNS:
            samples[name].append(run_once(arguments))
    floor_cpu = median(cpu for _, cpu in samples[RUNS[0][0]])
    rows = []
    for name, _, target in RUNS:
        wall = median(w for w, _ in samples[name])
        cpu = median(c for _, c in samples[name])
        rows.append([name, f"{wall:.0f}", f"{cpu:.0f}", f"{cpu / floor_cpu:.1f}×", target])
    print(f"{os.cpu_count()} CPU cores, load average {load:.1f} before the run; median of "
          f"{repeats} fresh processes each")
    print(table(rows, ["command", "wall ms", "CPU ms", "CPU ÷ bare python", "target ms"]))


if __name__ == "__main__":
    main()
