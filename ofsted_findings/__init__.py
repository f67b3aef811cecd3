"""ofsted-findings: Ofsted children's services inspections as validated, queryable tables."""

from __future__ import annotations

import os
import time

from ofsted_findings.settings import ARROW_MEMORY_POOL, ARROW_MEMORY_POOL_ENV

# When this package was first imported: a command's start, a few milliseconds after its
# interpreter's (run/timing.py reads it when /proc's start time is of an earlier program).
IMPORTED_AT = time.time()

# Before anything imports pyarrow (Arrow reads it once, when it loads): every process of a run
# starts here, and the worker processes inherit the environment. An explicit setting wins.
os.environ.setdefault(ARROW_MEMORY_POOL_ENV, ARROW_MEMORY_POOL)


def __getattr__(name: str) -> str:
    # __version__ is read from the installed metadata on first use (PEP 562): importing
    # importlib.metadata costs ~30 ms, which every worker process would pay at start-up.
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        value = version("ofsted-findings")
    except PackageNotFoundError:  # running from a source tree that was never installed
        value = "0.0.0"
    globals()["__version__"] = value
    return value
