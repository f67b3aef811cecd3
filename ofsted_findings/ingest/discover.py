"""Find the documents in the raw folder. Raw files are read, never written."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from ofsted_findings.ids import sha256_bytes
from ofsted_findings.models import RawFile

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".pdf", ".html", ".htm")
IGNORED_NAMES = {".gitkeep", ".DS_Store", "Thumbs.db"}


def discover(raw_dir: Path) -> list[Path]:
    """Every regular file under `raw_dir` (sorted, hidden files skipped, links not followed)."""
    root = raw_dir.resolve()
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith(".") or name in IGNORED_NAMES:
                continue
            found.append(Path(dirpath) / name)
    return sorted(found, key=lambda p: p.relative_to(root).as_posix())


def relative_source_path(raw_dir: Path, path: Path) -> str:
    return path.resolve().relative_to(raw_dir.resolve()).as_posix()


def read_raw(raw_dir: Path, path: Path) -> RawFile:
    data = path.read_bytes()
    return RawFile(
        path=str(path),
        source_path=relative_source_path(raw_dir, path),
        sha256=sha256_bytes(data),
        data=data,
    )


def iter_raw(raw_dir: Path) -> Iterator[Path]:
    yield from discover(raw_dir)
