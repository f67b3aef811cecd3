"""The scheduled run: fetch new reports from Ofsted's site, then run the pipeline as a subflow.

The fetch is a task with retries (an unreachable site is retried after a delay). If it still
fails, the pipeline runs on the files already held, and the fetch artifact and the returned
summary say the fetch failed. Serve it on a schedule with a Prefect server, for example:

    scheduled_flow.serve(name="daily", cron="0 6 * * *", parameters={"raw_dir": "/data/raw"})
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.states import Completed, State

from ofsted_findings.fetch.http import Policy
from ofsted_findings.fetch.plan import authority_urns, type_codes
from ofsted_findings.fetch.run import FetchOptions, FetchSummary, fetch
from ofsted_findings.fetch.site import DEFAULT_BASE_URL, Site
from ofsted_findings.fetch.summary import summary_lines, summary_markdown
from ofsted_findings.flows.pipeline import pipeline_flow, save_artifact
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
    base_url: str = DEFAULT_BASE_URL,
    files_base_url: str | None = None,
    authorities: list[str] | None = None,
    types: list[str] | None = None,
    since: dt.date | None = None,
    rate: float = 1.0,
    timeout: float = 30.0,
    retries: int = 3,
    backoff: float = 1.0,
    budget: float | None = None,
    fetch_retries: int = 2,
    fetch_retry_delay: float = 60.0,
    strict: bool = False,
    workers: int | None = None,
    allow_shrink: bool = False,
) -> State:
    """Fetch what is new into `raw_dir`, then publish the warehouse from everything held.

    The fetch parameters are those of `ofsted-findings fetch`; `fetch_retries` and
    `fetch_retry_delay` (seconds) retry the whole fetch when the site cannot be reached.
    `strict`, `workers` and `allow_shrink` are the pipeline's (`ofsted-findings run`).
    Returns a Completed state: its data the ScheduledSummary, its message the run in one line.
    """
    options = FetchOptions(
        raw_dir=Path(raw_dir),
        site=Site(base_url=base_url, files_base_url=files_base_url),
        authorities=authority_urns(authorities or []),
        types=type_codes(types or []),
        since=since,
        policy=Policy(rate=rate, timeout=timeout, retries=retries, backoff=backoff, budget=budget),
    )
    state = fetch_task.with_options(retries=fetch_retries, retry_delay_seconds=fetch_retry_delay)(
        options=options, return_state=True
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
    run = pipeline_flow(
        raw_dir=raw_dir,
        warehouse_dir=warehouse_dir,
        strict=strict,
        workers=workers,
        allow_shrink=allow_shrink,
    )
    got = f"fetch failed: {error}" if error else f"fetched {len(fetched.downloaded)} new"
    return Completed(
        message=f"{got}; {summary_line(run)}",
        data=ScheduledSummary(fetch=fetched, fetch_error=error, run=run),
    )
