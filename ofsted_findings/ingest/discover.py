"""Find the documents in the raw folder. Raw files are read, never written."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from ofsted_findings.errors import UnsupportedInput
from ofsted_findings.ids import sha256_bytes
from ofsted_findings.models import RawFile

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".pdf", ".html", ".htm")
# Larger files are refused unread: an Ofsted report is < 2 MB of PDF and < 0.5 MB of text.
MAX_BYTES = {".pdf": 100_000_000}
MAX_TEXT_BYTES = 20_000_000
IGNORED_NAMES = {".gitkeep", ".DS_Store", "Thumbs.db"}


def discover(raw_dir: Path) -> list[Path]:
    """Every regular file under `raw_dir` (sorted, hidden files skipped, links not followed)."""
    root = raw_dir.absolute()
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith(".") or name in IGNORED_NAMES:
                continue
            found.append(Path(dirpath) / name)
    return sorted(found, key=lambda p: p.relative_to(root).as_posix())


def relative_source_path(raw_dir: Path, path: Path) -> str:
    """The path as found under the raw folder (links are not resolved: the name is the user's)."""
    return path.absolute().relative_to(raw_dir.absolute()).as_posix()


def read_raw(raw_dir: Path, path: Path) -> RawFile:
    """The file's bytes, refusing links that lead outside the raw folder and oversized files."""
    root = raw_dir.resolve()
    try:
        target = path.resolve(strict=True)
    except RuntimeError as exc:  # Python < 3.13 reports a link loop this way
        raise UnsupportedInput("a symbolic link loop", stage="read") from exc
    if not target.is_relative_to(root):
        raise UnsupportedInput("refused: a link to a file outside the raw folder", stage="read")
    if not target.is_file():
        raise UnsupportedInput("not a regular file", stage="read")
    suffix = path.suffix.lower()
    if suffix and suffix not in SUPPORTED_SUFFIXES:
        raise UnsupportedInput(f"unsupported file type {suffix!r}", stage="read")
    size = target.stat().st_size
    limit = MAX_BYTES.get(suffix, MAX_TEXT_BYTES)
    if size > limit:
        raise UnsupportedInput(f"too large: {size / 1e6:.1f} MB (limit {limit / 1e6:.0f} MB)", stage="read")
    data = target.read_bytes()
    return RawFile(
        path=str(path),
        source_path=relative_source_path(raw_dir, path),
        sha256=sha256_bytes(data),
        data=data,
    )


def iter_raw(raw_dir: Path) -> Iterator[Path]:
    yield from discover(raw_dir)
