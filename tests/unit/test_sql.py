"""SQL string literals: a path or a description with a quote in it reaches DuckDB intact."""

import duckdb

from ofsted_findings.warehouse.sql import sql_string


def test_sql_string_round_trips_through_duckdb():
    for value in ["plain", "Children's services", "it''s", "", "a'b'c'"]:
        assert duckdb.sql(f"SELECT {sql_string(value)}").fetchall() == [(value,)]
