"""Metrics: readings that were missed or misread on reports nobody tuned the rules to (local
context lists, numbers in words, shares, changes, targets, comparisons) and the `kind` of each
row. Examples are dev authorities' wording (tests/fixtures/gold/dev/split.json) or made sentences
where the corpus has none; held-apart authorities' reports are never a source."""

from __future__ import annotations

from ofsted_findings.extract.metrics import extract_metrics
from ofsted_findings.models import CleanDocument, Paragraph


def _rows(text: str) -> list[dict]:
    """Rows of `text` as one paragraph of a PDF's cleaned text (line breaks kept, as there)."""
    doc = CleanDocument("d" * 16, "x.pdf", "pdf", text, [Paragraph(0, len(text), "s", 1)])
    rows = extract_metrics(doc)
    for r in rows:
        assert doc.text[r["start"] : r["end"]] == r["evidence"]
    return rows


def _by_value(text: str) -> dict[float, dict]:
    return {r["value"]: r for r in _rows(text)}


def test_a_number_opening_a_line_after_a_word_is_read():
    # Plymouth 2015: a SIF local-context list, one line per placement type. A number after a
    # line break is not a footnote marker glued to the word before it.
    text = (
        "Of this number:\n137 (or 32%) live outside the local authority area\n"
        "25 live in residential children’s homes, of whom 72% live out of the authority area\n"
        "300 live with foster families, of whom 32% live out of the authority area\n"
        "5 children are unaccompanied asylum-seeking children.\nIn the last 12 months:\n"
        "there have been 29 adoptions\n15 children became subjects of special guardianship orders"
    )
    got = {(r["value"], r["unit"]) for r in _rows(text)}
    for want in ((25, "count"), (300, "count"), (5, "count"), (15, "count"), (72, "percent")):
        assert want in got


def test_a_footnote_marker_glued_to_a_word_is_still_not_a_metric():
    assert _rows("Children are seen quickly in the area2 and the service is good.") == []
