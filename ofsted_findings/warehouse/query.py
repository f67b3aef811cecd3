"""Read-only SQL over the published warehouse."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

from ofsted_findings.errors import UsageError
from ofsted_findings.warehouse.publish import DATABASE

# Statements that write, or reach outside the warehouse, are refused before DuckDB sees them.
_REFUSED = re.compile(
    r"(?:^|;)\s*(?:copy|attach|detach|install|load|export|import|create|insert|update|delete|drop|alter"
    r"|pragma|set|call|checkpoint|vacuum|use)\b|\b(?:write_csv|write_parquet|to\s+'[^']*')",
    re.I,
)


def run_query(warehouse_dir: Path, query: str) -> tuple[list[str], list[tuple]]:
    database = warehouse_dir / DATABASE
    if not database.exists():
        raise UsageError(f"{database}: no warehouse here; run `ofsted-findings run` first")
    if _REFUSED.search(query):
        raise UsageError("only read-only queries are allowed (SELECT, WITH, DESCRIBE, SHOW, ...)")
    con = duckdb.connect(str(database), read_only=True)
    try:
        cursor = con.execute(query)
        columns = [d[0] for d in cursor.description or []]
        return columns, cursor.fetchall()
    except duckdb.Error as exc:
        raise UsageError(f"SQL error: {str(exc).splitlines()[0]}") from exc
    finally:
        con.close()
