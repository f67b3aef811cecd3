"""The spool's DuckDB connections: one in-memory database per run, a cursor per query."""

import duckdb
import pytest

from ofsted_findings.assemble.parts import connect, shared_database


def test_connections_inside_a_shared_database_see_one_database(tmp_path):
    with shared_database(tmp_path):
        first = connect(tmp_path)
        first.execute("CREATE TABLE t AS SELECT 42 AS x")
        first.close()  # closes the cursor, not the database
        second = connect(tmp_path)
        assert second.execute("SELECT x FROM t").fetchall() == [(42,)]
        assert second.execute("SELECT current_setting('memory_limit')").fetchone()[0] != ""
    # outside, each connection is a database of its own again
    with pytest.raises(duckdb.CatalogException):
        connect(tmp_path).execute("SELECT x FROM t")


def test_the_shared_database_is_closed_on_leaving(tmp_path):
    with shared_database(tmp_path):
        cursor = connect(tmp_path)
    with pytest.raises(duckdb.ConnectionException):
        cursor.execute("SELECT 1")
