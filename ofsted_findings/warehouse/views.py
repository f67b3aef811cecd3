"""Analysis views kept as SQL files (warehouse/views/*.sql), created in the DuckDB file."""

from __future__ import annotations

from importlib import resources


def analysis_views() -> list[str]:
    folder = resources.files("ofsted_findings.warehouse") / "views"
    if not folder.is_dir():
        return []
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".sql")), key=lambda f: f.name)
    return [f.read_text(encoding="utf-8") for f in files]
