"""The run sequence, the only one: discover -> plan -> process -> link and validate -> publish.

`run_pipeline` is called by scripts and tests as it is, and by the Prefect flows (flows/) with a
step wrapper that makes each step a task and, for a Dask cluster, an executor of batches.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol, TypeVar

import pyarrow.parquet as pq

from ofsted_findings import __version__
from ofsted_findings.assemble import Assembler, StagedTables, Tables, assemble_in_memory
from ofsted_findings.assemble.duplicates import SAME_PUBLICATION
from ofsted_findings.assemble.incremental import Plan, Published, plan, read_published
from ofsted_findings.assemble.parts import shared_database
from ofsted_findings.errors import PipelineError, UsageError
from ofsted_findings.fetch.manifest import superseded_paths
from ofsted_findings.ids import stable_id
from ofsted_findings.ingest.discover import discover, raw_hash, relative_source_path
from ofsted_findings.models import DocumentResult, Row
from ofsted_findings.run import head_start, progress
from ofsted_findings.run.documents import default_workers, process_files
from ofsted_findings.run.options import RunOptions
from ofsted_findings.run.record import Counts, RunSummary, published_state, record_unchanged
from ofsted_findings.run.record import run_row as make_run_row
from ofsted_findings.run.shrink import check_shrink
from ofsted_findings.schemas import SCHEMA_VERSION, frame_from_rows
from ofsted_findings.warehouse.lock import warehouse_lock
from ofsted_findings.warehouse.publish import RUNS_FILE, VERSIONED_TABLES, publish, write_parquet_atomic
from ofsted_findings.warehouse.views import analysis_views

T = TypeVar("T")
# step(name, fn, **kwargs) -> fn(**kwargs): how the sequence runs each of its steps
Step = Callable[..., Any]


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
                    sha256=raw_hash(raw_dir, path),
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


def build_and_validate(results: list[DocumentResult]) -> Tables:
    """Link, validate and assemble every table in memory (small runs, tests): the same steps
    as a streaming run, through a temporary folder."""
    return assemble_in_memory(results)


def previous_runs(warehouse_dir: Path) -> list[Row]:
    path = warehouse_dir / RUNS_FILE
    return pq.read_table(path).to_pylist() if path.exists() else []


def record_run(warehouse_dir: Path, run_row: Row) -> None:
    """Append the run to runs.parquet (replaced atomically; kept outside the versions so that a
    run with nothing to do changes this file only)."""
    frame = frame_from_rows("runs", [*previous_runs(warehouse_dir), run_row])
    meta = {"run_id": run_row["run_id"], "code_version": __version__, "schema_version": SCHEMA_VERSION}
    write_parquet_atomic("runs", frame, warehouse_dir / RUNS_FILE, meta)


def publish_run(
    validated: StagedTables | Tables,
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
    run_row = make_run_row(run_id=run_id, started_at=started_at, counts=counts_of(plan),
                           files_seen=files_seen, by_status=by_status, rows=rows, quarantined=quarantined,
                           version=version)
    record_run(warehouse_dir, run_row)
    summary = RunSummary(run_id, warehouse_dir.resolve(), version, started_at, run_row["finished_at"])
    summary.documents_by_status = by_status
    summary.rows_by_table = rows
    summary.quarantined_by_table = validated.quarantined_by_table()
    summary.plan = plan
    summary.problems = validated.document_problems()
    return summary


def counts_of(plan: Plan) -> Counts:
    return Counts(new=plan.new, changed=plan.changed, deleted=plan.deleted, unchanged=plan.unchanged,
                  processed=len(plan.to_process))


def record_unchanged_run(
    warehouse_dir: Path,
    run_id: str,
    started_at: dt.datetime,
    files_seen: int,
    plan: Plan,
    published: Published,
) -> RunSummary:
    """Nothing new, changed or deleted: the warehouse stays as it is; only the run is recorded
    (as the command line's fast path records it, run/record.py)."""
    summary = record_unchanged(warehouse_dir=warehouse_dir, run_id=run_id, started_at=started_at,
                               files_seen=files_seen, counts=counts_of(plan), version=published.version)
    if summary is None:  # no runs.parquet, or one of another schema: written through the schema
        documents = published.documents
        by_status: dict[str, int] = {}
        for d in documents:
            by_status[d["status"]] = by_status.get(d["status"], 0) + 1
        _, rows, quarantined = published_state(published.version)
        run_row = make_run_row(run_id=run_id, started_at=started_at, counts=counts_of(plan),
                               files_seen=files_seen, by_status=by_status, rows=rows,
                               quarantined=quarantined, version=None)
        record_run(warehouse_dir, run_row)
        summary = RunSummary(run_id, warehouse_dir.resolve(), published.version, started_at,
                             run_row["finished_at"])
        summary.documents_by_status = by_status
        summary.rows_by_table = rows
        summary.problems = [
            (d["source_path"], f"{d['status']}/{d['stage']}", d["error"] or "")
            for d in documents
            if d["status"] != "ok" or d["error"]
        ]
    summary.plan = plan
    rows = summary.rows_by_table
    summary.rows_by_table = {t: rows[t] for t in VERSIONED_TABLES if t in rows}  # the schemas' order
    return summary


def strict_failure(validated: StagedTables | Tables) -> str | None:
    """Why a --strict run must fail (documents not ok, rows quarantined), or None."""
    bad = {k: v for k, v in validated.document_statuses().items() if k not in ("ok", SAME_PUBLICATION)}
    quarantined = validated.quarantined_by_table()
    if bad or quarantined:
        return f"--strict: documents not ok {bad}, quarantined rows {quarantined}; nothing published"
    return None


def plain_step(name: str, fn: Callable[..., T], /, **kwargs: Any) -> T:
    """Run one step of the sequence as a plain call (the flow passes a step that makes each a
    Prefect task of that name instead)."""
    return fn(**kwargs)


class Executor(Protocol):
    """Where per-document work runs: each result goes to `on_result` as it finishes."""

    def process(
        self,
        *,
        raw_dir: Path,
        paths: list[Path],
        options: RunOptions,
        on_result: Callable[[DocumentResult], None],
        step: Step,
    ) -> None: ...


@dataclass(frozen=True)
class LocalPool:
    """Per-document work in supervised worker processes on this machine (`options.workers`,
    default every core), each document under the time and memory limits: one step."""

    def process(
        self,
        *,
        raw_dir: Path,
        paths: list[Path],
        options: RunOptions,
        on_result: Callable[[DocumentResult], None],
        step: Step,
    ) -> None:
        step("process-documents", process_locally, raw_dir=raw_dir, paths=paths, options=options,
             on_result=on_result)


def process_locally(
    *, raw_dir: Path, paths: list[Path], options: RunOptions, on_result: Callable[[DocumentResult], None]
) -> None:
    """LocalPool's step: the results of the command line's head start for this folder (the
    files it read while Prefect started, run/head_start.py), then the files it did not cover."""
    early = head_start.take(raw_dir)
    if early is not None:
        try:
            paths = early.hand_over(paths=paths, on_result=on_result)
        finally:
            early.close()
    if paths:
        process_files(
            raw_dir=raw_dir,
            paths=paths,
            workers=options.workers or default_workers(),
            time_limit=options.time_limit,
            on_result=on_result,
            collect=False,
            memory_limit=options.memory_limit,
        )


class _Laps:
    """Seconds per part of the run (planning, processing, publishing), for the summary."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}
        self._clock = time.monotonic()

    def lap(self, name: str) -> None:
        now = time.monotonic()
        self.timings[name] = self.timings.get(name, 0.0) + now - self._clock
        self._clock = now


def run_pipeline(
    raw_dir: Path,
    warehouse_dir: Path,
    *,
    options: RunOptions | None = None,
    executor: Executor | None = None,
    step: Step = plain_step,
    run_id: str | None = None,
    on_result: Callable[[DocumentResult], None] | None = None,
    on_wait: Callable[[], None] | None = None,
    **option_fields: Any,
) -> RunSummary:
    """The run, the one sequence every way of running goes through: discover -> plan ->
    process -> link and validate -> publish (or, with nothing new, changed or deleted, record
    the run only). Incremental unless `options.full`; refused before any work when it would
    drop more than SHRINK_LIMIT of the published documents unless `options.allow_shrink`.

    `executor` runs the per-document work (default: LocalPool, this machine's supervised
    workers); `step(name, fn, **kwargs)` runs each step (the flow makes each a Prefect task);
    `option_fields` (`workers=1`, `full=True`) are RunOptions fields, a shorthand for scripts.
    """
    options = replace(options or RunOptions(), **option_fields)
    executor = executor or LocalPool()
    started = dt.datetime.now(dt.UTC)
    run_id = run_id or uuid.uuid4().hex
    laps = _Laps()
    with warehouse_lock(warehouse_dir, on_wait=on_wait):
        paths = step("discover", list_raw, raw_dir=raw_dir)
        readable, superseded = split_superseded(raw_dir=raw_dir, paths=paths)
        published, work = step(
            "plan",
            plan_run,
            raw_dir=raw_dir,
            paths=paths,
            readable=readable,
            warehouse_dir=warehouse_dir,
            full=options.full,
            allow_shrink=options.allow_shrink,
        )
        laps.lap("planning")
        if published is not None and work.nothing_to_do:
            summary = step(
                "record-unchanged-run",
                record_unchanged_run,
                warehouse_dir=warehouse_dir,
                run_id=run_id,
                started_at=started,
                files_seen=len(paths),
                plan=work,
                published=published,
            )
            laps.lap("publishing")
            summary.timings = laps.timings
            return summary
        with spool_folder(warehouse_dir) as folder:
            assembler = Assembler(folder)
            assembler.carry(version=work.version, records=work.carried, quarantine=work.carried_quarantine)
            show = progress.reporter(len(work.to_process))
            consumers = [c for c in (assembler.add, on_result, show) if c is not None]
            executor.process(
                raw_dir=raw_dir,
                paths=work.to_process,
                options=options,
                on_result=consumers[0] if len(consumers) == 1 else _each(consumers),
                step=step,
            )
            for r in work.duplicates + superseded:
                assembler.add(r)
            laps.lap("processing")
            staged = step("link-and-validate", finish_assembly, assembler=assembler)
            reason = strict_failure(staged) if options.strict else None
            if reason:
                raise PipelineError(reason, stage="validate")
            summary = step(
                "publish",
                publish_run,
                validated=staged,
                warehouse_dir=warehouse_dir,
                run_id=run_id,
                started_at=started,
                files_seen=len(paths),
                plan=work,
            )
            laps.lap("publishing")
    summary.timings = laps.timings
    return summary


def _each(consumers: list[Callable[[DocumentResult], None]]) -> Callable[[DocumentResult], None]:
    def consume(result: DocumentResult) -> None:
        for c in consumers:
            c(result)

    return consume


def finish_assembly(assembler: Assembler) -> StagedTables:
    """Link and validate the assembled documents (a document with quarantined rows is marked)."""
    staged = assembler.finish()
    return staged


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
