"""Number tokens (digits or words) and their values; the fraction and "one in five" patterns,
which anchors.py scans with the rest."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ofsted_findings.extract.metrics.scan import _scan
from ofsted_findings.extract.metrics.vocabulary import _DIGITS, _NUMBERS, _SMALLNUM, _WORDNUM_FULL, _YEAR
from ofsted_findings.extract.number_words import WORD_VALUES

if TYPE_CHECKING:
    from ofsted_findings.extract.metrics.anchors import _Anchors

# Number tokens: digits (thousands commas, decimals, "3m" for money) or number words.
_NUMBER_TOKEN = _scan(
    rf"(?<![\w$])(?P<d>{_DIGITS})(?!(?!(?:m|bn|k)\b)\w|[.,]\d)"
    rf"|\b(?P<w>{_WORDNUM_FULL})\b(?!-(?:to|off|stop|way)\b)",
    _NUMBERS,
)


_FRACTION = _scan(
    r"(?P<num>\b(?:a|one|two|three|four|nine)[\s-]+)?\b(?P<frac>half|thirds?|quarters?|fifths?"
    r"|tenths?)\b",
    "half third quarter fifth tenth",
    back="a one two three four nine",
)
_ONE_IN_N = _scan(
    rf"\b(?P<a>{_SMALLNUM})\s+in\s+(?P<every>every\s+)?(?P<b>{_SMALLNUM}|\d{{3,}})\b", _NUMBERS
)


_DECIMAL = re.compile(r"\d+(?:\.\d+)?")
_NUMBER_WORD_SEP = re.compile(r"[\s-]+")
_FOOTNOTE_BEFORE = re.compile(r"[A-Za-z)\]’'”\"]\Z|[A-Za-z][.,;:]\Z|[A-Za-z]-\Z")
_YEAR_BEFORE = re.compile(rf"{_YEAR}\)?\s+$")


@dataclass
class _Token:
    """A number in the text: digits or words."""

    start: int
    end: int
    value: float
    is_word: bool


@functools.lru_cache(maxsize=4096)
def _number_value(token: str) -> float | None:
    """Value of a digit or word number ("3,149", "47.6", "twenty-one", "two hundred")."""
    t = token.lower().replace(",", "")
    if _DECIMAL.fullmatch(t):
        return float(t)
    total, current = 0, 0
    for w in _NUMBER_WORD_SEP.split(t):
        if w == "and":
            continue
        if w in WORD_VALUES:
            current += WORD_VALUES[w]
        elif w == "hundred":
            current = max(current, 1) * 100
        elif w == "thousand":
            total += max(current, 1) * 1000
            current = 0
        else:
            return None
    return float(total + current)


def _tokens(anchors: _Anchors, blocked: bytearray) -> list[_Token]:
    """Number tokens outside blocked regions that are not footnote markers or page furniture."""
    text = anchors.text
    out: list[_Token] = []
    for m in anchors.finditer(_NUMBER_TOKEN):
        s, e = m.start(), m.end()
        if any(blocked[s:e]):
            continue
        digits = m.group("d")
        if digits is not None:
            # Footnote markers glued to a word or a sentence end: "area2", "practice.13".
            if _FOOTNOTE_BEFORE.search(text[max(0, s - 2) : s]):
                continue
            # Paragraph numbers: "36." at the start of a line.
            if text[e : e + 1] in (".", ")") and _at_line_start(text, s):
                continue
            # Reference numbers (five or more digits without a thousands comma).
            if "," not in digits and "." not in digits and len(digits) >= 5:
                continue
            # A page number after a running header's date: "... 1 to 12 July 2024 3".
            if _YEAR_BEFORE.search(text[max(0, s - 8) : s]):
                continue
        value = _number_value(m.group())
        if value is not None:
            out.append(_Token(s, e, value, digits is None))
    return out


def _at_line_start(text: str, pos: int) -> bool:
    """Only whitespace between the start of its line and `pos`. A backward scan over that
    whitespace: a search back for the line break would cross a whole long line per number."""
    i = pos
    while i > 0 and text[i - 1] != "\n" and text[i - 1].isspace():
        i -= 1
    return i == 0 or text[i - 1] == "\n"
