"""A fuzz worker: runs many cases in one process (imports are paid once), one per request.

Protocol (JSON lines): the harness writes `{"id": …, "data": base64}` to stdin; the worker
answers `{"id": …, "kind": …, "stage": …, "signature": …, "message": …, "passed": […],
"seconds": …, "cpu": …}` on stdout. The address space is capped with RLIMIT_AS after the imports, and each case gets a
deadline in *processor* seconds (ITIMER_PROF), so that a busy machine does not turn a slow case
into a hang: past it, the alarm turns the case into a `hang` with the traceback of where it
was; a case stuck in C code ignores the alarm and is killed by the harness instead.
"""

from __future__ import annotations

import base64
import json
import os
import resource
import signal
import sys
import time
import traceback
from pathlib import Path

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")
os.environ.setdefault("OPENCV_FOR_THREADS_NUM", "1")
# every case is another drawing, bound once: caching its binding would only write a few MB per case
os.environ.setdefault("POSEANIM_CACHE", "off")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import targets  # noqa: E402  (after the environment that keeps it single-threaded)


class CaseTimeout(BaseException):
    """Raised by the alarm inside a case that ran past its time (BaseException: the code under
    test must not be able to swallow it)."""


def _alarm(signum, frame) -> None:
    raise CaseTimeout()


def _selftest_case(data: bytes) -> targets.Outcome:
    """Misbehave on request, so the harness's classification can be tested without a bug."""
    if data == b"crash":
        try:
            1 / 0  # noqa: B018 (the self-test crash)
        except ZeroDivisionError as error:
            return targets.Outcome("crash", "selftest", targets.signature_of(error), "")
    if data == b"hang":
        while True:
            pass
    if data == b"memory":
        try:
            bytearray(1 << 34)
        except MemoryError as error:
            return targets.Outcome("memory", "selftest", targets.signature_of(error), "")
    if data == b"die":
        os.kill(os.getpid(), signal.SIGSEGV)
    return targets.Outcome("success")


def main() -> int:
    selftest = "--selftest" in sys.argv
    arguments = [a for a in sys.argv[1:] if a != "--selftest"]
    seconds = float(arguments[0]) if arguments else 10.0
    memory = int(arguments[1]) if len(arguments) > 1 else 0
    run_case = _selftest_case if selftest else targets.run_case
    if not selftest:  # the self-test exercises the harness, not poseanim: it starts in a blink
        import cv2  # noqa: F401 – loaded before the memory cap, as every command loads it

        cv2.setNumThreads(1)
        for module in ("poseanim.render.cairo_painter", "poseanim.render.animated_svg",
                       "poseanim.rigging.check", "poseanim.rigging.auto_rig", "poseanim.render.png"):
            __import__(module)
    if memory:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    signal.signal(signal.SIGPROF, _alarm)
    out = sys.stdout
    sys.stdout = sys.stderr  # anything the code under test prints must not corrupt the protocol
    out.write("ready\n")
    out.flush()
    for line in sys.stdin:
        request = json.loads(line)
        data = base64.b64decode(request["data"])
        start, cpu = time.perf_counter(), time.process_time()
        signal.setitimer(signal.ITIMER_PROF, seconds)
        try:
            outcome = run_case(data)
            signal.setitimer(signal.ITIMER_PROF, 0)
            answer = outcome.__dict__
        except CaseTimeout as error:
            answer = {"kind": "hang", "stage": "", "signature": "Hang@" + targets.signature_of(error).split("@", 1)[1],
                      "message": "".join(traceback.format_exception(error))[-2000:]}
        finally:
            signal.setitimer(signal.ITIMER_PROF, 0)
        answer = {**answer, "id": request["id"], "seconds": time.perf_counter() - start,
                  "cpu": time.process_time() - cpu}
        out.write(json.dumps(answer) + "\n")
        out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
