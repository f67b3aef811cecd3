"""The whole run as plain functions: process files (in parallel), build, validate, publish.

The Prefect flow in flows/ calls these same functions as tasks; tests call them directly.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow.parquet as pq

from ofsted_findings import __version__
from ofsted_findings.duplicates import SAME_PUBLICATION, drop_same_bytes
from ofsted_findings.errors import PipelineError, UsageError
from ofsted_findings.fetch.manifest import superseded_paths
from ofsted_findings.ids import stable_id
from ofsted_findings.incremental import Plan, Published, plan, read_published
from ofsted_findings.ingest.discover import discover, raw_hash, relative_source_path
from ofsted_findings.models import Row
from ofsted_findings.parts import shared_database
from ofsted_findings.run.pool import over_memory_reason, run_supervised
from ofsted_findings.run.shrink import check_shrink
from ofsted_findings.run.worker import DocumentResult, failed_item, process_item
from ofsted_findings.schemas import SCHEMA_VERSION, frame_from_rows
from ofsted_findings.settings import DOCUMENT_TIME_LIMIT, WORKER_MEMORY_LIMIT
from ofsted_findings.spool import Spool, finalise
from ofsted_findings.validate import Validated
from ofsted_findings.versions import extractor_version
from ofsted_findings.warehouse.lock import warehouse_lock
from ofsted_findings.warehouse.publish import RUNS_FILE, VERSIONED_TABLES, publish, write_parquet_atomic
from ofsted_findings.warehouse.views import analysis_views


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
    plan: Plan | None = None
    # seconds per part of the run, in order ("planning", "processing", "publishing"), set by the flow
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def seconds(self) -> float:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return 0.0


def list_raw(raw_dir: Path) -> list[Path]:
    if not raw_dir.is_dir():
        raise UsageError(f"{raw_dir}: raw folder not found")
    return discover(raw_dir)


def split_superseded(raw_dir: Path, paths: list[Path]) -> tuple[list[Path], list[DocumentResult]]:
    """Files to read, and rows for the files a newer download replaced (fetch manifest): the
    pipeline reads the newest version of each publication only."""
    older = superseded_paths(raw_dir)
    keep, rows = [], []
    for path in paths:
        source = relative_source_path(raw_dir, path)
        if source in older:
            rows.append(
                DocumentResult(
                    document_id=stable_id("superseded", source),
                    source_path=source,
                    sha256=raw_hash(raw_dir, path) or "0" * 64,
                    status="superseded",
                    stage="read",
                    error="an older version: the fetch manifest names a newer file for the same publication",
                )
            )
        else:
            keep.append(path)
    return keep, rows


def plan_run(
    *,
    raw_dir: Path,
    paths: list[Path],
    readable: list[Path],
    warehouse_dir: Path,
    full: bool,
    allow_shrink: bool,
) -> tuple[Published | None, Plan]:
    """Refuse a run that would drop most of the published documents (unless `allow_shrink`),
    then plan it: the published version it builds on (None with `full`) and the work.
    `paths` are all the files discovered, `readable` those not superseded."""
    check_shrink(raw_dir=raw_dir, paths=paths, warehouse_dir=warehouse_dir, allow_shrink=allow_shrink)
    published = None if full else read_published(warehouse_dir)
    return published, plan(raw_dir, readable, published, full)


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def process_files(
    raw_dir: Path,
    paths: list[Path],
    workers: int = 1,
    time_limit: float | None = DOCUMENT_TIME_LIMIT,
    on_result: Callable[[DocumentResult], None] | None = None,
    collect: bool = True,
    memory_limit: int | None = WORKER_MEMORY_LIMIT,
) -> list[DocumentResult]:
    """Process every file in worker processes (order follows `paths`).

    Each document runs under `time_limit` seconds and `memory_limit` bytes (per worker): a file
    that hangs, crashes its worker or needs more memory becomes a failed document and the run
    goes on. workers=0 runs in this process (no limits). With collect=False results only go to
    `on_result`, so they need not all fit in memory.
    """
    items = [(raw_dir, p) for p in paths]
    if workers <= 0:
        results = []
        for item in items:
            try:
                result = process_item(item)
            except MemoryError:
                result = failed_item(item, over_memory_reason(None))
            if on_result:
                on_result(result)
            if collect:
                results.append(result)
        return results
    # Largest files first, so that no worker is left with a big file while the others idle at
    # the end of the run; results go back into the order of `paths`.
    order = sorted(range(len(items)), key=lambda i: -_size(paths[i]))
    done = run_supervised(
        process_item,
        [items[i] for i in order],
        workers=workers,
        time_limit=time_limit,
        on_failure=failed_item,
        on_result=on_result,
        collect=collect,
        memory_limit=memory_limit,
    )
    if not collect:
        return done
    results: list[DocumentResult] = [None] * len(items)  # type: ignore[list-item]
    for i, result in zip(order, done, strict=True):
        results[i] = result
    return results


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # unreadable: processing reports why


def build_and_validate(results: list[DocumentResult]) -> Validated:
    """Link, validate and assemble every table in memory (small runs, tests): the same steps
    as a streaming run, through a temporary spool."""
    results = drop_same_bytes(results)
    with tempfile.TemporaryDirectory(prefix="ofsted-spool-") as folder, shared_database(Path(folder)):
        spool = Spool(Path(folder))
        for r in results:
            spool.add(r)
        staged = finalise(spool)
        mark_quarantined_documents(staged)
        return staged.materialise()


def mark_quarantined_documents(validated: Validated) -> None:
    """A document with rows in the quarantine gets the status `quarantined`."""
    validated.mark_quarantined_documents()


def previous_runs(warehouse_dir: Path) -> list[Row]:
    path = warehouse_dir / RUNS_FILE
    return pq.read_table(path).to_pylist() if path.exists() else []


def record_run(warehouse_dir: Path, run_row: Row) -> None:
    """Append the run to runs.parquet (replaced atomically; kept outside the versions so that a
    run with nothing to do changes this file only)."""
    frame = frame_from_rows("runs", [*previous_runs(warehouse_dir), run_row])
    meta = {"run_id": run_row["run_id"], "code_version": __version__, "schema_version": SCHEMA_VERSION}
    write_parquet_atomic("runs", frame, warehouse_dir / RUNS_FILE, meta)


def _run_row(
    run_id: str,
    started_at: dt.datetime,
    plan: Plan,
    files_seen: int,
    by_status: dict,
    rows: dict[str, int],
    quarantined: int,
    version: Path | None,
) -> Row:
    return {
        "run_id": run_id,
        "started_at": started_at,
        "finished_at": dt.datetime.now(dt.UTC),
        "code_version": __version__,
        "extractor_version": extractor_version(),
        "files_seen": files_seen,
        "files_new": plan.new,
        "files_changed": plan.changed,
        "files_deleted": plan.deleted,
        "files_unchanged": plan.unchanged,
        "files_processed": len(plan.to_process),
        "files_failed": int(sum(v for k, v in by_status.items() if k in ("failed", "unsupported"))),
        "rows_json": json.dumps(rows, sort_keys=True),
        "quarantined_rows": quarantined,
        "published_version": version.name if version else None,
    }


def publish_run(
    validated: Validated,
    warehouse_dir: Path,
    run_id: str,
    started_at: dt.datetime,
    files_seen: int,
    plan: Plan | None = None,
) -> RunSummary:
    plan = plan or Plan(new=files_seen)
    sources = {t: validated.reader(t) for t in VERSIONED_TABLES}
    sources["quarantine"] = frame_from_rows("quarantine", validated.quarantine)
    by_status = validated.document_statuses()
    finished = dt.datetime.now(dt.UTC)
    version_id = f"{finished:%Y%m%dT%H%M%S%fZ}-{run_id[:8]}"
    file_metadata = {
        "schema_version": SCHEMA_VERSION,
        "code_version": __version__,
        "run_id": run_id,
        "created_at": finished.isoformat(),
        "source_file_count": str(files_seen),
    }
    version, rows = publish(sources, warehouse_dir, version_id, file_metadata, analysis_views())
    quarantined = len(validated.quarantine)
    run_row = _run_row(run_id, started_at, plan, files_seen, by_status, rows, quarantined, version)
    record_run(warehouse_dir, run_row)
    summary = RunSummary(run_id, warehouse_dir.resolve(), version, started_at, run_row["finished_at"])
    summary.documents_by_status = by_status
    summary.rows_by_table = rows
    summary.quarantined_by_table = validated.quarantined_by_table()
    summary.plan = plan
    summary.problems = validated.document_problems()
    return summary


def record_unchanged_run(
    warehouse_dir: Path,
    run_id: str,
    started_at: dt.datetime,
    files_seen: int,
    plan: Plan,
    published: Published,
) -> RunSummary:
    """Nothing new, changed or deleted: the warehouse stays as it is; only the run is recorded."""
    by_status: dict[str, int] = {}
    for d in published.documents:
        by_status[d["status"]] = by_status.get(d["status"], 0) + 1
    rows = {t: pq.read_metadata(published.version / f"{t}.parquet").num_rows for t in VERSIONED_TABLES}
    quarantined = len(published.quarantine)
    run_row = _run_row(run_id, started_at, plan, files_seen, by_status, rows, quarantined, None)
    record_run(warehouse_dir, run_row)
    summary = RunSummary(
        run_id, warehouse_dir.resolve(), published.version, started_at, run_row["finished_at"]
    )
    summary.documents_by_status = by_status
    summary.rows_by_table = rows
    summary.plan = plan
    summary.problems = [
        (d["source_path"], f"{d['status']}/{d['stage']}", d["error"] or "")
        for d in published.documents
        if d["status"] != "ok" or d["error"]
    ]
    return summary


def strict_failure(validated: Validated) -> str | None:
    """Why a --strict run must fail (documents not ok, rows quarantined), or None."""
    bad = {k: v for k, v in validated.document_statuses().items() if k not in ("ok", SAME_PUBLICATION)}
    quarantined = validated.quarantined_by_table()
    if bad or quarantined:
        return f"--strict: documents not ok {bad}, quarantined rows {quarantined}; nothing published"
    return None


def run_pipeline(
    raw_dir: Path,
    warehouse_dir: Path,
    *,
    strict: bool = False,
    full: bool = False,
    workers: int | None = None,
    run_id: str | None = None,
    time_limit: float | None = DOCUMENT_TIME_LIMIT,
    on_result: Callable[[DocumentResult], None] | None = None,
    allow_shrink: bool = False,
    memory_limit: int | None = WORKER_MEMORY_LIMIT,
) -> RunSummary:
    """The whole run without Prefect (the flow runs these same steps as tasks): for scripts,
    benchmarks and the crash tests. Incremental unless `full`; refused when it would drop more
    than SHRINK_LIMIT of the published documents unless `allow_shrink`."""
    started = dt.datetime.now(dt.UTC)
    run_id = run_id or uuid.uuid4().hex
    with warehouse_lock(warehouse_dir):
        paths = list_raw(raw_dir)
        readable, superseded = split_superseded(raw_dir, paths)
        published, work = plan_run(
            raw_dir=raw_dir,
            paths=paths,
            readable=readable,
            warehouse_dir=warehouse_dir,
            full=full,
            allow_shrink=allow_shrink,
        )
        if published is not None and work.nothing_to_do:
            return record_unchanged_run(warehouse_dir, run_id, started, len(paths), work, published)
        with spool_folder(warehouse_dir) as folder:
            spool = Spool(folder)
            spool.carry(work.version, work.carried, work.carried_quarantine)
            consume = spool.add if on_result is None else (lambda r: (spool.add(r), on_result(r)))
            process_files(
                raw_dir=raw_dir,
                paths=work.to_process,
                workers=workers or default_workers(),
                time_limit=time_limit,
                on_result=consume,
                collect=False,
                memory_limit=memory_limit,
            )
            for r in work.duplicates + superseded:
                spool.add(r)
            staged = finalise(spool)
            mark_quarantined_documents(staged)
            reason = strict_failure(staged) if strict else None
            if reason:
                raise PipelineError(reason, stage="validate")
            return publish_run(staged, warehouse_dir, run_id, started, len(paths), work)


@contextmanager
def spool_folder(warehouse_dir: Path) -> Iterator[Path]:
    """A scratch folder beside the warehouse (same disk), removed afterwards; a killed run's
    leftovers are removed by the next run."""
    warehouse_dir.mkdir(parents=True, exist_ok=True)
    for old in warehouse_dir.glob(".spool-*"):
        shutil.rmtree(old, ignore_errors=True)
    with (
        tempfile.TemporaryDirectory(dir=warehouse_dir, prefix=".spool-") as folder,
        shared_database(Path(folder)),
    ):
        yield Path(folder)
