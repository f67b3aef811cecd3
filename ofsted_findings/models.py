"""Plain data passed between pipeline stages (no Prefect, no pandas): what the per-document
worker produces and what the assembler (assemble/) reads, so that importing the assembler loads
no extractor and no PDF library."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ofsted_findings.reference.authorities import Authority


@dataclass(frozen=True)
class RawFile:
    """A file found in the raw folder; `data` is its bytes, never modified."""

    path: str  # absolute path
    source_path: str  # relative to the raw folder, POSIX separators
    sha256: str
    data: bytes

    @property
    def document_id(self) -> str:
        return self.sha256[:16]


@dataclass(frozen=True)
class Section:
    """A headed part of a cleaned document; [start, end) covers heading and body."""

    code: str
    heading: str
    start: int
    end: int
    body_start: int


@dataclass(frozen=True)
class Paragraph:
    """A paragraph or list item of a cleaned document."""

    start: int
    end: int
    section: str
    number: int  # the report's own paragraph number when it numbers them, else ordinal in section
    kind: str = "text"  # text | item | heading | table_row


@dataclass
class CleanDocument:
    """Cleaned text plus the structure every extractor shares."""

    document_id: str
    source_path: str
    text_format: str  # web_page | pdf_text | markdown | plain_text | pdf
    text: str
    paragraphs: list[Paragraph] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    page_starts: list[int] = field(default_factory=list)  # offset where each page begins (PDFs)
    # (start, end) of a paragraph -> its sentence spans, cut once for every extractor that reads
    # it (extract/sentences.paragraph_sentences)
    sentences: dict[tuple[int, int], tuple[tuple[int, int], ...]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def page_at(self, offset: int) -> int | None:
        """1-based page number holding `offset`, or None when the source had no pages."""
        if not self.page_starts:
            return None
        lo, hi = 0, len(self.page_starts)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.page_starts[mid] <= offset:
                lo = mid + 1
            else:
                hi = mid
        return max(lo, 1)

    def section_at(self, offset: int) -> Section | None:
        for s in self.sections:
            if s.start <= offset < s.end:
                return s
        return None


Row = dict[str, Any]


def own_grades(judgements: Iterable[Row]) -> dict[str, str]:
    """Judgement area -> grade of the inspection a document reports (its `this_inspection`
    judgement rows): the grades an article or letter quotes of an earlier inspection are left
    out. Here, not in the extractor, because the linker reads them too and loads no extractor."""
    grades: dict[str, str] = {}
    for row in judgements:
        if row["judgement_of"] == "this_inspection":
            grades.setdefault(row["area"], row["grade"])
    return grades


@dataclass
class DocumentFacts:
    """What a document says about itself (extract/document.py finds it); `facts` holds each
    value's evidence span."""

    document_type: str = "other"
    publisher: str | None = None
    title: str | None = None
    authority: Authority | None = None
    authority_as_written: str | None = None
    published_date: dt.date | None = None
    inspection_type: str | None = None
    framework: str | None = None
    framework_family: str | None = None  # SIF, ILACS, LAC: from the title
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    inspectors: list[str] = field(default_factory=list)
    lead_inspectors: list[str] = field(default_factory=list)  # joint leads: all, in the order written
    author: str | None = None
    facts: list[Row] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def note(self, name: str, value: object, start: int, end: int, text: str) -> None:
        self.facts.append(
            {"field": name, "value": str(value), "start": start, "end": end, "evidence": text[start:end]}
        )


@dataclass
class DocumentResult:
    """Everything one raw file produced. `facts` is None when the document failed."""

    document_id: str
    source_path: str
    sha256: str
    status: str = "ok"
    stage: str | None = None
    error: str | None = None
    text_format: str | None = None
    char_count: int | None = None
    page_count: int | None = None
    inspection_id: str | None = None
    duplicate_of: str | None = None
    extractor_version: str | None = None  # set for documents carried forward from a previous run
    cleaned_text: str | None = None
    sections: list[Section] = field(default_factory=list)
    facts: DocumentFacts | None = None
    rows: dict[str, list[Row]] = field(default_factory=dict)


@dataclass
class DocumentRecord:
    """What linking needs of a document, kept on disk until every document has arrived
    (assemble/records.py): the result's identity, status and facts without their evidence, and
    the few columns of its judgements that linking reads; no text, no large rows."""

    document_id: str
    source_path: str
    sha256: str
    status: str = "ok"
    stage: str | None = None
    error: str | None = None
    text_format: str | None = None
    char_count: int | None = None
    page_count: int | None = None
    inspection_id: str | None = None
    duplicate_of: str | None = None
    extractor_version: str | None = None
    facts: DocumentFacts | None = None
    judgements: list[Row] = field(default_factory=list)
