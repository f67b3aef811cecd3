"""The analysis views on the Dudley sample."""

import copy
import datetime as dt

import duckdb
import pytest

from ofsted_findings.run.sequence import build_and_validate, publish_run
from ofsted_findings.warehouse import views
from ofsted_findings.warehouse.publish import current_version, set_warehouse_variable, write_views
from ofsted_findings.warehouse.query import run_query


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory, sample_tables):
    path = tmp_path_factory.mktemp("wh")
    publish_run(sample_tables, path, "views", dt.datetime.now(dt.UTC), 5)
    return path


def _rows(warehouse, sql):
    columns, rows = run_query(warehouse, sql)
    return [dict(zip(columns, r, strict=True)) for r in rows]


def _statuses(warehouse, theme):
    rows = _rows(warehouse, f"select year(end_date) y, status from theme_inspection where theme = '{theme}'")
    return {r["y"]: r["status"] for r in rows}


def _trajectory(warehouse, theme):
    (row,) = _rows(warehouse, f"select trajectory from theme_trajectory where theme = '{theme}'")
    return row["trajectory"]


def test_supervision_is_a_weakness_in_2018_and_again_in_2025(warehouse):
    statuses = _statuses(warehouse, "supervision")
    assert statuses[2018] == "weakness" and statuses[2025] == "weakness"
    assert _trajectory(warehouse, "supervision") == "persistent_weakness"


def test_homelessness_of_16_17_year_olds_is_resolved(warehouse):
    statuses = _statuses(warehouse, "homelessness_16_17")
    assert statuses[2018] == "weakness" and statuses[2025] == "strength"
    assert _trajectory(warehouse, "homelessness_16_17") == "resolved"


def test_workforce_turnover_and_agency_staff_is_a_weakness_from_2016_through_2025(warehouse):
    statuses = _statuses(warehouse, "workforce_stability")
    assert statuses and all(s == "weakness" for s in statuses.values())
    assert min(statuses) == 2016 and max(statuses) == 2025
    assert _trajectory(warehouse, "workforce_stability") == "persistent_weakness"


def test_grade_history_has_the_2018_grades_with_changes(warehouse):
    rows = _rows(
        warehouse, "select year(end_date) y, area, grade, change from grade_history order by end_date, area"
    )
    grades_2018 = {r["area"]: r["grade"] for r in rows if r["y"] == 2018}
    assert grades_2018["overall_effectiveness"] == "requires_improvement"
    assert all(r["change"] in ("first", "improved", "declined", "same") for r in rows)


def test_press_vs_report(warehouse):
    rows = _rows(warehouse, "select publisher, kind, item, verdict from press_vs_report")
    willis = [r for r in rows if r["publisher"].startswith("WillisPalmer")]
    assert {r["verdict"] for r in willis if r["kind"] == "judgement"} == {"agrees"}
    recs = [r for r in willis if r["kind"] == "recommendation"]
    assert len(recs) == 7 and sum(r["verdict"] == "agrees" for r in recs) >= 5
    cyp = [r for r in rows if r["publisher"] == "CYP Now"]
    assert cyp and all(r["verdict"] in ("no_report", "agrees") for r in cyp)


def test_metrics_by_subject_has_authority_and_year(warehouse):
    rows = _rows(
        warehouse, "select local_authority, year, unit, value from metrics_by_subject where unit = 'percent'"
    )
    assert rows and all(r["local_authority"] == "Dudley" and r["year"] for r in rows)
    assert any(r["value"] == 47.6 for r in rows)


def test_recurring_recommendations_scores_are_between_0_and_1(warehouse):
    rows = _rows(warehouse, "select score, shared_words from recurring_recommendations")
    assert all(0.25 <= r["score"] <= 1 and len(r["shared_words"]) >= 2 for r in rows)


def test_statistical_neighbours_sit_beside_dudleys_latest_grades(warehouse):
    rows = _rows(
        warehouse,
        "select area, grade, neighbour_rank, neighbour from statistical_neighbours_grades "
        "where local_authority = 'Dudley' and area = 'overall_effectiveness' order by neighbour_rank",
    )
    assert rows and rows[0]["neighbour_rank"] == 1
    assert len({r["neighbour"] for r in rows}) == len(rows) <= 10
    assert all(r["grade"] == "requires_improvement" for r in rows)


def test_authority_shares_keep_each_share_under_the_weight(monkeypatch):
    monkeypatch.setattr(views, "SCOPE_WEIGHT", 20)
    con = duckdb.connect()
    con.execute("CREATE TABLE documents AS SELECT * FROM (VALUES (5), (5), (5), (7), (NULL), (9)) t(la_urn)")
    con.execute("INSERT INTO documents SELECT 8 FROM range(5)")  # 25 > 20: a share of its own
    assert views.authority_shares(con) == [[0, 5, 7], [8], [9]]  # 1 + 9 + 1, then 25, then 1


def test_a_few_authorities_at_a_time_give_the_same_tables(tmp_path, mixed_results, monkeypatch):
    published = tmp_path / "wh"
    tables = build_and_validate(copy.deepcopy(mixed_results))
    publish_run(tables, published, "one", dt.datetime.now(dt.UTC), 1)
    version = current_version(published)
    monkeypatch.setattr(views, "SCOPE_WEIGHT", 1)  # one authority per share
    write_views(tmp_path / "shares.duckdb", version, views.analysis_views())
    con = duckdb.connect(str(tmp_path / "shares.duckdb"), read_only=True)
    set_warehouse_variable(con, published)
    con.execute(f"ATTACH '{version / 'ofsted.duckdb'}' AS whole (READ_ONLY)")
    assert len(views.authority_shares(con)) > 5
    for table in ("recurring_recommendations", "theme_trajectory"):
        rows = con.sql(f"SELECT count(*) FROM {table}").fetchall()[0][0]
        assert rows and rows == con.sql(f"SELECT count(*) FROM whole.{table}").fetchall()[0][0]
    for table in ("recurring_recommendations", "theme_trajectory"):
        # inspections of one authority ending the same day are ordered by id, not arbitrarily
        differ = f"FROM {table} EXCEPT ALL FROM whole.{table}"
        assert con.sql(f"SELECT count(*) FROM ({differ})").fetchall() == [(0,)]


def test_inspections_ending_the_same_day_are_ordered_by_id():
    # Two inspections of one authority that end the same day: the later is the one with the
    # larger id, every time, whatever order the rows arrive in (was arbitrary).
    sql = next(v.sql for v in views.analysis_views() if v.name == "theme_trajectory")
    con = duckdb.connect()
    con.execute("CREATE TABLE materialise_scope AS SELECT 1 AS la_urn")
    con.execute(
        "CREATE TABLE theme_inspection AS SELECT * FROM (VALUES "
        "('A', 1, 'R', 'i-a', 'supervision', 'strength', DATE '2020-01-31'), "
        "('A', 1, 'R', 'i-b', 'supervision', 'weakness', DATE '2020-01-31')) "
        "t(local_authority, la_urn, region, inspection_id, theme, status, end_date)"
    )
    con.execute(sql)
    row = con.sql("SELECT status_history, latest_status, previous_status, trajectory FROM theme_trajectory")
    assert row.fetchall() == [(["2020-01:strength", "2020-01:weakness"], "weakness", "strength", "declined")]


def test_statements_are_split_by_the_project_not_by_duckdb():
    sql = (
        "-- materialise: a header\n-- more header\nCREATE VIEW a AS SELECT ';' AS x, $$;$$ AS y -- c; d\n;\n"
        "/* block; comment */\nCREATE VIEW b AS SELECT \"semi;colon\" FROM t /* ; */;\n"
        "\n-- trailing comment\n"
    )
    assert views.split_statements(sql) == [
        "CREATE VIEW a AS SELECT ';' AS x, $$;$$ AS y -- c; d",
        'CREATE VIEW b AS SELECT "semi;colon" FROM t /* ; */',
    ]
    a, b = views.read_view_file(sql, file="x.sql")
    assert (a.name, a.materialise, b.name) == ("a", True, "b")
    assert a.sql.startswith("CREATE TABLE a AS SELECT")


def test_every_view_file_loads_and_materialised_scoped_tables_are_recognised():
    # The DuckDB version the lock installs and the newest one the range allows are both run by
    # the suite (scripts/check-latest): this pins what the loader reads, whatever DuckDB echoes.
    loaded = {v.name: v for v in views.analysis_views()}
    assert {"grade_history", "theme_inspection", "theme_trajectory", "recurring_recommendations",
            "press_vs_report", "metrics_by_subject", "latest_grades",
            "statistical_neighbours_grades"} <= set(loaded)
    assert {n for n, v in loaded.items() if v.scoped} >= {"theme_trajectory", "recurring_recommendations"}
    assert not loaded["press_vs_report"].materialise
    con = duckdb.connect()
    for view in loaded.values():  # each parses in this DuckDB
        assert len(con.extract_statements(view.sql)) == 1


def test_a_file_with_something_other_than_a_view_is_refused():
    with pytest.raises(ValueError, match="bad.sql"):
        views.read_view_file("CREATE VIEW a AS SELECT 1; DROP TABLE documents;", file="bad.sql")


def test_every_view_column_is_described_beside_its_sql():
    statements = views.analysis_views()
    columns = views.view_columns(statements)
    for view in statements:
        assert view.description, view.name
        assert [c for c, _ in columns[view.name]] == list(view.columns), view.name
        assert all(view.columns.values()), view.name


def test_a_view_column_without_a_description_is_an_error():
    sql = (
        "-- v: a view.\n-- columns:\n--   a: the first column,\n--       over two lines.\n"
        "CREATE VIEW v AS SELECT 1 AS a, 2 AS b;"
    )
    (view,) = views.read_view_file(sql, file="v.sql")
    assert view.description == "A view."
    assert view.columns == {"a": "the first column, over two lines."}
    con = duckdb.connect()
    with pytest.raises(ValueError, match=r"v\.sql: v: no description of b"):
        views.create_analysis_views(con, [view])


def test_dudley_has_its_ten_statistical_neighbours(warehouse):
    rows = _rows(
        warehouse,
        "select neighbour_rank, neighbour from statistical_neighbours_grades "
        "where local_authority = 'Dudley' and area = 'overall_effectiveness' order by neighbour_rank",
    )
    assert [r["neighbour_rank"] for r in rows] == list(range(1, 11))
    assert "Barnsley" in {r["neighbour"] for r in rows}  # listed under its pre-2014 ONS code
