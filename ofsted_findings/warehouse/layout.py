"""Where a warehouse keeps its files and versions, apart from the code that writes them: the
read-only commands (`sql`, `show`) and the run's shrink check (before Prefect starts) import
this, not publish.py, and so start without pandas and Pandera."""

from __future__ import annotations

from pathlib import Path

import duckdb

from ofsted_findings.errors import UsageError
from ofsted_findings.warehouse.sql import sql_string

DATABASE = "ofsted.duckdb"
VERSIONS = ".versions"
CURRENT = "current"
RUNS_FILE = "runs.parquet"
# The DuckDB variable the views' relative file paths start from (publish.py): the warehouse folder.
WAREHOUSE_VARIABLE = "ofsted_warehouse"


def current_version(warehouse_dir: Path) -> Path | None:
    """The folder `current` points at, or None before the first publish."""
    link = warehouse_dir / CURRENT
    return link.resolve() if link.is_symlink() and link.resolve().is_dir() else None


def published_files(warehouse_dir: Path) -> list[Path]:
    """Every Parquet file a view of any kept version may read (the sql sandbox allows these)."""
    return [warehouse_dir / RUNS_FILE, *sorted((warehouse_dir / VERSIONS).glob("*/*.parquet"))]


def set_warehouse_variable(con: duckdb.DuckDBPyConnection, warehouse_dir: Path) -> None:
    """Point the views' relative file paths at `warehouse_dir` for this connection."""
    con.execute(f"SET VARIABLE {WAREHOUSE_VARIABLE} = {sql_string(str(warehouse_dir.resolve()))}")


def open_warehouse(warehouse_dir: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the published database whose views find their files wherever
    the warehouse folder now is (for the project's own queries: report, viewer)."""
    database = warehouse_dir / DATABASE
    if not database.exists():
        raise UsageError(f"{database}: no warehouse here; run `ofsted-findings run` first")
    con = duckdb.connect(str(database), read_only=True)
    set_warehouse_variable(con, warehouse_dir)
    return con
