"""Peak memory of processes, read from /proc: what both benchmarks report for worker processes.

Not ru_maxrss for workers: Linux carries the high-water mark of the memory a process had before
exec into its ru_maxrss, so a spawned worker reports the RSS its parent had when it was started
(measured: 147 MB against a VmHWM of 35 MB). VmHWM belongs to the exec'd image only.
"""

from __future__ import annotations

import os
import threading
import time

SAMPLE_SECONDS = 0.05


def descendants(pid: int) -> list[int]:
    """`pid` and every process below it."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
        except OSError:
            continue
        out.append(p)
    return out


def peak_kib(pid: int) -> int:
    """The process's peak resident set (VmHWM), 0 when gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for row in f:
                if row.startswith("VmHWM:"):
                    return int(row.split()[1])
    except OSError:
        pass
    return 0


class WorkerPeak:
    """The largest VmHWM among this process's descendants while the block runs (sampled)."""

    def __init__(self) -> None:
        self.kib = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> WorkerPeak:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)

    def _sample(self) -> None:
        me = os.getpid()
        while not self._stop.is_set():
            for pid in descendants(me):
                if pid != me:
                    self.kib = max(self.kib, peak_kib(pid))
            time.sleep(SAMPLE_SECONDS)
