"""Documents read while Prefect starts.

A command-line run spends seconds importing Prefect and reaching its API before the flow's
process step begins, yet the files to read are known before that (the fast path's look at the
raw folder, run/record.py). A head start runs the same supervised workers (run/pool.py, same
time and memory limits) on those files at once, in a thread of this process, and keeps their
results. The flow's process step (LocalPool) then takes it over: it receives the results of the
files its own plan, made under the warehouse lock, still wants with the bytes they have now,
waits for the rest, and processes itself any file the head start did not cover. A file that
changed in between is read again; a result nobody wants is dropped.

One head start at a time, for one raw folder: `HeadStart` registers itself while open and
`take` hands it to the first process step of the same folder (the flow's parameters are sent to
the Prefect API as JSON, so the object cannot travel as one).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from ofsted_findings.ingest.discover import raw_hash, relative_source_path
from ofsted_findings.models import DocumentResult
from ofsted_findings.run.documents import process_files
from ofsted_findings.run.options import RunOptions
from ofsted_findings.settings import HEAD_START_BUFFER

_DONE = object()
_open: dict[Path, HeadStart] = {}
_lock = threading.Lock()


class HeadStart:
    """Process `paths` in the background from now on; a context manager (stops the workers and
    the thread on exit, whether or not a process step took the results)."""

    def __init__(self, *, raw_dir: Path, paths: list[Path], options: RunOptions, workers: int) -> None:
        self.raw_dir = raw_dir
        self.paths = list(paths)
        self.options = options
        self.workers = workers
        self.ready_at_hand_over = 0  # results done before the process step began
        self._done = 0  # results so far (written by the thread only)
        self._results: queue.SimpleQueue = queue.SimpleQueue()
        self._stop = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="head-start", daemon=True)

    def __enter__(self) -> HeadStart:
        with _lock:
            _open[self.raw_dir.resolve()] = self
        if self.paths:
            self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Stop the workers (those still busy are killed) and the thread; unregister."""
        with _lock:
            if _open.get(self.raw_dir.resolve()) is self:
                del _open[self.raw_dir.resolve()]
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        try:
            process_files(
                raw_dir=self.raw_dir,
                paths=self.paths,
                workers=self.workers,
                time_limit=self.options.time_limit,
                on_result=self._keep,
                collect=False,
                memory_limit=self.options.memory_limit,
                # bounded: a slow Prefect start must not pile every document's rows up here
                hold=lambda: self._results.qsize() >= HEAD_START_BUFFER,
                stop=self._stop.is_set,
            )
        except BaseException as exc:  # noqa: BLE001 - handed to the process step, which raises it
            self._error = exc
        finally:
            self._results.put(_DONE)

    def _keep(self, result: DocumentResult) -> None:
        self._done += 1
        self._results.put(result)

    def hand_over(self, *, paths: list[Path], on_result: Callable[[DocumentResult], None]) -> list[Path]:
        """Give `on_result` the head start's result of each of `paths` whose file still has the
        bytes it read, as they finish; return the files of `paths` it did not give (to process)."""
        wanted = {relative_source_path(self.raw_dir, p): p for p in paths}
        given: set[str] = set()
        self.ready_at_hand_over = self._done
        if self._thread.is_alive() or not self._results.empty():
            while (result := self._results.get()) is not _DONE:
                path = wanted.get(result.source_path)
                if path is None or result.source_path in given:
                    continue
                if result.sha256 != raw_hash(self.raw_dir, path):
                    continue  # changed since it was read: the process step reads it again
                given.add(result.source_path)
                on_result(result)
        if self._error is not None:
            raise self._error
        return [p for source, p in wanted.items() if source not in given]


def take(raw_dir: Path) -> HeadStart | None:
    """The open head start for `raw_dir`, once: the first process step of that folder gets it."""
    with _lock:
        return _open.pop(raw_dir.resolve(), None)
