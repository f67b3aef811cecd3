"""ofsted-findings: Ofsted children's services inspections as validated, queryable tables."""

from __future__ import annotations


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
