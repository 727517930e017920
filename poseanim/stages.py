"""Run the stages of a frame pipeline at once, each on a thread of its own, joined by short queues.

Why threads are enough: every heavy stage of an export spends its time in C code that lets go
of Python's lock while it works — decoding (OpenCV), MediaPipe's graphs, cairo (called through
cffi), the pipe into ffmpeg (which encodes in its own process) — so on two cores two stages
really do run at the same time. Each stage has exactly one thread, so items leave in the order
they came and a stateful stage (a tracker in video mode, the pose stream's smoothing) sees them
in sequence; the queues hold a few items, so memory does not grow with the clip.

An exception in the source or a stage stops the pipeline and is raised again where the results
are read, as if the work had been done in one loop; a reader that stops early (an error of its
own, Ctrl-C) stops every thread before `pipelined` returns.
"""

from __future__ import annotations

import queue
import threading
from dataclasses import dataclass
from typing import Any, Callable, Generator, Iterable

DEPTH = 4
"""Items waiting between two stages: enough to absorb a slow frame, few enough to stay small."""
_POLL_SECONDS = 0.05


@dataclass(frozen=True)
class _Failed:
    """What travels downstream in place of an item when a stage raised."""

    error: BaseException


_END = object()


class _Stopped(Exception):
    """The reader went away; a stage's thread ends quietly."""


def pipelined(source: Iterable[Any], *stages: Callable[[Any], Any],
              depth: int = DEPTH, name: str = "poseanim-stage") -> Generator[Any, None, None]:
    """`stages[-1](…stages[0](item))` for every item of `source`, in order, the source and
    each stage running on its own thread, up to `depth` items apart."""
    stop = threading.Event()
    queues: list[queue.Queue] = [queue.Queue(depth) for _ in range(len(stages) + 1)]

    def put(target: queue.Queue, item: Any) -> None:
        while True:
            if stop.is_set():
                raise _Stopped
            try:
                target.put(item, timeout=_POLL_SECONDS)
                return
            except queue.Full:
                continue

    def get(origin: queue.Queue) -> Any:
        while True:
            if stop.is_set():
                raise _Stopped
            try:
                return origin.get(timeout=_POLL_SECONDS)
            except queue.Empty:
                continue

    def feed() -> None:
        try:
            for item in source:
                put(queues[0], item)
            put(queues[0], _END)
        except _Stopped:
            pass
        except BaseException as error:  # noqa: BLE001 - raised again by the reader
            _pass_on(put, queues[0], _Failed(error))

    def work(stage: Callable[[Any], Any], origin: queue.Queue, target: queue.Queue) -> None:
        try:
            while True:
                item = get(origin)
                if item is _END or isinstance(item, _Failed):
                    put(target, item)
                    return
                put(target, stage(item))
        except _Stopped:
            pass
        except BaseException as error:  # noqa: BLE001 - raised again by the reader
            _pass_on(put, target, _Failed(error))

    threads = [threading.Thread(target=feed, name=f"{name}-source", daemon=True)]
    threads += [threading.Thread(target=work, args=(stage, queues[i], queues[i + 1]),
                                 name=f"{name}-{i + 1}", daemon=True)
                for i, stage in enumerate(stages)]
    for thread in threads:
        thread.start()
    try:
        while True:
            item = get(queues[-1])
            if item is _END:
                return
            if isinstance(item, _Failed):
                raise item.error
            yield item
    finally:
        stop.set()
        for thread in threads:
            thread.join()


def _pass_on(put: Callable[[queue.Queue, Any], None], target: queue.Queue, failure: _Failed) -> None:
    try:
        put(target, failure)
    except _Stopped:
        pass
