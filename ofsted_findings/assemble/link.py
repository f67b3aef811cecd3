"""Link documents to inspections. An inspection is identified by authority + type + dates; a
document that states no dates (a press article) joins the one inspection it agrees with, or
gets an inspection of its own."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ofsted_findings.assemble.duplicates import COPY_STATUSES, SAME_PUBLICATION
from ofsted_findings.assemble.rows import document_row
from ofsted_findings.extract.dates import FULL_DATE, MONTHS
from ofsted_findings.ids import stable_id
from ofsted_findings.models import DocumentRecord, Row, own_grades
from ofsted_findings.settings import ARTICLE_WINDOW_DAYS, EARLIER_JUDGEMENT_WINDOW_DAYS

_MONTH_YEAR = re.compile(rf"\b({MONTHS})\s+(\d{{4}})\b", re.I)


@dataclass
class Inspection:
    inspection_id: str
    authority: object | None
    inspection_type: str | None
    framework: str | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    inspectors: list[str] = field(default_factory=list)
    lead_inspectors: list[str] = field(default_factory=list)
    document_ids: list[str] = field(default_factory=list)
    dates_known: bool = True
    own_grades: dict[str, str] = field(default_factory=dict)


def link_tables(
    records: list[DocumentRecord],
) -> tuple[list[Row], list[Inspection], dict[str, str | None]]:
    """Link documents to their inspections: the documents rows, the inspections (in the order
    they were found; rows.inspection_row gives their rows), and the inspection of each earlier
    judgement a document mentions (by judgement_id). Documents of different authorities never
    share an inspection, so one authority's documents can be linked at a time."""
    inspections = link(records)
    by_id = {r.document_id: r for r in records}
    for r in records:  # a copy of another's publication is about the same inspection
        if r.status == SAME_PUBLICATION and r.duplicate_of in by_id:
            r.inspection_id = by_id[r.duplicate_of].inspection_id
    by_authority = index_by_authority(inspections)
    earlier: dict[str, str | None] = {}
    for r in records:
        authority = r.facts.authority if r.facts else None
        candidates = by_authority.get(str(authority.urn) if authority else None, [])
        for row in r.judgements:
            if row["judgement_of"] == "earlier_inspection":
                earlier[row["judgement_id"]] = earlier_inspection(row["evidence"], authority, candidates)
    documents = [document_row(r) for r in records]
    return documents, list(inspections.values()), earlier


def _authority_key(record: DocumentRecord) -> str | None:
    a = record.facts.authority if record.facts else None
    return str(a.urn) if a else None


def link(records: list[DocumentRecord]) -> dict[str, Inspection]:
    """Assign `inspection_id` to each usable record (in place) and return the inspections."""
    inspections: dict[str, Inspection] = {}
    dated, undated = [], []
    for r in records:
        if r.facts is None or r.status in COPY_STATUSES or not r.facts.inspection_type:
            continue
        (dated if r.facts.start_date else undated).append(r)
    for r in dated:
        f = r.facts
        key = stable_id(_authority_key(r), f.inspection_type, f.start_date, f.end_date)
        insp = inspections.setdefault(key, Inspection(key, f.authority, f.inspection_type))
        _absorb(insp, r)
    by_authority = index_by_authority(inspections)
    for r in undated:
        f = r.facts
        target = _match_undated(r, by_authority.get(_authority_key(r), []))
        if target is None:
            key = stable_id(_authority_key(r), f.inspection_type, "undated", r.document_id)
            target = inspections.setdefault(
                key, Inspection(key, f.authority, f.inspection_type, dates_known=False)
            )
        _absorb(target, r)
    return inspections


def index_by_authority(inspections: dict[str, Inspection]) -> dict[str | None, list[Inspection]]:
    """Inspections grouped by authority (URN), so matching never scans every inspection."""
    index: dict[str | None, list[Inspection]] = {}
    for i in inspections.values():
        key = str(i.authority.urn) if i.authority is not None else None
        index.setdefault(key, []).append(i)
    return index


def _absorb(insp: Inspection, r: DocumentRecord) -> None:
    f = r.facts
    r.inspection_id = insp.inspection_id
    insp.document_ids.append(r.document_id)
    if f.start_date:
        insp.start_date = min(filter(None, [insp.start_date, f.start_date]))
        insp.end_date = max(filter(None, [insp.end_date, f.end_date or f.start_date]))
    insp.framework = insp.framework or f.framework
    # the report's own inspectors lead; letters and articles add names after them
    if f.document_type == "inspection_report":
        insp.inspectors = list(dict.fromkeys(f.inspectors + insp.inspectors))
        insp.lead_inspectors = list(dict.fromkeys(f.lead_inspectors + insp.lead_inspectors))
    else:
        insp.inspectors = list(dict.fromkeys(insp.inspectors + f.inspectors))
        insp.lead_inspectors = list(dict.fromkeys(insp.lead_inspectors + f.lead_inspectors))
    for area, grade in own_grades(r.judgements).items():
        insp.own_grades.setdefault(area, grade)


def _match_undated(r: DocumentRecord, candidates: list[Inspection]) -> Inspection | None:
    """The one inspection of the same authority and type that the article agrees with."""
    f = r.facts
    same = [
        c
        for c in candidates
        if c.authority is not None
        and c.authority == f.authority
        and c.inspection_type == f.inspection_type
        and c.dates_known
    ]
    if f.published_date:
        same = [
            c for c in same if c.end_date and 0 <= (f.published_date - c.end_date).days <= ARTICLE_WINDOW_DAYS
        ]
    grades = own_grades(r.judgements)
    if grades:
        same = [c for c in same if c.own_grades and all(c.own_grades.get(a) == g for a, g in grades.items())]
    elif not f.published_date:
        return None  # nothing to tell which inspection an undated, ungraded article is about
    return same[0] if len(same) == 1 else None


def earlier_inspection(evidence: str, authority: object | None, candidates: list[Inspection]) -> str | None:
    """The inspection an 'earlier judgement' refers to ("judged inadequate in January 2016")."""
    if authority is None:
        return None
    m = FULL_DATE.search(evidence)
    when: dt.date | None = None
    if m:
        when = dt.datetime.strptime(f"{m.group(2)[:3]} {m.group(3)}", "%b %Y").date()
    else:
        m2 = _MONTH_YEAR.search(evidence)
        if m2:
            when = dt.datetime.strptime(f"{m2.group(1)[:3]} {m2.group(2)}", "%b %Y").date()
    if when is None:
        return None
    found = [
        i
        for i in candidates
        if i.authority == authority
        and i.end_date
        and i.inspection_type in ("full_inspection", "short_inspection")
        and abs((i.end_date - when).days) <= EARLIER_JUDGEMENT_WINDOW_DAYS
    ]
    return found[0].inspection_id if len(found) == 1 else None
