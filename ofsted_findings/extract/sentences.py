"""The text toolkit every extractor splits sentences with: one splitter, one list of
abbreviations, the bullet glyphs of clean/ (one list for cleaning and splitting).

Findings, metrics, recommendations and judgements all read a report sentence by sentence; one
function cuts them, so a sentence is the same span whichever table quotes it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ofsted_findings.clean.patterns import BULLET_GLYPHS

if TYPE_CHECKING:
    from ofsted_findings.models import CleanDocument

__all__ = [
    "ABBREVIATIONS", "BULLET_GLYPHS", "NUMBERED", "PARAGRAPH_PREFIX", "Span", "paragraph_sentences",
    "sentence_spans",
]  # fmt: skip

Span = tuple[int, int]

# Words that take a full stop without ending a sentence (compared lowercase, without the stop).
ABBREVIATIONS = frozenset(
    {
        "mr", "mrs", "ms", "dr", "prof", "cllr", "rev", "st", "sr", "jr", "hon",
        "no", "nos", "vol", "para", "paras", "fig", "figs", "cf", "vs", "v", "viz", "al",
        "approx", "dept", "govt", "inc", "ltd", "co", "corp", "ref", "refs", "ch", "sec", "art",
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
        "e.g", "i.e", "eg", "ie", "p", "pp",
    }
)  # fmt: skip
# Punctuation that ends a sentence, closing quotes/brackets after it, then the next sentence's
# first character (capital, digit or an opening quote/bracket).
_BOUNDARY = re.compile(r"[.!?…]+([\"”’')\]]*)(?=\s+[\"“‘'(\[]?[A-Z0-9])")
# The same boundaries in text whose only such punctuation is the full stop, found faster: `re`
# skips to a leading literal character in C, but enters its engine at every position otherwise.
_FULL_STOP_BOUNDARY = re.compile(r"\.\.*([\"”’')\]]*)(?=\s+[\"“‘'(\[]?[A-Z0-9])")
# A paragraph's own number ("23. ", "2.1 ") or a list marker ("(a) ", "ii) ") opening the text or
# a line is part of no sentence.
NUMBERED = re.compile(r"\s*\d{1,3}\.(?:\d{1,2}\.?)?(?:\s+|(?=[A-Z‘“'\"(]))")
_LIST_MARKER = r"\s*\(?(?:[a-h]|[ivx]{1,4})\)\s+"
PARAGRAPH_PREFIX = re.compile(f"(?:{NUMBERED.pattern}|{_LIST_MARKER})")
# A number and a marker together ("12. (a) ", "4.2 (c) ", "(a) (i) ") open some paragraphs: all
# are cut. A second number is not: after a paragraph's number it is a figure ("12. 2.5 per cent").
_PREFIXES = re.compile(f"(?:{PARAGRAPH_PREFIX.pattern})(?:{_LIST_MARKER})*")
# Bullet glyphs left inline by PDF extractors (lists flattened into one line) separate sentences
# and belong to none.
_GLYPH = re.compile(f"[{BULLET_GLYPHS}]")
_LINE_BREAK_OR_GLYPH = re.compile(f"[\n{BULLET_GLYPHS}]")
_LINE_BREAK = re.compile("\n")
_WORD_STOPS = "\"“‘'(["  # with whitespace, what ends the word before a full stop
_INITIAL = re.compile(r"[A-Z]")
_DOTTED = re.compile(r"(?:[a-z]\.)+[a-z]")
# A word of more letters than the longest abbreviation is neither one, an initial nor dotted.
_LONG_WORD = max(map(len, ABBREVIATIONS)) + 1


def _word_before(text: str, end: int, floor: int = 0) -> str:
    """The word before a full stop at `end`: back to whitespace, a quote, an opening bracket or
    `floor` (where a paragraph number glued to the word ends: "3.Dr. Patel"), ignoring a newline
    right before `end`, as a regex `$` would. Scanned backwards: a regex search for it would read
    the whole paragraph up to `end`, for every full stop."""
    if end and text[end - 1] == "\n":
        end -= 1
    start = end
    while start > floor and not (text[start - 1].isspace() or text[start - 1] in _WORD_STOPS):
        start -= 1
    return text[start:end]


def _is_abbreviation(text: str, end: int, floor: int = 0) -> bool:
    """True when the word ending at a full stop at `end` is an abbreviation or an initial."""
    token = _word_before(text, end, floor)
    low = token.lower()
    if low in ABBREVIATIONS:
        return True
    if _INITIAL.fullmatch(token):  # an initial: "J. Smith"
        return True
    return bool(_DOTTED.fullmatch(low))  # e.g, i.e, u.k


def paragraph_body(text: str, start: int, end: int) -> int:
    """Where the prose of text[start:end] starts: past its paragraph number and list marker."""
    m = _PREFIXES.match(text, start, end)
    return m.end() if m else start


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Sentence spans [a, b) of text[start:end], in `text`'s offsets, trimmed of whitespace.

    Splits at . ! ? … (with any closing quotes) before a capital, digit or opening quote, except
    after abbreviations and initials; line breaks and inline bullet glyphs always end one, and
    a glyph alone is no sentence. A paragraph number or list marker opening the text or a line
    ("12. ", "(b) ", both: "12. (b) ") belongs to no sentence.

    One behaviour for every extractor (findings, metrics, recommendations, judgements): no
    options, since none of them needs a sentence cut otherwise.
    """
    end = len(text) if end is None else end
    piece = text[start:end] if start or end != len(text) else text
    has_break = "\n" in piece
    # line start -> where its first sentence starts, when a number or list marker opens it
    prefixes: dict[int, int] = {}
    for line_start in (0, *(m.end() for m in _LINE_BREAK.finditer(piece))) if has_break else (0,):
        m = _PREFIXES.match(piece, line_start)
        if m:
            prefixes[line_start] = m.end()
    cuts = [0]
    boundary = _BOUNDARY if "?" in piece or "!" in piece or "…" in piece else _FULL_STOP_BOUNDARY
    for m in boundary.finditer(piece):
        stop = m.start()
        if prefixes and any(a <= stop < b for a, b in prefixes.items()):
            continue  # the full stop of "12. "
        if (
            piece[stop] == "."
            and m.start(1) == stop + 1  # a single full stop
            # Most words are settled by their last letters, without finding where they start.
            and not (stop >= _LONG_WORD and piece[stop - _LONG_WORD : stop].isalpha())
            and _is_abbreviation(piece, stop, max((b for b in prefixes.values() if b <= stop), default=0))
        ):
            continue
        cuts.append(m.end())
    breaks = glyphs = False
    # Glyphs are never ASCII: most paragraphs are settled without scanning for them.
    for m in _LINE_BREAK_OR_GLYPH.finditer(piece) if has_break or not piece.isascii() else ():
        breaks = True
        if piece[m.start()] == "\n":
            cuts.append(m.end())
        else:
            glyphs = True
            cuts += (m.start(), m.end())
    cuts.append(len(piece))
    if breaks:  # else the cuts are in order already
        cuts = sorted(set(cuts))
    spans: list[Span] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        chunk = piece[prefixes.get(a, a) : b]
        rest = chunk.lstrip()
        if rest:
            sentence = rest.rstrip()
            if not (glyphs and _GLYPH.fullmatch(sentence)):
                s = start + b - len(rest)
                spans.append((s, s + len(sentence)))
    return spans


def paragraph_sentences(doc: CleanDocument, start: int, end: int) -> tuple[Span, ...]:
    """sentence_spans of doc.text[start:end], cut once a document: findings, metrics,
    recommendations and judgements read the same paragraphs, and each asks for their sentences."""
    spans = doc.sentences.get((start, end))
    if spans is None:
        spans = doc.sentences[start, end] = tuple(sentence_spans(doc.text, start, end))
    return spans
