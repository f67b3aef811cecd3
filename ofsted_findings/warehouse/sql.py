"""SQL text built in Python: DuckDB takes file paths and comments as literals, not parameters,
in SET, COMMENT ON and ATTACH."""

from __future__ import annotations


def sql_string(value: str) -> str:
    """`value` as a quoted SQL string literal."""
    return "'" + value.replace("'", "''") + "'"
