import datetime as dt

import duckdb
import pyarrow.parquet as pq
import pytest

from ofsted_findings.errors import UsageError
from ofsted_findings.pipeline import publish_run
from ofsted_findings.schemas import TABLES
from ofsted_findings.warehouse.publish import current_version
from ofsted_findings.warehouse.query import run_query


@pytest.fixture()
def warehouse(tmp_path, sample_tables):
    publish_run(sample_tables, tmp_path, "run-one", dt.datetime.now(dt.UTC), 5)
    return tmp_path


def test_publish_writes_every_table_and_views(warehouse):
    for table in TABLES:
        assert (warehouse / f"{table}.parquet").exists()
    con = duckdb.connect(str(warehouse / "ofsted.duckdb"), read_only=True)
    views = {r[0] for r in con.execute("select view_name from duckdb_views() where not internal").fetchall()}
    assert set(TABLES) <= views
    comments = con.execute(
        "select count(*) from duckdb_columns() where table_name='judgements' and comment is null"
    ).fetchone()[0]
    assert comments == 0


def test_parquet_fields_carry_descriptions(warehouse):
    schema = pq.read_schema(warehouse / "findings.parquet")
    assert all(f.metadata and f.metadata.get(b"description") for f in schema)
    assert schema.metadata[b"run_id"] == b"run-one"


def test_a_second_publish_switches_versions_and_keeps_run_history(warehouse, sample_tables):
    first = current_version(warehouse)
    publish_run(sample_tables, warehouse, "run-two", dt.datetime.now(dt.UTC), 5)
    assert current_version(warehouse) != first
    _, rows = run_query(warehouse, "select run_id from runs order by started_at")
    assert [r[0] for r in rows] == ["run-one", "run-two"]


def test_sample_query_prints_the_four_2018_grades(warehouse):
    _, rows = run_query(
        warehouse,
        "select area, grade from judgements j join documents d using (document_id) "
        "where d.source_path = 'dudley_2018-12-10.pdf'",
    )
    assert sorted(rows) == sorted(
        [
            ("impact_of_leaders", "good"),
            ("help_and_protection", "requires_improvement"),
            ("children_in_care_and_care_leavers", "good"),
            ("overall_effectiveness", "requires_improvement"),
        ]
    )


@pytest.mark.parametrize(
    "statement",
    [
        "COPY documents TO '/tmp/x.csv'",
        "ATTACH '/tmp/other.db'",
        "INSTALL httpfs",
        "DROP VIEW documents",
        "select * from documents; create table t as select 1",
    ],
)
def test_sql_refuses_writes(warehouse, statement):
    with pytest.raises(UsageError):
        run_query(warehouse, statement)


@pytest.mark.parametrize(
    "statement",
    ["select * from read_csv('/etc/passwd')", "select * from read_text('/etc/hostname')",
     "select * from glob('/root/*')"],
)
def test_sql_cannot_read_outside_the_warehouse(warehouse, statement):
    with pytest.raises(UsageError, match="refused|SQL error"):
        run_query(warehouse, statement)


def test_missing_warehouse_is_a_one_line_error(tmp_path):
    with pytest.raises(UsageError, match="no warehouse here"):
        run_query(tmp_path / "nowhere", "select 1")


def test_two_sandboxed_connections_at_once(warehouse):
    from ofsted_findings.warehouse.query import sandboxed_connection

    first = sandboxed_connection(warehouse)
    try:
        _, rows = run_query(warehouse, "select count(*) from documents")
        assert rows[0][0] > 0
    finally:
        first.close()
