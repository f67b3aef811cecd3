"""The fetch manifest, `raw/.fetch-manifest.csv`: one row per publication seen on the site and per
version of its file held in the raw folder.

A publication whose bytes change at the same URL gets a new file and a new row whose
`supersedes` names the file it replaces; the old file and row stay. The pipeline skips superseded
files (`superseded_paths`, `drop_superseded`). The file is hidden, so the pipeline's discovery
never reads it as a document; it is rewritten whole (write then rename), never half-written.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields
from pathlib import Path

MANIFEST_NAME = ".fetch-manifest.csv"


@dataclass
class Entry:
    """One row. Every value is text, as in the CSV; empty when unknown."""

    url: str  # the publication's link, as on the provider page
    urn: str = ""  # Ofsted URN of the authority
    authority: str = ""  # the authority's name (reference list), else as the site writes it
    title: str = ""  # "Children's services inspection"
    type: str = ""  # "childrens-services-inspection"
    date: str = ""  # the publication's date, YYYY-MM-DD
    path: str = ""  # the file, relative to the raw folder; empty when not (yet) held
    sha256: str = ""  # of the file's bytes
    bytes: str = ""  # the file's size
    fetched_at: str = ""  # when these bytes were downloaded (UTC, ISO 8601)
    checked_at: str = ""  # when the URL was last requested
    http_status: str = ""  # status of the last request (200, 304, 404, …); empty if no response
    etag: str = ""  # validators from the response that gave these bytes, for conditional GETs
    last_modified: str = ""
    supersedes: str = ""  # path of the file this one replaces (same URL, different bytes)
    error: str = ""  # the last request's one-line error; empty when it succeeded


COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(Entry))


@dataclass
class Manifest:
    entries: list[Entry]

    @classmethod
    def load(cls, raw_dir: Path) -> Manifest:
        path = Path(raw_dir) / MANIFEST_NAME
        if not path.exists():
            return cls([])
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        return cls([Entry(**{c: (r.get(c) or "") for c in COLUMNS}) for r in rows if r.get("url")])

    def save(self, raw_dir: Path) -> Path:
        path = Path(raw_dir) / MANIFEST_NAME
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(asdict(e) for e in self.entries)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(buffer.getvalue(), encoding="utf-8")
        os.replace(tmp, path)
        return path

    def current(self, url: str) -> Entry | None:
        """The latest row for a URL: the newest file held for it, or the record of failures."""
        for e in reversed(self.entries):
            if e.url == url:
                return e
        return None

    def with_sha(self, sha256: str, raw_dir: Path) -> Entry | None:
        """A row whose file, still present, has these bytes."""
        for e in self.entries:
            if e.sha256 == sha256 and e.path and (Path(raw_dir) / e.path).is_file():
                return e
        return None

    def paths(self) -> set[str]:
        return {e.path for e in self.entries if e.path}

    def add(self, entry: Entry) -> Entry:
        self.entries.append(entry)
        return entry


def superseded(entries: Iterable[Entry], present: set[str]) -> set[str]:
    """Paths replaced by a newer file that is present (a superseding file since deleted does not
    hide the one it replaced), unless still the newest file of some other link (same bytes)."""
    entries = list(entries)
    latest = {e.url: e.path for e in entries}
    return {e.supersedes for e in entries if e.supersedes and e.path in present} - set(latest.values())


def superseded_paths(raw_dir: Path) -> set[str]:
    """Files of the raw folder (relative POSIX paths, like `documents.source_path`) that a newer
    version of the same publication replaces. Empty when there is no readable manifest."""
    raw_dir = Path(raw_dir)
    try:
        entries = Manifest.load(raw_dir).entries
    except (OSError, UnicodeDecodeError, csv.Error, TypeError):
        return set()
    present = {e.path for e in entries if e.path and (raw_dir / e.path).is_file()}
    return superseded(entries, present)


def drop_superseded(raw_dir: Path, paths: Iterable[Path]) -> list[Path]:
    """`paths` (files under `raw_dir`) without the superseded ones, order kept."""
    skip = superseded_paths(raw_dir)
    if not skip:
        return list(paths)
    root = Path(raw_dir).resolve()
    return [p for p in paths if _relative(root, Path(p)) not in skip]


def _relative(root: Path, path: Path) -> str | None:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:  # not under the raw folder: not one of the manifest's files
        return None
