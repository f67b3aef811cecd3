"""Where a warehouse keeps its versions, without the weight of the publishing code: commands that
only look (and the run's shrink check, before Prefect starts) import this alone."""

from __future__ import annotations

from pathlib import Path

VERSIONS = ".versions"
CURRENT = "current"


def current_version(warehouse_dir: Path) -> Path | None:
    """The folder `current` points at, or None before the first publish."""
    link = warehouse_dir / CURRENT
    return link.resolve() if link.is_symlink() and link.resolve().is_dir() else None
