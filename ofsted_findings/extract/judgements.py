"""Judgements: area and grade, from a report's grade table, its judgement headings, or prose
that restates a grade (press articles, letters mentioning an earlier judgement)."""

from __future__ import annotations

import re

from ofsted_findings.extract.sentences import paragraph_sentences
from ofsted_findings.models import CleanDocument, Row
from ofsted_findings.reference import GRADE_WORDS, area_code, areas_of, grade_code, judgement_statements

_Q = r"[\"'‘’“”]?"
# "were both rated as good", "was graded as 'requires improvement to be good'", "judged inadequate"
_RESTATING_VERBS = ("rated", "graded", "judged", "assessed", "found to be")
RESTATED = re.compile(
    rf"\b(?:was|were|is|are|been|being)\s+(?:both\s+|all\s+|also\s+)?"
    rf"(?:{'|'.join(_RESTATING_VERBS)})\s+(?:as\s+)?{_Q}(?P<grade>{GRADE_WORDS}){_Q}",
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
# A paragraph this long is prose, not a statement of one judgement.
_MAX_STATEMENT_CHARS = 200
_STATEMENT_NUMBER = re.compile(r"^\s*\d{1,2}(?:\.\d{1,2})*\.?\s+")
_STATEMENT_TRIM = re.compile(r"(?:\s+because)?\s*[.:]?\s*$", re.I)
_ACRONYM = re.compile(r"\s*\((?-i:[A-Z]{2,6})\)")
# A label (or a statement left open: "The effectiveness of the LSCB is") whose grade may be set
# on the next line is no longer than this.
_MAX_LABEL_CHARS = 120
# A short line that is a statement in itself, not a sentence of prose (no full stop inside).
_SHORT_LINE = re.compile(r"^[^.]{0,160}$")


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


def extract_judgements(doc: CleanDocument, framework: str | None = None) -> list[Row]:
    """Judgements of a document. With `framework` known, the report's own grades are read only
    for the areas that framework grades (a 2013 looked-after children inspection grades none of
    the ILACS/SIF areas, so its 'Overall effectiveness' is not the authority's)."""
    rows: list[Row] = []
    seen: set[tuple[str, str]] = set()
    allowed = areas_of(framework)

    def add(row: Row) -> None:
        key = (row["area"], row["judgement_of"])
        if row["judgement_of"] == "this_inspection" and allowed is not None and row["area"] not in allowed:
            return
        if key not in seen:
            seen.add(key)
            rows.append(row)

    text = doc.text
    paragraphs = doc.paragraphs
    for i, p in enumerate(paragraphs):
        if p.kind == "item":
            continue
        chunk = text[p.start : p.end]
        if p.kind == "table_row":
            cells = [c.strip() for c in chunk.split("\t") if c.strip()]
            if len(cells) >= 2:
                area, grade = area_code(cells[0]), grade_code(cells[-1])
                if area and grade:
                    add(_row(doc, area, grade, p.start, p.end, "this_inspection", "grade_table"))
                    continue
        if len(chunk) > _MAX_STATEMENT_CHARS:
            continue
        end = p.end
        found = _statement(chunk)
        if found is None and i + 1 < len(paragraphs) and len(chunk) <= _MAX_LABEL_CHARS:
            # the grade set on the line below: "The effectiveness of the LSCB is" | "requires
            # improvement"; "1. Children who need help and protection" | "Good"
            nxt = paragraphs[i + 1]
            if grade_code(text[nxt.start : nxt.end].rstrip(".")):
                found = _statement(text[p.start : nxt.end])
                end = nxt.end
        if found is not None:
            area, grade, source = found
            if p.kind == "text" and source != "grade_table" and not _SHORT_LINE.match(chunk):
                source = "prose"
            add(_row(doc, area, grade, p.start, end, "this_inspection", source))
    for p in paragraphs:
        if p.kind not in ("text", "item"):
            continue
        chunk = text[p.start : p.end]
        if not _may_restate(chunk) or not RESTATED.search(chunk):
            continue  # a grade restated in a sentence is restated in its paragraph
        for s, e in paragraph_sentences(doc, p.start, p.end):
            for row in _restated(doc, s, e):
                add(row)
    return rows


def _may_restate(chunk: str) -> bool:
    """False when RESTATED cannot match `chunk`: none of its verbs is in it. A few substring
    tests on the case-folded text settle most paragraphs for a fraction of what the
    case-insensitive regex costs; casefold() folds every character that IGNORECASE matches to
    a letter of these verbs ("ſ" to "s") to that letter."""
    folded = chunk.casefold()
    return any(verb in folded for verb in _RESTATING_VERBS)


def _statement(chunk: str) -> tuple[str, str, str] | None:
    """(area, grade, source) when the whole paragraph states one judgement (see
    reference/judgement_statements.csv); None otherwise."""
    line = _STATEMENT_TRIM.sub("", _STATEMENT_NUMBER.sub("", " ".join(chunk.split())))
    line = _ACRONYM.sub("", line)
    for _form, pattern, fixed_area, source in judgement_statements():
        m = pattern.fullmatch(line)
        if not m:
            continue
        grade = grade_code(m.group("grade"))
        area = fixed_area or area_code(m.group("label"))
        if area and grade:
            return area, grade, source
    return None


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
    parts = re.split(
        r"\band (?=the experiences|the impact|overall effectiveness|leadership)", subject, flags=re.I
    )
    offset = 0
    for part in parts:
        area = area_code(part)
        if area:
            found.append((offset, area))
        offset += len(part)
    return [a for _, a in sorted(found)]
