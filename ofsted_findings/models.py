"""Plain data passed between pipeline stages (no Prefect, no pandas)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


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


@dataclass(frozen=True)
class Span:
    """Evidence: text[start:end] of the cleaned document."""

    start: int
    end: int

    def of(self, text: str) -> str:
        return text[self.start : self.end]


Row = dict[str, Any]
