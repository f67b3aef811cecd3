"""The hand-off bundle: moved anywhere, every view still works; spreadsheets for the small tables."""

import datetime as dt
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import duckdb
import pytest

from ofsted_findings.run.sequence import publish_run
from ofsted_findings.schemas import TABLES
from ofsted_findings.warehouse.export import export_bundle
from ofsted_findings.warehouse.layout import open_warehouse

DUCKDB_CLI = Path(sys.executable).with_name("duckdb")


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory, sample_tables):
    path = tmp_path_factory.mktemp("wh")
    publish_run(sample_tables, path, "export", dt.datetime.now(dt.UTC), 5)
    return path


def _views(con):
    """Views, and the analysis views the publish step stores as tables."""
    views = con.execute("select view_name from duckdb_views() where not internal").fetchall()
    tables = con.execute("select table_name from duckdb_tables()").fetchall()
    return [v for (v,) in views + tables]


def test_exported_folder_moved_elsewhere_still_answers_every_view(warehouse, tmp_path, monkeypatch):
    bundle = export_bundle(warehouse, tmp_path / "bundle")
    moved = tmp_path / "elsewhere" / "renamed"
    moved.parent.mkdir()
    shutil.move(bundle, moved)
    monkeypatch.chdir(tmp_path)
    con = duckdb.connect(str(moved / "ofsted.duckdb"), read_only=True)
    views = _views(con)
    assert {
        "grade_history",
        "theme_trajectory",
        "recurring_recommendations",
        "press_vs_report",
        "metrics_by_subject",
        "statistical_neighbours_grades",
    } <= set(views)
    for view in views:
        con.execute(f"select * from {view}").fetchall()
    source = open_warehouse(warehouse)
    for table in ("judgements", "findings", "documents"):
        expected = source.execute(f"select count(*) from {table}").fetchone()[0]
        assert con.execute(f"select count(*) from {table}").fetchone()[0] == expected > 0
    missing = con.execute(
        "select count(*) from duckdb_columns() "
        "where table_name in ('documents', 'findings') and comment is null"
    ).fetchone()[0]
    assert missing == 0


def test_bundle_contents(warehouse, tmp_path):
    bundle = export_bundle(warehouse, tmp_path / "b")
    names = {p.name for p in bundle.iterdir()}
    assert {
        "README.md",
        "DATA_DICTIONARY.md",
        "datapackage.json",
        "ofsted.duckdb",
        "ofsted_findings.xlsx",
        "csv",
    } <= names
    assert {f"{t}.parquet" for t in TABLES} <= names
    assert "select" in (bundle / "README.md").read_text()


def test_xlsx_has_a_sheet_per_small_table_with_frozen_header(warehouse, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    bundle = export_bundle(warehouse, tmp_path / "b")
    book = openpyxl.load_workbook(bundle / "ofsted_findings.xlsx", read_only=False)
    assert {"documents", "judgements", "recommendations", "findings", "metrics"} <= set(book.sheetnames)
    assert "document_texts" not in book.sheetnames
    sheet = book["judgements"]
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]][:3] == ["judgement_id", "document_id", "inspection_id"]


def test_zip_bundle(warehouse, tmp_path):
    out = export_bundle(warehouse, tmp_path / "bundle.zip")
    with zipfile.ZipFile(out) as zf:
        assert "bundle/ofsted.duckdb" in zf.namelist()


@pytest.mark.skipif(not DUCKDB_CLI.exists(), reason="duckdb-cli (test extra) not installed")
@pytest.mark.parametrize("which", ["warehouse", "warehouse from elsewhere", "bundle"])
def test_duckdb_cli_1_5_opens_the_files(warehouse, tmp_path, which):
    """The published views read their files relative to the working directory, or to the
    folder the variable ofsted_warehouse names (as README says); the bundle holds its data."""
    folder = export_bundle(warehouse, tmp_path / "b") if which == "bundle" else warehouse
    database = folder / "ofsted.duckdb"
    query = "select count(*) from grade_history"
    cwd = folder if which == "warehouse" else tmp_path
    if which == "warehouse from elsewhere":
        query = f"SET VARIABLE ofsted_warehouse = '{folder}'; {query}"
    out = subprocess.run(
        [str(DUCKDB_CLI), "-readonly", "-csv", str(database), "-c", query],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        cwd=cwd,
    )
    expected = open_warehouse(warehouse).execute("select count(*) from grade_history").fetchone()
    assert out.stdout.splitlines()[-1] == str(expected[0]) != "0"


ANALYSIS_VIEWS = {
    "grade_history", "theme_inspection", "theme_trajectory", "recurring_recommendations",
    "recommendation_themes", "press_vs_report", "metrics_by_subject", "latest_grades",
    "statistical_neighbours_grades",
}


def test_the_analysis_views_are_csv_files_and_sheets_too(warehouse, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    bundle = export_bundle(warehouse, tmp_path / "b")
    assert {f"{v}.csv" for v in ANALYSIS_VIEWS} <= {p.name for p in (bundle / "csv").iterdir()}
    book = openpyxl.load_workbook(bundle / "ofsted_findings.xlsx", read_only=True)
    assert set(book.sheetnames) >= ANALYSIS_VIEWS
    con = duckdb.connect(str(bundle / "ofsted.duckdb"), read_only=True)
    for view in ("grade_history", "theme_trajectory", "statistical_neighbours_grades"):
        expected = con.execute(f"select count(*) from {view}").fetchone()[0]
        with (bundle / "csv" / f"{view}.csv").open(encoding="utf-8") as fh:
            assert sum(1 for _ in fh) - 1 == expected > 0, view
        assert book[view].max_row - 1 == expected, view
    with (bundle / "csv" / "theme_trajectory.csv").open(encoding="utf-8") as fh:
        assert ":weakness; " in fh.read()  # status_history, a list, joined for spreadsheets


def test_the_readme_names_the_run_its_date_and_counts(warehouse, tmp_path):
    bundle = export_bundle(warehouse, tmp_path / "b")
    readme = (bundle / "README.md").read_text(encoding="utf-8")
    assert "?" not in readme.split("|")[0]
    con = open_warehouse(warehouse)
    (run_id,) = con.execute("select run_id from runs").fetchone()
    documents = con.execute("select count(*) from documents").fetchone()[0]
    findings = con.execute("select count(*) from findings").fetchone()[0]
    assert f"(run `{run_id}`, published {dt.date.today():%Y-%m-%d}" in readme
    assert "from 5 source" in readme
    assert f"{documents} documents (" in readme and f"{findings} findings" in readme


@pytest.mark.parametrize("which", ["warehouse", "bundle"])
def test_no_column_without_a_comment(warehouse, tmp_path, which):
    folder = warehouse if which == "warehouse" else export_bundle(warehouse, tmp_path / "b")
    con = open_warehouse(folder) if which == "warehouse" else duckdb.connect(str(folder / "ofsted.duckdb"))
    columns = con.execute(
        "select table_name, column_name, comment from duckdb_columns() where not internal"
    ).fetchall()
    relations = {t for t, _, _ in columns}
    assert ANALYSIS_VIEWS | set(TABLES) <= relations
    assert [(t, c) for t, c, comment in columns if not comment] == []
    described = con.execute(
        "select view_name, comment from duckdb_views() where not internal "
        "union all select table_name, comment from duckdb_tables()"
    ).fetchall()
    assert [name for name, comment in described if not comment] == []


def test_bundle_documentation_is_written_by_the_package(warehouse, tmp_path):
    """The dictionary, datapackage.json and changelog come from the schemas and the package's
    data (so an installed wheel writes them too), the dictionary's examples from the bundle."""
    import json

    from ofsted_findings.warehouse import dictionary

    bundle = export_bundle(warehouse, tmp_path / "b")
    assert json.loads((bundle / "datapackage.json").read_text()) == dictionary.datapackage()
    assert (bundle / "CHANGELOG.md").read_text() == dictionary.changelog()
    text = (bundle / "DATA_DICTIONARY.md").read_text()
    assert "Examples are from these tables." in text
    run_id = duckdb.connect(str(bundle / "ofsted.duckdb"), read_only=True).execute(
        "select run_id from runs"
    ).fetchone()[0]
    assert f"| {run_id} |" in text  # the bundle's own run, an example the sample has not
