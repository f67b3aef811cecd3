"""Document records: what linking needs of each document, kept on disk rather than in memory.

A record (models.DocumentRecord) is a document's result without its text and large rows: its
facts and the judgements linking reads. Linking never looks beyond one authority (an inspection
is of one authority; an earlier judgement refers to the same authority's inspection), so records
are appended to one file per authority, in arrival order, and read back one authority at a time:
memory holds the largest authority's records, not the corpus's. Documents that cannot be linked
(no facts, no inspection type, a duplicate) go to a file of their own, read back in chunks.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from ofsted_findings.models import DocumentRecord, DocumentResult, Row
from ofsted_findings.settings import UNLINKED_CHUNK

UNLINKED = "unlinked"
NO_AUTHORITY = "no-authority"
# What linking reads of a judgement (link.py).
LINK_JUDGEMENT_KEYS = ("judgement_id", "area", "grade", "judgement_of", "evidence")


def record_of(r: DocumentResult, judgements: list[Row]) -> DocumentRecord:
    """The result without its cleaned text, sections, facts' evidence and large rows; of its
    `judgements` (with their IDs) only what linking reads."""
    facts = replace(r.facts, facts=[], warnings=[]) if r.facts is not None else None
    return DocumentRecord(
        document_id=r.document_id,
        source_path=r.source_path,
        sha256=r.sha256,
        status=r.status,
        stage=r.stage,
        error=r.error,
        text_format=r.text_format,
        char_count=r.char_count,
        page_count=r.page_count,
        inspection_id=r.inspection_id,
        duplicate_of=r.duplicate_of,
        extractor_version=r.extractor_version,
        facts=facts,
        judgements=linking_judgements(judgements),
    )


def linking_judgements(judgements: Iterable[Row]) -> list[Row]:
    """The judgement columns linking reads (LINK_JUDGEMENT_KEYS)."""
    return [{k: row.get(k) for k in LINK_JUDGEMENT_KEYS} for row in judgements]


def link_group(r: DocumentRecord) -> str:
    """The file a record goes to: its authority's (its earlier judgements are looked up there
    even when it joins no inspection), the linkable documents' of no known authority, or the
    unlinked documents'."""
    if r.facts is None:
        return UNLINKED
    if r.facts.authority is not None:
        return f"la-{r.facts.authority.urn}"
    if r.status == "skipped_duplicate" or not r.facts.inspection_type:
        return UNLINKED
    return NO_AUTHORITY


class RecordStore:
    """Records appended per authority, each numbered by arrival (`seq`): linking reads them in
    that order, as it would read one list of every document."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.count = 0

    def add(self, records: Iterable[DocumentRecord]) -> None:
        by_group: dict[str, list[tuple[int, DocumentRecord]]] = {}
        for record in records:
            by_group.setdefault(link_group(record), []).append((self.count, record))
            self.count += 1
        for group, items in by_group.items():
            with (self.folder / f"{group}.pickle").open("ab") as fh:
                for item in items:
                    pickle.dump(item, fh, protocol=pickle.HIGHEST_PROTOCOL)

    def groups(self) -> Iterator[list[tuple[int, DocumentRecord]]]:
        """(seq, record) lists: all of one authority's records at a time, and the unlinked
        records in chunks, each in arrival order."""
        for path in sorted(self.folder.glob("*.pickle")):
            chunk: list[tuple[int, DocumentRecord]] = []
            for item in _read(path):
                chunk.append(item)
                if path.stem == UNLINKED and len(chunk) >= UNLINKED_CHUNK:
                    yield chunk
                    chunk = []
            if chunk:
                yield chunk


def _read(path: Path) -> Iterator[tuple[int, DocumentRecord]]:
    with path.open("rb") as fh:
        while True:
            try:
                yield pickle.load(fh)
            except EOFError:
                return
