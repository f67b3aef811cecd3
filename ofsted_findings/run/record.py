"""What a run leaves behind besides the tables: its summary (RunSummary), its row in the `runs`
table, and the whole of a run with nothing to do, decided and recorded here without Prefect,
pandas or Pandera (the command line's fast path; the flow records an unchanged run here too).

A run has nothing to do when every file of the raw folder is a published document with the
same bytes, made by the current extractors and not failed, and no published document's file is
gone: the files and hashes the published `documents` table lists are the folder's. Whatever
else (a new, changed or deleted file, a copy, a file the fetch manifest newly supersedes, a
failed document to retry, a refused or unreadable file) leaves the decision to the full plan
(ofsted_findings/incremental.py), which may still find nothing to do.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.parquet as pq

from ofsted_findings import __version__
from ofsted_findings.extract.versions import extractor_version
from ofsted_findings.fetch.manifest import superseded_paths
from ofsted_findings.ingest.discover import discover, raw_hash, relative_source_path
from ofsted_findings.models import Row
from ofsted_findings.run.shrink import check_shrink
from ofsted_findings.warehouse.layout import RUNS_FILE, current_version
from ofsted_findings.warehouse.lock import warehouse_lock

if TYPE_CHECKING:
    from ofsted_findings.assemble.incremental import Plan

# Documents whose rows every run makes afresh, and those it always tries again
# (incremental.RECOMPUTED_STATUSES and RETRY_STATUSES).
RECOMPUTED = {"skipped_duplicate", "superseded"}
RETRIED = {"failed"}
DOCUMENT_COLUMNS = ["source_path", "sha256", "status", "stage", "error", "extractor_version"]


@dataclass
class RunSummary:
    run_id: str
    warehouse: Path
    version: Path | None = None
    started_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None
    documents_by_status: dict[str, int] = field(default_factory=dict)
    rows_by_table: dict[str, int] = field(default_factory=dict)
    quarantined_by_table: dict[str, int] = field(default_factory=dict)
    problems: list[tuple[str, str, str]] = field(default_factory=list)  # path, status/stage, reason
    plan: Plan | None = None  # None for a run the fast path found unchanged
    # seconds per part of the run, in order ("planning", "processing", "publishing")
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def seconds(self) -> float:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return 0.0


@dataclass(frozen=True)
class Counts:
    """The file counts of a run's row (a Plan's, or those of a run with nothing to do)."""

    new: int = 0
    changed: int = 0
    deleted: int = 0
    unchanged: int = 0
    processed: int = 0


def run_row(
    *,
    run_id: str,
    started_at: dt.datetime,
    counts: Counts,
    files_seen: int,
    by_status: dict[str, int],
    rows: dict[str, int],
    quarantined: int,
    version: Path | None,
) -> Row:
    """The run's row of the `runs` table."""
    return {
        "run_id": run_id,
        "started_at": started_at,
        "finished_at": dt.datetime.now(dt.UTC),
        "code_version": __version__,
        "extractor_version": extractor_version(),
        "files_seen": files_seen,
        "files_new": counts.new,
        "files_changed": counts.changed,
        "files_deleted": counts.deleted,
        "files_unchanged": counts.unchanged,
        "files_processed": counts.processed,
        "files_failed": int(sum(v for k, v in by_status.items() if k in ("failed", "unsupported"))),
        "rows_json": json.dumps(rows, sort_keys=True),
        "quarantined_rows": quarantined,
        "published_version": version.name if version else None,
    }


def append_run(warehouse_dir: Path, row: Row) -> bool:
    """Append the run to runs.parquet in that file's own schema (replaced atomically), without
    Pandera; False when there is no such file or its columns are not the row's (another schema
    version): the caller then writes it through the schema (sequence.record_run)."""
    path = warehouse_dir / RUNS_FILE
    try:
        before = pq.ParquetFile(path).read()
    except (OSError, ValueError):
        return False
    added = _one_row(row, before.schema) if before.column_names == list(row) else None
    if added is None:
        return False
    table = pa.concat_tables([before, added])
    table = table.sort_by([("started_at", "ascending")])  # stable, as the schema's writer sorts
    meta = {**(before.schema.metadata or {}), b"run_id": row["run_id"].encode(), b"code_version":
            __version__.encode()}
    tmp = path.with_name(f".{path.name}.tmp")
    pq.write_table(table.replace_schema_metadata(meta), tmp, compression="zstd")
    os.replace(tmp, path)
    return True


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def _one_row(row: Row, schema: pa.Schema) -> pa.Table | None:
    """A one-row table in `schema`, built from buffers: Arrow's conversion of Python values
    (pa.array, pa.scalar) imports pandas, a second and more. None for a column type this does
    not build (the caller then writes through the schema)."""
    columns = []
    for f in schema:
        value = row[f.name]
        if value is None:
            columns.append(pa.nulls(1, f.type))
        elif pa.types.is_int64(f.type) and isinstance(value, int):
            columns.append(pa.Array.from_buffers(f.type, 1, [None, pa.py_buffer(struct.pack("<q", value))]))
        elif pa.types.is_timestamp(f.type) and f.type.unit == "us" and isinstance(value, dt.datetime):
            micros = (value - _EPOCH) // dt.timedelta(microseconds=1)
            columns.append(pa.Array.from_buffers(f.type, 1, [None, pa.py_buffer(struct.pack("<q", micros))]))
        elif pa.types.is_string(f.type) and isinstance(value, str):
            data = value.encode()
            offsets = pa.py_buffer(struct.pack("<ii", 0, len(data)))
            columns.append(pa.Array.from_buffers(f.type, 1, [None, offsets, pa.py_buffer(data)]))
        else:
            return None
    return pa.Table.from_arrays(columns, schema=schema)


def published_state(version: Path) -> tuple[list[Row], dict[str, int], int]:
    """The current version's documents (the columns planning needs), rows per table and
    quarantined rows, read from the Parquet files and their footers only."""
    documents = pq.ParquetFile(version / "documents.parquet").read(columns=DOCUMENT_COLUMNS).to_pylist()
    rows = {p.stem: pq.read_metadata(p).num_rows for p in sorted(version.glob("*.parquet"))}
    return documents, rows, rows.get("quarantine", 0)


def nothing_to_do(*, raw_dir: Path, paths: list[Path], documents: list[Row]) -> Counts | None:
    """The counts of a run with nothing to do over `paths`, or None when there may be work
    (then the full plan decides)."""
    older = superseded_paths(raw_dir)
    stamp = extractor_version()
    published = {d["source_path"]: d for d in documents}
    if len(published) != len(documents) or len(paths) != len(published):
        return None
    unchanged = 0
    for path in paths:
        source = relative_source_path(raw_dir, path)
        before = published.get(source)
        if before is None or (before["status"] == "superseded") != (source in older):
            return None
        if before["status"] in RETRIED or before["sha256"] != raw_hash(raw_dir, path):
            return None
        if before["status"] not in RECOMPUTED:
            if before["extractor_version"] != stamp:
                return None
            unchanged += 1
    return Counts(unchanged=unchanged)


def record_unchanged(
    *,
    warehouse_dir: Path,
    run_id: str,
    started_at: dt.datetime,
    files_seen: int,
    counts: Counts,
    version: Path,
    documents: list[Row] | None = None,
) -> RunSummary | None:
    """Record a run with nothing to do: the warehouse stays as it is, only runs.parquet gets
    its row. None if runs.parquet cannot take it as it is (see append_run)."""
    if documents is None:
        documents = pq.ParquetFile(version / "documents.parquet").read(columns=DOCUMENT_COLUMNS).to_pylist()
    _, rows, quarantined = published_state(version)
    by_status: dict[str, int] = {}
    for d in documents:
        by_status[d["status"]] = by_status.get(d["status"], 0) + 1
    row = run_row(run_id=run_id, started_at=started_at, counts=counts, files_seen=files_seen,
                  by_status=by_status, rows=rows, quarantined=quarantined, version=None)
    if not append_run(warehouse_dir, row):
        return None
    summary = RunSummary(run_id, warehouse_dir.resolve(), version, started_at, row["finished_at"])
    summary.documents_by_status = by_status
    summary.rows_by_table = rows
    summary.problems = [
        (d["source_path"], f"{d['status']}/{d['stage']}", d["error"] or "")
        for d in documents
        if d["status"] != "ok" or d["error"]
    ]
    return summary


def likely_work(*, raw_dir: Path, paths: list[Path], documents: list[Row]) -> list[Path]:
    """The files of `paths` the plan will most likely read: all but those published with the
    same bytes by the current extractors (and not to be retried) and those the fetch manifest
    supersedes. A guess for starting early (run/head_start.py); the plan decides."""
    older = superseded_paths(raw_dir)
    stamp = extractor_version()
    published = {d["source_path"]: d for d in documents}
    work = []
    for path in paths:
        source = relative_source_path(raw_dir, path)
        if source in older:
            continue
        before = published.get(source)
        if (
            before is None
            or before["status"] in RETRIED
            or before["extractor_version"] != stamp
            or before["sha256"] != raw_hash(raw_dir, path)
        ):
            work.append(path)
    return work


@dataclass(frozen=True)
class Pending:
    """A run with work to do (or maybe: the plan decides): the files it will likely read."""

    likely: list[Path]


def run_if_unchanged(
    *,
    raw_dir: Path,
    warehouse_dir: Path,
    allow_shrink: bool,
    run_id: str,
    full: bool = False,
    on_wait: Callable[[], None] | None = None,
) -> RunSummary | Pending:
    """The whole of a run with nothing to do, under the warehouse lock: refuse it if it would
    drop most of the warehouse (unless `allow_shrink`), else record it and return its summary;
    Pending when there may be work (or `full`), for the sequence to do."""
    started = dt.datetime.now(dt.UTC)
    with warehouse_lock(warehouse_dir, on_wait=on_wait):
        paths = discover(raw_dir)
        check_shrink(raw_dir=raw_dir, paths=paths, warehouse_dir=warehouse_dir, allow_shrink=allow_shrink)
        version = current_version(warehouse_dir)
        if full or version is None:
            return Pending(likely_work(raw_dir=raw_dir, paths=paths, documents=[]))
        try:
            documents, _, _ = published_state(version)
        except (OSError, ValueError, KeyError):
            # an older layout or a damaged file: the plan decides
            return Pending(likely_work(raw_dir=raw_dir, paths=paths, documents=[]))
        counts = nothing_to_do(raw_dir=raw_dir, paths=paths, documents=documents)
        planned = dt.datetime.now(dt.UTC)
        if counts is None:
            return Pending(likely_work(raw_dir=raw_dir, paths=paths, documents=documents))
        summary = record_unchanged(warehouse_dir=warehouse_dir, run_id=run_id, started_at=started,
                                   files_seen=len(paths), counts=counts, version=version,
                                   documents=documents)
    if summary is None:  # runs.parquet cannot take the row as it is: the sequence records the run
        return Pending([])
    summary.timings = {"planning": (planned - started).total_seconds(),
                       "publishing": (summary.finished_at - planned).total_seconds()}
    return summary
