"""Read-only SQL over the published warehouse."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

from ofsted_findings.errors import UsageError
from ofsted_findings.sql import sql_string
from ofsted_findings.warehouse.layout import DATABASE

# Statements that write, or reach outside the warehouse, are refused before DuckDB sees them.
_REFUSED = re.compile(
    r"(?:^|;)\s*(?:copy|attach|detach|install|load|export|import|create|insert|update|delete|drop|alter"
    r"|pragma|set|call|checkpoint|vacuum|use)\b|\b(?:write_csv|write_parquet|to\s+'[^']*')",
    re.I,
)


def sandboxed_connection(warehouse_dir: Path) -> duckdb.DuckDBPyConnection:
    """Read-only, and able to read files only inside the warehouse folder: no COPY ... TO,
    ATTACH, extension installs or reads of other files, whatever the query says.

    The warehouse is attached to a private in-memory database, so locking this connection's
    configuration never affects another connection to the same file in this process.
    """
    con = duckdb.connect(":memory:")
    con.execute(f"ATTACH {sql_string(str(warehouse_dir / DATABASE))} AS warehouse (READ_ONLY)")
    con.execute("USE warehouse")
    con.execute(f"SET allowed_directories = [{sql_string(str(warehouse_dir.resolve()) + '/')}]")
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
    return con


def run_query(warehouse_dir: Path, query: str) -> tuple[list[str], list[tuple]]:
    database = warehouse_dir / DATABASE
    if not database.exists():
        raise UsageError(f"{database}: no warehouse here; run `ofsted-findings run` first")
    if _REFUSED.search(query):
        raise UsageError("only read-only queries are allowed (SELECT, WITH, DESCRIBE, SHOW, ...)")
    con = sandboxed_connection(warehouse_dir)
    try:
        cursor = con.execute(query)
        columns = [d[0] for d in cursor.description or []]
        return columns, cursor.fetchall()
    except duckdb.PermissionException as exc:
        raise UsageError(f"refused: {str(exc).splitlines()[0]}") from exc
    except duckdb.Error as exc:
        raise UsageError(f"SQL error: {str(exc).splitlines()[0]}") from exc
    finally:
        con.close()
