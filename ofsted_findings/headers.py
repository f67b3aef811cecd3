"""The per-document headers linking needs, kept on disk rather than in memory.

A header is a document's result without its text and large rows: its facts and the judgements
linking reads. Linking never looks beyond one authority (an inspection is of one authority; an
earlier judgement refers to the same authority's inspection), so headers are appended to one
file per authority, in arrival order, and read back one authority at a time: memory holds the
largest authority's headers, not the corpus's. Documents that cannot be linked (no facts, no
inspection type, a duplicate) go to a file of their own, read back in chunks.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from ofsted_findings.models import Row
from ofsted_findings.run.worker import DocumentResult

UNLINKED = "unlinked"
NO_AUTHORITY = "no-authority"
# Unlinked headers read back at a time (they need no other document).
UNLINKED_CHUNK = 512
# What linking reads of a judgement (link.py, tables.link_tables).
LINK_JUDGEMENT_KEYS = ("judgement_id", "area", "grade", "judgement_of", "evidence")


def light_header(r: DocumentResult, judgements: list[Row]) -> DocumentResult:
    """The result without its cleaned text, sections, facts' evidence and large rows."""
    facts = replace(r.facts, facts=[], warnings=[]) if r.facts is not None else None
    kept = [{k: row.get(k) for k in LINK_JUDGEMENT_KEYS} for row in judgements]
    return replace(r, cleaned_text=None, sections=[], facts=facts, rows={"judgements": kept})


def link_group(r: DocumentResult) -> str:
    """The file a header goes to: its authority's (its earlier judgements are looked up there
    even when it joins no inspection), the linkable documents' of no known authority, or the
    unlinked documents'."""
    if r.facts is None:
        return UNLINKED
    if r.facts.authority is not None:
        return f"la-{r.facts.authority.urn}"
    if r.status == "skipped_duplicate" or not r.facts.inspection_type:
        return UNLINKED
    return NO_AUTHORITY


class HeaderStore:
    """Headers appended per authority, each numbered by arrival (`seq`): linking reads them in
    that order, as it would read one list of every document."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.count = 0

    def add(self, headers: Iterable[DocumentResult]) -> None:
        by_group: dict[str, list[tuple[int, DocumentResult]]] = {}
        for header in headers:
            by_group.setdefault(link_group(header), []).append((self.count, header))
            self.count += 1
        for group, items in by_group.items():
            with (self.folder / f"{group}.pickle").open("ab") as fh:
                for item in items:
                    pickle.dump(item, fh, protocol=pickle.HIGHEST_PROTOCOL)

    def groups(self) -> Iterator[list[tuple[int, DocumentResult]]]:
        """(seq, header) lists: all of one authority's headers at a time, and the unlinked
        headers in chunks, each in arrival order."""
        for path in sorted(self.folder.glob("*.pickle")):
            chunk: list[tuple[int, DocumentResult]] = []
            for item in _read(path):
                chunk.append(item)
                if path.stem == UNLINKED and len(chunk) >= UNLINKED_CHUNK:
                    yield chunk
                    chunk = []
            if chunk:
                yield chunk


def _read(path: Path) -> Iterator[tuple[int, DocumentResult]]:
    with path.open("rb") as fh:
        while True:
            try:
                yield pickle.load(fh)
            except EOFError:
                return
