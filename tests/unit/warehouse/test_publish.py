import datetime as dt

import duckdb
import pyarrow.parquet as pq
import pytest

from ofsted_findings.errors import UsageError
from ofsted_findings.run.sequence import publish_run
from ofsted_findings.schemas import TABLES
from ofsted_findings.settings import KEEP_VERSIONS
from ofsted_findings.warehouse.publish import current_version, list_versions, prune_versions, rollback
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


def _publish(tables, warehouse, run_id):
    return publish_run(tables, warehouse, run_id, dt.datetime.now(dt.UTC), 5).version


def test_versions_lists_published_versions_with_run_documents_and_current(warehouse, sample_tables):
    first = current_version(warehouse)
    second = _publish(sample_tables, warehouse, "run-two")
    (warehouse / ".versions" / "99999999T000000000000Z-killed").mkdir()  # a killed run's leftover
    found = list_versions(warehouse)
    assert [v.name for v in found] == [first.name, second.name]
    assert [v.run_id for v in found] == ["run-one", "run-two"]
    assert [v.current for v in found] == [False, True]
    documents = len(sample_tables.frames["documents"])
    assert [v.documents for v in found] == [documents, documents]
    assert all(dt.datetime.fromisoformat(v.created_at) for v in found)


def test_rollback_switches_current_to_the_version_before_and_readers_see_it(warehouse, sample_tables):
    first = current_version(warehouse)
    second = _publish(sample_tables, warehouse, "run-two")
    was, now = rollback(warehouse)
    assert (was.name, now.name) == (second.name, first.name)
    assert current_version(warehouse) == first
    assert pq.read_schema(warehouse / "documents.parquet").metadata[b"run_id"] == b"run-one"
    _, rows = run_query(warehouse, "select count(*) from documents")
    assert rows[0][0] == len(sample_tables.frames["documents"])
    with pytest.raises(UsageError, match="no version before the current one"):
        rollback(warehouse)
    _, back = rollback(warehouse, second.name[:20])  # a unique prefix
    assert back.name == second.name and current_version(warehouse) == second


def test_rollback_refuses_unknown_ambiguous_and_unpublished_versions(warehouse, sample_tables):
    _publish(sample_tables, warehouse, "run-two")
    leftover = warehouse / ".versions" / "99999999T000000000000Z-killed"
    leftover.mkdir()
    before = current_version(warehouse)
    for wanted, message in [
        ("nope", "no published version 'nope'"),
        ("2", "matches 2 versions"),
        (leftover.name, "no published version"),
    ]:
        with pytest.raises(UsageError, match=message):
            rollback(warehouse, wanted)
    assert current_version(warehouse) == before
    with pytest.raises(UsageError, match="no published warehouse here"):
        rollback(warehouse / "elsewhere")


def test_rollback_waits_for_the_warehouse_lock(warehouse, sample_tables):
    import threading

    from ofsted_findings.warehouse.lock import warehouse_lock

    first = current_version(warehouse)
    second = _publish(sample_tables, warehouse, "run-two")
    said = threading.Event()
    with warehouse_lock(warehouse):  # a run in progress
        worker = threading.Thread(target=rollback, args=(warehouse,), kwargs={"on_wait": said.set})
        worker.start()
        assert said.wait(10)
        assert current_version(warehouse) == second  # not switched under the run
    worker.join(10)
    assert current_version(warehouse) == first


def test_publish_keeps_the_last_versions_and_removes_leftovers(warehouse, sample_tables):
    leftover = warehouse / ".versions" / "00000000T000000000000Z-killed"
    leftover.mkdir()
    names = [current_version(warehouse).name]
    for i in range(KEEP_VERSIONS):
        names.append(_publish(sample_tables, warehouse, f"run-{i}").name)
    kept = sorted(p.name for p in (warehouse / ".versions").iterdir())
    assert kept == names[-KEEP_VERSIONS:]
    assert [v.name for v in list_versions(warehouse)] == kept


def test_pruning_always_keeps_the_current_version(warehouse, sample_tables):
    first = current_version(warehouse)
    for i in range(3):
        _publish(sample_tables, warehouse, f"run-{i}")
    rollback(warehouse, first.name)
    newest = [v.name for v in list_versions(warehouse)][-2:]
    assert prune_versions(warehouse, keep=2) != []
    assert sorted(p.name for p in (warehouse / ".versions").iterdir()) == sorted([first.name, *newest])
    assert current_version(warehouse) == first
