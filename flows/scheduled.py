"""The scheduled run: fetch new reports from Ofsted's site, then run the pipeline as a subflow.

The fetch is a task with retries (an unreachable site is retried after a delay). If it still
fails, the pipeline runs on the files already held, and the fetch artifact and the returned
summary say the fetch failed. Serve it on a schedule with a Prefect server, for example:

    scheduled_flow.serve(name="daily", cron="0 6 * * *", parameters={"raw_dir": "/data/raw"})
"""


from dataclasses import dataclass, replace
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.states import Completed, State

from ofsted_findings.fetch.run import FetchOptions, FetchSummary, fetch
from ofsted_findings.fetch.summary import summary_lines, summary_markdown
from ofsted_findings.flows.pipeline import pipeline_flow, save_artifact
from ofsted_findings.run.options import RunOptions
from ofsted_findings.run.sequence import RunSummary
from ofsted_findings.run.summary import summary_line


@dataclass
class ScheduledSummary:
    fetch: FetchSummary | None  # None when the fetch failed
    fetch_error: str | None  # why it failed (one line), else None
    run: RunSummary


@task(name="fetch", retries=2, retry_delay_seconds=60, cache_policy=NO_CACHE)
def fetch_task(options: FetchOptions) -> FetchSummary:
    logger = get_run_logger()

    def report(kind: str, message: str) -> None:
        (logger.warning if kind in ("error", "warning") else logger.info)(f"{kind}: {message}")

    summary = fetch(options=options, report=report)
    for line in summary_lines(summary):
        logger.info(line)
    return summary


@flow(name="ofsted-findings-scheduled", log_prints=False)
def scheduled_flow(
    raw_dir: str = "raw",
    warehouse_dir: str = "warehouse",
    *,
    fetch_options: FetchOptions | None = None,
    options: RunOptions = RunOptions(),  # noqa: B008 - frozen: one shared default is safe
    fetch_retries: int = 2,
    fetch_retry_delay: float = 60.0,
) -> State:
    """Fetch what is new into `raw_dir`, then publish the warehouse from everything held.

    `fetch_options` are those of `ofsted-findings fetch` (default: its defaults), fetched into
    `raw_dir` whatever their own `raw_dir` says; `options` those of `ofsted-findings run`.
    `fetch_retries` and `fetch_retry_delay` (seconds) retry the whole fetch when the site cannot
    be reached. Returns a Completed state: its data the ScheduledSummary, its message the run in
    one line.
    """
    options_for_fetch = replace(fetch_options or FetchOptions(raw_dir=Path(raw_dir)), raw_dir=Path(raw_dir))
    state = fetch_task.with_options(retries=fetch_retries, retry_delay_seconds=fetch_retry_delay)(
        options=options_for_fetch, return_state=True
    )
    fetched: FetchSummary | None = None
    error: str | None = None
    if state.is_completed():
        fetched = state.result()
    else:
        try:
            state.result()
            error = f"fetch ended {state.name}"
        except Exception as exc:  # the task's failure: one line, the task run logged the rest
            error = " ".join(str(exc).split()) or type(exc).__name__
        get_run_logger().warning(f"fetch failed: {error}; running the pipeline on the files already held")
    save_artifact(
        key="ofsted-findings-fetch-summary",
        markdown=summary_markdown(s=fetched, error=error),
        description="What the fetch from Ofsted's site downloaded, or why it failed",
    )
    run = pipeline_flow(raw_dir=raw_dir, warehouse_dir=warehouse_dir, options=options)
    got = f"fetch failed: {error}" if error else f"fetched {len(fetched.downloaded)} new"
    return Completed(
        message=f"{got}; {summary_line(run)}",
        data=ScheduledSummary(fetch=fetched, fetch_error=error, run=run),
    )
