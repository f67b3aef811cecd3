"""Property tests: on arbitrary Unicode and on mutated real report text, the cleaner and every
extractor never raise, return spans inside the text whose text is the evidence, and are
deterministic. Example counts are set per test (EXAMPLES) and run in CI."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ofsted_findings.clean import clean_text
from ofsted_findings.extract.document import extract_document
from ofsted_findings.run.worker import extract_rows
from tests.conftest import RAW

EXAMPLES = 150
FORMATS = ["pdf_text", "web_page", "markdown", "plain_text", "pdf"]
SEEDS = {p.name: p.read_text(encoding="utf-8") for p in sorted(RAW.glob("*")) if p.suffix in (".txt", ".md")}
EVIDENCE_COLUMN = {"judgements": "evidence", "recommendations": "evidence", "metrics": "evidence",
                   "findings": "text"}

# Text that looks like reports: their words, line breaks, bullets, tabs, digits and odd characters.
report_alphabet = st.sampled_from(
    list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:'\"-–()%£\n\t\f")
    + ["\uf0b7", "\ufffe", "\x02", "\u00ad", "’", "“", "\r\n", "\u00a0", "é", "#", "*", "[", "]", "|"]
)
report_words = st.sampled_from(
    [" Good", " Inadequate", " requires improvement to be good", " were rated as good.", "\n- ",
     " 47.6%", " all but five", " just under half", " between eight and 12", " should improve.",
     "\nWhat needs to improve\n", "\nOverall effectiveness\tGood\n", " judged inadequate in January 2016",
     " Inspection dates: 8 to 12 May 2023", " Lead inspector: Jane Smith", " children in care",
     "\n\n", " \n\n", "\n-\n", " 12.", " Mr", " e.g.", " (outcome 1, national framework)"]
)
reportish = st.lists(st.one_of(report_alphabet, report_words), max_size=400).map("".join)


def check_document(text: str, fmt: str) -> None:
    doc = clean_text("d" * 16, "x.txt", fmt, text)
    assert all(0 <= p.start <= p.end <= len(doc.text) for p in doc.paragraphs)
    assert all(0 <= s.start <= s.end <= len(doc.text) for s in doc.sections)
    rows = extract_rows(doc)
    facts = extract_document(doc, text)
    for table, column in EVIDENCE_COLUMN.items():
        for row in rows[table]:
            assert 0 <= row["start"] < row["end"] <= len(doc.text), (table, row)
            assert doc.text[row["start"] : row["end"]] == row[column], (table, row)
    for fact in facts.facts:
        assert doc.text[fact["start"] : fact["end"]] == fact["evidence"]
    again = clean_text("d" * 16, "x.txt", fmt, text)
    assert again.text == doc.text
    assert extract_rows(again) == rows


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(max_size=600), fmt=st.sampled_from(FORMATS))
def test_arbitrary_unicode(text, fmt):
    check_document(text, fmt)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=reportish, fmt=st.sampled_from(FORMATS))
def test_report_like_text(text, fmt):
    check_document(text, fmt)


@st.composite
def mutated_seed(draw):
    name = draw(st.sampled_from(sorted(SEEDS)))
    text = SEEDS[name]
    for _ in range(draw(st.integers(1, 6))):
        i = draw(st.integers(0, len(text)))
        j = draw(st.integers(i, min(len(text), i + 400)))
        op = draw(st.sampled_from(["delete", "duplicate", "insert", "swap_case", "newlines"]))
        if op == "delete":
            text = text[:i] + text[j:]
        elif op == "duplicate":
            text = text[:j] + text[i:j] + text[j:]
        elif op == "insert":
            text = text[:i] + draw(st.one_of(st.text(max_size=40), reportish)) + text[i:]
        elif op == "swap_case":
            text = text[:i] + text[i:j].swapcase() + text[j:]
        else:
            text = text[:i] + text[i:j].replace(" ", "\n") + text[j:]
    return text, draw(st.sampled_from(FORMATS))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=mutated_seed())
def test_mutated_real_reports(case):
    text, fmt = case
    check_document(text, fmt)
