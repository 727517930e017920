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
pays. `--before REV` adds the same commands run by the package as it was at commit REV (its
files taken from git into a temporary folder), alternating with today's in the same run; both
then start with `python -S` and an explicit path (the package's folder, then the installed
libraries), so that neither an editable install nor the working folder picks the package.
`rig check` runs three times: with the cache off (nothing of poseanim's cached: the first start
after an install), with a drawing not bound before (the first check of a drawing, or of one just
edited: the cache holds no binding of it, but what any start keeps, cairo's parsed declarations
(`poseanim.cairo_declarations`), is there) and with the binding warm (the same drawing checked
again: `poseanim.binding_cache`), in scratch cache folders filled by one untimed run first.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import subprocess
import sys
import sysconfig
import tarfile
import tempfile
import time
from pathlib import Path
from statistics import median

from bench_core import REPO, table

ADA = REPO / "poseanim" / "illustrations" / "ada.svg"
CHECK = ["-m", "poseanim", "rig", "check", str(ADA)]
RUNS = [
    ("python -c pass (floor)", ["-c", "pass"], ""),
    ("every command module imported (before)",
     ["-c", "from poseanim.cli import build_parser; build_parser()"], ""),
    ("poseanim --help", ["-m", "poseanim", "--help"], "< 300"),
    ("poseanim list", ["-m", "poseanim", "list"], "< 300"),
    ("poseanim rig check ada.svg, cache off", CHECK, "< 300"),
    ("poseanim rig check ada.svg, drawing not bound before", CHECK, "< 300"),
    ("poseanim rig check ada.svg, binding cached", CHECK, "< 300"),
]


def cache_setting(name: str, scratch: str) -> str:
    """POSEANIM_CACHE for a row: a scratch folder where the row is about a warm cache (one
    folder with the binding, another whose bindings `forget_bindings` empties before each run:
    what is cached of poseanim's own, cairo's declarations, stays), else off (no row reads or
    writes the user's own cache)."""
    if "binding cached" in name:
        return str(Path(scratch) / "bindings")
    return str(Path(scratch) / "fresh") if "not bound before" in name else "off"


def forget_bindings(cache: str) -> None:
    """Empty a scratch cache of its bindings (`poseanim.binding_cache`'s entries)."""
    if cache != "off":
        for entry in Path(cache).glob("*.npz"):
            entry.unlink()


def run_once(arguments: list[str], tree: Path | None = None, cache: str = "off"
             ) -> tuple[float, float]:
    """(wall ms, CPU ms) of one fresh `python arguments…` process; with `tree`, the poseanim
    package inside that folder (see the module's docstring); `cache`: its POSEANIM_CACHE."""
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    environment["POSEANIM_CACHE"] = cache
    command, folder = [sys.executable, *arguments], REPO
    if tree is not None:
        paths = [str(tree), sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]]
        environment["PYTHONPATH"] = os.pathsep.join(paths)
        command, folder = [sys.executable, "-S", *arguments], tree
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   cwd=folder, env=environment)
    wall = (time.perf_counter() - started) * 1000
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000
    return wall, cpu


def package_at(revision: str, folder: Path) -> Path:
    """The poseanim package of commit `revision`, written under `folder` (returned)."""
    archive = subprocess.run(["git", "-C", str(REPO), "archive", revision, "poseanim"],
                             capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder)
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", metavar="REV", help="also time the package of commit REV")
    parser.add_argument("--repeats", type=int, default=7, help="fresh processes per row (7)")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as scratch:
        trees: list[tuple[str, Path | None]] = [("", None)]
        if args.before:
            trees = [(" (today)", REPO), (f" ({args.before})",
                                          package_at(args.before, Path(scratch)))]
        runs = [(f"{name}{label}", arguments, target, tree) for name, arguments, target in RUNS
                for label, tree in (trees if name.startswith("poseanim") else [("", None)])]
        samples: dict[str, list[tuple[float, float]]] = {name: [] for name, *_ in runs}
        for repeat in range(args.repeats + 1):
            for name, arguments, _, tree in runs:
                if tree is not None:  # the drawing checked is the tree's own copy
                    arguments = [str(tree / Path(a).relative_to(REPO)) if a == str(ADA) else a
                                 for a in arguments]
                cache = cache_setting(name, scratch)
                if "not bound before" in name:
                    forget_bindings(cache)
                timed = run_once(arguments, tree, cache)
                if repeat:  # the first round fills the cache and the bytecode, untimed
                    samples[name].append(timed)
    floor_cpu = median(cpu for _, cpu in samples[RUNS[0][0]])
    rows = []
    for name, _, target, _ in runs:
        wall = median(w for w, _ in samples[name])
        cpu = median(c for _, c in samples[name])
        rows.append([name, f"{wall:.0f}", f"{cpu:.0f}", f"{cpu / floor_cpu:.1f}×", target])
    print(f"{os.cpu_count()} CPU cores, load average {load:.1f} before the run; median of "
          f"{args.repeats} fresh processes each")
    print(table(rows, ["command", "wall ms", "CPU ms", "CPU ÷ bare python", "target ms"]))


if __name__ == "__main__":
    main()
