"""A pattern and the words its matches can start with (`_Scan`), so that anchors.py tries it
only there; built once, when the patterns are compiled."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ofsted_findings.extract.metrics.vocabulary import _I

# ---------------------------------------------------------------------------------------------
# Anchored scanning
# ---------------------------------------------------------------------------------------------
# Python's re tries a pattern at every position of the text: ~1.5 ms a pattern on a report of
# 50,000 characters, to find a few dozen matches. A match of every pattern (regions.py,
# numbers.py) starts at a run of word characters that begins with a digit or one of a few words,
# or at a few optional words before such a run ("in the" before "last six months"). One scan
# (`_ANCHOR_RUN`, anchors.py) finds those runs; `_Anchors.finditer` tries each pattern only
# there, in order, skipping positions inside its previous match, and so finds what
# `pattern.finditer(text)` finds.
_DIGIT_RUN = "#"  # a run that starts with a digit
_POSTCODE_RUN = "#pc"  # a run with a digit second or third ("SW1A", "B1"): a postcode's first half
_NOT_ASCII = "*"  # a run IGNORECASE may match in unforeseen ways ("ſ" matches "s"): any pattern


def _key(word: str) -> str:
    """The anchor key of a run, or of a start word of a `_Scan`: "#" if it starts with a digit,
    "#pc" if its second or third character is one, "*" if one of its first three is not ASCII,
    else its first three letters in lower case, as a pattern may glue on more ("sixand seven")."""
    if word.startswith("#"):  # "#", "#pc" in a `_Scan`
        return word
    if word[0].isdecimal():
        return _DIGIT_RUN
    if not word[:3].isascii():
        return _NOT_ASCII
    if word[1:2].isdecimal() or word[2:3].isdecimal():
        return _POSTCODE_RUN
    return word[:3].lower()


@dataclass(frozen=True)
class _Scan:
    """A pattern and the runs where its matches can start (see `_Anchors`).

    keys: `_key`s of the words a match starts with (each in full, case aside: "priorit" for
    "priorit(?:y|ies)"); words: per key, those words, for a run to start with one of them, or
    () when the key alone says so ("six", "#"); back: whole words (lower case, "#" for a
    number, "*" for a run not in ASCII) that may come before such a word in a match ("in the"
    before "last six months"); plus: a match may also start at a "+" before a digit ("+44");
    anywhere_if: in a text with this character a match may also start at the start of any run
    of `runs` ("a.b@c.uk"), or where the previous match ended inside one; lower: the pattern
    for a lower-cased copy (`_for_lower_case`).
    """

    pattern: re.Pattern[str]
    keys: frozenset[str]
    words: tuple[tuple[str, tuple[str, ...]], ...]
    lower: re.Pattern[str] | None
    back: frozenset[str] = frozenset()
    plus: bool = False
    anywhere_if: str = ""
    runs: re.Pattern[str] | None = None


def _scan(
    pattern: str,
    starts: str,
    back: str = "",
    flags: int = _I,
    plus: bool = False,
    anywhere_if: str = "",
    runs: str = "",
) -> _Scan:
    """A `_Scan` of `pattern`; `starts` and `back` are words separated by spaces."""
    by_key: dict[str, set[str]] = {}
    for word in starts.split():
        by_key.setdefault(_key(word), set()).add(word)
    # A run of key "six" starts with "six": only a key longer words share needs its words.
    words = tuple((k, () if k in ws else tuple(sorted(ws))) for k, ws in sorted(by_key.items()))
    before = frozenset([*back.split(), _NOT_ASCII]) if back else frozenset()  # "*": any word
    lower = _for_lower_case(pattern, flags)
    return _Scan(
        re.compile(pattern, flags), frozenset(by_key), words, lower, before, plus, anywhere_if,
        re.compile(runs) if runs else None,
    )


# In a pattern's source: escapes that stand for no letter (classes, anchors, punctuation), and
# the openings of groups and lookarounds; what remains of "(?" is an inline flag or a rarity.
_NOT_LETTERS = re.compile(r"\\[AbBdDsSwWZ]|\\[^\w]|\(\?(?:P<\w+>|[:=!]|<[=!])")


def _for_lower_case(pattern: str, flags: int) -> re.Pattern[str] | None:
    """`pattern` compiled case-sensitively, for the lower-cased copy of a text that
    `_anchor_runs` scans, or None where that could find something else.

    Where that copy is used, it has a lower-case letter exactly where IGNORECASE matches that
    letter in the text, so a pattern whose letters are all lower case finds the same in it. re
    checks a case-sensitive letter at once but enters each IGNORECASE alternative, so this is
    faster. None unless the pattern is IGNORECASE, with no upper-case letter, no inline flag and
    no escape that could stand for a letter ("\\x41").
    """
    rest = _NOT_LETTERS.sub("", pattern)
    if not flags & re.IGNORECASE or "\\" in rest or "(?" in rest or rest != rest.lower():
        return None
    return re.compile(pattern, flags & ~re.IGNORECASE)
