"""The rows of every table, in the columns its schema (schemas/) lists: the large tables' rows
per document (spooled to disk as they come), the documents and inspections rows once every
document is linked, and the reference tables'. No column list is written here a second time:
each row is built column by column from the schema, a value taken from the attribute of that
name unless the column is one of the few named otherwise (`*_COLUMNS` below)."""

from __future__ import annotations

import csv
import dataclasses
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from ofsted_findings.assemble.duplicates import SKIPPED_DUPLICATE
from ofsted_findings.extract.versions import extractor_version
from ofsted_findings.ids import stable_id
from ofsted_findings.models import DocumentFacts, DocumentRecord, DocumentResult, Row
from ofsted_findings.schemas import arrow_schema

if TYPE_CHECKING:
    from ofsted_findings.assemble.link import Inspection

ROW_TABLES = ("judgements", "recommendations", "findings", "metrics")
ID_PARTS = {
    "judgements": ("judgement_id", ("area", "judgement_of", "start", "end")),
    "recommendations": ("recommendation_id", ("seq", "start", "end")),
    "findings": ("finding_id", ("start", "end")),
    "metrics": ("metric_id", ("start", "end", "value", "qualifier")),
}
SPOOLED_TABLES = ("document_facts", "document_texts", "sections", *ROW_TABLES)

# Columns that name an attribute of the authority (reference.authorities.Authority).
AUTHORITY_COLUMNS = {
    "local_authority": "name", "la_urn": "urn", "la_ons_code": "ons_code", "region": "region",
}
# Columns of documents holding a DocumentFacts attribute of another name.
FACT_COLUMNS = {"inspection_start_date": "start_date", "inspection_end_date": "end_date"}
_FACT_FIELDS = {f.name for f in dataclasses.fields(DocumentFacts)}


@cache
def columns_of(table: str) -> tuple[str, ...]:
    """The table's columns, in its schema's order."""
    return tuple(arrow_schema(table).names)


def _row(table: str, value: Callable[[str], Any]) -> Row:
    return {column: value(column) for column in columns_of(table)}


def _authority(authority: object | None, column: str) -> Any:
    return getattr(authority, AUTHORITY_COLUMNS[column]) if authority is not None else None


def spooled_rows(r: DocumentResult) -> dict[str, list[Row]]:
    """One processed document's rows of the large tables, with their IDs (inspection_id comes
    later, from linking every document)."""
    out: dict[str, list[Row]] = {t: [] for t in SPOOLED_TABLES}
    if r.status == SKIPPED_DUPLICATE or r.facts is None:
        return out
    out["document_facts"] = [
        {"document_id": r.document_id, **fact} for fact in r.facts.facts if fact["start"] >= 0
    ]
    if r.cleaned_text is not None:
        out["document_texts"] = [{"document_id": r.document_id, "cleaned_text": r.cleaned_text}]
        out["sections"] = [
            {"document_id": r.document_id, "seq": n, "section": s.code, "heading": s.heading or None,
             "start": s.start, "end": s.end}
            for n, s in enumerate(r.sections, start=1)
        ]
    for table in ROW_TABLES:
        id_column, id_parts = ID_PARTS[table]
        for row in r.rows.get(table, []):
            row = {**row, "document_id": r.document_id, "inspection_id": None}
            row[id_column] = stable_id(r.document_id, table, *(row.get(k) for k in id_parts))
            out[table].append(row)
    return out


def themes_rows() -> list[Row]:
    path = resources.files("ofsted_findings.reference") / "themes.csv"
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        return [
            {**{c: r[c] for c in columns_of("themes")}, "broader": r["broader"] or None}
            for r in csv.DictReader(fh)
        ]


def document_row(r: DocumentRecord) -> Row:
    """The documents row of a linked record: the record's own attributes, then its facts'."""
    f = r.facts
    a = f.authority if f else None

    def value(column: str) -> Any:
        if column in AUTHORITY_COLUMNS:
            return _authority(a, column)
        if column == "document_type":
            return f.document_type if f else "other"
        if column == "lead_inspectors":
            return (f.lead_inspectors or None) if f else None
        if column == "extractor_version":
            return r.extractor_version or extractor_version()
        if hasattr(r, column):
            return getattr(r, column)
        name = FACT_COLUMNS.get(column, column)
        if name in _FACT_FIELDS:
            return getattr(f, name) if f else None
        raise KeyError(f"documents.{column}: neither a DocumentRecord nor a DocumentFacts attribute")

    return _row("documents", value)


def inspection_row(i: Inspection) -> Row:
    """The inspections row of a linked inspection (link.py)."""

    def value(column: str) -> Any:
        if column in AUTHORITY_COLUMNS:
            return _authority(i.authority, column)
        if column == "lead_inspector":
            return i.inspectors[0] if i.inspectors else None
        if column == "lead_inspectors":
            return i.lead_inspectors or None
        if column == "document_count":
            return len(i.document_ids)
        if column == "dates_known":
            return "stated" if i.dates_known else "not_stated"
        return getattr(i, column)

    return _row("inspections", value)


def facts_of_document(row: Row, authority: object | None) -> DocumentFacts:
    """The facts a published documents row holds (the inverse of document_row)."""
    columns = {FACT_COLUMNS.get(c, c): c for c in columns_of("documents")}
    facts = DocumentFacts(**{name: row.get(c) for name, c in columns.items() if name in _FACT_FIELDS})
    facts.authority = authority
    facts.inspectors = list(row["inspectors"] or [])
    facts.lead_inspectors = list(row.get("lead_inspectors") or [])
    return facts
