"""Per-document work on this machine: every file through the supervised workers
(run/pool.py), largest first, each under the run's time and memory limits."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from ofsted_findings.models import DocumentResult
from ofsted_findings.run.pool import ByName, over_memory_reason, run_supervised
from ofsted_findings.settings import DOCUMENT_TIME_LIMIT, WORKER_MEMORY_LIMIT

# The work of one file (run/worker.py), named: only the processes that read documents import the
# extractors, so a run's workers start before its own process has imported them (or ever does).
PROCESS_ITEM = ByName("ofsted_findings.run.worker", "process_item")


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def process_files(
    raw_dir: Path,
    paths: list[Path],
    workers: int = 1,
    time_limit: float | None = DOCUMENT_TIME_LIMIT,
    on_result: Callable[[DocumentResult], None] | None = None,
    collect: bool = True,
    memory_limit: int | None = WORKER_MEMORY_LIMIT,
    hold: Callable[[], bool] | None = None,
    stop: Callable[[], bool] | None = None,
) -> list[DocumentResult]:
    """Process every file in worker processes (order follows `paths`).

    Each document runs under `time_limit` seconds and `memory_limit` bytes (per worker): a file
    that hangs, crashes its worker or needs more memory becomes a failed document and the run
    goes on. workers=0 runs in this process (no limits). With collect=False results only go to
    `on_result`, so they need not all fit in memory. `hold` and `stop`: see run_supervised.
    """
    items = [(raw_dir, p) for p in paths]
    if workers <= 0:
        process_item = PROCESS_ITEM.resolve()
        results = []
        for item in items:
            try:
                result = process_item(item)
            except MemoryError:
                result = _failed_item(item, over_memory_reason(None))
            if on_result:
                on_result(result)
            if collect:
                results.append(result)
        return results
    # Largest files first, so that no worker is left with a big file while the others idle at
    # the end of the run; results go back into the order of `paths`.
    order = sorted(range(len(items)), key=lambda i: -_size(paths[i]))
    done = run_supervised(
        PROCESS_ITEM,
        [items[i] for i in order],
        workers=workers,
        time_limit=time_limit,
        on_failure=_failed_item,
        on_result=on_result,
        collect=collect,
        memory_limit=memory_limit,
        hold=hold,
        stop=stop,
    )
    if not collect:
        return done
    results: list[DocumentResult] = [None] * len(items)  # type: ignore[list-item]
    for i, result in zip(order, done, strict=True):
        results[i] = result
    return results


def _failed_item(item: tuple[Path, Path], reason: str) -> DocumentResult:
    """worker.failed_item, imported only when a worker has hung or died."""
    from ofsted_findings.run.worker import failed_item

    return failed_item(item, reason)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # unreadable: processing reports why
