"""Analysis views kept as SQL files (warehouse/views/*.sql), created in the DuckDB file."""

from __future__ import annotations

import re
from importlib import resources

MATERIALISE = "-- materialise"


def analysis_views() -> list[str]:
    """The SQL of every analysis view, in file order. A file whose first line is
    '-- materialise' creates tables instead: computed once when the warehouse is published,
    for views that would otherwise recompute a large join on every query."""
    folder = resources.files("ofsted_findings.warehouse") / "views"
    if not folder.is_dir():
        return []
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".sql")), key=lambda f: f.name)
    out = []
    for f in files:
        sql = f.read_text(encoding="utf-8")
        if sql.startswith(MATERIALISE):
            sql = re.sub(r"\bCREATE VIEW\b", "CREATE TABLE", sql)
        out.append(sql)
    return out
