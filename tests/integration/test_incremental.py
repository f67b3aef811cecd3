"""Incremental runs: only new or changed files are processed, the rest is carried forward, and
the result is the same as a full run."""

from __future__ import annotations

import shutil

import pandas as pd
import pyarrow.parquet as pq
import pytest

from ofsted_findings.extract import versions
from ofsted_findings.run.sequence import run_pipeline
from ofsted_findings.schemas import TABLES
from ofsted_findings.warehouse.publish import VERSIONED_TABLES, current_version, open_warehouse
from tests.conftest import RAW

SAMPLE = sorted(p.name for p in RAW.iterdir())


@pytest.fixture()
def folders(tmp_path):
    raw, wh = tmp_path / "raw", tmp_path / "wh"
    raw.mkdir()
    for name in SAMPLE[:-1]:
        shutil.copy(RAW / name, raw / name)
    return raw, wh


def _tables(wh):
    version = current_version(wh)
    return {t: pq.read_table(version / f"{t}.parquet").to_pandas() for t in VERSIONED_TABLES}


def _files(wh):
    return {p: p.stat().st_mtime_ns for p in wh.rglob("*") if p.is_file()}


def test_second_run_with_nothing_changed_rewrites_only_runs(folders):
    raw, wh = folders
    run_pipeline(raw, wh, workers=1)
    before = _files(wh)
    summary = run_pipeline(raw, wh, workers=1)
    assert summary.plan.to_process == [] and summary.plan.unchanged == len(SAMPLE) - 1
    after = _files(wh)
    changed = {p.name for p in after if before.get(p) != after[p]}
    assert changed == {"runs.parquet"}
    runs = pq.read_table(wh / "runs.parquet").to_pylist()
    assert [r["files_processed"] for r in runs] == [len(SAMPLE) - 1, 0]
    assert runs[1]["published_version"] is None


def test_adding_one_file_processes_one_file_and_matches_a_full_run(folders, tmp_path):
    raw, wh = folders
    run_pipeline(raw, wh, workers=1)
    shutil.copy(RAW / SAMPLE[-1], raw / SAMPLE[-1])
    summary = run_pipeline(raw, wh, workers=1)
    assert [p.name for p in summary.plan.to_process] == [SAMPLE[-1]]
    assert summary.plan.new == 1 and summary.plan.unchanged == len(SAMPLE) - 1
    incremental = _tables(wh)
    full_wh = tmp_path / "full"
    run_pipeline(raw, full_wh, workers=1, full=True)
    full = _tables(full_wh)
    for table in VERSIONED_TABLES:
        pd.testing.assert_frame_equal(incremental[table], full[table], obj=table)


def test_changed_and_deleted_files(folders):
    raw, wh = folders
    run_pipeline(raw, wh, workers=1)
    victim, edited = raw / SAMPLE[0], raw / SAMPLE[1]
    victim.unlink()
    edited.write_text(
        edited.read_text(encoding="utf-8") + "\nInspectors found 12 new cases.\n", encoding="utf-8"
    )
    summary = run_pipeline(raw, wh, workers=1)
    assert summary.plan.deleted == 1 and summary.plan.changed == 1
    assert [p.name for p in summary.plan.to_process] == [SAMPLE[1]]
    docs = _tables(wh)["documents"]
    assert SAMPLE[0] not in set(docs["source_path"])
    assert len(docs) == len(SAMPLE) - 2
    for table in ("judgements", "findings", "metrics"):
        assert set(_tables(wh)[table]["document_id"]) <= set(docs["document_id"])


def test_a_new_extractor_version_reprocesses_everything(folders, monkeypatch):
    raw, wh = folders
    run_pipeline(raw, wh, workers=1)
    monkeypatch.setitem(versions.EXTRACTOR_VERSIONS, "metrics", "999")
    summary = run_pipeline(raw, wh, workers=1)
    assert len(summary.plan.to_process) == len(SAMPLE) - 1
    assert set(_tables(wh)["documents"]["extractor_version"]) == {versions.extractor_version()}


def test_full_forces_everything(folders):
    raw, wh = folders
    run_pipeline(raw, wh, workers=1)
    summary = run_pipeline(raw, wh, workers=1, full=True)
    assert len(summary.plan.to_process) == len(SAMPLE) - 1


def test_runs_table_is_a_view_in_duckdb(folders):
    raw, wh = folders
    run_pipeline(raw, wh, workers=1)
    run_pipeline(raw, wh, workers=1)
    con = open_warehouse(wh)
    assert con.execute("select count(*) from runs").fetchone()[0] == 2
    assert set(TABLES) <= {v for (v,) in con.execute("select view_name from duckdb_views()").fetchall()}


def test_a_superseded_download_gets_a_row_and_is_not_read(folders):

    raw, wh = folders
    old, new = raw / SAMPLE[0], raw / ("newer_" + SAMPLE[0])
    shutil.copy(old, new)
    with new.open("a", encoding="utf-8") as fh:
        fh.write("\nA corrected paragraph.\n")
    (raw / ".fetch-manifest.csv").write_text(
        "url,urn,authority,title,type,date,path,sha256,bytes,fetched_at,checked_at,http_status,etag,"
        "last_modified,supersedes,error\n"
        f"https://x/1,80464,Dudley,t,report,2018-12-10,{old.name},,,,,200,,,,\n"
        f"https://x/1,80464,Dudley,t,report,2018-12-10,{new.name},,,,,200,,,{old.name},\n",
        encoding="utf-8",
    )
    summary = run_pipeline(raw, wh, workers=1)
    docs = _tables(wh)["documents"].set_index("source_path")
    assert docs.loc[old.name, "status"] == "superseded"
    assert docs.loc[new.name, "status"] == "ok"
    again = run_pipeline(raw, wh, workers=1)
    assert again.plan.nothing_to_do and summary.version is not None
