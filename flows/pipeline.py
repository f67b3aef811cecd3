"""The pipeline flow: discover -> process (batched, parallel) -> build/link -> validate -> publish."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.context import get_run_context

from ofsted_findings.errors import PipelineError
from ofsted_findings.pipeline import (
    RunSummary,
    build_and_validate,
    default_workers,
    list_raw,
    process_files,
    publish_run,
    strict_failure,
)
from ofsted_findings.process import DocumentResult
from ofsted_findings.report_summary import summary_markdown
from ofsted_findings.validate import Validated
from ofsted_findings.warehouse.lock import warehouse_lock


@task(name="discover")
def discover_task(raw_dir: Path) -> list[Path]:
    return list_raw(raw_dir)


@task(name="process-documents")
def process_task(raw_dir: Path, paths: list[Path], workers: int) -> list[DocumentResult]:
    # one task for the whole folder: per-document tasks would pay Prefect's overhead per file
    return process_files(raw_dir, paths, workers)


@task(name="build-and-validate")
def validate_task(results: list[DocumentResult]) -> Validated:
    return build_and_validate(results)


@task(name="publish")
def publish_task(
    validated: Validated, warehouse_dir: Path, run_id: str, started_at: dt.datetime, files_seen: int
) -> RunSummary:
    return publish_run(validated, warehouse_dir, run_id, started_at, files_seen)


def _flow_run_id() -> str:
    try:
        return str(get_run_context().flow_run.id)
    except Exception:  # not inside a flow run context (should not happen)
        return uuid.uuid4().hex


@flow(name="ofsted-findings", log_prints=False)
def pipeline_flow(
    raw_dir: str = "raw",
    warehouse_dir: str = "warehouse",
    strict: bool = False,
    workers: int | None = None,
) -> RunSummary:
    """Read every document in `raw_dir` and publish validated tables to `warehouse_dir`."""
    started = dt.datetime.now(dt.UTC)
    raw, warehouse = Path(raw_dir), Path(warehouse_dir)
    paths = discover_task(raw)
    results = process_task(raw, paths, workers or default_workers())
    validated = validate_task(results)
    logger = get_run_logger()
    with warehouse_lock(warehouse, on_wait=lambda: logger.warning("waiting for another run's lock")):
        reason = strict_failure(validated) if strict else None
        if reason:
            raise PipelineError(reason, stage="validate")
        summary = publish_task(validated, warehouse, _flow_run_id(), started, len(paths))
    create_markdown_artifact(
        key="ofsted-findings-run-summary",
        markdown=summary_markdown(summary),
        description="Documents by status, rows per table, quarantined rows",
    )
    return summary
