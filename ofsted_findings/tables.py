"""Assemble the rows of every table from the per-document results and the linked inspections."""

from __future__ import annotations

import csv
from importlib import resources

from ofsted_findings.ids import stable_id
from ofsted_findings.link import Inspection, earlier_inspection, link
from ofsted_findings.models import Row
from ofsted_findings.process import DocumentResult
from ofsted_findings.reference.authorities import authority_rows

ROW_TABLES = ("judgements", "recommendations", "findings", "metrics")
_ID_COLUMNS = {
    "judgements": ("judgement_id", ("area", "judgement_of", "start", "end")),
    "recommendations": ("recommendation_id", ("seq", "start", "end")),
    "findings": ("finding_id", ("start", "end")),
    "metrics": ("metric_id", ("start", "end", "value", "qualifier")),
}


def mark_duplicates(results: list[DocumentResult]) -> None:
    """The same bytes under two names: the first path (sorted) is the document, the rest skip."""
    seen: dict[str, str] = {}
    for r in sorted(results, key=lambda r: r.source_path):
        if r.sha256 in seen and r.status != "failed":
            r.status, r.stage = "skipped_duplicate", "read"
            r.error = f"same content as {seen[r.sha256]}"
            r.rows = {}
        else:
            seen.setdefault(r.sha256, r.source_path)


def build_tables(results: list[DocumentResult]) -> dict[str, list[Row]]:
    mark_duplicates(results)
    inspections = link(results)
    tables: dict[str, list[Row]] = {t: [] for t in ROW_TABLES}
    tables["documents"] = [_document_row(r) for r in results]
    tables["document_facts"] = [
        {"document_id": r.document_id, **fact}
        for r in results
        if r.facts is not None and r.status != "skipped_duplicate"
        for fact in r.facts.facts
        if fact["start"] >= 0
    ]
    tables["inspections"] = [_inspection_row(i) for i in inspections.values()]
    kept = [r for r in results if r.cleaned_text is not None and r.status != "skipped_duplicate"]
    tables["document_texts"] = [{"document_id": r.document_id, "cleaned_text": r.cleaned_text} for r in kept]
    tables["sections"] = [
        {
            "document_id": r.document_id,
            "seq": n,
            "section": s.code,
            "heading": s.heading or None,
            "start": s.start,
            "end": s.end,
        }
        for r in kept
        for n, s in enumerate(r.sections, start=1)
    ]
    for r in results:
        if r.status == "skipped_duplicate":
            continue
        for table in ROW_TABLES:
            id_column, id_parts = _ID_COLUMNS[table]
            for row in r.rows.get(table, []):
                row = dict(row)
                row[id_column] = stable_id(r.document_id, table, *(row.get(k) for k in id_parts))
                if table == "judgements" and row["judgement_of"] == "earlier_inspection":
                    authority = r.facts.authority if r.facts else None
                    row["inspection_id"] = earlier_inspection(row["evidence"], authority, inspections)
                else:
                    row["inspection_id"] = r.inspection_id
                tables[table].append(row)
    tables["themes"] = themes_rows()
    tables["authorities"] = authority_rows()
    return tables


def themes_rows() -> list[Row]:
    path = resources.files("ofsted_findings.reference") / "themes.csv"
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        return [
            {
                **{k: r[k] for k in ("code", "label", "description", "what_counts")},
                "broader": r["broader"] or None,
            } for r in csv.DictReader(fh)
        ]


def _document_row(r: DocumentResult) -> Row:
    f = r.facts
    a = f.authority if f else None
    return {
        "document_id": r.document_id,
        "source_path": r.source_path,
        "sha256": r.sha256,
        "text_format": r.text_format,
        "document_type": f.document_type if f else "other",
        "publisher": f.publisher if f else None,
        "title": f.title if f else None,
        "local_authority": a.name if a else None,
        "la_urn": a.urn if a else None,
        "la_ons_code": a.ons_code if a else None,
        "published_date": f.published_date if f else None,
        "inspection_id": r.inspection_id,
        "inspection_type": f.inspection_type if f else None,
        "framework": f.framework if f else None,
        "inspection_start_date": f.start_date if f else None,
        "inspection_end_date": f.end_date if f else None,
        "inspectors": f.inspectors if f else None,
        "author": f.author if f else None,
        "char_count": r.char_count,
        "page_count": r.page_count,
        "status": r.status,
        "stage": r.stage,
        "error": r.error,
    }


def _inspection_row(i: Inspection) -> Row:
    a = i.authority
    return {
        "inspection_id": i.inspection_id,
        "local_authority": a.name if a else None,
        "la_urn": a.urn if a else None,
        "la_ons_code": a.ons_code if a else None,
        "region": a.region if a else None,
        "inspection_type": i.inspection_type,
        "framework": i.framework,
        "start_date": i.start_date,
        "end_date": i.end_date,
        "lead_inspector": i.inspectors[0] if i.inspectors else None,
        "inspectors": i.inspectors,
        "document_count": len(i.document_ids),
        "dates_known": "stated" if i.dates_known else "not_stated",
    }
