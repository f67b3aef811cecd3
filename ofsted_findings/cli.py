"""Command line: a thin layer over the library. Expected failures print one line, no traceback."""

from __future__ import annotations

import atexit
import contextlib
import csv
import gc
import json
import os
import sys
from dataclasses import replace
from functools import cache, wraps
from pathlib import Path
from typing import NoReturn

import click

from ofsted_findings.errors import PipelineError, UsageError
from ofsted_findings.settings import DOCUMENT_TIME_LIMIT, SQL_TIMEOUT, WORKER_MEMORY_LIMIT

FORMATS = click.Choice(["table", "csv", "json"])

# Options several commands share, defined once.
raw_option = click.option(
    "--raw", "raw_dir", default="raw", show_default=True, type=click.Path(path_type=Path),
    help="Folder of raw documents (PDF, text, Markdown, saved web pages).",
)
warehouse_option = click.option(
    "--warehouse", "warehouse_dir", default="warehouse", show_default=True, type=click.Path(path_type=Path),
    help="The warehouse folder (Parquet files and ofsted.duckdb).",
)


def friendly_errors(func):
    """Turn expected failures into `error: <one line>` and exit status 1."""

    @wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except PipelineError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)

    return wrapper


@click.group()
@click.version_option(package_name="ofsted-findings")
def main() -> None:
    """Ofsted children's services inspections as validated, queryable tables."""
    _freeze_at_exit()


@cache
def _freeze_at_exit() -> None:
    """Spare the user the interpreter's teardown: as a command exits, Python collects garbage
    over every object still alive, again and again as it clears the modules. After a run that
    is ~0.5 s of the user's wait spent traversing Prefect's, Pydantic's and pandas' objects
    (most of the time between the summary and the shell prompt); frozen (gc.freeze), they are
    skipped. Registered once a process; its place among the exit handlers does not matter (the
    teardown's collections come after all of them), and nothing left then needs collecting."""
    atexit.register(gc.freeze)


def run_option_flags(func):
    """The options of a run (RunOptions), declared once for `run` and `serve`: the command gets
    them as `run_options`."""

    @wraps(func)
    def wrapper(*args, strict, workers, full, time_limit, memory_limit, allow_shrink, **kwargs):
        from ofsted_findings.run.options import RunOptions
        from ofsted_findings.run.pool import memory_size

        try:
            memory_bytes = memory_size(memory_limit)
        except ValueError as exc:
            raise UsageError(f"--memory-limit: {exc}") from None
        options = RunOptions(strict=strict, full=full, workers=workers, time_limit=time_limit,
                             memory_limit=memory_bytes, allow_shrink=allow_shrink)
        return func(*args, run_options=options, **kwargs)

    for option in reversed(RUN_OPTION_FLAGS):
        wrapper = option(wrapper)
    return wrapper


RUN_OPTION_FLAGS = [
    click.option("--strict", is_flag=True,
                 help="Exit 1, publishing nothing, if any document fails or any row is quarantined."),
    click.option("--workers", type=click.IntRange(1), default=None,
                 help="Processes for per-document work [default: all cores]."),
    click.option("--full", is_flag=True, help="Process every file, not only new or changed ones."),
    click.option("--time-limit", type=click.FloatRange(min=1), default=DOCUMENT_TIME_LIMIT, show_default=True,
                 help="Seconds one document may take before it is recorded as failed."),
    click.option("--memory-limit", default=f"{WORKER_MEMORY_LIMIT // 1024**3}GB", show_default=True,
                 metavar="SIZE",
                 help="Memory each worker process may use (2GB, 500MB; 0: no limit); a document that needs "
                 "more is recorded as failed (over the memory limit)."),
    click.option("--allow-shrink", is_flag=True,
                 help="Publish even if the run drops more than half of the published documents "
                 "(refused otherwise: an empty or wrong --raw folder)."),
]


@main.command()
@raw_option
@warehouse_option
@click.option(
    "--dask-address",
    default=None,
    metavar="tcp://HOST:PORT",
    help="Run per-document work on this Dask cluster (through prefect-dask).",
)
@friendly_errors
@run_option_flags
def run(raw_dir: Path, warehouse_dir: Path, run_options, dask_address: str | None) -> None:
    """Run the pipeline on the raw folder and publish the warehouse.

    Only new or changed files are processed (by content hash); the rest is carried forward.
    A run whose raw folder lacks more than half of the published documents' files is refused
    before any work, unless --allow-shrink. A run with nothing new, changed or deleted is
    recorded in the runs table without starting Prefect.

    Example: ofsted-findings run --raw raw --warehouse warehouse
    """
    import uuid

    from ofsted_findings.run.record import RunSummary, run_if_unchanged
    from ofsted_findings.run.summary import print_summary
    from ofsted_findings.run.timing import Clock

    clock = Clock()
    if not raw_dir.is_dir():
        raise PipelineError(f"{raw_dir}: raw folder not found")
    if dask_address:
        from ofsted_findings.flows.distributed import DASK_MISSING, dask_installed

        if not dask_installed():
            raise UsageError(DASK_MISSING)
    # Nothing changed (the common scheduled case): decided and recorded before Prefect, pandas
    # and the extractors are imported. The shrink check is made here too, before Prefect starts;
    # the sequence checks again under its own lock.
    pending = run_if_unchanged(raw_dir=raw_dir, warehouse_dir=warehouse_dir,
                               allow_shrink=run_options.allow_shrink, run_id=str(uuid.uuid4()),
                               full=run_options.full,
                               on_wait=lambda: _say("waiting for another run's lock"))
    if isinstance(pending, RunSummary):
        print_summary(pending, timing=clock.parts(pending))
        return
    from ofsted_findings.flows.prefect_server import PrefectApi
    from ofsted_findings.run import progress
    from ofsted_findings.run.documents import default_workers
    from ofsted_findings.run.head_start import HeadStart

    # The workers start on the files the run will likely read now, while Prefect starts; the
    # flow's process step takes their results over (run/head_start.py). Not for a Dask run.
    early = contextlib.nullcontext() if dask_address else HeadStart(
        raw_dir=raw_dir, paths=pending.likely, options=run_options,
        workers=run_options.workers or default_workers())
    # The API's URL is exported before Prefect is imported (Prefect reads its settings once); a
    # server that has to start does so while this process imports Prefect and the flow.
    # Dask workers report to the same API (see flows/distributed.py).
    with early, PrefectApi(say=_say) as api, progress.interactive():
        from ofsted_findings.flows.distributed import dask_flow
        from ofsted_findings.flows.pipeline import pipeline_flow  # imports Prefect: only when needed

        api.ready()
        clock.mark("prefect_ready")
        flow_fn = dask_flow(dask_address) if dask_address else pipeline_flow
        state = flow_fn(
            raw_dir=str(raw_dir),
            warehouse_dir=str(warehouse_dir),
            options=run_options,
            distributed=bool(dask_address),
            return_state=True,
        )
    if state.is_failed():
        try:
            state.result()
        except PipelineError:
            raise
        except Exception as exc:  # an unexpected failure: still one line, the flow logs the rest
            raise PipelineError(f"run failed: {type(exc).__name__}: {exc}") from exc
    print_summary(state.result(), timing=clock.parts(state.result()))
    if isinstance(early, HeadStart) and early.ready_at_hand_over:
        click.echo(f"{early.ready_at_hand_over} of the documents were read while Prefect started "
                   "(counted in its time, not in processing).")


def _say(message: str) -> None:
    click.echo(message, err=True)


def fetch_option_flags(func):
    """The options of a fetch (FetchOptions), declared once for `fetch` and `serve`: the command
    gets them as `fetch_options` (into its --raw folder)."""

    @wraps(func)
    def wrapper(*args, authorities, types, since, base_url, files_base_url, rate, timeout, retries,
                backoff, budget, recheck, **kwargs):
        from ofsted_findings.fetch.http import Policy
        from ofsted_findings.fetch.plan import authority_urns, type_codes
        from ofsted_findings.fetch.run import FetchOptions
        from ofsted_findings.fetch.site import Site

        for url in (base_url, files_base_url):
            if url is not None and not url.startswith(("http://", "https://")):
                raise UsageError(f"{url}: not an http(s) URL")
        options = FetchOptions(
            raw_dir=kwargs["raw_dir"],
            site=Site(base_url, files_base_url),
            authorities=authority_urns(authorities),
            types=type_codes(types),
            since=since.date() if since else None,
            policy=Policy(rate=rate, timeout=timeout, retries=retries, backoff=backoff, budget=budget),
            recheck=recheck,
        )
        return func(*args, fetch_options=options, **kwargs)

    for option in reversed(FETCH_OPTION_FLAGS):
        wrapper = option(wrapper)
    return wrapper


FETCH_OPTION_FLAGS = [
    click.option("--authority", "authorities", multiple=True, metavar="NAME|URN",
                 help="Only this authority (repeatable): its name, as the reference list knows it, or its "
                 "Ofsted URN."),
    click.option("--types", multiple=True, metavar="TYPE[,TYPE…]",
                 help="Only these publication types (repeatable or comma-separated): "
                 "childrens-services-inspection, focused-visit, monitoring-visit, "
                 "joint-targeted-area-inspection, or a type code from the manifest."),
    click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, metavar="YYYY-MM-DD",
                 help="Only publications dated on or after this day."),
    click.option("--base-url", default="https://reports.ofsted.gov.uk", show_default=True, metavar="URL",
                 help="Fetch from this host instead (a mirror or a test server); links to "
                 "files.ofsted.gov.uk then go to the same path on it, unless --files-base-url "
                 "says otherwise."),
    click.option("--files-base-url", default=None, metavar="URL",
                 help="Fetch files.ofsted.gov.uk links from this host [default: files.ofsted.gov.uk for the "
                 "live site, else --base-url]."),
    click.option("--rate", type=click.FloatRange(min=0), default=1.0, show_default=True, metavar="N",
                 help="Requests per second (0: no limit)."),
    click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=30.0, show_default=True,
                 metavar="SECONDS", help="Seconds to wait for a response."),
    click.option("--retries", type=click.IntRange(0), default=3, show_default=True, metavar="N",
                 help="Further attempts after a timeout, connection error, 429 or 5xx."),
    click.option("--backoff", type=click.FloatRange(min=0), default=1.0, show_default=True, metavar="SECONDS",
                 help="Seconds before the first retry; doubled before each further one."),
    click.option("--budget", type=click.FloatRange(min=0, min_open=True), default=None, metavar="SECONDS",
                 help="Stop after this many seconds; what was fetched by then is kept and recorded."),
    click.option("--recheck/--no-recheck", default=True, show_default=True,
                 help="Ask again (conditionally) for publications already held, to catch changed files."),
]


@main.command()
@click.option("--cron", default="0 6 * * 1", show_default=True, help="When to run (cron syntax).")
@click.option("--timezone", default="Europe/London", show_default=True, help="Time zone of the cron times.")
@raw_option
@warehouse_option
@click.option("--no-fetch", is_flag=True, help="Only run the pipeline on what the raw folder holds.")
@click.option("--name", default="scheduled", show_default=True, help="Deployment name.")
@friendly_errors
@run_option_flags
@fetch_option_flags
def serve(cron: str, timezone: str, raw_dir: Path, warehouse_dir: Path, no_fetch: bool, name: str,
          run_options, fetch_options) -> None:
    """Serve the scheduled flow (fetch new reports, then run the pipeline) on this machine.

    Every option of `fetch` and of `run` (but --dask-address) applies to each scheduled run.
    Schedules only fire from a real Prefect server: PREFECT_API_URL if set, else the shared
    local server (see `ofsted-findings server`), whose UI shows the runs. Prints a line per
    scheduled run. Stop with Ctrl-C.

    Example: ofsted-findings serve --cron "0 6 * * 1" --timezone Europe/London
    """
    from ofsted_findings.flows.prefect_server import PrefectApi

    parameters = serve_parameters(raw_dir=raw_dir, warehouse_dir=warehouse_dir, run_options=run_options,
                                  fetch_options=None if no_fetch else fetch_options)
    with PrefectApi(say=_say, services=True) as api:
        from ofsted_findings.flows.pipeline import pipeline_flow
        from ofsted_findings.flows.scheduled import scheduled_flow
        from ofsted_findings.flows.serving import serve_flow

        api.ready()
        serve_flow(flow=pipeline_flow if no_fetch else scheduled_flow, name=name, cron=cron,
                   timezone=timezone, parameters=parameters, api_url=api.url, echo=click.echo)


def serve_parameters(*, raw_dir: Path, warehouse_dir: Path, run_options, fetch_options) -> dict:
    """A scheduled run's parameters, as the deployment stores them (JSON): the folders, the run's
    options and, unless None (--no-fetch: the pipeline flow), the fetch's."""
    from pydantic import TypeAdapter

    from ofsted_findings.run.options import RunOptions

    parameters = {
        "raw_dir": str(raw_dir.absolute()),
        "warehouse_dir": str(warehouse_dir.absolute()),
        "options": TypeAdapter(RunOptions).dump_python(run_options, mode="json"),
    }
    if fetch_options is not None:
        from ofsted_findings.fetch.run import FetchOptions

        fetch_options = replace(fetch_options, raw_dir=raw_dir.absolute())
        parameters["fetch_options"] = TypeAdapter(FetchOptions).dump_python(fetch_options, mode="json")
    return parameters


@main.group()
def server() -> None:
    """The local Prefect server that runs, `serve` and Dask runs share (when PREFECT_API_URL is
    not set). A run starts it when needed; it stops itself after
    OFSTED_FINDINGS_SERVER_IDLE_MINUTES (30) minutes without a client.

    Example: ofsted-findings server status
    """


@server.command(name="status")
@friendly_errors
def server_status_command() -> None:
    """Say whether the shared server runs, where, and since when.

    Example: ofsted-findings server status
    """
    from ofsted_findings.flows.prefect_server import data_dir, server_status

    state, status = server_status()
    if state is None or status == "stopped":
        click.echo(f"stopped (data folder {data_dir()})")
        return
    idle = f"{state.idle_minutes:g} idle minutes" if state.idle_minutes else "never (idle stop off)"
    click.echo(f"{status}: {state.api_url} (UI: {state.api_url.removesuffix('/api')}), pid {state.pid}, "
               f"Prefect {state.prefect_version}, started {state.started_at}, stops after {idle}, "
               f"home {state.prefect_home}")


@server.command(name="start")
@friendly_errors
def server_start_command() -> None:
    """Start the shared server (or find it running) and print its API URL.

    Example: ofsted-findings server start
    """
    from ofsted_findings.flows.prefect_server import find_or_start_shared, wait_ready

    state = find_or_start_shared(say=_say)
    wait_ready(state)
    click.echo(state.api_url)


@server.command(name="stop")
@friendly_errors
def server_stop_command() -> None:
    """Stop the shared server.

    Example: ofsted-findings server stop
    """
    from ofsted_findings.flows.prefect_server import stop_shared

    state = stop_shared(say=_say)
    click.echo(f"stopped the server at {state.api_url} (pid {state.pid})" if state else "no server ran")


@main.command()
@click.argument("query")
@warehouse_option
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=SQL_TIMEOUT,
    show_default=True,
    help="Seconds before the query is stopped.",
)
@friendly_errors
def sql(query: str, warehouse_dir: Path, fmt: str, timeout: float) -> None:
    """Run one read-only SQL query (SELECT, WITH, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN) against
    the warehouse. Ctrl-C stops it (exit status 130).

    Example: ofsted-findings sql "select area, grade from judgements"
    """
    try:
        from ofsted_findings.warehouse.query import run_query

        columns, rows = run_query(warehouse_dir, query, timeout=timeout)
        emit(columns, rows, fmt)
    except KeyboardInterrupt:
        click.echo("error: interrupted (Ctrl-C); the query was stopped", err=True)
        _exit_sql(130)
    except UsageError as exc:
        click.echo(f"error: {exc}", err=True)
        _exit_sql(1)


def _exit_sql(code: int) -> NoReturn:
    """Exit now if DuckDB still runs a stopped query (a loaded machine can delay its interrupt):
    the interpreter's normal shutdown would wait for the query to finish."""
    from ofsted_findings.warehouse.query import query_still_running

    if query_still_running():
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


@main.command()
@click.argument("document")
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="HTML file to write [default: <document_id>.html].",
)
@warehouse_option
@friendly_errors
def show(document: str, out: Path | None, warehouse_dir: Path) -> None:
    """Write an HTML page of a document with every extraction highlighted, to audit it.

    DOCUMENT is a document_id, a prefix of one, or a source_path.

    Example: ofsted-findings show dudley_2018-12-10_inspection_report.txt --out report.html
    """
    from ofsted_findings.report.viewer import write_viewer

    click.echo(str(write_viewer(warehouse_dir, document, out)))


@main.command()
@click.option("--out", required=True, type=click.Path(path_type=Path, dir_okay=False),
              help="HTML file to write.")
@warehouse_option
@click.option("--authority", "authorities", multiple=True, metavar="NAME",
              help="Only this authority's section (repeatable) [default: every authority].")
@friendly_errors
def report(out: Path, warehouse_dir: Path, authorities: tuple[str, ...]) -> None:
    """Write one self-contained HTML report: per authority its grade timeline, theme heat map,
    recommendations with their recurrence and metrics; grades across all authorities.

    Example: ofsted-findings report --out report.html --authority Dudley
    """
    from ofsted_findings.report import write_report

    click.echo(str(write_report(warehouse_dir, out, authorities)))


@main.command()
@click.option("--out", required=True, type=click.Path(path_type=Path),
              help="A new folder, or a file ending in .zip.")
@warehouse_option
@friendly_errors
def export(out: Path, warehouse_dir: Path) -> None:
    """Write the hand-off bundle: Parquet, a self-contained DuckDB file, CSV/XLSX, dictionary.

    Example: ofsted-findings export --out dudley-bundle.zip
    """
    from ofsted_findings.warehouse.export import export_bundle

    click.echo(str(export_bundle(warehouse_dir, out)))


@main.command()
@warehouse_option
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@friendly_errors
def versions(warehouse_dir: Path, fmt: str) -> None:
    """List the published versions kept in the warehouse, newest first: when each was published,
    by which run, its number of documents, and which one is current.

    Example: ofsted-findings versions --warehouse warehouse
    """
    from ofsted_findings.warehouse.publish import list_versions

    found = list_versions(warehouse_dir)
    if not found:
        raise UsageError(f"{warehouse_dir}: no published warehouse here")
    rows = [
        ("yes" if v.current else "", v.name, v.created_at, v.run_id, v.documents) for v in reversed(found)
    ]
    emit(["current", "version", "published_at", "run_id", "documents"], rows, fmt)


@main.command()
@click.argument("version", required=False)
@warehouse_option
@friendly_errors
def rollback(version: str | None, warehouse_dir: Path) -> None:
    """Switch the warehouse back to a published version [default: the one before current].

    VERSION is a name from `ofsted-findings versions`, or a unique prefix of one. The switch is
    the same single rename a run's publish makes, under the warehouse lock (it waits for a run).

    Example: ofsted-findings rollback --warehouse warehouse
    """
    from ofsted_findings.warehouse.publish import rollback as switch_back

    was, now = switch_back(
        warehouse_dir, version, on_wait=lambda: click.echo("waiting for another run's lock", err=True)
    )
    if was.name == now.name:
        click.echo(f"{now.name} is already current")
    else:
        click.echo(f"current: {now.name} (run {now.run_id}, {now.documents} documents); was {was.name}")


@main.command(name="fetch")
@raw_option
@friendly_errors
@fetch_option_flags
def fetch_command(raw_dir: Path, fetch_options) -> None:
    """Download new publications from Ofsted's report site into the raw folder.

    Lists the local authority children's services providers, reads each one's page, and
    downloads the publications not yet held; those held are asked for again conditionally, and a
    file whose bytes changed is kept as a new file that supersedes the old. A URL that fails is
    reported in one line and the fetch goes on. Exits 0 when the fetch ran (even with failed URLs),
    1 when the site could not be reached at all or the options are wrong.

    Example: ofsted-findings fetch --authority Dudley --since 2018-01-01
    """
    from ofsted_findings.fetch.run import fetch
    from ofsted_findings.fetch.summary import summary_lines

    def report(kind: str, message: str) -> None:
        if kind == "error":
            click.echo(f"failed: {message}", err=True)
        elif kind == "warning":
            click.echo(f"warning: {message}", err=True)

    summary = fetch(fetch_options, report=report)
    for line in summary_lines(summary):
        click.echo(line)


def emit(columns: list[str], rows: list[tuple], fmt: str) -> None:
    """Print rows as a table, CSV or JSON (shared by every command that prints rows)."""
    if fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
    elif fmt == "json":
        click.echo(json.dumps([dict(zip(columns, r, strict=True)) for r in rows], default=str, indent=2))
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(show_edge=False, show_lines=False)
        for c in columns:
            table.add_column(c, overflow="fold")
        for r in rows:
            table.add_row(*("" if v is None else str(v) for v in r))
        Console(width=max(120, Console().width)).print(table)
