"""A run with nothing to do, as the command line decides and records it without Prefect or pandas
(ofsted_findings/run/record.py): the same runs row the sequence records, and never a run with
work to do taken for one with nothing to do."""

from __future__ import annotations

import shutil

import pyarrow.parquet as pq
import pytest

from ofsted_findings.assemble.incremental import plan, read_published
from ofsted_findings.ingest.discover import discover
from ofsted_findings.run.record import Pending, RunSummary, run_if_unchanged
from ofsted_findings.run.sequence import run_pipeline, split_superseded
from tests.conftest import RAW

RUN_COLUMNS = {"run_id", "started_at", "finished_at"}


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    root = tmp_path_factory.mktemp("unchanged")
    raw = root / "raw"
    shutil.copytree(RAW, raw)
    run_pipeline(raw, root / "wh", workers=2)
    return root


def _copy(published, tmp_path):
    shutil.copytree(published / "raw", tmp_path / "raw")
    shutil.copytree(published / "wh", tmp_path / "wh", symlinks=True)
    return tmp_path / "raw", tmp_path / "wh"


def _runs(wh):
    rows = pq.read_table(wh / "runs.parquet").to_pylist()
    return [{k: v for k, v in r.items() if k not in RUN_COLUMNS} for r in rows]


def test_the_fast_path_records_the_row_the_sequence_records(published, tmp_path):
    raw, wh = _copy(published, tmp_path)
    summary = run_pipeline(raw, wh, workers=1)  # nothing to do: recorded by the sequence
    assert summary.plan.nothing_to_do
    fast = run_if_unchanged(raw_dir=raw, warehouse_dir=wh, allow_shrink=False, run_id="fast")
    assert isinstance(fast, RunSummary) and fast.version == summary.version
    rows = _runs(wh)
    assert rows[-1] == rows[-2]
    assert fast.documents_by_status == summary.documents_by_status
    assert fast.rows_by_table == summary.rows_by_table and fast.problems == summary.problems
    runs = pq.read_table(wh / "runs.parquet")
    assert runs.schema == pq.read_table(published / "wh" / "runs.parquet").schema  # descriptions kept
    assert runs.column("run_id").to_pylist()[-1] == "fast"


def _change(kind, raw):
    if kind == "new":
        (raw / "new_letter.txt").write_text("Ofsted monitoring visit to Dudley children's services.\n")
    elif kind == "changed":
        path = next(raw.glob("*.txt"))
        path.write_text(path.read_text() + "\nOne more line.\n")
    elif kind == "deleted":
        next(raw.glob("*.md")).unlink()
    elif kind == "copy":
        path = next(raw.glob("*.txt"))
        shutil.copy(path, raw / f"copy_of_{path.name}")
    elif kind == "superseded":  # the manifest now says one published file replaces another
        from ofsted_findings.fetch.manifest import Entry, Manifest

        older, newer = sorted(p.name for p in raw.glob("*.txt"))[:2]
        entries = [Entry(url="https://x/1", path=older),
                   Entry(url="https://x/1", path=newer, supersedes=older)]
        Manifest(entries).save(raw)


KINDS = ["none", "new", "changed", "deleted", "copy", "superseded", "full", "extractor"]


@pytest.mark.parametrize("kind", KINDS)
def test_the_fast_path_takes_only_runs_the_plan_finds_nothing_to_do(published, tmp_path, monkeypatch, kind):
    raw, wh = _copy(published, tmp_path)
    _change(kind, raw)
    if kind == "extractor":
        from ofsted_findings.extract import versions

        monkeypatch.setitem(versions.EXTRACTOR_VERSIONS, "metrics", "changed")
    full = kind == "full"
    paths = discover(raw)
    readable, _ = split_superseded(raw, paths)
    planned = plan(raw, readable, read_published(wh), full)
    before = len(_runs(wh))
    fast = run_if_unchanged(raw_dir=raw, warehouse_dir=wh, allow_shrink=True, run_id="fast", full=full)
    assert isinstance(fast, RunSummary) == (kind == "none")
    assert planned.nothing_to_do == (kind == "none")
    assert len(_runs(wh)) == before + isinstance(fast, RunSummary)
    if isinstance(fast, Pending):  # the files started early: those the plan reads
        assert sorted(fast.likely) == sorted(planned.to_process)


def test_a_failed_document_is_tried_again_not_recorded_as_unchanged(published, tmp_path):
    raw, wh = _copy(published, tmp_path)
    (raw / "broken.pdf").write_bytes(b"%PDF-1.4 truncated")
    run_pipeline(raw, wh, workers=1)
    pending = run_if_unchanged(raw_dir=raw, warehouse_dir=wh, allow_shrink=False, run_id="x")
    assert pending == Pending([raw / "broken.pdf"])


def test_a_refused_file_left_as_it_was_is_no_work(published, tmp_path):
    """A file refused unread (here a spreadsheet left in the raw folder) is published with the
    placeholder hash; the next run compares like with like and finds nothing to do, instead of
    taking it for a changed file every run (which also barred the fast path). Edited, it is
    still refused and still no work; renamed to a type the pipeline reads, it is work."""
    raw, wh = _copy(published, tmp_path)
    (raw / "truth.csv").write_text("file,grade\ndudley.pdf,good\n")
    first = run_pipeline(raw, wh, workers=1)
    assert first.documents_by_status.get("unsupported") == 1
    planned = plan(raw, discover(raw), read_published(wh), False)
    assert planned.nothing_to_do and not planned.changed
    fast = run_if_unchanged(raw_dir=raw, warehouse_dir=wh, allow_shrink=False, run_id="fast")
    assert isinstance(fast, RunSummary) and fast.documents_by_status == first.documents_by_status
    (raw / "truth.csv").write_text("file,grade\ndudley.pdf,outstanding\n")
    again = run_if_unchanged(raw_dir=raw, warehouse_dir=wh, allow_shrink=False, run_id="x")
    assert isinstance(again, RunSummary)
    (raw / "truth.csv").rename(raw / "truth.txt")  # now of a type the pipeline reads: work
    renamed = run_if_unchanged(raw_dir=raw, warehouse_dir=wh, allow_shrink=False, run_id="y")
    assert isinstance(renamed, Pending)
