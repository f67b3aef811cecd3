"""The end-of-run summary, as a terminal table and as Markdown (the Prefect artifact)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from ofsted_findings.pipeline import RunSummary


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


def print_summary(s: RunSummary, console: Console | None = None) -> None:
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
    console.print(f"Tables in {s.warehouse} (DuckDB: {s.warehouse / 'ofsted.duckdb'}) — {s.seconds:.1f} s")
