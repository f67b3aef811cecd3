"""Assembling the tables on disk (headers per authority, documents checked in batches, large tables
in buckets) gives the same tables whatever the sizes of the pieces, each streamed in key order."""

from __future__ import annotations

import copy
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from ofsted_findings.assemble import Assembler, assembler, buckets, link, records
from ofsted_findings.assemble.duplicates import drop_same_bytes
from ofsted_findings.assemble.rows import SPOOLED_TABLES
from ofsted_findings.run.sequence import build_and_validate
from ofsted_findings.schemas import arrow_schema, metadata_of

STAGED_TABLES = ("documents", "inspections", *SPOOLED_TABLES)


def _build(results):
    return build_and_validate(copy.deepcopy(results))


def _staged(results, folder: Path):
    results = drop_same_bytes(copy.deepcopy(results))
    a = Assembler(folder, batch_documents=5)
    for r in results:
        a.add(r)
    return a.finish()


@pytest.fixture(scope="module")
def reference(mixed_results):
    return _build(mixed_results)


def test_small_pieces_give_the_same_tables(mixed_results, reference, monkeypatch):
    monkeypatch.setattr(buckets, "DOCS_PER_BUCKET", 3)
    monkeypatch.setattr(buckets, "SPLIT_BYTES", 1)
    monkeypatch.setattr(assembler, "LINK_BATCH_ROWS", 4)
    monkeypatch.setattr(records, "UNLINKED_CHUNK", 1)
    small = _build(mixed_results)
    assert set(small.frames) == set(reference.frames)
    for table, frame in reference.frames.items():
        pd.testing.assert_frame_equal(small.frames[table], frame, obj=table)
    assert sorted(map(str, small.quarantine)) == sorted(map(str, reference.quarantine))
    assert reference.frames["documents"]["inspection_id"].notna().sum() > 20


def test_every_table_streams_in_its_published_order(mixed_results, reference, tmp_path, monkeypatch):
    monkeypatch.setattr(buckets, "DOCS_PER_BUCKET", 4)
    staged = _staged(mixed_results, tmp_path)
    for table in STAGED_TABLES:
        streamed = pa.Table.from_batches(list(staged.reader(table)))
        streamed = streamed.cast(arrow_schema(table).remove_metadata()).to_pandas(types_mapper=pd.ArrowDtype)
        keys = metadata_of(table).get("sort_by") or metadata_of(table)["primary_key"]
        expected = reference.frames[table].sort_values(keys, kind="stable", na_position="first")
        pd.testing.assert_frame_equal(streamed, expected.reset_index(drop=True), obj=table)


def test_statuses_and_problems_match_the_frames(mixed_results, reference, tmp_path):
    staged = _staged(mixed_results, tmp_path)
    docs = reference.frames["documents"]
    counts = docs["status"].value_counts()
    by_count = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    assert list(staged.document_statuses().items()) == [(str(k), int(v)) for k, v in by_count]
    problems = [
        (r.source_path, f"{r.status}/{r.stage}", r.error or "")
        for r in docs.itertuples()
        if r.status != "ok" or (isinstance(r.error, str) and r.error)
    ]
    assert staged.document_problems() == problems
    assert reference.document_statuses() == staged.document_statuses()
    assert {"ok", "skipped_duplicate", "unsupported"} <= set(staged.document_statuses())


def test_the_same_document_id_in_two_authorities_is_caught(mixed_results, tmp_path, monkeypatch):
    by_authority = {}
    for r in mixed_results:
        if r.facts and r.facts.authority and r.status == "ok":
            by_authority.setdefault(r.facts.authority.urn, r.source_path)
    first, second = list(by_authority.values())[:2]
    row_of = link.document_row

    def clashing(r):
        row = row_of(r)
        if row["source_path"] in (first, second):
            row["document_id"] = "0123456789abcdef"
        return row

    monkeypatch.setattr(link, "document_row", clashing)
    staged = _staged(mixed_results, tmp_path).materialise()
    unique = [q for q in staged.quarantine if q["check"] == "field_uniqueness"]
    assert sorted(q["row_json"].count(first) + q["row_json"].count(second) for q in unique) == [1, 1]
    assert not {first, second} & set(staged.frames["documents"]["source_path"])
    orphans = [q for q in staged.quarantine if q["check"] == "foreign_key"]
    assert orphans and {q["table_name"] for q in orphans} >= {"document_texts", "findings"}
