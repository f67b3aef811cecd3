"""Pathological report text for the linear-time tests and bench/hostile_text.py: one sentence
that repeats a short unit to a given size. Each unit once made an extractor quadratic in the
length of a sentence (a window, a clause or a list scanned again for every number in it)."""

from __future__ import annotations

from collections.abc import Callable

from ofsted_findings.clean import clean_text
from ofsted_findings.extract.document import extract_document
from ofsted_findings.extract.findings import extract_findings
from ofsted_findings.extract.judgements import extract_judgements
from ofsted_findings.extract.metrics import extract_metrics
from ofsted_findings.extract.recommendations import extract_recommendations
from ofsted_findings.extract.sentences import sentence_spans
from ofsted_findings.models import CleanDocument

# name -> the unit repeated (and what ends the sentence, when not TAIL)
UNITS: dict[str, str | tuple[str, str]] = {
    "percent_to": " 20% to ",  # one clause, a percentage every 8 characters
    "digit_list": "1,",  # one word: a list of numbers that never ends in a month
    "spaced_list": "1, ",  # a list of one-word clauses
    "and_list": "12 and ",
    "counted": "twelve children and ",  # counted nouns in one clause
    "qualified": "more than 5 cases, ",
    "periods": "in the last 3 months 4 visits ",  # period phrases next to quantities
    "range": "between 5 and 6 cases ",
    "caseloads": "12 cases per worker ",  # ... and "caseloads" only at the end
    "dated": "12 October ",
    "words": "the children ",  # no number at all
    "one_word": "a",  # a single word, no space
    "abbreviations": "e.g. ",
    "good": "Children are well supported and good ",  # evaluative words for findings
    "fractions": "two thirds of children and ",
    "one_in": "one in five children and ",
    "thousands": (",000", "x caseloads."),  # "1,000,000,...,000x": no number after all
    "email": ("a.", " or x@example.org."),  # an address anywhere makes a pattern try everywhere
    "digits": ("1", "x caseloads."),
}
# Appended to every sentence: makes "caseloads" a caseload sentence and gives every extractor a
# document to read.
TAIL = " caseloads."
LEAD = "Ofsted inspection of Dudley children's services. Inspectors found that"


def hostile_text(unit: str, kb: float) -> str:
    """One sentence of `unit` repeated to `kb` thousand characters, in a one-line report."""
    pattern, tail = UNITS[unit] if isinstance(UNITS[unit], tuple) else (UNITS[unit], TAIL)
    start = "1" if unit == "thousands" else ""
    return f"{LEAD} {start}{pattern * max(1, int(kb * 1000) // len(pattern))}{tail}\n"


def hostile_document(unit: str, kb: float) -> tuple[CleanDocument, str]:
    """The cleaned document of `hostile_text` (plain text), and the raw text."""
    text = hostile_text(unit, kb)
    return clean_text("d" * 16, "hostile.txt", "plain_text", text), text


# stage -> what it runs on (document, raw text)
STAGES: dict[str, Callable[[CleanDocument, str], object]] = {
    "clean": lambda doc, text: clean_text("d" * 16, "hostile.txt", "plain_text", text),
    "sentences": lambda doc, text: sentence_spans(doc.text),
    "document": lambda doc, text: extract_document(doc, text),
    "judgements": lambda doc, text: extract_judgements(doc, None),
    "recommendations": lambda doc, text: extract_recommendations(doc),
    "findings": lambda doc, text: extract_findings(doc),
    "metrics": lambda doc, text: extract_metrics(doc),
}
