"""One writer at a time: a second run waits for the lock, with a time limit, and says so."""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ofsted_findings.errors import PipelineError


@contextmanager
def warehouse_lock(warehouse_dir: Path, timeout: float = 600.0, on_wait=None) -> Iterator[None]:
    warehouse_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(warehouse_dir / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + timeout
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not told and on_wait:
                    on_wait()
                    told = True
                if time.monotonic() >= deadline:
                    raise PipelineError(
                        f"another run holds the warehouse lock ({warehouse_dir}); "
                        f"gave up after {timeout:.0f} s",
                        stage="publish",
                    ) from None
                time.sleep(0.2)
        yield
    finally:
        os.close(fd)
