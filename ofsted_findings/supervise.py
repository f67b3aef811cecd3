"""Run per-document work in worker processes, each document under a time limit.

A document that makes a library hang (a malformed PDF) or crash (a segfault in native code)
costs its worker, not the run: the worker is killed and replaced, the document gets a failure
result, and the other documents go on. (concurrent.futures cannot kill one running task.)
Workers are fresh interpreters that import only the work function's module, so they are ready
in a fraction of a second.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing as mp
import os
import pickle
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

_POLL_SECONDS = 0.05
_READY = "ready"
# A worker that has not finished starting (importing) by then is a failure of the machine.
_STARTUP_SECONDS = 300


# A worker is a fresh interpreter, not a fork (the parent may run Prefect's threads and event
# loop) and not multiprocessing's spawn, which would import the parent's __main__ module again
# (Prefect, pandas, DuckDB...: a second or more per worker) before the worker does anything.
# A worker dies with the run (ofsted_findings/lifeline.py): a run killed with `kill -9` cannot
# stop its workers, and one busy with a long document would otherwise go on until it finished.
_BOOT = (
    "import json, sys; sys.path[:0] = json.loads(sys.argv[2]); "
    "from ofsted_findings.supervise import worker_main; worker_main(int(sys.argv[1]), int(sys.argv[3]))"
)


def worker_main(fd: int, parent_pid: int) -> None:
    """A worker's loop: receive the function, say it is ready, then run it on each item sent."""
    from ofsted_findings.lifeline import die_with_parent

    # no polling thread: the kernel's signal is enough here, and a thread would slow every document
    die_with_parent(parent_pid, poll=not sys.platform.startswith("linux"))
    conn = Connection(fd)
    try:
        func = conn.recv()  # unpickling imports the function's module
        conn.send(_READY)  # imports are done: time limits count from here
        while (message := conn.recv()) is not None:
            index, item = message
            conn.send((index, func(item)))
    except (EOFError, OSError, KeyboardInterrupt):
        return  # the parent has gone or stopped the run


class _Process:
    """A worker process, with the part of multiprocessing.Process's interface used here."""

    def __init__(self, func: Callable[[Any], Any]) -> None:
        parent, child = mp.Pipe()
        self.popen = subprocess.Popen(
            [sys.executable, "-c", _BOOT, str(child.fileno()), json.dumps(sys.path), str(os.getpid())],
            pass_fds=(child.fileno(),),
        )
        child.close()
        parent.send(func)
        self.conn = parent

    @property
    def exitcode(self) -> int | None:
        return self.popen.poll()

    def is_alive(self) -> bool:
        return self.popen.poll() is None

    def kill(self) -> None:
        self.popen.kill()

    def join(self, timeout: float) -> None:
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.popen.wait(timeout)


@dataclass
class _Slot:
    process: Any
    conn: Connection
    index: int | None = None
    started: float = 0.0
    ready: bool = False


def run_supervised(
    func: Callable[[Any], Any],
    items: Sequence[Any],
    *,
    workers: int,
    time_limit: float | None,
    on_failure: Callable[[Any, str], Any],
    on_result: Callable[[Any], None] | None = None,
    collect: bool = True,
) -> list[Any]:
    """func(item) for every item, in order. `func` must be a module-level function.

    `on_failure(item, reason)` makes the result for an item whose worker hung or died. With
    collect=False results only go to `on_result` (as they finish) and the list stays empty.
    """
    results: list[Any] = [None] * len(items) if collect else []
    pending = list(range(len(items)))[::-1]
    slots: list[_Slot] = []

    def start() -> _Slot:
        process = _Process(func)
        return _Slot(process, process.conn, started=time.monotonic())

    def finish(index: int, value: Any) -> None:
        if collect:
            results[index] = value
        if on_result:
            on_result(value)

    def dispatch(slot: _Slot) -> None:
        if slot.ready and slot.index is None and pending:
            slot.index, slot.started = pending.pop(), time.monotonic()
            slot.conn.send((slot.index, items[slot.index]))

    def replace(slot: _Slot) -> _Slot:
        slot.process.kill()
        slot.process.join(5)
        slot.conn.close()
        return start()

    try:
        slots = [start() for _ in range(max(1, min(workers, len(items))))]
        while pending or any(s.index is not None for s in slots):
            for s in slots:
                dispatch(s)
            busy = [s.conn for s in slots if s.index is not None or not s.ready]
            ready = wait(busy, timeout=_POLL_SECONDS)
            for i, s in enumerate(slots):
                if not s.ready:
                    if s.conn in ready:
                        try:
                            s.ready = s.conn.recv() == _READY
                        except (EOFError, OSError):
                            raise RuntimeError("a worker process could not start") from None
                    elif time.monotonic() - s.started > _STARTUP_SECONDS:
                        raise RuntimeError(f"a worker process did not start in {_STARTUP_SECONDS} s")
                    continue
                if s.index is None:
                    continue
                if s.conn in ready:
                    try:
                        message = s.conn.recv_bytes()
                    except (EOFError, OSError):
                        s.process.join(1)
                        code = s.process.exitcode
                        finish(s.index, on_failure(items[s.index], f"worker process died (exit code {code})"))
                        slots[i] = replace(s)
                        continue
                    # The worker's next item goes out before this result is unpickled and
                    # handled (handling may write a batch of rows): workers never wait on that.
                    done, s.index = s.index, None
                    dispatch(s)
                    finish(done, pickle.loads(message)[1])
                elif time_limit is not None and time.monotonic() - s.started > time_limit:
                    reason = f"gave up after {time_limit:g} s (per-document time limit)"
                    finish(s.index, on_failure(items[s.index], reason))
                    slots[i] = replace(s)
                elif not s.process.is_alive():
                    reason = f"worker process died (exit code {s.process.exitcode})"
                    finish(s.index, on_failure(items[s.index], reason))
                    slots[i] = replace(s)
        return results
    finally:
        for s in slots:
            with contextlib.suppress(BrokenPipeError, OSError):
                s.conn.send(None)
        for s in slots:
            s.process.join(2)
            if s.process.is_alive():
                s.process.kill()
            s.conn.close()
