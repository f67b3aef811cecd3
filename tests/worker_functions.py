"""Work functions for tests of supervised workers. A worker imports the module of the function
it runs, so this one imports nothing heavy: numpy's OpenBLAS alone reserves more address space
at import than a test's small memory limit allows."""

from __future__ import annotations

MB = 1024**2


def allocate(megabytes: int) -> int:
    """Allocate and touch `megabytes` MB."""
    return len(bytearray(megabytes * MB))


def memory_pool(_item: object) -> tuple[str | None, str]:
    """The worker's ARROW_DEFAULT_MEMORY_POOL and the allocator pyarrow loaded with."""
    import os

    import pyarrow

    return os.environ.get("ARROW_DEFAULT_MEMORY_POOL"), pyarrow.default_memory_pool().backend_name
