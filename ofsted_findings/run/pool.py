"""Run per-document work in worker processes, each document under a time and a memory limit.

A document that makes a library hang (a malformed PDF) or crash (a segfault in native code)
costs its worker, not the run: the worker is killed and replaced, the document gets a failure
result, and the other documents go on. (concurrent.futures cannot kill one running task.)
Workers are fresh interpreters that import only the work function's module, so they are ready
in a fraction of a second.

Each worker's address space is capped (RLIMIT_AS) when it starts: a compression bomb that
inflates to gigabytes fails its allocation in that worker instead of exhausting the machine.
Python raises MemoryError, which the worker reports; pdfium aborts the process, which the
supervisor recognises by the dead worker's peak memory (its rusage).
"""

from __future__ import annotations

import contextlib
import importlib
import json
import multiprocessing as mp
import os
import pickle
import re
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

from ofsted_findings.settings import MEMORY_DEATH_SHARE

_POLL_SECONDS = 0.05
_READY = "ready"
# A worker that has not finished starting (importing) by then is a failure of the machine.
_STARTUP_SECONDS = 300


# A worker is a fresh interpreter, not a fork (the parent may run Prefect's threads and event
# loop) and not multiprocessing's spawn, which would import the parent's __main__ module again
# (Prefect, pandas, DuckDB...: a second or more per worker) before the worker does anything.
# A worker dies with the run (ofsted_findings/run/lifeline.py): a run killed with `kill -9` cannot
# stop its workers, and one busy with a long document would otherwise go on until it finished.
_BOOT = (
    "import json, sys; sys.path[:0] = json.loads(sys.argv[2]); "
    "from ofsted_findings.run.pool import worker_main; "
    "worker_main(int(sys.argv[1]), int(sys.argv[3]), int(sys.argv[4]))"
)


@dataclass(frozen=True)
class ByName:
    """A module-level function named by its module and name, imported where it is first called:
    the parent hands it to workers without importing its module (the extractors' ~0.3 s, paid
    before a run's first worker could start)."""

    module: str
    name: str

    def resolve(self) -> Callable[[Any], Any]:
        return getattr(importlib.import_module(self.module), self.name)


# What a worker sends instead of a result when the item raised MemoryError (not a pickle).
_OVER_MEMORY = b"over-memory"


def worker_main(fd: int, parent_pid: int, memory_limit: int = 0) -> None:
    """A worker's loop: die with its parent, cap its memory, receive the function, say it is
    ready, then run it on each item sent. memory_limit: bytes of address space, 0 for none."""
    from ofsted_findings.run.lifeline import die_with_parent

    # no polling thread: the kernel's signal is enough here, and a thread would slow every document
    die_with_parent(parent_pid, poll=not sys.platform.startswith("linux"))
    if memory_limit > 0:
        limit_memory(memory_limit)
    conn = Connection(fd)
    try:
        func = conn.recv()  # unpickling imports the function's module
        if isinstance(func, ByName):
            func = func.resolve()
        conn.send(_READY)  # imports are done: time limits count from here
        while (message := conn.recv()) is not None:
            index, item = message
            try:
                result = func(item)
            except MemoryError:
                conn.send_bytes(_OVER_MEMORY)
                continue
            conn.send((index, result))
    except (EOFError, OSError, KeyboardInterrupt):
        return  # the parent has gone or stopped the run


def limit_memory(limit: int) -> None:
    """Cap this process's address space at `limit` bytes (never above the hard limit)."""
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def memory_size(text: str) -> int | None:
    """Bytes from "2GB", "300M", "1.5 GiB", "512000" (bytes); None for "0", "none", "off"."""
    value = text.strip().lower()
    if value in ("0", "none", "off", "unlimited"):
        return None
    m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(?:([kmgt])i?b?|b)?", value)
    if m is None:
        raise ValueError(f"not a memory size: {text!r} (say 2GB, 500MB or 0 for no limit)")
    scale = 1024 ** ("_kmgt".index(m.group(2)) if m.group(2) else 0)
    size = int(float(m.group(1)) * scale)
    if size <= 0:
        return None
    return size


def describe_size(size: int) -> str:
    """ "2 GB", "300 MB": the way --memory-limit is written."""
    for unit, scale in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if size >= scale:
            return f"{size / scale:g} {unit}"
    return f"{size} bytes"


def over_memory_reason(limit: int | None) -> str:
    """The one-line reason of a document that ran its worker out of memory."""
    if not limit:
        return "over the memory limit (out of memory with no limit set)"
    return f"over the memory limit ({describe_size(limit)} per worker process)"


class _Process:
    """A worker process, with the part of multiprocessing.Process's interface used here."""

    def __init__(self, func: Callable[[Any], Any], memory_limit: int | None = None) -> None:
        parent, child = mp.Pipe()
        self.popen = subprocess.Popen(
            [
                sys.executable,
                "-c",
                _BOOT,
                str(child.fileno()),
                json.dumps(sys.path),
                str(os.getpid()),
                str(memory_limit or 0),
            ],
            pass_fds=(child.fileno(),),
        )
        child.close()
        parent.send(func)
        self.conn = parent
        self.peak_rss = 0  # bytes, known once the process has ended

    def _reap(self, block: bool = False) -> None:
        """Collect the ended process with its rusage (Popen's wait would drop the rusage)."""
        if self.popen.returncode is not None:
            return
        try:
            pid, status, usage = os.wait4(self.popen.pid, 0 if block else os.WNOHANG)
        except ChildProcessError:  # collected elsewhere
            self.popen.returncode = self.popen.returncode if self.popen.returncode is not None else -1
            return
        if pid:
            self.popen.returncode = os.waitstatus_to_exitcode(status)
            self.peak_rss = usage.ru_maxrss * 1024  # Linux reports kilobytes

    @property
    def exitcode(self) -> int | None:
        self._reap()
        return self.popen.returncode

    def is_alive(self) -> bool:
        return self.exitcode is None

    def kill(self) -> None:
        if self.exitcode is None:
            self.popen.kill()

    def join(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while self.exitcode is None and time.monotonic() < deadline:
            time.sleep(0.01)


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
    memory_limit: int | None = None,
    hold: Callable[[], bool] | None = None,
    stop: Callable[[], bool] | None = None,
) -> list[Any]:
    """func(item) for every item, in order. `func` must be a module-level function, or ByName.

    `on_failure(item, reason)` makes the result for an item whose worker hung, died or ran out
    of its `memory_limit` (bytes of address space per worker). With collect=False results only
    go to `on_result` (as they finish) and the list stays empty. While `hold()` is true no item
    is started; once `stop()` is true the workers are stopped and the items not finished are
    left (None in the list).
    """
    results: list[Any] = [None] * len(items) if collect else []
    pending = list(range(len(items)))[::-1]
    slots: list[_Slot] = []

    def start() -> _Slot:
        process = _Process(func, memory_limit)
        return _Slot(process, process.conn, started=time.monotonic())

    def died(process: _Process) -> str:
        """Why a worker ended: its memory limit if it had used most of it, else its exit code."""
        if memory_limit and process.peak_rss >= MEMORY_DEATH_SHARE * memory_limit:
            return over_memory_reason(memory_limit)
        return f"worker process died (exit code {process.exitcode})"

    def finish(index: int, value: Any) -> None:
        if collect:
            results[index] = value
        if on_result:
            on_result(value)

    def dispatch(slot: _Slot) -> None:
        if slot.ready and slot.index is None and pending and not (hold and hold()):
            slot.index, slot.started = pending.pop(), time.monotonic()
            slot.conn.send((slot.index, items[slot.index]))

    def replace(slot: _Slot) -> _Slot:
        slot.process.kill()
        slot.process.join(5)
        slot.conn.close()
        return start()

    try:
        slots = [start() for _ in range(max(1, min(workers, len(items))))]
        while (pending or any(s.index is not None for s in slots)) and not (stop and stop()):
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
                        finish(s.index, on_failure(items[s.index], died(s.process)))
                        slots[i] = replace(s)
                        continue
                    if message == _OVER_MEMORY:  # a fresh worker for the next item
                        finish(s.index, on_failure(items[s.index], over_memory_reason(memory_limit)))
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
                    finish(s.index, on_failure(items[s.index], died(s.process)))
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
                s.process.join(5)  # reaped: no zombie left behind
            s.conn.close()
