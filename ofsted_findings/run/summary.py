"""The end-of-run summary, as a terminal table and as Markdown (the Prefect artifact)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:  # the summary is printed without importing the sequence (pandas, Pandera)
    from ofsted_findings.run.sequence import RunSummary


def summary_markdown(s: RunSummary) -> str:
    lines = [
        f"## ofsted-findings run {s.run_id}",
        "",
        f"Warehouse: `{s.warehouse}` — {s.seconds:.1f} s",
        "",
        "| documents | count |",
        "|---|---|",
        *(f"| {k} | {v} |" for k, v in sorted(s.documents_by_status.items())),
        "",
        "| table | rows | quarantined |",
        "|---|---|---|",
        *(
            f"| {t} | {n} | {s.quarantined_by_table.get(t, 0)} |"
            for t, n in s.rows_by_table.items()
            if t not in ("quarantine",)
        ),
    ]
    if s.problems:
        lines += ["", "| file | status | reason |", "|---|---|---|"]
        lines += [f"| {p} | {st} | {r} |" for p, st, r in s.problems]
    return "\n".join(lines) + "\n"


def summary_line(s: RunSummary) -> str:
    """The run in one line (a scheduled run's line in `serve`, its Prefect state message)."""
    docs = ", ".join(f"{k} {v}" for k, v in sorted(s.documents_by_status.items())) or "none"
    rows = sum(n for t, n in s.rows_by_table.items() if t != "quarantine")
    quarantined = sum(s.quarantined_by_table.values())
    return f"documents: {docs}; {rows} rows, {quarantined} quarantined; {s.seconds:.1f} s"


def print_summary(
    s: RunSummary, console: Console | None = None, timing: list[tuple[str, float]] | None = None
) -> None:
    """The summary tables; `timing` ([("wall", s), (part, s), ...]) gives the time line the
    wall time the user waited and its parts, else the flow's own time."""
    console = console or Console()
    docs = Table(title="Documents", show_edge=False)
    docs.add_column("status")
    docs.add_column("count", justify="right")
    for k, v in sorted(s.documents_by_status.items()):
        docs.add_row(k, str(v))
    rows = Table(title="Tables", show_edge=False)
    rows.add_column("table")
    rows.add_column("rows", justify="right")
    rows.add_column("quarantined", justify="right")
    for t, n in s.rows_by_table.items():
        if t != "quarantine":
            rows.add_row(t, str(n), str(s.quarantined_by_table.get(t, 0)))
    console.print(docs)
    console.print(rows)
    for path, status, reason in s.problems:
        console.print(f"[yellow]{path}[/]: {status}: {reason}", highlight=False)
    if timing:
        (_, wall), parts = timing[0], timing[1:]
        spent = f"{wall:.1f} s ({', '.join(f'{name} {sec:.1f} s' for name, sec in parts)})"
    else:
        spent = f"{s.seconds:.1f} s"
    where = f"Tables in {s.warehouse} (DuckDB: {s.warehouse / 'ofsted.duckdb'})"
    console.print(f"{where} — {spent}", highlight=False, soft_wrap=True)
