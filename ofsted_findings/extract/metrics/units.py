"""What stands right around a number: the qualifier before or after it ("just under", "or
more") and the unit after it (percent, rate, duration, a counted noun phrase, money scale)."""

from __future__ import annotations

import re

from ofsted_findings.extract.metrics.vocabulary import (
    _CASE_NOUNS,
    _COUNT_MODIFIERS,
    _DURATION_UNITS,
    _I,
    _IRREGULAR_PLURALS,
    _NOT_PLURAL,
    _POST_QUALIFIERS,
    _QUALIFIER_WORDS,
    _SINGULAR_COUNTED,
    _STOP,
)
from ofsted_findings.extract.number_words import WORD_VALUES


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"  # what re's \w matches


_WORD_AFTER = re.compile(r"[ \t]+[‘“]?([A-Za-z][\w'’]*(?:-[A-Za-z][\w'’]*)*)")
# Modifiers of more than one word whose last word is a stop word elsewhere: "193 looked after
# children" (the term of every report before 2018) is read as one modifier, not cut at "after".
_PHRASE_MODIFIER = re.compile(r"[ \t]+looked[ \t]+after(?=[ \t]+[A-Za-z])", re.IGNORECASE)


# (qualifier, phrase, the phrase ending a text) in the order they are tried.
_QUALIFIER_PHRASES = tuple(
    (qual, phrase, re.compile(rf"(?<![\w-]){re.escape(phrase)}\s+$", _I))
    for qual, phrases in _QUALIFIER_WORDS.items()
    for phrase in phrases
)
# The same (qualifier, phrase) pairs, in the same order, by their last characters: a text can
# end with a phrase only if it ends with those, so a look-up leaves one or two phrases to try.
_QUALIFIER_END = min(len(phrase) for _, phrase, _ in _QUALIFIER_PHRASES)
_QUALIFIERS_BY_END: dict[str, list[tuple[str, str]]] = {}
for _qual, _phrase, _ in _QUALIFIER_PHRASES:
    _QUALIFIERS_BY_END.setdefault(_phrase[-_QUALIFIER_END:], []).append((_qual, _phrase))
_POST_QUALIFIER = re.compile(r"\s+(or\s+(?:more|over|above|fewer|less|under))\b", _I)

_ACRONYM = re.compile(r"[A-Z]{2,}s?")
_DURATION = re.compile(
    r"(?:\s+|-)(?:(working|calendar|school)[\s-])?(minute|hour|day|week|month|year)s?\b"
    r"(?![\s-]+old\b|\s+of\s+age\b)",
    _I,
)
_PERCENT = re.compile(
    r"\s?(?:%|per\s?cent\b|percent\b)(\s+points?\b)?|\s+percentage\s+points?\b", _I
)
_RATE = re.compile(r"\s+per\s+(1,000|1000|10,000|10000|100,000|100000)\b")
_PER_WORKER = re.compile(
    r"\s+(?:per|for\s+each)\s+(?:social\s+)?(?:worker|practitioner|adviser)\b", _I
)


_MONEY_SCALE = re.compile(r"\s?(million|m|billion|bn|k|thousand)\b", _I)


def _qualifier_before(text: str, pos: int, floor: int) -> tuple[str | None, int]:
    """The qualifier whose words end right before `pos`, and where those words start.

    The first phrase in `_QUALIFIER_WORDS` order that ends the window, whitespace after it, and
    does not continue a word: string comparison for ASCII, where lower() is what IGNORECASE does.
    """
    window = text[max(floor, pos - 40) : pos]
    if not window.isascii():
        for qual, _, pattern in _QUALIFIER_PHRASES:
            if m := pattern.search(window):
                return qual, pos - (len(window) - m.start())
        return None, pos
    head = window.rstrip().lower()
    if len(head) == len(window):
        return None, pos
    for qual, phrase in _QUALIFIERS_BY_END.get(head[-_QUALIFIER_END:], ()):
        start = len(head) - len(phrase)
        if head.endswith(phrase) and not (start and (_is_word(head[start - 1]) or head[start - 1] == "-")):
            return qual, pos - (len(window) - start)
    return None, pos


def _qualifier_after(text: str, pos: int) -> tuple[str | None, int]:
    """A post-qualifier right after `pos` ("or more", "or fewer"), and where it ends."""
    m = _POST_QUALIFIER.match(text[pos : pos + 20])
    if m:
        return _POST_QUALIFIERS[" ".join(m.group(1).lower().split())], pos + m.end()
    return None, pos


def _is_plural(word: str) -> bool:
    last = word.split("-")[-1]
    if last in _IRREGULAR_PLURALS or word in _IRREGULAR_PLURALS:
        return True
    if last in _NOT_PLURAL or len(last) < 4:
        return False
    if last.endswith(("ss", "us", "is", "ness", "'s")):
        return False
    return last.endswith(("s", "s'"))


def _noun_phrase(text: str, pos: int, singular: bool, allow_caps: bool) -> tuple[int, str] | None:
    """(end, head) of the counted noun phrase right after `pos`, or None.

    Up to five words are read. The head is a plural noun or an acronym (after "one": a noun
    from _SINGULAR_COUNTED); in a run of nouns the last is the head ("MASH referrals"); "and"
    may join modifiers ("family and friend foster carers"). A stop word, a number word or a
    capitalised word ends the search; capitalised words are allowed after number words ("three
    local Boards") but never after digits, which in PDF text are often contents-page numbers
    before a title ("12 Local Safeguarding Children Board").
    """
    head_end: int | None = None
    head = ""
    cursor = pos
    for i in range(6):
        phrase = _PHRASE_MODIFIER.match(text, cursor)
        if phrase and head_end is None:
            cursor = phrase.end()
            continue
        m = _WORD_AFTER.match(text, cursor)
        if not m:
            break
        word = m.group(1)
        low = word.lower().replace("’", "'")
        is_acronym = bool(_ACRONYM.fullmatch(word))
        if low in WORD_VALUES:
            break
        if low in _COUNT_MODIFIERS and i == 0:  # "two further permanent appointments"
            cursor = m.end()
            continue
        if low in ("and", "or") and i > 0 and head_end is None:
            cursor = m.end()
            continue
        if (word[0].isupper() and not is_acronym and not allow_caps) or low in _STOP:
            break
        if singular:
            is_head = low.split("-")[-1] in _SINGULAR_COUNTED or is_acronym
        else:
            is_head = is_acronym or _is_plural(low)
        if is_head:
            head_end, head = m.end(), low
        elif head_end is not None:
            break
        cursor = m.end()
    return None if head_end is None else (head_end, head)


def _duration_after(text: str, pos: int) -> tuple[str, int] | None:
    """A duration unit right after a number: " 24 hours", "-week", " 15 working days"."""
    m = _DURATION.match(text[pos : pos + 30])
    if not m:
        return None
    unit = _DURATION_UNITS[m.group(2).lower()]
    if unit == "days" and (m.group(1) or "").lower() == "working":
        unit = "working_days"
    return unit, pos + m.end()


def _percent_after(text: str, pos: int) -> tuple[str, int] | None:
    m = _PERCENT.match(text[pos : pos + 25])
    if not m:
        return None
    return ("percentage_points" if "point" in m.group().lower() else "percent"), pos + m.end()


def _unit_after(
    text: str, pos: int, singular: bool, caseload: bool, allow_caps: bool
) -> tuple[str, int] | None:
    """The unit a number takes from what follows it, with the end of the unit phrase."""
    if pct := _percent_after(text, pos):
        return pct
    m = _RATE.match(text[pos : pos + 25])
    if m:
        return f"rate_per_{m.group(1).replace(',', '')}", pos + m.end()
    if dur := _duration_after(text, pos):
        return dur
    np = _noun_phrase(text, pos, singular, allow_caps and not singular)  # "One Adoption Wales"
    if np is None:
        return None
    end, head = np
    per_worker = _PER_WORKER.match(text[end : end + 30])
    if head in _CASE_NOUNS and (caseload or per_worker):
        return "cases_per_worker", end
    return "count", end


def _money_scale(text: str, pos: int) -> tuple[float, int]:
    """Multiplier and end of "million", "m", "bn", "k" after an amount."""
    m = _MONEY_SCALE.match(text[pos : pos + 10])
    if not m:
        return 1.0, pos
    word = m.group(1).lower()
    return {"million": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9}.get(word, 1e3), pos + m.end()
