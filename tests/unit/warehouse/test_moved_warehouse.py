"""A warehouse folder copied or moved elsewhere, its original deleted, answers every query: the
views name their files relative to the warehouse folder, not by absolute paths."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest

from ofsted_findings.run.sequence import publish_run
from ofsted_findings.warehouse.publish import open_warehouse
from ofsted_findings.warehouse.query import run_query


@pytest.mark.parametrize("copy", [["cp", "-r"], ["cp", "-rL"]], ids=["links kept", "links resolved"])
def test_a_copied_warehouse_works_after_the_original_is_deleted(tmp_path, sample_tables, monkeypatch, copy):
    original = tmp_path / "wh"
    publish_run(sample_tables, original, "moved", dt.datetime.now(dt.UTC), 5)
    _, expected = run_query(original, "select count(*) from judgements")
    moved = tmp_path / "elsewhere" / "renamed"
    moved.parent.mkdir()
    subprocess.run([*copy, str(original), str(moved)], check=True)
    shutil.rmtree(original)
    monkeypatch.chdir(tmp_path)
    assert run_query(moved, "select count(*) from judgements")[1] == expected != [(0,)]
    assert run_query(moved, "select run_id from runs")[1] == [("moved",)]
    con = open_warehouse(moved)
    try:
        listed = con.execute("select view_name from duckdb_views() where not internal").fetchall()
        views = [v for (v,) in listed]
        assert {"documents", "runs", "press_vs_report"} <= set(views)
        for view in views:
            con.execute(f'select count(*) from "{view}"').fetchall()
    finally:
        con.close()
    for view in views:
        run_query(moved, f'select count(*) from "{view}"')
