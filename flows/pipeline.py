"""The pipeline flow: discover -> plan (incremental) -> process -> build/link/validate -> publish.

Per-document work is one task over all the files that need it (spread over worker processes),
or one task per batch on a Dask cluster: a task per document would pay Prefect's per-task
overhead for every file.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections import defaultdict
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.context import get_run_context
from prefect.futures import as_completed
from prefect.states import Completed, State
from prefect.utilities.annotations import quote, unmapped

from ofsted_findings.errors import PipelineError
from ofsted_findings.incremental import Plan, Published
from ofsted_findings.run import progress
from ofsted_findings.run.sequence import (
    DOCUMENT_TIME_LIMIT,
    WORKER_MEMORY_LIMIT,
    RunSummary,
    default_workers,
    list_raw,
    mark_quarantined_documents,
    plan_run,
    process_files,
    publish_run,
    record_unchanged_run,
    split_superseded,
    spool_folder,
    strict_failure,
)
from ofsted_findings.run.summary import summary_line, summary_markdown
from ofsted_findings.run.worker import DocumentResult
from ofsted_findings.spool import Spool, Staged, finalise
from ofsted_findings.validate import Validated
from ofsted_findings.warehouse.lock import warehouse_lock

# Task inputs here are large (every document's rows): hashing them for a cache key would cost
# more than the work, so no task is cached.
# Documents per task when tasks go to a Dask cluster.
DASK_BATCH = 16


# Every task and flow takes its arguments by keyword (after the folders): a positional call that
# shifts by one parameter fails loudly instead of passing `workers` as `full`.
@task(name="discover", cache_policy=NO_CACHE)
def discover_task(raw_dir: Path) -> list[Path]:
    return list_raw(raw_dir)


@task(name="plan", cache_policy=NO_CACHE)
def plan_task(
    *,
    raw_dir: Path,
    paths: list[Path],
    readable: list[Path],
    warehouse_dir: Path,
    full: bool,
    allow_shrink: bool,
) -> tuple[Published | None, Plan]:
    return plan_run(
        raw_dir=raw_dir,
        paths=paths,
        readable=readable,
        warehouse_dir=warehouse_dir,
        full=full,
        allow_shrink=allow_shrink,
    )


@task(name="process-documents", cache_policy=NO_CACHE)
def process_task(
    *,
    raw_dir: Path,
    paths: list[Path],
    workers: int,
    time_limit: float | None,
    spool: Spool,
    memory_limit: int | None = WORKER_MEMORY_LIMIT,
) -> int:
    """Every file in worker processes; each result goes to the spool as it finishes."""
    show = progress.reporter(len(paths))
    consume = spool.add if show is None else (lambda r: (spool.add(r), show(r)))
    process_files(
        raw_dir=raw_dir,
        paths=paths,
        workers=workers,
        time_limit=time_limit,
        on_result=consume,
        collect=False,
        memory_limit=memory_limit,
    )
    return len(paths)


@task(name="process-batch", cache_policy=NO_CACHE)
def process_batch_task(
    *,
    raw_dir: Path,
    paths: list[Path],
    time_limit: float | None,
    memory_limit: int | None = WORKER_MEMORY_LIMIT,
) -> list[DocumentResult]:
    # on a Dask worker (Dask runs the batches in parallel), in one supervised process: a document
    # that hangs, crashes or runs out of memory costs its limit and itself, not the Dask worker
    # and the run
    return process_files(
        raw_dir=raw_dir, paths=paths, workers=1, time_limit=time_limit, memory_limit=memory_limit
    )


@task(name="link-and-validate", cache_policy=NO_CACHE)
def finalise_task(spool: Spool) -> Staged:
    staged = finalise(spool)
    mark_quarantined_documents(staged)
    return staged


@task(name="publish", cache_policy=NO_CACHE)
def publish_task(
    *,
    validated: Validated,
    warehouse_dir: Path,
    run_id: str,
    started_at: dt.datetime,
    files_seen: int,
    work: Plan,
) -> RunSummary:
    return publish_run(
        validated=validated,
        warehouse_dir=warehouse_dir,
        run_id=run_id,
        started_at=started_at,
        files_seen=files_seen,
        plan=work,
    )


@task(name="record-unchanged-run", cache_policy=NO_CACHE)
def unchanged_task(
    *,
    warehouse_dir: Path,
    run_id: str,
    started_at: dt.datetime,
    files_seen: int,
    work: Plan,
    published: Published,
) -> RunSummary:
    return record_unchanged_run(
        warehouse_dir=warehouse_dir,
        run_id=run_id,
        started_at=started_at,
        files_seen=files_seen,
        plan=work,
        published=published,
    )


def _flow_run_id() -> str:
    try:
        return str(get_run_context().flow_run.id)
    except Exception:  # not inside a flow run context (should not happen)
        return uuid.uuid4().hex


@flow(name="ofsted-findings", log_prints=False)
def pipeline_flow(
    raw_dir: str = "raw",
    warehouse_dir: str = "warehouse",
    *,
    strict: bool = False,
    full: bool = False,
    workers: int | None = None,
    time_limit: float | None = DOCUMENT_TIME_LIMIT,
    distributed: bool = False,
    allow_shrink: bool = False,
    memory_limit: int | None = WORKER_MEMORY_LIMIT,
) -> State:
    """Read the documents in `raw_dir` that are new or changed and publish validated tables to
    `warehouse_dir` (everything with `full`). A run that would drop more than SHRINK_LIMIT of
    the published documents (an empty or wrong raw folder) fails before any work unless
    `allow_shrink`.

    Returns a Completed state whose data is the RunSummary (what calling the flow returns) and
    whose message is the summary in one line (what `serve` prints and the UI shows)."""
    started = dt.datetime.now(dt.UTC)
    raw, warehouse = Path(raw_dir), Path(warehouse_dir)
    logger = get_run_logger()
    timings: defaultdict[str, float] = defaultdict(float)
    clock = time.monotonic()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.monotonic()
        timings[name] += now - clock
        clock = now

    with warehouse_lock(warehouse, on_wait=lambda: logger.warning("waiting for another run's lock")):
        paths = discover_task(raw)
        readable, superseded = split_superseded(raw_dir=raw, paths=paths)
        published, work = plan_task(
            raw_dir=raw,
            paths=paths,
            readable=readable,
            warehouse_dir=warehouse,
            full=full,
            allow_shrink=allow_shrink,
        )
        lap("planning")
        if published is not None and work.nothing_to_do:
            summary = unchanged_task(
                warehouse_dir=warehouse,
                run_id=_flow_run_id(),
                started_at=started,
                files_seen=len(paths),
                work=quote(work),
                published=quote(published),
            )
            lap("publishing")
        else:
            with spool_folder(warehouse) as folder:
                spool = Spool(folder)
                spool.carry(version=work.version, headers=work.carried, quarantine=work.carried_quarantine)
                todo = work.to_process
                if distributed:
                    batches = [todo[i : i + DASK_BATCH] for i in range(0, len(todo), DASK_BATCH)]
                    futures = (
                        process_batch_task.map(
                            raw_dir=unmapped(raw),
                            paths=batches,
                            time_limit=unmapped(time_limit),
                            memory_limit=unmapped(memory_limit),
                        )
                        if batches
                        else []
                    )
                    for future in as_completed(futures):
                        for result in future.result():
                            spool.add(result)
                else:
                    process_task(
                        raw_dir=raw,
                        paths=todo,
                        workers=workers or default_workers(),
                        time_limit=time_limit,
                        spool=quote(spool),
                        memory_limit=memory_limit,
                    )
                for result in work.duplicates + superseded:
                    spool.add(result)
                lap("processing")
                staged = finalise_task(quote(spool))
                reason = strict_failure(staged) if strict else None
                if reason:
                    raise PipelineError(reason, stage="validate")
                summary = publish_task(
                    validated=quote(staged),
                    warehouse_dir=warehouse,
                    run_id=_flow_run_id(),
                    started_at=started,
                    files_seen=len(paths),
                    work=quote(work),
                )
                lap("publishing")
    summary.timings = dict(timings)
    save_artifact(
        key="ofsted-findings-run-summary",
        markdown=summary_markdown(summary),
        description="Documents by status, rows per table, quarantined rows",
    )
    return Completed(message=summary_line(summary), data=summary)


def save_artifact(*, key: str, markdown: str, description: str) -> None:
    """Save a markdown artifact, or warn in one line: the artifact reports on a run, it is not
    the run, and a run already published must not fail because the Prefect API went away."""
    try:
        create_markdown_artifact(key=key, markdown=markdown, description=description)
    except Exception as exc:  # noqa: BLE001 - any failure of the API or its client
        reason = f"{type(exc).__name__}: {' '.join(str(exc).split())}"
        get_run_logger().warning(f"artifact {key} not saved ({reason}); the run is unaffected")
