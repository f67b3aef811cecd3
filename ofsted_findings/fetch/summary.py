"""The end-of-fetch summary: plain lines for the terminal, Markdown for the Prefect artifact."""

from __future__ import annotations

from ofsted_findings.fetch.run import FetchSummary


def summary_lines(s: FetchSummary) -> list[str]:
    lines = [
        f"fetch from {s.base_url} into {s.raw_dir}: {s.seconds:.1f} s, {s.requests} request(s) "
        f"({s.conditional_requests} conditional)",
        f"providers: {s.providers_listed} listed, {s.providers_selected} selected, "
        f"{s.providers_checked} checked",
        f"publications: {s.publications_seen} seen, {len(s.downloaded)} new, {len(s.changed)} changed, "
        f"{s.unchanged} unchanged, {s.skipped} not selected, {len(s.errors)} error(s)",
    ]
    if s.not_rechecked:
        lines.append(f"{s.not_rechecked} held publication(s) not rechecked (--no-recheck)")
    if s.budget_spent:
        lines.append("stopped early: the time budget was spent (run again to go on)")
    lines += [f"new: {name}" for name in s.downloaded]
    lines += [f"changed: {new} supersedes {old}" for new, old in s.changed]
    if s.manifest:
        lines.append(f"manifest: {s.manifest}")
    return lines


def summary_markdown(s: FetchSummary | None, error: str | None = None) -> str:
    """The fetch part of the scheduled run's artifact; `error` when the fetch did not run."""
    if s is None:
        return (
            "## Fetch\n\n"
            f"**The fetch failed: {error or 'unknown error'}.** The pipeline ran on the files "
            "already held.\n"
        )
    lines = ["## Fetch", "", *(f"- {line}" for line in summary_lines(s))]
    if s.errors or s.warnings:
        lines += ["", "| problem | detail |", "|---|---|"]
        lines += [f"| error | {_cell(e)} |" for e in s.errors]
        lines += [f"| warning | {_cell(w)} |" for w in s.warnings]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
