"""Sentence spans within a cleaned paragraph (abbreviation- and quote-aware)."""

from __future__ import annotations

import re

_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "st", "no", "nos", "e.g", "i.e", "etc", "vs", "cf", "para",
    "paras", "fig", "approx", "inc", "ltd", "co", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec",
}
# A candidate sentence end: terminal punctuation, optional closing quotes/brackets, then space.
_END = re.compile(r"[.!?][\"'’”)\]]*(?=\s+[\"'‘“(\[]?[A-Z0-9])")
_PARAGRAPH_NUMBER = re.compile(r"^\s*\d{1,3}\.\s+")


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """[start, end) spans of the sentences in text[start:end], whitespace trimmed."""
    end = len(text) if end is None else end
    m = _PARAGRAPH_NUMBER.match(text, start, end)
    if m:
        start = m.end()
    spans: list[tuple[int, int]] = []
    cursor = start
    for m in _END.finditer(text, start, end):
        stop = m.end()
        word = re.search(r"([\w.]+)[.!?]$", text[max(cursor, stop - 12) : m.start() + 1])
        if word and word.group(1).lower().rstrip(".") in _ABBREVIATIONS:
            continue
        if word and len(word.group(1)) == 1 and word.group(1).isupper():
            continue  # an initial: "J. Smith"
        spans.append((cursor, stop))
        cursor = stop
    spans.append((cursor, end))
    out = []
    for a, b in spans:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            out.append((a, b))
    return out
