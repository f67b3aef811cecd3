"""ofsted-findings: Ofsted children's services inspections as validated, queryable tables."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("ofsted-findings")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
