"""The HTML report: per authority a grade timeline, a theme heat map, recommendations with their
recurrence and metrics; an overview of grades across all authorities. One self-contained file."""

from __future__ import annotations

from pathlib import Path


def write_report(warehouse_dir: Path, out: Path, authorities: tuple[str, ...] | list[str] = ()) -> Path:
    """Query the warehouse, draw the charts and write the page to `out`; returns `out`."""
    from ofsted_findings.report.data import load_report
    from ofsted_findings.report.page import render_report

    data = load_report(warehouse_dir, list(authorities))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_report(data), encoding="utf-8")
    return out
