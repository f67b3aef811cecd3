"""The whole run as plain functions: process files (in parallel), build, validate, publish.

The Prefect flow in flows/ calls these same functions as tasks; tests call them directly.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow.parquet as pq

from ofsted_findings import __version__
from ofsted_findings.errors import UsageError
from ofsted_findings.ingest.discover import discover
from ofsted_findings.models import Row
from ofsted_findings.process import DocumentResult, process_path
from ofsted_findings.schemas import SCHEMA_VERSION, frame_from_rows
from ofsted_findings.tables import build_tables
from ofsted_findings.validate import Validated, validate_tables
from ofsted_findings.warehouse.publish import current_version, publish
from ofsted_findings.warehouse.views import analysis_views

# Documents per task/process batch: amortises per-task overhead, keeps both cores busy.
BATCH_SIZE = 8


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

    @property
    def seconds(self) -> float:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return 0.0


def list_raw(raw_dir: Path) -> list[Path]:
    if not raw_dir.is_dir():
        raise UsageError(f"{raw_dir}: raw folder not found")
    return discover(raw_dir)


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def process_batch(raw_dir: Path, paths: list[Path]) -> list[DocumentResult]:
    return [process_path(raw_dir, p) for p in paths]


def process_files(raw_dir: Path, paths: list[Path], workers: int = 1) -> list[DocumentResult]:
    """Process every file, in parallel processes when workers > 1; order follows `paths`."""
    batches = [paths[i : i + BATCH_SIZE] for i in range(0, len(paths), BATCH_SIZE)]
    if workers <= 1 or len(batches) <= 1:
        return [r for b in batches for r in process_batch(raw_dir, b)]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        parts = pool.map(process_batch, [raw_dir] * len(batches), batches)
        return [r for part in parts for r in part]


def build_and_validate(results: list[DocumentResult]) -> Validated:
    tables = build_tables(results)
    validated = validate_tables(tables)
    _mark_quarantined_documents(validated)
    return validated


def _mark_quarantined_documents(validated: Validated) -> None:
    docs = validated.frames["documents"]
    counts: dict[str, int] = {}
    for q in validated.quarantine:
        if q["document_id"]:
            counts[q["document_id"]] = counts.get(q["document_id"], 0) + 1
    if not counts or docs.empty:
        return
    hit = docs["document_id"].isin(list(counts)) & (docs["status"] == "ok")
    docs.loc[hit, "status"] = "quarantined"
    for i in docs.index[hit.astype(bool)]:
        n = counts[docs.at[i, "document_id"]]
        docs.at[i, "stage"] = "validate"
        docs.at[i, "error"] = f"{n} row(s) quarantined (see quarantine)"


def previous_runs(warehouse_dir: Path) -> list[Row]:
    version = current_version(warehouse_dir)
    path = version / "runs.parquet" if version else None
    if path is None or not path.exists():
        return []
    return pq.read_table(path).to_pylist()


def publish_run(
    validated: Validated,
    warehouse_dir: Path,
    run_id: str,
    started_at: dt.datetime,
    files_seen: int,
) -> RunSummary:
    frames = dict(validated.frames)
    frames["quarantine"] = frame_from_rows("quarantine", validated.quarantine)
    rows = {t: len(df) for t, df in frames.items()}
    docs = frames["documents"]
    by_status = docs["status"].value_counts().to_dict() if not docs.empty else {}
    finished = dt.datetime.now(dt.UTC)
    run_row = {
        "run_id": run_id,
        "started_at": started_at,
        "finished_at": finished,
        "code_version": __version__,
        "files_seen": files_seen,
        "files_failed": int(sum(v for k, v in by_status.items() if k in ("failed", "unsupported"))),
        "rows_json": json.dumps(rows, sort_keys=True),
        "quarantined_rows": len(validated.quarantine),
    }
    frames["runs"] = frame_from_rows("runs", [*previous_runs(warehouse_dir), run_row])
    version_id = f"{finished:%Y%m%dT%H%M%S%fZ}-{run_id[:8]}"
    file_metadata = {
        "schema_version": SCHEMA_VERSION,
        "code_version": __version__,
        "run_id": run_id,
        "created_at": finished.isoformat(),
        "source_file_count": str(files_seen),
    }
    version = publish(frames, warehouse_dir, version_id, file_metadata, analysis_views())
    summary = RunSummary(run_id, warehouse_dir.resolve(), version, started_at, finished)
    summary.documents_by_status = {str(k): int(v) for k, v in by_status.items()}
    summary.rows_by_table = rows
    summary.quarantined_by_table = validated.quarantined_by_table()
    summary.problems = [
        (r.source_path, f"{r.status}/{r.stage}", r.error or "")
        for r in docs.itertuples()
        if r.status != "ok" or (isinstance(r.error, str) and r.error)
    ]
    return summary


def strict_failure(validated: Validated) -> str | None:
    """Why a --strict run must fail (documents not ok, rows quarantined), or None."""
    statuses = validated.frames["documents"]["status"].value_counts().to_dict()
    bad = {str(k): int(v) for k, v in statuses.items() if k != "ok"}
    quarantined = validated.quarantined_by_table()
    if bad or quarantined:
        return f"--strict: documents not ok {bad}, quarantined rows {quarantined}; nothing published"
    return None
