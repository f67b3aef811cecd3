"""Find the documents in the raw folder. Raw files are read, never written.

Nothing is opened before its type and size are known: a link is resolved (and refused if it
leads outside the raw folder), anything but a regular file (a folder, a named pipe, a device) is
refused without being opened, and an oversized file is refused unread. Files are then opened
without following a swap (the opened file must be the one checked) and hashed in chunks.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from ofsted_findings.errors import PipelineError, UnsupportedInput
from ofsted_findings.ids import sha256_bytes
from ofsted_findings.models import RawFile
from ofsted_findings.settings import MAX_TEXT_BYTES

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".pdf", ".html", ".htm")
# Larger files are refused unread: an Ofsted report is < 2 MB of PDF and < 0.5 MB of text.
MAX_BYTES = {".pdf": 100_000_000}
IGNORED_NAMES = {".gitkeep", ".DS_Store", "Thumbs.db"}


def discover(raw_dir: Path) -> list[Path]:
    """Every entry of `raw_dir` that gets a documents row, sorted: regular files and links to
    files (links are not followed here), special files (refused when read), hidden files named
    like a document, links to folders and folders named like a document (refused when read).
    Other hidden files (the fetch manifest, partial downloads) are skipped; folders are walked."""
    root = raw_dir.absolute()
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        walk = []
        for name in sorted(dirnames):
            if name.startswith("."):
                continue
            folder = Path(dirpath) / name
            if folder.is_symlink() or _named_like_a_document(name):
                found.append(folder)
            if not folder.is_symlink():
                walk.append(name)
        dirnames[:] = walk
        for name in sorted(filenames):
            if name in IGNORED_NAMES or (name.startswith(".") and not _named_like_a_document(name)):
                continue
            found.append(Path(dirpath) / name)
    return sorted(found, key=lambda p: p.relative_to(root).as_posix())


def _named_like_a_document(name: str) -> bool:
    return Path(name).suffix.lower() in SUPPORTED_SUFFIXES


def relative_source_path(raw_dir: Path, path: Path) -> str:
    """The path as found under the raw folder (links are not resolved: the name is the user's).
    Bytes of a name that are not UTF-8 are shown escaped (caf\\xe9.txt): the name must be
    writable to Parquet, and stays the same from run to run."""
    relative = path.absolute().relative_to(raw_dir.absolute()).as_posix()
    return relative.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a file"


def _limit(path: Path) -> int:
    return MAX_BYTES.get(path.suffix.lower(), MAX_TEXT_BYTES)


@contextmanager
def open_raw(raw_dir: Path, path: Path) -> Iterator[BinaryIO]:
    """The file opened for reading, once it is known to be a regular file inside the raw folder,
    of a supported type and under its size limit; UnsupportedInput (one line) otherwise."""
    if path.name.startswith("."):
        raise UnsupportedInput("a hidden file (its name starts with '.'): not read", stage="read")
    root = raw_dir.resolve()
    try:
        target = path.resolve(strict=True)
    except RuntimeError as exc:  # Python < 3.13 reports a link loop this way
        raise UnsupportedInput("a symbolic link loop", stage="read") from exc
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UnsupportedInput("a symbolic link loop", stage="read") from exc
        raise
    if not target.is_relative_to(root):
        raise UnsupportedInput("refused: a link that leads outside the raw folder", stage="read")
    checked = target.stat()
    if not stat.S_ISREG(checked.st_mode):
        raise UnsupportedInput(f"not a regular file: {_kind(checked.st_mode)}", stage="read")
    suffix = path.suffix.lower()
    if suffix and suffix not in SUPPORTED_SUFFIXES:
        raise UnsupportedInput(f"unsupported file type {suffix!r}", stage="read")
    # O_NONBLOCK: had the file been swapped for a named pipe since, opening it must not wait
    fd = os.open(target, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    with os.fdopen(fd, "rb") as fh:
        opened = os.fstat(fd)
        same = (opened.st_dev, opened.st_ino) == (checked.st_dev, checked.st_ino)
        if not same or not stat.S_ISREG(opened.st_mode):
            raise UnsupportedInput("the file changed while it was being read", stage="read")
        size, limit = opened.st_size, _limit(path)
        if size > limit:
            raise UnsupportedInput(
                f"too large: {size / 1e6:.1f} MB (limit {limit / 1e6:.0f} MB)", stage="read"
            )
        yield fh


# The sha256 recorded for a file that could not be read (no hash): nobody's copy.
UNREADABLE_SHA = "0" * 64


def raw_hash(raw_dir: Path, path: Path) -> str:
    """SHA-256 of the file, read in chunks, as its documents row records it: UNREADABLE_SHA when
    it is refused or unreadable (processing the file then records why), so that a refused file
    left as it was compares equal to its row, and is not taken for a changed one every run."""
    try:
        with open_raw(raw_dir, path) as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest()
    except (OSError, PipelineError):
        return UNREADABLE_SHA


def read_raw(raw_dir: Path, path: Path) -> RawFile:
    """The file's bytes, refusing links that lead outside the raw folder, anything but a regular
    file, and oversized files (unread)."""
    with open_raw(raw_dir, path) as fh:
        limit = _limit(path)
        data = fh.read(limit + 1)
    if len(data) > limit:  # grew after it was measured
        raise UnsupportedInput(f"too large: over {limit / 1e6:.0f} MB", stage="read")
    return RawFile(
        path=str(path),
        source_path=relative_source_path(raw_dir, path),
        sha256=sha256_bytes(data),
        data=data,
    )
