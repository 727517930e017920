"""The fuzzing harness: generate hostile SVGs, run them in limited worker processes, classify,
minimise what crashes, and keep it as a regression fixture.

    python tests/fuzz/harness.py -n 100000 --jobs 2        the long run (`make fuzz N=100000`)
    python tests/fuzz/harness.py --replay 1:4242           rebuild one case and show its outcome
    python tests/fuzz/harness.py --dump 1:4242 case.svg    write one case to a file
    python tests/fuzz/harness.py --files tests/fuzz/regressions/*.svg

Each case ends as one of: success (every stage worked), error (a stage refused the file with a
one-line PoseanimError: the clean outcome for bad input), crash (any other exception, a bad
message, or the worker dying on a signal), hang (past `--timeout` seconds), memory (a
MemoryError under the `--memory-mb` address-space cap, or the worker killed by it). Workers
serve many cases each and are restarted after a crash, hang or memory case. The first case of
every new crash signature is minimised (elements, attributes, values, then bytes) and written
to `--out`; `--keep` also copies it into `tests/fuzz/regressions/`, which the normal test
suite runs.
"""

from __future__ import annotations

import argparse
import base64
import collections
import hashlib
import json
import os
import re
import selectors
import signal
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import mutate  # noqa: E402

REGRESSIONS = HERE / "regressions"
BAD = ("crash", "hang", "memory")


@dataclass
class Result:
    """The outcome of one case, as the worker (or the harness, for a dead worker) saw it."""

    key: str
    description: str
    kind: str
    stage: str = ""
    signature: str = ""
    message: str = ""
    seconds: float = 0.0
    cpu: float = 0.0  # the worker's processor seconds: the case's cost, whatever the machine's load
    passed: tuple[str, ...] = ()


@dataclass
class _Worker:
    process: subprocess.Popen
    log: Path
    busy: tuple[str, str, bytes, float] | None = None  # (key, description, data, sent at)
    buffer: bytes = b""
    cpu_at_send: float = 0.0

    def cpu(self) -> float:
        """The worker's processor seconds so far (Linux /proc; elsewhere 0, and the wall-clock
        bound alone applies)."""
        try:
            fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Pool:
    """Worker processes, each running one case at a time under the time and memory limits."""

    def __init__(self, jobs: int, timeout: float, memory_mb: int,
                 worker_arguments: list[str] | None = None, checkout: Path | None = None) -> None:
        """`checkout`: another tree whose `poseanim` and `tests/fuzz/worker.py` the workers
        run (benchmarks/bench_fuzz.py: an older commit beside this one); this one by default."""
        self.timeout = timeout
        self.arguments = worker_arguments or []
        self.checkout = checkout
        self.memory = memory_mb * 1024 * 1024
        self.selector = selectors.DefaultSelector()
        self.folder = Path(tempfile.mkdtemp(prefix="poseanim-fuzz-logs-"))
        self.workers = [self._start(index) for index in range(jobs)]

    def _start(self, index: int) -> _Worker:
        log = self.folder / f"worker-{index}.log"
        handle = log.open("wb")
        worker, environment = HERE / "worker.py", {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        if self.checkout is not None:
            worker = self.checkout / "tests" / "fuzz" / "worker.py"
            environment["PYTHONPATH"] = str(self.checkout)
        process = subprocess.Popen(
            [sys.executable, str(worker), str(self.timeout), str(self.memory), *self.arguments],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=handle, env=environment)
        handle.close()
        assert process.stdout is not None
        ready = process.stdout.readline()
        if ready.strip() != b"ready":
            raise RuntimeError(f"fuzz worker failed to start: {log.read_text()[-2000:]}")
        os.set_blocking(process.stdout.fileno(), False)
        worker = _Worker(process, log)
        self.selector.register(process.stdout, selectors.EVENT_READ, worker)
        return worker

    def _restart(self, worker: _Worker) -> None:
        self.selector.unregister(worker.process.stdout)
        if worker.process.poll() is None:
            worker.process.kill()
        worker.process.wait()
        index = self.workers.index(worker)
        self.workers[index] = self._start(index)

    def _send(self, worker: _Worker, key: str, description: str, data: bytes) -> None:
        worker.busy = (key, description, data, time.monotonic())
        worker.cpu_at_send = worker.cpu()
        message = json.dumps({"id": key, "data": base64.b64encode(data).decode()}) + "\n"
        try:
            assert worker.process.stdin is not None
            worker.process.stdin.write(message.encode())
            worker.process.stdin.flush()
        except BrokenPipeError:
            pass  # the worker is dead; the next poll reports it

    def run(self, cases: Iterable[tuple[str, str, bytes]]) -> Iterator[Result]:
        """Run (key, description, data) cases; yield each result as it comes."""
        pending = iter(cases)
        exhausted = False
        while True:
            for worker in self.workers:
                if worker.busy is None and not exhausted:
                    case = next(pending, None)
                    if case is None:
                        exhausted = True
                    else:
                        self._send(worker, *case)
            busy = [w for w in self.workers if w.busy is not None]
            if not busy:
                return
            for key, _ in self.selector.select(timeout=1.0):
                worker = key.data
                try:
                    chunk = os.read(worker.process.stdout.fileno(), 1 << 16)
                except BlockingIOError:
                    continue
                if not chunk:
                    yield self._died(worker)
                    continue
                worker.buffer += chunk
                while b"\n" in worker.buffer and worker.busy is not None:
                    line, worker.buffer = worker.buffer.split(b"\n", 1)
                    answer = json.loads(line)
                    case_key, description = worker.busy[:2]
                    worker.busy = None
                    result = Result(case_key, description, answer["kind"], answer["stage"],
                                    answer["signature"], answer["message"], answer["seconds"],
                                    answer.get("cpu", 0.0), tuple(answer.get("passed", ())))
                    if result.kind in BAD:
                        self._restart(worker)  # a fresh process: no state left by a bad case
                    yield result
            now = time.monotonic()
            for worker in list(self.workers):
                if worker.busy is None:
                    continue
                # The alarm counts processor time; a worker that spent well past it without
                # answering is stuck in C code. The wall-clock bound catches one that sleeps.
                spent, waited = worker.cpu() - worker.cpu_at_send, now - worker.busy[3]
                if spent > self.timeout + 10 or waited > self.timeout * 20 + 60:
                    case_key, description = worker.busy[:2]
                    worker.busy = None
                    self._restart(worker)
                    yield Result(case_key, description, "hang", "", "Hang@uninterruptible",
                                 f"the worker ignored its alarm (stuck in C code) and was killed "
                                 f"after {spent:.0f} processor seconds, {waited:.0f} s", waited, spent)

    def _died(self, worker: _Worker) -> Result:
        assert worker.busy is not None
        case_key, description = worker.busy[:2]
        worker.busy = None
        code = worker.process.wait()
        log = worker.log.read_text(errors="replace")[-3000:]
        self._restart(worker)
        name = signal.Signals(-code).name if code < 0 else f"exit{code}"
        memory = "MemoryError" in log or "bad_alloc" in log or "Cannot allocate" in log
        return Result(case_key, description, "memory" if memory else "crash", "",
                      f"{'Memory' if memory else 'Died'}:{name}", log)

    def close(self) -> None:
        for worker in self.workers:
            if worker.process.poll() is None:
                worker.process.stdin.close()
                try:
                    worker.process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    worker.process.kill()
                    worker.process.wait()


# ---- minimising -------------------------------------------------------------------------------

def _tree_candidates(data: bytes) -> Iterator[bytes]:
    """Smaller documents: each element removed (then unwrapped), each attribute removed, long
    attribute values halved."""
    try:
        count = sum(1 for _ in ET.fromstring(data).iter())
    except ET.ParseError:
        return

    def variants(edit: Callable[[ET.Element, ET.Element | None], bool]) -> Iterator[bytes]:
        for index in range(count):
            root = ET.fromstring(data)
            parents = {child: parent for parent in root.iter() for child in parent}
            target = list(root.iter())[index]
            if edit(target, parents.get(target)):
                yield mutate.serialise(root).encode()

    def remove(element: ET.Element, parent: ET.Element | None) -> bool:
        if parent is not None:
            parent.remove(element)
        return parent is not None

    def unwrap(element: ET.Element, parent: ET.Element | None) -> bool:
        if parent is None or len(element) == 0:
            return False
        index = list(parent).index(element)
        parent.remove(element)
        for offset, child in enumerate(list(element)):
            parent.insert(index + offset, child)
        return True

    def strip(element: ET.Element, parent: ET.Element | None) -> bool:
        had = bool(element.attrib)
        for name in list(element.attrib)[:1]:
            del element.attrib[name]
        return had

    def halve(element: ET.Element, parent: ET.Element | None) -> bool:
        long = [name for name, value in element.attrib.items() if len(value) > 40]
        for name in long:
            element.set(name, element.get(name)[: len(element.get(name)) // 2])
        return bool(long)

    for edit in (remove, unwrap, strip, halve):
        yield from variants(edit)


def _byte_candidates(data: bytes) -> Iterator[bytes]:
    """Delta debugging on bytes: drop chunks of halving size."""
    size = len(data) // 2
    while size >= 1:
        for start in range(0, len(data), size):
            yield data[:start] + data[start + size:]
        size //= 2


def minimise(pool: Pool, result: Result, data: bytes, budget: int) -> bytes:
    """The smallest document found (within `budget` tries) that ends with the same signature."""
    best, tries = data, 0
    improved = True
    while improved and tries < budget:
        improved = False
        for generator in (_tree_candidates, _byte_candidates):
            for candidate in generator(best):
                if tries >= budget:
                    break
                if len(candidate) >= len(best):
                    continue
                tries += 1
                outcome = next(pool.run([(result.key, "minimise", candidate)]))
                if outcome.kind == result.kind and outcome.signature == result.signature:
                    best, improved = candidate, True
                    break
            if improved:
                break
    return best


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")[:80]


# ---- running ----------------------------------------------------------------------------------

def generated(count: int, seed: int, first: int = 0,
              whole: bool = True) -> Iterator[tuple[str, str, bytes]]:
    """`count` cases from `seed:first` on; `whole=False` passes over the cases that mutate a
    whole seed drawing (a tenth of them, but 0.5–2 s each where a thinned case costs 0.1 s:
    the suite's short run), keeping every other case's key."""
    seeds = mutate.seeds()
    number, made = first, 0
    while made < count:
        key = f"{seed}:{number}"
        number += 1
        description, data = mutate.make_case(key, seeds)
        if whole or "+thin" in description:
            made += 1
            yield key, description, data


def from_files(paths: Iterable[Path]) -> Iterator[tuple[str, str, bytes]]:
    for path in paths:
        yield str(path), path.name, path.read_bytes()


@dataclass
class Summary:
    """Counts per outcome, per mutation family, and every distinct bad signature."""

    counts: collections.Counter = field(default_factory=collections.Counter)
    families: dict[str, collections.Counter] = field(default_factory=dict)
    stages: collections.Counter = field(default_factory=collections.Counter)
    passed: collections.Counter = field(default_factory=collections.Counter)
    bad: dict[str, list[Result]] = field(default_factory=dict)
    seconds: float = 0.0
    cpu: float = 0.0
    costliest: list[tuple[float, str, str]] = field(default_factory=list)  # (cpu, key, description)
    resume: str = ""  # where the next run of the seed starts (generated cases only)

    def add(self, result: Result) -> bool:
        """Count `result`; True when it is the first of a new bad signature."""
        self.counts[result.kind] += 1
        self.passed.update(result.passed)
        self.cpu += result.cpu
        self.costliest = sorted([*self.costliest, (result.cpu, result.key, result.description)],
                                reverse=True)[:5]
        for family in set(result.description.split("+")[1:]) or {"none"}:
            self.families.setdefault(family, collections.Counter())[result.kind] += 1
        if result.kind == "error":
            self.stages[result.stage] += 1
        if result.kind not in BAD:
            return False
        new = result.signature not in self.bad
        self.bad.setdefault(result.signature, []).append(result)
        return new

    def table(self) -> str:
        kinds = ("success", "error", "crash", "hang", "memory")
        total = sum(self.counts.values())
        lines = [f"{total} cases in {self.seconds:.0f} s ({self.cpu / max(total, 1) * 1000:.0f} ms "
                 "of worker processor time a case): " + ", ".join(
                     f"{kind} {self.counts[kind]}" for kind in kinds)]
        lines.append(f"cases through each stage: {dict(self.passed)}")
        lines.append(f"clean errors by first refusing stage: {dict(self.stages.most_common())}")
        lines.append(f"{'mutation':<16}" + "".join(f"{kind:>9}" for kind in kinds))
        for family, counter in sorted(self.families.items()):
            lines.append(f"{family:<16}" + "".join(f"{counter[kind]:>9}" for kind in kinds))
        lines.append("costliest cases: " + "; ".join(
            f"{key} {cpu:.1f} s ({description})" for cpu, key, description in self.costliest))
        for signature, results in sorted(self.bad.items(), key=lambda item: -len(item[1])):
            lines.append(f"  {len(results):>6} × {results[0].kind} {signature} "
                         f"(first: {results[0].key}, stage {results[0].stage or '?'})")
        if self.resume:
            lines.append(self.resume)
        return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--cases", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1, help="run seed: case keys are SEED:NUMBER")
    parser.add_argument("--first", type=int, default=0, help="first case number")
    parser.add_argument("--jobs", type=int, default=max(1, (os.cpu_count() or 2) - 1))
    parser.add_argument("--timeout", type=float, default=20.0,
                        help="processor seconds per case (not wall-clock: a busy machine is no hang)")
    parser.add_argument("--memory-mb", type=int, default=2048, help="address space per worker")
    parser.add_argument("--out", type=Path, default=Path("fuzz-out"))
    parser.add_argument("--minimise-budget", type=int, default=300)
    parser.add_argument("--keep", action="store_true",
                        help="copy each minimised bad case into tests/fuzz/regressions/")
    parser.add_argument("--replay", metavar="KEY")
    parser.add_argument("--dump", nargs=2, metavar=("KEY", "FILE"))
    parser.add_argument("--files", nargs="+", type=Path)
    args = parser.parse_args(argv)

    if args.dump:
        seed, number = args.dump[0].split(":")
        Path(args.dump[1]).write_bytes(next(generated(1, int(seed), int(number)))[2])
        return 0
    if args.replay:
        seed, number = args.replay.split(":")
        cases: Iterable = generated(1, int(seed), int(number))
    elif args.files:
        cases = from_files(args.files)
    else:
        cases = generated(args.cases, args.seed, args.first)

    args.out.mkdir(parents=True, exist_ok=True)
    pool = Pool(args.jobs, args.timeout, args.memory_mb)
    summary = Summary()
    start = time.monotonic()
    found: list[tuple[Result, bytes]] = []
    datas: dict[str, bytes] = {}
    stopped = False
    generating = not (args.replay or args.files)
    previous = signal.signal(signal.SIGTERM, _stop)
    try:
        try:
            results = enumerate(pool.run(_remember(cases, datas)))
            for index, result in results:
                data = datas.pop(result.key, b"")
                if summary.add(result):
                    found.append((result, data))
                    print(f"new {result.kind}: {result.signature} ({result.key}, {result.description})",
                          file=sys.stderr, flush=True)
                if not generating:
                    print(f"{result.key}: {result.kind} {result.stage} {result.signature} "
                          f"{result.message[-1500:]}")
                if (index + 1) % 25 == 0:
                    summary.seconds = time.monotonic() - start
                    summary.resume = _resume(args, summary, datas) if generating else ""
                    (args.out / "summary.txt").write_text(summary.table() + "\n")
                    print(f"{index + 1} cases: {dict(summary.counts)}", file=sys.stderr, flush=True)
        except KeyboardInterrupt:  # Ctrl-C or SIGTERM: stop, keep what was found, report it
            stopped = True
            print("stopped; the summary covers the cases run so far", file=sys.stderr)
        summary.seconds = time.monotonic() - start
        if generating:
            for result, data in found:
                small = data if stopped else minimise(
                    pool, result, data, args.minimise_budget if result.kind != "hang" else 0)
                name = f"{result.kind}-{_slug(result.signature)}-{hashlib.sha1(small).hexdigest()[:8]}.svg"
                (args.out / name).write_bytes(small)
                if args.keep:
                    REGRESSIONS.mkdir(exist_ok=True)
                    (REGRESSIONS / name).write_bytes(small)
    finally:
        pool.close()
        signal.signal(signal.SIGTERM, previous)
    summary.seconds = time.monotonic() - start
    summary.resume = _resume(args, summary, datas) if generating else ""
    table = summary.table()
    (args.out / "summary.txt").write_text(table + "\n")
    (args.out / "bad.json").write_text(json.dumps(
        {sig: [r.__dict__ for r in results[:3]] for sig, results in summary.bad.items()}, indent=1))
    print(table)
    return 1 if any(summary.counts[kind] for kind in BAD) else 0


def _stop(signum, frame) -> None:
    raise KeyboardInterrupt


def _resume(args: argparse.Namespace, summary: Summary, unanswered: dict[str, bytes]) -> str:
    """The summary's last line: the case a next run of this seed starts at (past every case sent
    to a worker), and the cases sent but not answered when the run stopped. With several
    workers the answers come out of order, so the count of cases alone does not say it."""
    sent = args.first + sum(summary.counts.values()) + len(unanswered)
    keys = sorted(unanswered, key=lambda key: int(key.split(":")[1]))
    return (f"next: --seed {args.seed} --first {sent}"
            + (f" (sent, not answered: {' '.join(keys)})" if keys else ""))


def _remember(cases: Iterable[tuple[str, str, bytes]], datas: dict[str, bytes]) -> Iterator:
    for key, description, data in cases:
        datas[key] = data
        yield key, description, data


if __name__ == "__main__":
    sys.exit(main())
