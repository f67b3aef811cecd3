"""Rows go to the bucket of their document's place in document_id order, so that sorting bucket
after bucket sorts the table; rows of unknown documents come back for the quarantine."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq

from ofsted_findings.assemble import buckets
from ofsted_findings.assemble.buckets import split_into_buckets


def test_buckets_hold_consecutive_documents_and_orphans_come_back(tmp_path, monkeypatch):
    monkeypatch.setattr(buckets, "DOCS_PER_BUCKET", 2)
    monkeypatch.setattr(buckets, "SPLIT_BYTES", 1)  # every part split on its own
    kept = pa.array(sorted(["0a", "3f", "5c", "9d", "e1"]))
    parts = []
    for n, ids in enumerate([["e1", "0a", "zz", "5c"], ["3f", "9d", "0a", "e1"]]):
        path = tmp_path / f"part-{n}.parquet"
        pq.write_table(pa.table({"document_id": ids, "start": list(range(len(ids)))}), path)
        parts.append(path)

    orphans = split_into_buckets(parts, kept, tmp_path / "out")

    assert orphans == [{"document_id": "zz", "start": 2}]
    folders = sorted((tmp_path / "out").iterdir())
    assert [f.name for f in folders] == ["bucket-000000", "bucket-000001", "bucket-000002"]
    held = [sorted(pq.read_table(f)["document_id"].to_pylist()) for f in folders]
    assert held == [["0a", "0a", "3f"], ["5c", "9d"], ["e1", "e1"]]
    assert len(list(folders[0].glob("*.parquet"))) == 2  # a file per part read, no writer kept open



def test_with_one_bucket_parts_are_linked_unchanged_and_orphans_still_come_back(tmp_path):
    kept = pa.array(sorted(["0a", "3f", "5c"]))
    parts = []
    for n, ids in enumerate([["5c", "0a"], ["3f", "zz"]]):
        path = tmp_path / f"part-{n}.parquet"
        pq.write_table(pa.table({"document_id": ids, "start": list(range(len(ids)))}), path)
        parts.append(path)

    orphans = split_into_buckets(parts, kept, tmp_path / "out")

    assert orphans == [{"document_id": "zz", "start": 1}]
    [folder] = (tmp_path / "out").iterdir()
    files = sorted(folder.glob("*.parquet"))
    assert len(files) == 2
    assert files[0].read_bytes() == parts[0].read_bytes()  # the part itself, not a rewrite
    assert sorted(pq.read_table(folder)["document_id"].to_pylist()) == ["0a", "3f", "5c"]
