"""One publication is one document: the same bytes under two names, and the same publication in
two formats (a report's PDF and its text), in a full run and whatever order the files arrive in."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from ofsted_findings.assemble.duplicates import jaccard, same_bytes, shingles
from ofsted_findings.run.sequence import build_and_validate, list_raw, process_files, run_pipeline
from ofsted_findings.settings import SAME_PUBLICATION_MIN_JACCARD
from tests.conftest import RAW

PDF = "dudley_2018-12-10.pdf"
TEXT = "dudley_2018-12-10_inspection_report.txt"
ARTICLE = "dudley_2018-12_news_willispalmer.txt"


def _with_running_header(text: str) -> str:
    """The same text with other whitespace and line ends, and a running header every 15 lines."""
    out = []
    for n, line in enumerate(text.split("\n")):
        if n and n % 15 == 0:
            out += ["", "Dudley: Inspection of children’s social care services   29 Oct – 9 Nov 2018", ""]
        out.append(re.sub(" ", "  ", line, count=3).rstrip() + ("   " if n % 2 else ""))
    return "\r\n".join(out)


def test_copies_that_differ_in_whitespace_and_a_running_header_are_one_publication(tmp_path):
    text = (RAW / TEXT).read_text(encoding="utf-8")
    (tmp_path / "b report.txt").write_text(text, encoding="utf-8")
    (tmp_path / "a report, as printed.txt").write_text(_with_running_header(text), encoding="utf-8")
    tables = build_and_validate(process_files(tmp_path, list_raw(tmp_path), workers=0))
    docs = tables.frames["documents"].set_index("source_path")
    assert list(docs["status"]) == ["ok", "same_publication"]  # the first path is kept
    assert docs.loc["b report.txt", "duplicate_of"] == docs.loc["a report, as printed.txt", "document_id"]
    kept = docs.loc["a report, as printed.txt", "document_id"]
    assert set(tables.frames["findings"]["document_id"]) == {kept}
    assert tables.quarantine == []


def test_a_copy_and_its_original_share_nearly_every_shingle_and_other_documents_almost_none():
    text = (RAW / TEXT).read_text(encoding="utf-8")
    article = (RAW / ARTICLE).read_text(encoding="utf-8")
    assert jaccard(shingles(text), shingles(_with_running_header(text))) >= SAME_PUBLICATION_MIN_JACCARD
    assert jaccard(shingles(text), shingles(article)) < 0.3  # it quotes the seven recommendations


def test_press_articles_and_letters_about_an_inspection_stay_documents_of_their_own(sample_tables):
    docs = sample_tables.frames["documents"].set_index("source_path")
    assert docs.loc[ARTICLE, "status"] == "ok"
    assert docs.loc[ARTICLE, "inspection_id"] == docs.loc[PDF, "inspection_id"]
    recommendations = sample_tables.frames["recommendations"]
    assert (recommendations["document_id"] == docs.loc[ARTICLE, "document_id"]).sum() == 7


def test_the_file_kept_of_the_same_bytes_does_not_depend_on_order():
    files = [("b.txt", "1" * 64), ("a.txt", "1" * 64), ("c.txt", "2" * 64), ("d.txt", None)]
    files.append(("e.txt", "0" * 64))  # unreadable
    assert same_bytes(files) == {"b.txt": "a.txt"}
    assert same_bytes(reversed(files)) == {"b.txt": "a.txt"}


def _documents(warehouse: Path) -> dict[str, tuple[str, str | None]]:
    rows = pq.read_table(warehouse / "documents.parquet").to_pylist()
    return {r["source_path"]: (r["status"], r["duplicate_of"]) for r in rows}


def _document_id(warehouse: Path, source: str) -> str:
    rows = pq.read_table(warehouse / "documents.parquet").to_pylist()
    return next(r["document_id"] for r in rows if r["source_path"] == source)


def _rows(warehouse: Path, table: str) -> list[dict]:
    return sorted(pq.read_table(warehouse / f"{table}.parquet").to_pylist(), key=str)


@pytest.fixture(scope="module")
def full_run(tmp_path_factory):
    raw = tmp_path_factory.mktemp("raw")
    for name in (PDF, TEXT, ARTICLE):
        shutil.copy(RAW / name, raw / name)
    warehouse = tmp_path_factory.mktemp("full")
    run_pipeline(raw, warehouse, workers=1)
    return warehouse


@pytest.mark.parametrize("first", [TEXT, PDF])
def test_the_canonical_document_does_not_depend_on_arrival_order(tmp_path, full_run, first):
    raw, warehouse = tmp_path / "raw", tmp_path / "wh"
    raw.mkdir()
    for name in (first, ARTICLE):
        shutil.copy(RAW / name, raw / name)
    run_pipeline(raw, warehouse, workers=1)
    assert _documents(warehouse)[first][0] == "ok"
    later = TEXT if first == PDF else PDF
    shutil.copy(RAW / later, raw / later)
    summary = run_pipeline(raw, warehouse, workers=1)
    assert summary.plan.to_process == [raw / later]
    pdf_id = _document_id(warehouse, PDF)
    assert _documents(warehouse) == _documents(full_run)
    assert _documents(warehouse)[TEXT] == ("same_publication", pdf_id)
    for table in ("judgements", "recommendations", "findings", "metrics", "inspections", "quarantine"):
        assert _rows(warehouse, table) == _rows(full_run, table), table
    # nothing new: the copy is carried without its rows, the tables stay as they are
    again = run_pipeline(raw, warehouse, workers=1)
    assert again.plan.to_process == [] and again.plan.nothing_to_do
    # the original deleted: the copy is read again and is the publication's document
    (raw / PDF).unlink()
    run_pipeline(raw, warehouse, workers=1)
    assert _documents(warehouse)[TEXT] == ("ok", None)
    findings = pq.read_table(warehouse / "findings.parquet").to_pandas()
    assert (findings["document_id"] == _document_id(warehouse, TEXT)).sum() == 203
