"""Judgements: area and grade, from a report's grade table, its judgement headings, or prose
that restates a grade (press articles, letters mentioning an earlier judgement)."""

from __future__ import annotations

import re

from ofsted_findings.extract.sentences import sentence_spans
from ofsted_findings.models import CleanDocument, Row
from ofsted_findings.reference import GRADE_WORDS, area_code, grade_code
from ofsted_findings.structure import section_code

_Q = r"[\"'‘’“”]?"
# "were both rated as good", "was graded as 'requires improvement to be good'", "judged inadequate"
RESTATED = re.compile(
    rf"\b(?:was|were|is|are|been|being)\s+(?:both\s+|all\s+|also\s+)?"
    rf"(?:rated|graded|judged|assessed|found to be)\s+(?:as\s+)?{_Q}(?P<grade>{GRADE_WORDS}){_Q}",
    re.I,
)
# When the grade is of an earlier inspection: "... in January 2016", "at the last inspection".
EARLIER = re.compile(
    r"\s*(?:by (?:the )?(?:inspectorate|Ofsted)\s+)?(?:in\s+(?:(?:January|February|March|April|May"
    r"|June|July|August|September|October|November|December)\s+)?\d{4}|at (?:the|its) (?:last|previous)"
    r" inspection)",
    re.I,
)
_CLAUSE_START = re.compile(r"(?:^|[,;:]\s+|\b(?:since|when|after|because|and|that)\s+)", re.I)
_HEADING_GRADE = re.compile(rf"^(?P<label>.+?)\s*(?:is)?\s*[:\-–]\s*(?P<grade>{GRADE_WORDS})\s*$", re.I)


def _row(doc: CleanDocument, area: str, grade: str, start: int, end: int, of: str, kind: str) -> Row:
    return {
        "document_id": doc.document_id,
        "area": area,
        "grade": grade,
        "judgement_of": of,
        "source": kind,
        "evidence": doc.text[start:end],
        "start": start,
        "end": end,
        "page": doc.page_at(start),
    }


def extract_judgements(doc: CleanDocument) -> list[Row]:
    rows: list[Row] = []
    seen: set[tuple[str, str]] = set()

    def add(row: Row) -> None:
        key = (row["area"], row["judgement_of"])
        if key not in seen:
            seen.add(key)
            rows.append(row)

    text = doc.text
    for p in doc.paragraphs:
        chunk = text[p.start : p.end]
        if p.kind == "table_row":
            cells = [c.strip() for c in chunk.split("\t") if c.strip()]
            if len(cells) >= 2:
                area, grade = area_code(cells[0]), grade_code(cells[-1])
                if area and grade:
                    add(_row(doc, area, grade, p.start, p.end, "this_inspection", "grade_table"))
        elif p.kind == "heading" and section_code(chunk):
            m = _HEADING_GRADE.match(chunk)
            if m and area_code(m.group("label")) and grade_code(m.group("grade")):
                area = area_code(m.group("label"))
                add(_row(doc, area, grade_code(m.group("grade")), p.start, p.end,
                         "this_inspection", "judgement_heading"))
    for p in doc.paragraphs:
        if p.kind not in ("text", "item"):
            continue
        for s, e in sentence_spans(text, p.start, p.end):
            for row in _restated(doc, s, e):
                add(row)
    return rows


def _restated(doc: CleanDocument, s: int, e: int) -> list[Row]:
    """Grades restated in a sentence; areas named before the verb share its grade."""
    text = doc.text
    sentence = text[s:e]
    out = []
    for m in RESTATED.finditer(sentence):
        grade = grade_code(m.group("grade"))
        if grade is None:
            continue
        earlier = EARLIER.match(sentence, m.end())
        subject = sentence[: m.start()]
        areas = _areas_in(subject)
        if earlier:
            clause_start = max((c.end() for c in _CLAUSE_START.finditer(subject)), default=0)
            start, end = s + clause_start, s + earlier.end()
            for area in areas or ["overall_effectiveness"]:
                out.append(_row(doc, area, grade, start, end, "earlier_inspection", "prose"))
        elif areas:
            for area in areas:
                out.append(_row(doc, area, grade, s, e, "this_inspection", "prose"))
    return out


def _areas_in(subject: str) -> list[str]:
    """Judgement areas named in a subject phrase, split on 'and' between areas."""
    found: list[tuple[int, str]] = []
    parts = re.split(r"\band (?=the experiences|the impact|overall effectiveness|leadership)", subject,
                     flags=re.I)
    offset = 0
    for part in parts:
        area = area_code(part)
        if area:
            found.append((offset, area))
        offset += len(part)
    return [a for _, a in sorted(found)]
