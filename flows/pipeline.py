"""The pipeline flow: a thin Prefect adapter over the one run sequence
(ofsted_findings/run/sequence.py). Each step of the sequence runs as a Prefect task of its name
(discover, plan, process-documents, link-and-validate, publish, or record-unchanged-run), so
the UI shows them; on a Dask cluster per-document work is one task per batch of documents: a
task per document would pay Prefect's per-task overhead for every file.
"""


import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.context import get_run_context
from prefect.futures import as_completed
from prefect.states import Completed, State
from prefect.utilities.annotations import quote, unmapped

from ofsted_findings.models import DocumentResult
from ofsted_findings.run.documents import process_files
from ofsted_findings.run.options import RunOptions
from ofsted_findings.run.sequence import LocalPool, Step, run_pipeline
from ofsted_findings.run.summary import summary_line, summary_markdown
from ofsted_findings.settings import DASK_BATCH, WORKER_MEMORY_LIMIT


def task_step(name: str, fn: Callable[..., Any], /, **kwargs: Any) -> Any:
    """Run one step of the sequence as a Prefect task called `name`. Inputs are large (every
    document's rows): they are passed quoted (not searched for futures) and never cached."""
    return task(fn, name=name, cache_policy=NO_CACHE)(**{k: quote(v) for k, v in kwargs.items()})


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


@dataclass(frozen=True)
class DaskBatches:
    """Per-document work as Prefect tasks of DASK_BATCH documents each, on the flow's task runner
    (a DaskTaskRunner: flows/distributed.py); results reach the sequence as batches finish."""

    def process(
        self,
        *,
        raw_dir: Path,
        paths: list[Path],
        options: RunOptions,
        on_result: Callable[[DocumentResult], None],
        step: Step,
    ) -> None:
        batches = [paths[i : i + DASK_BATCH] for i in range(0, len(paths), DASK_BATCH)]
        if not batches:
            return
        futures = process_batch_task.map(
            raw_dir=unmapped(raw_dir),
            paths=batches,
            time_limit=unmapped(options.time_limit),
            memory_limit=unmapped(options.memory_limit),
        )
        for future in as_completed(futures):
            for result in future.result():
                on_result(result)


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
    options: RunOptions = RunOptions(),  # noqa: B008 - frozen: one shared default is safe
    distributed: bool = False,
) -> State:
    """Read the documents in `raw_dir` that are new or changed and publish validated tables to
    `warehouse_dir` (everything with `options.full`); `options` are those of `ofsted-findings
    run`. `distributed`: per-document work in batches on the flow's Dask task runner.

    Returns a Completed state whose data is the RunSummary (what calling the flow returns) and
    whose message is the summary in one line (what `serve` prints and the UI shows)."""
    logger = get_run_logger()
    summary = run_pipeline(
        raw_dir=Path(raw_dir),
        warehouse_dir=Path(warehouse_dir),
        options=options,
        executor=DaskBatches() if distributed else LocalPool(),
        step=task_step,
        run_id=_flow_run_id(),
        on_wait=lambda: logger.warning("waiting for another run's lock"),
    )
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
