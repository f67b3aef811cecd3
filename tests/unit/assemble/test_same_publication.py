"""The same publication in two formats: identical cleaned texts are copies without shingling,
near-identical ones by their shingles, and distinct texts (or two empty ones) are not copies."""

from __future__ import annotations

import pytest

from ofsted_findings.assemble import duplicates
from ofsted_findings.models import DocumentRecord
from tests.conftest import RAW

# Real text: the sample's 2018 inspection report and a press article about it.
REPORT = (RAW / "dudley_2018-12-10_inspection_report.txt").read_text(encoding="utf-8")
OTHER = (RAW / "dudley_2018-12_news_willispalmer.txt").read_text(encoding="utf-8")


def _group(*paths: str) -> list[list[DocumentRecord]]:
    return [[DocumentRecord(document_id=f"id-{p}", source_path=p, sha256=p) for p in paths]]


@pytest.fixture
def shingled(monkeypatch) -> list[str]:
    """The texts that were shingled."""
    calls: list[str] = []
    real = duplicates.shingles

    def counting(text: str, words: int = duplicates.SAME_PUBLICATION_SHINGLE_WORDS) -> set[str]:
        calls.append(text)
        return real(text, words)

    monkeypatch.setattr(duplicates, "shingles", counting)
    return calls


def test_identical_texts_are_copies_of_the_first_without_being_shingled(shingled):
    texts = {"id-a.pdf": REPORT, "id-b.txt": REPORT, "id-c.txt": REPORT}
    copies = duplicates.same_publication(_group("a.pdf", "b.txt", "c.txt"), lambda ids: texts)
    assert {(c.document_id, c.canonical_id, c.canonical_path) for c in copies} == {
        ("id-b.txt", "id-a.pdf", "a.pdf"),
        ("id-c.txt", "id-a.pdf", "a.pdf"),
    }
    assert shingled == []


def test_a_nearly_identical_text_is_a_copy_by_its_shingles_and_a_different_one_is_not(shingled):
    edited = REPORT.replace("\n", "\n\n", 40) + "\nPage 2 of 12"
    texts = {"id-a.pdf": REPORT, "id-b.txt": edited, "id-c.txt": OTHER}
    copies = duplicates.same_publication(_group("a.pdf", "b.txt", "c.txt"), lambda ids: texts)
    assert [(c.document_id, c.canonical_id) for c in copies] == [("id-b.txt", "id-a.pdf")]
    assert sorted(shingled) == sorted([REPORT, edited, OTHER])  # each shingled once


def test_two_empty_texts_are_not_one_publication(shingled):
    copies = duplicates.same_publication(_group("a.pdf", "b.txt"), lambda ids: {})
    assert copies == []
