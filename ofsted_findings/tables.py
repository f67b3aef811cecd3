"""The rows of every table: the large ones per document (spooled to disk as they come), the
documents and inspections once every document is linked, and the reference tables."""

from __future__ import annotations

import csv
from importlib import resources

from ofsted_findings.duplicates import SAME_PUBLICATION, SKIPPED_DUPLICATE
from ofsted_findings.ids import stable_id
from ofsted_findings.link import Inspection, earlier_inspection, index_by_authority, link
from ofsted_findings.models import Row
from ofsted_findings.run.worker import DocumentResult
from ofsted_findings.versions import extractor_version

ROW_TABLES = ("judgements", "recommendations", "findings", "metrics")
ID_PARTS = {
    "judgements": ("judgement_id", ("area", "judgement_of", "start", "end")),
    "recommendations": ("recommendation_id", ("seq", "start", "end")),
    "findings": ("finding_id", ("start", "end")),
    "metrics": ("metric_id", ("start", "end", "value", "qualifier")),
}

TABLE_ID_COLUMNS = {table: parts[0] for table, parts in ID_PARTS.items()}


SPOOLED_TABLES = ("document_facts", "document_texts", "sections", *ROW_TABLES)


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


def link_tables(
    headers: list[DocumentResult],
) -> tuple[list[Row], list[Inspection], dict[str, str | None]]:
    """Link documents to their inspections: the documents rows, the inspections (in the order
    they were found; inspection_row gives their rows), and the inspection of each earlier
    judgement a document mentions (by judgement_id). Documents of different authorities never
    share an inspection, so one authority's documents can be linked at a time."""
    inspections = link(headers)
    by_id = {r.document_id: r for r in headers}
    for r in headers:  # a copy of another's publication is about the same inspection
        if r.status == SAME_PUBLICATION and r.duplicate_of in by_id:
            r.inspection_id = by_id[r.duplicate_of].inspection_id
    by_authority = index_by_authority(inspections)
    earlier: dict[str, str | None] = {}
    for r in headers:
        authority = r.facts.authority if r.facts else None
        candidates = by_authority.get(str(authority.urn) if authority else None, [])
        for row in r.rows.get("judgements", []):
            if row["judgement_of"] == "earlier_inspection":
                earlier[row["judgement_id"]] = earlier_inspection(row["evidence"], authority, candidates)
    documents = [document_row(r) for r in headers]
    return documents, list(inspections.values()), earlier


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


def document_row(r: DocumentResult) -> Row:
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
        "lead_inspectors": (f.lead_inspectors or None) if f else None,
        "author": f.author if f else None,
        "char_count": r.char_count,
        "page_count": r.page_count,
        "status": r.status,
        "stage": r.stage,
        "error": r.error,
        "duplicate_of": r.duplicate_of,
        "extractor_version": r.extractor_version or extractor_version(),
    }


def inspection_row(i: Inspection) -> Row:
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
        "lead_inspectors": i.lead_inspectors or None,
        "inspectors": i.inspectors,
        "document_count": len(i.document_ids),
        "dates_known": "stated" if i.dates_known else "not_stated",
    }
