"""Metrics: every stated quantity in a cleaned report, with value, unit, subject, qualifier, period.

Rule based and pure: `extract_metrics(doc)` reads only `doc`. It works in three passes.

1. Block what only *looks* numeric: dates and years, ages that define a group, references to
   Acts, paragraphs, frameworks, tiers and school years, phone numbers, postcodes, e-mail and
   web addresses, footnote markers, page numbers after a running-header date. Period phrases
   ("in the last six months") are recorded for the `period` column and blocked too, so their
   numbers are never metrics themselves.
2. Read each remaining number (digits or words) in context, most specific reading first:
   fraction ("just under half"), "one in five", range, money, then a single number with its
   unit (percent, rate, duration, counted noun), then bare numbers whose context says what they
   count ("of whom 12", "247 (73%)", "an increase from 132").
3. Give each reading its evidence (the clause stating it, cut at subordinate clauses), a subject
   (a heuristic noun phrase, see subjects.py), its qualifier and the nearest period phrase.

Modules: vocabulary (words, units, regex building blocks), scan and anchors (where a pattern
is tried), regions (pass 1), numbers, units and readings (pass 2), kinds, evidence and subjects
(pass 3), spans (shared look-ups).

Conventions (the gold notes in tests/fixtures/gold/seeds/metrics.jsonl set the first three):
- Fractions become percent: "just under half" -> 50, qualifier under; "two thirds" -> 66.7.
  A fraction followed by its exact figure ("almost three quarters (73%)") gives only the figure.
- "almost", "nearly", "just under", "less than" -> under; "more than", "over" -> over;
  "within", "up to" -> at_most; "at least", "or more" -> at_least; "around", "some" -> approx;
  "all but five" -> 5 all_but.
- A range gives two rows, range_low and range_high ("between eight and 12 cases"); a change
  ("rose from 14 to 27") gives two plain rows, because each end was true at its own time.
- Numbers in a caseload context ("caseloads ... between eight and 12 cases") are
  cases_per_worker; a percentage that is a change ("increased by 132%") is percent_change.
- Not quantities: ordinals ("third visit", "first monitoring visit", "a third hub"), vague
  amounts ("most", "the majority", "a small number", "several"), zero words ("no", "none"),
  "one of", "one-to-one", "one" as a pronoun, ages defining a group ("young people aged 16 and
  17"), "Year 11", "key stages 2 and 4", "section 47 enquiries", "tier 3", "outcome 1".
- "one"/"1" counts only a noun from a closed list ("one child", "one placement"), because "one"
  is mostly a pronoun; or, in the lists of counts of SIF reports, the subject of its clause
  ("of whom one (10%) lives outside the area", "one of whom lives ...") and the earlier figure
  of a change ("an increase from one"). Two equal quantities in one clause get distinct
  evidence spans, since row ids hash document, span, value and qualifier.
"""

from __future__ import annotations

import bisect
import re

from ofsted_findings.extract.metrics.anchors import _Anchors
from ofsted_findings.extract.metrics.evidence import _clauses, _evidence, _nearest_period
from ofsted_findings.extract.metrics.kinds import _set_kind
from ofsted_findings.extract.metrics.numbers import _FRACTION, _NUMBER_TOKEN, _ONE_IN_N
from ofsted_findings.extract.metrics.readings import _read_all, _Reading
from ofsted_findings.extract.metrics.regions import _BLOCKS, _PERIODS, _block_mask, _period_spans
from ofsted_findings.extract.metrics.scan import _for_lower_case
from ofsted_findings.extract.metrics.spans import Span, _containing, _near, _strip
from ofsted_findings.extract.metrics.subjects import _borrow_subjects, _row_subject, _without_periods
from ofsted_findings.extract.metrics.vocabulary import QUALIFIERS, UNITS
from ofsted_findings.extract.sentences import paragraph_sentences, sentence_spans
from ofsted_findings.models import CleanDocument, Row

# The entry point, the controlled vocabularies, and the patterns and scanning the tests check.
__all__ = [
    "QUALIFIERS",
    "UNITS",
    "_BLOCKS",
    "_FRACTION",
    "_NUMBER_TOKEN",
    "_ONE_IN_N",
    "_PERIODS",
    "_Anchors",
    "_for_lower_case",
    "_without_periods",
    "extract_metrics",
]

_LINE = re.compile(r"[^\n]+")


# pdfium writes U+FFFE for some hyphens ("16- and 17-year\ufffeolds", "tri\ufffeborough").
_MATCHING_CHARS = {0xFFFE: "-", 0x2011: "-", 0x2010: "-"}


# ---------------------------------------------------------------------------------------------
# Public entry point
# ---------------------------------------------------------------------------------------------
def extract_metrics(doc: CleanDocument) -> list[Row]:
    """Every stated quantity in `doc`, one row each, ordered by position."""
    # Patterns run on a same-length copy with PDF hyphen glyphs made plain, so every offset
    # still points into doc.text, from which the evidence is cut.
    text = doc.text
    for char, plain in _MATCHING_CHARS.items():  # str.translate would cost ~0.2 µs a character
        text = text.replace(chr(char), plain)
    anchors = _Anchors(text)
    blocked = _block_mask(anchors)
    periods = _period_spans(anchors)
    for s, e, _ in periods:
        blocked[s:e] = b"\x01" * (e - s)
    sentences = _sentences(doc)
    readings = _read_all(anchors, blocked, sentences)
    starts = sorted({r.start for r in readings})
    clauses: dict[Span, list[Span]] = {}
    seen: set[tuple[int, int, float, str | None]] = set()
    rows: list[Row] = []
    row_sents: list[Span] = []
    last: _Reading | None = None
    for r in readings:
        sent = _containing(sentences, r.start)
        if sent is None:
            continue
        _set_kind(text, sent, r, last)
        last = r
        if sent not in clauses:
            clauses[sent] = _clauses(text, sent)
        clause = _near(_containing(clauses[sent], r.start) or sent, r.start, r.end)
        sent = _near(sent, r.start, r.end)
        later = bisect.bisect_right(starts, r.start)
        next_start = starts[later] if later < len(starts) else len(text)
        ev_s, ev_e = _evidence(text, sent, clause, r)
        for narrower in ((max(ev_s, r.start), ev_e), (r.start, max(r.end, r.start + 1))):
            if (ev_s, ev_e, r.value, r.qualifier) not in seen:
                break
            # Two equal quantities in one clause ("one review completed and one ongoing"): the
            # later row's evidence starts at its own quantity, so each row keeps its own span.
            ev_s, ev_e = _strip(text, *narrower)
        seen.add((ev_s, ev_e, r.value, r.qualifier))
        rows.append(
            {
                "document_id": doc.document_id,
                "value": float(r.value),
                "unit": r.unit,
                "subject": _row_subject(text, clause, r, sent, next_start),
                "qualifier": r.qualifier,
                "period": _nearest_period(periods, sent, (ev_s, ev_e), r),
                "kind": r.kind,
                "evidence": doc.text[ev_s:ev_e],
                "start": ev_s,
                "end": ev_e,
                "page": doc.page_at(ev_s),
            }
        )
        row_sents.append(sent)
    _borrow_subjects(rows, row_sents)
    return rows


def _sentences(doc: CleanDocument) -> list[Span]:
    """Sentence spans inside paragraphs (or lines when a text has no paragraphs), by the one
    splitter (extract/sentences.py)."""
    text = doc.text
    out: list[Span] = []
    if doc.paragraphs:
        for p in doc.paragraphs:
            out += paragraph_sentences(doc, p.start, p.end)
    else:
        for m in _LINE.finditer(text):
            out += sentence_spans(text, m.start(), m.end())
    return sorted(out)
