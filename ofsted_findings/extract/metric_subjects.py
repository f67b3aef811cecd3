"""Subjects of metrics rows made safe to read alone: never a number, a percent sign or a phrase
cut mid-way ("cases in care proceedings were beyond the"), and never a reading that inverts the
row ("all but five young people" must not read as "5 young people")."""

from __future__ import annotations

import re

_I = re.IGNORECASE


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_NUMBER = r"(?:£?\d[\d,]*(?:\.\d+)?\s?(?:%|per\s?cent\b)?|%)"
_LEADING_NUMBER = re.compile(rf"^(?:{_NUMBER}\s*(?:\([^()]*\)\s*)?(?:out\s+of\s+|of\s+)?)+", _I)
_TRAILING_NUMBER = re.compile(rf"(?:\s*\(?{_NUMBER}\)?)+$", _I)
# Words a phrase cannot end with: it was cut before what they introduce.
_DANGLING_WORDS = _word_set(
    """the a an its their his her our this these those of in on at to for from by with within
    beyond than and or as is was are were be been has have had about into over under between
    against compared per whose which that who where when while"""
)
_DANGLING = re.compile(rf"\s+(?:{'|'.join(sorted(_DANGLING_WORDS))})$", _I)
_LEADING_LINK = re.compile(r"^(?:from|to|and|or|of|by|than)\s+", _I)
_ONLY_LINKS = re.compile(r"^(?:from|to|and|or|of|by|than|up|down|the|a|an)$", _I)
_LINK_WORDS = frozenset(("from", "to", "and", "or", "of", "by", "than", "up", "down", "the", "a", "an"))
_LETTER = re.compile(r"[A-Za-z]{2,}")


def tidy_subject(subject: str | None) -> str | None:
    """`subject` without leading or trailing numbers and dangling words; None if nothing is
    left that names a thing."""
    if not subject:
        return None
    words = subject.split()
    if (  # the common case, at once: no figure, nothing dangling at either end
        not any(c.isdigit() or c == "%" for c in subject)
        and words[-1].lower() not in _DANGLING_WORDS
        and words[0].lower() not in _LINK_WORDS
        and len(words) > 1
    ):
        return subject
    s = subject
    for _ in range(4):
        before = s
        s = _LEADING_NUMBER.sub("", _LEADING_LINK.sub("", s)).strip(" ,;:.()-")
        s = _TRAILING_NUMBER.sub("", s).strip(" ,;:.()-")
        s = _DANGLING.sub("", s).strip(" ,;:.()-")
        if s == before:
            break
    return s if _LETTER.search(s) and not _ONLY_LINKS.match(s) else None


def all_but_subject(noun: str | None, lead: str | None) -> str | None:
    """The subject of an 'all but N' row: the N are the exceptions to what the clause says of
    the rest ("The service is in contact with all but five young people" -> "young people not
    covered by: The service is in contact with")."""
    if not lead:
        return noun
    return f"{noun or 'those'} not covered by: {lead}"


# Words that only name a benchmark or a target, not what is measured ("local authority target").
_BENCHMARK_ONLY = _word_set(
    """the a an and its their own our local authority authority's authority’s council council's
    council’s national nationally england england's regional region statistical neighbours
    neighbour similar authorities comparator comparators average averages target targets
    threshold thresholds timescale timescales standard standards scorecard level rate figure
    expected required statutory agreed ambitious previous year's year’s three-year two-year
    five-year rolling country whole in as of"""
)


def names_only_a_benchmark(subject: str | None) -> bool:
    """True for a subject such as "local authority target" or "England average"."""
    return not subject or all(w.lower().strip(",.") in _BENCHMARK_ONLY for w in subject.split())


def with_benchmark(measured: str, own: str | None) -> str:
    """What a target or comparison is for, and which it is ("care leavers in EET, national average")."""
    return f"{measured}, {own}" if own else measured
