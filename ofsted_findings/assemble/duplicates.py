"""One publication, one document: the pipeline's rule for copies, used by every run.

Two kinds of copy:

- **The same bytes** under two names (`same_bytes`): decided from the files' hashes before any is
  read; the copy is never processed and gets a `skipped_duplicate` row.
- **The same publication in two formats** (`same_publication`): the PDF of a report and its text
  saved as a .txt. The bytes differ, so only the cleaned texts can tell: documents of one
  authority, one inspection (type and dates), one document type and one publisher whose cleaned
  texts share nearly all their word shingles (Jaccard similarity of SAME_PUBLICATION_SHINGLE_WORDS-
  word shingles at least SAME_PUBLICATION_MIN_JACCARD, so whitespace, quotes and a running
  header do not matter) are one publication. Press articles and letters about the same
  inspection have another document type or publisher, and stay documents of their own.

The canonical document is chosen by what the documents are, never by when they arrived: a PDF
first (it has pages), then the first path in sort order. The other copies get the status
`same_publication` with `duplicate_of` the canonical document, and their rows are not published.
An incremental run carries a copy forward without its rows while its canonical document is
carried too (assemble/incremental.py); otherwise the copy is processed again and decided afresh.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property

from ofsted_findings.ids import stable_id
from ofsted_findings.ingest.discover import UNREADABLE_SHA
from ofsted_findings.models import DocumentRecord, DocumentResult
from ofsted_findings.settings import (
    SAME_PUBLICATION_MIN_JACCARD,
    SAME_PUBLICATION_SHINGLE_WORDS,
    SAME_PUBLICATION_TEXTS_PER_READ,
)

SKIPPED_DUPLICATE = "skipped_duplicate"
SAME_PUBLICATION = "same_publication"
# Statuses of documents whose rows are not published: the copies.
COPY_STATUSES = (SKIPPED_DUPLICATE, SAME_PUBLICATION)
_WORD = re.compile(r"\w+")


# --- the same bytes -----------------------------------------------------------------------------


def same_bytes(files: Iterable[tuple[str, str]]) -> dict[str, str]:
    """For each (source_path, sha256) that copies another's bytes: source_path -> the path kept.

    The path kept is the first in sort order, whatever was processed before: the same files give
    the same documents in a full run and in any sequence of incremental runs. Unreadable files
    (UNREADABLE_SHA: no hash) are nobody's copy."""
    groups: dict[str, list[str]] = {}
    for source, sha in files:
        if sha != UNREADABLE_SHA:
            groups.setdefault(sha, []).append(source)
    copies = {}
    for sources in groups.values():
        primary, *others = sorted(sources)
        copies.update({other: primary for other in others})
    return copies


def skipped_duplicate(source: str, sha: str, primary: str) -> DocumentResult:
    """The row of a file with the same bytes as `primary` (whose document_id is its hash)."""
    return DocumentResult(
        document_id=stable_id("duplicate", sha, source),
        source_path=source,
        sha256=sha,
        status=SKIPPED_DUPLICATE,
        stage="read",
        error=f"same content as {primary}",
        duplicate_of=sha[:16],
    )


def drop_same_bytes(results: list[DocumentResult]) -> list[DocumentResult]:
    """Processed results with every copy of another's bytes replaced by its skipped_duplicate row
    (runs that processed every file: tests, the evaluation scripts)."""
    copies = same_bytes((r.source_path, r.sha256) for r in results if r.status != SKIPPED_DUPLICATE)
    return [
        skipped_duplicate(r.source_path, r.sha256, copies[r.source_path]) if r.source_path in copies else r
        for r in results
    ]


# --- the same publication -----------------------------------------------------------------------


@dataclass(frozen=True)
class Copy:
    """A document found to be another's copy: its id, and the canonical document's id and path."""

    document_id: str
    canonical_id: str
    canonical_path: str


def publication_key(r: DocumentRecord) -> tuple | None:
    """What two copies of one publication share; None for a document that is no candidate."""
    f = r.facts
    if r.status not in ("ok", SAME_PUBLICATION) or f is None or f.authority is None:
        return None
    return (f.authority.urn, f.document_type, f.publisher, f.inspection_type, f.start_date, f.end_date)


def preference(r: DocumentRecord) -> tuple:
    """The canonical document of a publication sorts first: a PDF, then the first path."""
    return (r.page_count is None, r.source_path)


def candidate_groups(records: Iterable[DocumentRecord]) -> list[list[DocumentRecord]]:
    """Documents that could be one publication (publication_key), two or more to a group, each
    in preference order."""
    groups: dict[tuple, list[DocumentRecord]] = {}
    for r in records:
        key = publication_key(r)
        if key is not None:
            groups.setdefault(key, []).append(r)
    return [sorted(g, key=preference) for g in groups.values() if len(g) > 1]


def shingles(text: str, words: int = SAME_PUBLICATION_SHINGLE_WORDS) -> set[str]:
    """The text's runs of `words` consecutive words, lower case, quotes and dashes folded:
    what stays the same when only whitespace, typography or a repeated header line differ."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    tokens = _WORD.findall(folded)
    if len(tokens) < words:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[i : i + words]) for i in range(len(tokens) - words + 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    if not a and not b:
        return 0.0
    return len(a & b) / len(a | b)


def same_publication(
    groups: list[list[DocumentRecord]], texts: Callable[[list[str]], dict[str, str]]
) -> list[Copy]:
    """The copies among candidate groups. `texts` gives the cleaned texts of document ids (a
    copy carried from an earlier run has none: it stays the copy it was, of whatever its
    canonical document now copies). Groups are compared a few at a time
    (SAME_PUBLICATION_TEXTS_PER_READ texts), so memory holds a few texts, not every candidate's."""
    copies: dict[str, str] = {}  # copy id -> the id it copies (may itself be a copy, at first)
    by_id = {r.document_id: r for g in groups for r in g}
    for chunk in _chunks(groups, SAME_PUBLICATION_TEXTS_PER_READ):
        live = [r.document_id for g in chunk for r in g if r.status != SAME_PUBLICATION]
        found = texts(live)
        for group in chunk:
            kept: list[_Text] = []  # canonical documents so far, best first
            for r in group:
                if r.status == SAME_PUBLICATION:
                    if r.duplicate_of:
                        copies[r.document_id] = r.duplicate_of
                    continue
                mine = _Text(r.document_id, found.get(r.document_id, ""))
                match = _first_match(mine, kept)
                if match is None:
                    kept.append(mine)
                else:
                    copies[r.document_id] = match
    out = []
    for copy_id in copies:
        canonical = _root(copy_id, copies)
        if canonical != copy_id and canonical in by_id:
            out.append(Copy(copy_id, canonical, by_id[canonical].source_path))
    return out


@dataclass
class _Text:
    """A document's cleaned text, shingled only when a comparison needs it."""

    document_id: str
    text: str

    @cached_property
    def shingles(self) -> set[str]:
        return shingles(self.text)


def _first_match(mine: _Text, kept: list[_Text]) -> str | None:
    """The first canonical document `mine` copies: an identical cleaned text is a copy without
    shingling either (the common case of one report saved twice); otherwise by Jaccard."""
    if mine.text:
        for other in kept:
            if other.text == mine.text:
                return other.document_id
    for other in kept:
        if jaccard(mine.shingles, other.shingles) >= SAME_PUBLICATION_MIN_JACCARD:
            return other.document_id
    return None


def _root(document_id: str, copies: dict[str, str]) -> str:
    seen = {document_id}
    while document_id in copies and copies[document_id] not in seen:
        document_id = copies[document_id]
        seen.add(document_id)
    return document_id


def _chunks(groups: list[list[DocumentRecord]], size: int) -> Iterable[list[list[DocumentRecord]]]:
    chunk: list[list[DocumentRecord]] = []
    count = 0
    for group in groups:
        if chunk and count + len(group) > size:
            yield chunk
            chunk, count = [], 0
        chunk.append(group)
        count += len(group)
    if chunk:
        yield chunk


def mark_copy(r: DocumentRecord, copy: Copy) -> None:
    """Make `r` the same_publication copy `copy` says it is (its rows are then not published)."""
    r.status, r.stage = SAME_PUBLICATION, "link"
    r.error = f"same publication as {copy.canonical_path}"
    r.duplicate_of = copy.canonical_id

