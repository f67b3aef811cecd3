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
   (a heuristic noun phrase, see `_subject`), its qualifier and the nearest period phrase.

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
  is mostly a pronoun. Two equal quantities in one clause get distinct evidence spans, since
  row ids hash document, span, value and qualifier.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ofsted_findings.extract.metric_kinds import bracketed_after, reading_kind
from ofsted_findings.extract.metric_subjects import (
    all_but_subject,
    names_only_a_benchmark,
    tidy_subject,
    with_benchmark,
)
from ofsted_findings.extract.number_words import SMALL as _SMALL
from ofsted_findings.extract.number_words import TENS as _TENS
from ofsted_findings.extract.number_words import WORD_VALUES
from ofsted_findings.extract.phrases import trie_pattern
from ofsted_findings.extract.sentences import BULLET_GLYPHS, sentence_spans
from ofsted_findings.models import CleanDocument, Row
from ofsted_findings.settings import METRIC_CONTEXT_CHARS, METRIC_LIST_MEMBERS


def _words(text: str) -> frozenset[str]:
    return frozenset(_word_list(text))


def _word_list(text: str) -> list[str]:
    return text.split()


# ---------------------------------------------------------------------------------------------
# Controlled vocabularies (data, not code: a new unit is an entry here plus a reading below).
# ---------------------------------------------------------------------------------------------
UNITS: dict[str, str] = {
    "percent": "a share, 0-100; fractions and 'one in five' are converted to it",
    "percentage_points": "a difference between two percentages",
    "percent_change": "a relative change ('increased by 132%', 'a 41% increase'); may exceed 100",
    "count": "how many of a counted noun (children, cases, placements, staff ...)",
    "cases_per_worker": "a caseload: cases or children held by one worker",
    "rate_per_1000": "N per 1,000 of a population",
    "rate_per_10000": "N per 10,000 of a population (the usual rate of children in care)",
    "rate_per_100000": "N per 100,000 of a population",
    "currency_gbp": "money in pounds sterling, 'million'/'m'/'bn'/'k' expanded",
    "minutes": "a duration",
    "hours": "a duration",
    "days": "a duration in calendar days",
    "working_days": "a duration in working days (statutory timescales use these)",
    "weeks": "a duration",
    "months": "a duration",
    "years": "a duration",
}
QUALIFIERS: tuple[str | None, ...] = (
    None,
    "approx",
    "at_least",
    "at_most",
    "under",
    "over",
    "range_low",
    "range_high",
    "all_but",
)

# Words that qualify the number right after them, tried in this order.
_QUALIFIER_WORDS: dict[str, tuple[str, ...]] = {
    "all_but": ("all but",),
    "at_most": (
        "within", "up to", "no more than", "not more than", "at most", "a maximum of",
        "maximum of", "no longer than", "not exceeding",
    ),
    "at_least": (
        "at least", "no fewer than", "no less than", "not less than", "a minimum of",
        "minimum of",
    ),
    "under": (
        "just under", "just below", "slightly under", "slightly below", "slightly less than",
        "less than", "fewer than", "under", "below", "almost", "nearly", "just short of",
    ),
    "over": (
        "just over", "slightly over", "slightly more than", "more than", "over", "above",
        "in excess of", "exceeding", "greater than", "upwards of",
    ),
    "approx": (
        "approximately", "approx.", "around", "about", "roughly", "circa", "some",
        "an estimated", "estimated", "an average of",
    ),
}  # fmt: skip
_POST_QUALIFIERS: dict[str, str] = {
    "or more": "at_least",
    "or over": "at_least",
    "or above": "at_least",
    "or fewer": "at_most",
    "or less": "at_most",
    "or under": "at_most",
}
_DURATION_UNITS: dict[str, str] = {
    "minute": "minutes",
    "hour": "hours",
    "day": "days",
    "week": "weeks",
    "month": "months",
    "year": "years",
}
_FRACTIONS: dict[str, float] = {
    "half": 50.0,
    "third": 33.3,
    "thirds": 33.3,
    "quarter": 25.0,
    "quarters": 25.0,
    "fifth": 20.0,
    "fifths": 20.0,
    "tenth": 10.0,
    "tenths": 10.0,
}
# Plural nouns not ending in -s, and -s words that are not plural nouns.
_IRREGULAR_PLURALS = _words("children people staff personnel women men children's police")
_NOT_PLURAL = _words(
    """is was has does this thus always as us its his hers ours yours theirs perhaps across less
    unless various previous serious numerous process progress access success address business
    awareness plus whereas besides afterwards sometimes nevertheless regardless news series
    means remains requires includes shows makes takes goes gets seems appears reflects status
    focus basis analysis crisis campus bus towards upwards downwards"""
)
# Words that end a noun phrase (before or after its head).
_STOP = _words(
    """a an the and or but nor of in on at to for from by with within without into onto over
    under between among per than as is are was were be been being am has have had having do
    does did will would can could may might must shall should not no who whom whose which that
    this these those there here where when while if so such it its they them their he she his
    her we our you your i me my aged age out up down off about around after before since until
    during each every all any some both either neither more most less fewer many much other
    another same only also just very too then now still yet again already further"""
)
# Singular nouns counted after "one"/"1" ("one child", "1 social worker"): a closed list because
# "one" is far more often a pronoun ("one in which ...", "from one team to another").
_SINGULAR_COUNTED = _words(
    """child person case family carer leaver worker manager placement adoption referral
    assessment visit meeting school home team agency vacancy post plan inspector officer
    practitioner adviser advisor parent mother father sibling pupil household complaint
    allegation disruption conference audit member review interview apprenticeship incident
    application order episode place bed unit provider"""
)
_CASE_NOUNS = _words("cases case children families people")
_COUNT_MODIFIERS = _words("further additional new extra")
_RATE_UNITS = ("rate_per_1000", "rate_per_10000", "rate_per_100000")

# ---------------------------------------------------------------------------------------------
# Regex building blocks
# ---------------------------------------------------------------------------------------------
_I = re.IGNORECASE
_MONTHS = (  # in lower case, as IGNORECASE reads it (see `_for_lower_case`)
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.?"
)
_DASH = "-–—−"
_YEAR = r"(?:19|20)\d{2}"
# "2012 to 13", "2013–14" (not "from 28% in 2012 to 12%": a two-digit end is no percentage).
_YEARISH = rf"(?:{_YEAR}(?:\s*(?:[{_DASH}/]|to)\s*(?:{_YEAR}|\d{{2}}(?![\d.]|\s?%|\s?per\s?cent)))?)"
_WORDNUM = (
    r"(?:(?:" + "|".join(_TENS) + r")(?:[-\s](?:one|two|three|four|five|six|seven|eight|nine))?"
    r"|" + "|".join(sorted(_SMALL[1:], key=len, reverse=True)) + r")"
)
_WORDNUM_FULL = rf"(?:{_WORDNUM}(?:\s+(?:hundred|thousand)(?:\s+(?:and\s+)?{_WORDNUM})?)?)"
# Lists and thousands groups are capped (METRIC_LIST_MEMBERS): a pattern tried at every member
# of a list that never ends as it needs ("1,000,...,000x") would re-read the list from each.
_LIST_MAX = METRIC_LIST_MEMBERS
_DIGITS = rf"(?:\d{{1,3}}(?:,\d{{3}}){{1,{_LIST_MAX}}}|\d+)(?:\.\d+)?"
_NUM_START = r"(?=[\dtfseno])"  # cheap guard: a digit or a number word's first letter
_NUM = rf"{_NUM_START}(?:{_DIGITS}|{_WORDNUM_FULL})"
_SMALLNUM = rf"{_NUM_START}(?:\d{{1,2}}|{_WORDNUM})"
_JOIN = rf"(?:,|and|or|to|&|/|[{_DASH}])"  # joins list members: "12 and 13", "19–21", "157/175"
_DURATION_WORD = r"(?:minutes?|hours?|days?|weeks?|months?|years?|quarters?|terms?)"
_BULLETS = BULLET_GLYPHS

# ---------------------------------------------------------------------------------------------
# Anchored scanning
# ---------------------------------------------------------------------------------------------
# Python's re tries a pattern at every position of the text: ~1.5 ms a pattern on a report of
# 50,000 characters, to find a few dozen matches. A match of every pattern below starts at a run
# of word characters that begins with a digit or one of a few words, or at a few optional words
# before such a run ("in the" before "last six months"). One scan (`_ANCHOR_RUN`) finds those
# runs; `_Anchors.finditer` tries each pattern only there, in order, skipping positions inside
# its previous match, and so finds what `pattern.finditer(text)` finds.
_DIGIT_RUN = "#"  # a run that starts with a digit
_POSTCODE_RUN = "#pc"  # a run with a digit second or third ("SW1A", "B1"): a postcode's first half
_NOT_ASCII = "*"  # a run IGNORECASE may match in unforeseen ways ("ſ" matches "s"): any pattern
_MONTH_WORDS = (
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
)
_NUMBERS = " ".join(["#", *_SMALL, *_TENS])  # digits and number words
_NUMERALS = _NUMBERS + " hundred thousand and"  # every word of a written number


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


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"  # what re's \w matches


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


# Number tokens: digits (thousands commas, decimals, "3m" for money) or number words.
_NUMBER_TOKEN = _scan(
    rf"(?<![\w$])(?P<d>{_DIGITS})(?!(?!(?:m|bn|k)\b)\w|[.,]\d)"
    rf"|\b(?P<w>{_WORDNUM_FULL})\b(?!-(?:to|off|stop|way)\b)",
    _NUMBERS,
)
_REFERENCE_WORDS = (
    r"sections?|s\.|schedules?|regulations?|reg\.|articles?|parts?|paragraphs?|paras?|pages?"
    r"|chapters?|clauses?|outcomes?|enablers?|key\s+stages?|stages?|levels?|tiers?|steps?"
    r"|phases?|standards?|principles?|recommendations?|priorit(?:y|ies)|options?|grades?|number"
    r"|no\.|nos\.|version|annex|appendix|table|figure|chart|bands?|line|room|floor|route|act"
    r"|rules?|quarter|domains?|criteri(?:on|a)|footnote|note|categor(?:y|ies)|question|wave"
    r"|round|week|day|ward|box|form|urn|ref(?:erence)?|lac|ks"
)
_REFERENCE_STARTS = (
    "section s schedule regulation reg article part paragraph para page chapter clause outcome "
    "enabler key stage level tier step phase standard principle recommendation priorit option "
    "grade number no nos version annex appendix table figure chart band line room floor route act "
    "rule quarter domain criterion criteria footnote note categor question wave round week day "
    "ward box form urn ref lac ks"
)

# Regions that are never metrics.
_BLOCKS: tuple[_Scan, ...] = (
    # Dates: "12 and 13 October 2016", "1 to 12 July 2024", "31 March", "October 12, 2016".
    _scan(
        rf"\b\d{{1,2}}(?:st|nd|rd|th)?(?:\s*{_JOIN}\s*\d{{1,2}}(?:st|nd|rd|th)?){{0,{_LIST_MAX}}}\s+{_MONTHS}"
        rf"(?:,?\s+{_YEAR})?",
        "#",
    ),
    _scan(rf"\b{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s*{_YEAR})?", _MONTH_WORDS),
    _scan(r"\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b", "#"),
    _scan(rf"\b{_YEARISH}\b", "#"),
    # Clock times and always-on services.
    _scan(r"\b\d{1,2}(?:[.:]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)(?!\w)", "#"),
    _scan(r"\b\d{1,2}:\d{2}\b", "#"),
    _scan(r"\b24\s*/\s*7\b|\b24\s+hours\s+a\s+day,?\s+(?:7|seven)\s+days\s+a\s+week\b", "#"),
    _scan(
        r"\b(?:24|twenty-four)-hour\b(?!\s+(?:period|timescale|target|deadline|window|limit))",
        "# twenty",
    ),
    # Phone numbers, postcodes, e-mail and web addresses.
    _scan(r"(?:\+44\s?|\b0)\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}\b", "#", plus=True),
    _scan(r"\b[A-Z]{1,2}\d[A-Z\d]?\s+\d[A-Z]{2}\b", _POSTCODE_RUN),
    _scan(
        r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\bwww\.\S+|\bhttps?://\S+",
        "www http",
        anywhere_if="@",
        runs=r"[\w.+-]+",
    ),
    # References to Acts, paragraphs, frameworks, key stages, tiers ... and lists of them.
    _scan(
        rf"\b(?:{_REFERENCE_WORDS})[\s-]+\(?\d+[a-z]?\)?(?:\s*{_JOIN}\s*\(?\d+[a-z]?\)?)*"
        r"(?!\s*(?:%|per\s?cent))",
        _REFERENCE_STARTS,
    ),
    _scan(
        rf"\b(?:stages?|steps?|phases?|tiers?|levels?|outcomes?|enablers?|key\s+stages?|parts?"
        rf"|waves?|rounds?|quarters?)[\s-]+{_WORDNUM}(?:\s*{_JOIN}\s*{_WORDNUM})*\b",
        "stage step phase tier level outcome enabler key part wave round quarter",
    ),
    _scan(r"\bpage\s+\d+\s+of\s+\d+\b", "page"),
    _scan(r"(?<=\bper\s)(?:1,000|1000|10,000|10000|100,000|100000)\b", "#"),
    _scan(r"\bcovid[- ]?19\b|\b(?:progress|attainment)\s+8\b", "covid progress attainment"),
    # "a three-year average" names a benchmark (a comparison), not the period of the value.
    _scan(
        rf"\b(?:a|the)\s+{_NUM}[- ]year\s+(?:rolling\s+)?average\b",
        "year",
        back=f"{_NUMERALS} a the",
    ),
    # Ages that define a group.
    _scan(
        rf"\bage[sd]?\s+(?:of\s+)?(?:between\s+)?(?:under\s+|over\s+|below\s+|above\s+)?"
        rf"{_SMALLNUM}(?:\s*{_JOIN}\s*{_SMALLNUM})*(?:\s*(?:\+|and\s+over|plus))?"
        r"(?:\s*(?:years?|yrs)(?:\s+old)?)?",
        "age",
    ),
    _scan(rf"\bbetween\s+the\s+ages\s+of\s+{_SMALLNUM}\s+and\s+{_SMALLNUM}", "between"),
    _scan(
        rf"\b{_SMALLNUM}\s*[{_DASH}]?\s*(?:and|or|to|[{_DASH}])\s*{_SMALLNUM}[- ]years?[- ]olds?\b",
        _NUMBERS,
    ),
    _scan(rf"\b{_SMALLNUM}[- ]years?[- ]olds?\b", _NUMBERS),
    _scan(rf"\b{_SMALLNUM}(?:\s*{_JOIN}\s*{_SMALLNUM})?\s+years?\s+(?:old|of\s+age)\b", _NUMBERS),
    _scan(rf"\b{_SMALLNUM}\s+years?\s+(?:or|and)\s+(?:older|over|above|under|younger)\b", _NUMBERS),
    _scan(
        rf"\b(?:turn(?:ed|s|ing)?|reach(?:ed|es|ing)?|until\s+(?:they|he|she)\s+(?:are|is|were|was)"
        rf"|when\s+(?:they|he|she)\s+(?:are|were|turn(?:ed)?))\s+{_SMALLNUM}\b",
        "turn reach until when",
    ),
    _scan(rf"\b(?:under|over)[- ]{_SMALLNUM}['’]?s\b", "under over"),
    _scan(rf"\b{_SMALLNUM}\s*\+|\b{_SMALLNUM}[- ]plus\b", _NUMBERS),
    _scan(
        rf"\b(?:children|young\s+people|people|those|pupils|babies|infants|adults|care\s+leavers"
        rf"|girls|boys)\s+(?:aged\s+)?(?:under|over|below|above|up\s+to)\s+(?:the\s+age\s+of\s+)?"
        rf"{_SMALLNUM}\b(?!\s*(?:%|per\s?cent))",
        "children young people those pupils babies infants adults care girls boys",
    ),
    _scan(rf"\b0\s*(?:[{_DASH}]|to)\s*\d{{1,2}}\b", "#"),
    _scan(
        r"\b(?:beyond|until|past)\s+(?:the\s+age\s+of\s+)?(?:1[6-9]|2[0-5])(?:\s+years)?\b"
        r"(?!\s+(?:of|in|since|ago|after)\b)",
        "beyond until past",
    ),
    # Not counts: "one of", "one-to-one", "no one", "one another", "from one X to another".
    _scan(
        r"\bone[- ]to[- ]one\b|\bone[- ](?:off|stop|way|page)\b|\bno[- ]one\b|\bone\s+another\b",
        "one no",
    ),
    _scan(r"\bone\s+of\b|\bone\s+or\s+(?:more|other|both)\b|\bon\s+the\s+one\s+hand\b", "one on"),
    _scan(r"\bone\b(?=[^.;]{0,40}\bto\s+another\b)", "one"),
    _scan(
        r"\b(?:half|third|quarter)[- ](?:term|day|way|yearly|hour)\b|\bhalfway\b"
        r"|\bthird[- ]part(?:y|ies)\b",
        "half third quarter",
    ),
    _scan(r"\bhalf\s+(?:an?\s+)?(?:hour|day|term)\b|\band\s+a\s+half\b", "half", back="and a"),
    # School years are capitalised ("Year 11 pupils"); lower case "year 12" is often "this year,
    # 12 children ...", so this pattern alone is case sensitive.
    _scan(rf"\bYears?\s+\d{{1,2}}(?:\s*{_JOIN}\s*\d{{1,2}})*\b", "year", flags=0),
)

# Period phrases: recorded for the `period` column and blocked as metrics.
_PERIODS: tuple[_Scan, ...] = (
    _scan(
        rf"\b(?:(?:in|over|during|for|throughout|across|within)\s+)?(?:the\s+)?"
        rf"(?:last|past|previous|preceding|final|next|coming|recent|latest)\s+"
        rf"(?:(?:{_NUM}|few|several|couple\s+of)[\s-]+)?(?:calendar\s+|financial\s+|academic\s+)?"
        rf"{_DURATION_WORD}\b(?:\s+period\b)?(?:\s+(?:of|in)\s+(?:{_YEARISH}|the\s+year))?",
        "last past previous preceding final next coming recent latest",
        back="in over during for throughout across within the",
    ),
    _scan(
        rf"\b(?:(?:in|over|during|for)\s+)?(?:the\s+)?first\s+(?:{_NUM}\s+)?{_DURATION_WORD}"
        rf"\s+(?:of|in)\s+(?:{_YEARISH}|the\s+year|this\s+year)",
        "first",
        back="in over during for the",
    ),
    _scan(
        rf"\b(?:in|over|during)\s+the\s+first\s+(?:{_NUM}\s+)?{_DURATION_WORD}\b",
        "first",
        back="in over during the",
    ),
    _scan(
        rf"\b(?:(?:in|during|over|for)\s+)?(?:the\s+)?(?:{_NUM}\s+)?(?:financial\s+)?"
        rf"(?:years?|months?|weeks?|quarters?)\s+(?:to|ending|up\s+to|until|prior\s+to|before|"
        rf"since|preceding)\s+(?:the\s+)?(?:(?:end\s+of\s+)?(?:\d{{1,2}}\s+)?{_MONTHS}"
        rf"(?:\s+{_YEAR})?|{_YEARISH}|(?:this\s+|the\s+)?inspection|date)",
        "year month week quarter",
        back=f"{_NUMERALS} in during over for the financial",
    ),
    _scan(
        rf"\b(?:in|during|by|for)\s+(?:the\s+)?(?:(?:spring|summer|autumn|winter|first\s+half|"
        rf"second\s+half|(?:first|second|third|fourth|last)\s+quarter|end|start|beginning)\s+of\s+)"
        rf"(?:the\s+)?(?:financial\s+|academic\s+)?(?:year\s+)?{_YEARISH}",
        "spring summer autumn winter first second third fourth last end start beginning",
        back="in during by for the",
    ),
    _scan(
        rf"\b(?:in|during)\s+(?:the\s+)?(?:financial\s+|academic\s+|calendar\s+)?(?:year\s+)?"
        rf"{_YEARISH}",
        "#",
        back="in during the financial academic calendar year",
    ),
    _scan(
        rf"\b(?:at|as\s+at|as\s+of|on|by|since|from|until|in|during)\s+(?:the\s+end\s+of\s+)?"
        rf"(?:\d{{1,2}}\s+)?{_MONTHS}\s+{_YEAR}(?:\s+(?:to|and|until)\s+(?:\d{{1,2}}\s+)?"
        rf"{_MONTHS}\s+{_YEAR})?",
        _MONTH_WORDS,
        back="# at as of on by since from until in during the end",
    ),
    _scan(rf"\bbetween\s+{_YEARISH}\s+and\s+{_YEARISH}", "between"),
    _scan(
        r"\b(?:this|last|that|the\s+current|the\s+previous)\s+(?:calendar\s+|financial\s+|"
        r"academic\s+)?(?:year|month|quarter)\b",
        "year month quarter",
        back="this last that the current previous calendar financial academic",
    ),
    _scan(r"\b(?:in\s+)?(?:the\s+)?year\s+to\s+date\b|\bin[- ]year\b", "year", back="in the"),
    _scan(
        rf"\b(?:over|during|in|across|for)\s+(?:a|the|this)\s+{_NUM}[- ](?:day|week|month|year)"
        r"\s+period\b",
        "day week month year",
        back=f"{_NUMERALS} over during in across for a the this",
    ),
    _scan(rf"\b{_NUM}\s+(?:days|weeks|months|years)\s+ago\b", "days weeks months years", back=_NUMERALS),
    _scan(r"\bsince\s+the\s+(?:last|previous)\s+(?:inspection|visit|monitoring\s+visit)\b", "since"),
    _scan(
        r"\bat\s+the\s+time\s+of\s+(?:the\s+|this\s+)?(?:inspection|visit)\b", "time", back="at the"
    ),
)

_CASELOAD = re.compile(r"\bcase\s?loads?\b|\bworkloads?\b", _I)
_CASELOAD_NP = re.compile(
    r"(?:\b[A-Za-z][\w-]*\s+){0,2}case\s?loads?"
    r"(?:\s+(?:in|for|of|within|across)\s+(?:the\s+)?(?:[A-Za-z][\w-]*\s+){0,2}[A-Za-z][\w-]*)?",
    _I,
)
# A change in the sentence turns "from 14 to 27" into two values rather than a range.
_CHANGE = re.compile(
    r"\b(?:increas|decreas|ris(?:e|en|ing)|rose|fell|fall|fallen|reduc|drop|declin|grow|grew|"
    r"improv|deteriorat|went|moved|chang|(?<!-)up|(?<!-)down|halved|doubled)\w*\b",
    _I,
)
# A percentage that is a change, not a share: "increased by 132%", "a 41% increase".
_CHANGE_BY = re.compile(
    r"\b(?:increas\w*|decreas\w*|r[io]se|risen|fell|fallen|reduc\w*|grew|grown|dropp\w*|"
    r"declin\w*|improv\w*|up|down|higher|lower)\s+by\s+$",
    _I,
)
_CHANGE_NOUN = re.compile(
    r"\s+(?:increase|decrease|rise|reduction|fall|drop|improvement|decline|growth|uplift)\b", _I
)
# Bare numbers followed by one of these verbs count people or things: "45 live with parents".
_COUNT_VERB = re.compile(
    r"\s+(?:are|were|have|had|live|lived|remain|remained|received|receive|attend|attended|became"
    r"|moved|returned|ceased|achieved|went|left|entered|stay|stayed)\b",
    _I,
)
_SUBORDINATORS = r"(?:that|which|where|whereas|while|although|because|but|who|whom|whose)"
_WORD_AFTER = re.compile(r"[ \t]+[‘“]?([A-Za-z][\w'’]*(?:-[A-Za-z][\w'’]*)*)")
_FRACTION = _scan(
    r"(?P<num>\b(?:a|one|two|three|four|nine)[\s-]+)?\b(?P<frac>half|thirds?|quarters?|fifths?"
    r"|tenths?)\b",
    "half third quarter fifth tenth",
    back="a one two three four nine",
)
_ONE_IN_N = _scan(
    rf"\b(?P<a>{_SMALLNUM})\s+in\s+(?P<every>every\s+)?(?P<b>{_SMALLNUM}|\d{{3,}})\b", _NUMBERS
)
_LEADING_NOISE = re.compile(
    r"^(?:(?:and|but|with|of|the|a|an|these|those|their|its|whom|which|that|who|"
    r"the\s+vast\s+majority\s+of|the\s+majority\s+of|most|all|further|a\s+further|only|just|"
    r"some|another|other|additional|overall)\s+)+",
    _I,
)
# An alternative holds at most one space (see `_without_trailing_verb`).
_TRAILING_VERB = re.compile(
    r"\s+(?:is|was|are|were|at|of|stood\s+at|reached|to|from|by|has|have|had|been|being|for|"
    r"in|within|takes?|took|remains?|remained|rate|stands?|increased|decreased|fell|rose|"
    r"compared\s+(?:to|with)|it|this|they|there|which|that)$",
    _I,
)

# ---------------------------------------------------------------------------------------------
# Context patterns of passes 1-3, compiled once (inline patterns would share re's cache of 512
# with every other module, and patterns built per call are compiled per call)
# ---------------------------------------------------------------------------------------------
_PERIOD_LEAD = re.compile(  # cut from a period phrase's label
    r"^(?:(?:in|over|during|for|throughout|across|within)\s+)?(?:the\s+)?", _I
)
_LINE = re.compile(r"[^\n]+")

_DECIMAL = re.compile(r"\d+(?:\.\d+)?")
_NUMBER_WORD_SEP = re.compile(r"[\s-]+")
_FOOTNOTE_BEFORE = re.compile(r"[A-Za-z)\]’'”\"]\Z|[A-Za-z][.,;:]\Z|[A-Za-z]-\Z")
_YEAR_BEFORE = re.compile(rf"{_YEAR}\)?\s+$")
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

_ORDINAL_BEFORE_HALF = re.compile(
    r"\b(?:first|second|last|latter|former|next|previous|this|each|every|per)\s+$", _I
)
_ORDINAL_BEFORE = re.compile(
    r"\b(?:first|second|third|fourth|last|previous|next|this|each|every|per|same"
    r"|final|other|latter|former|the)\s+$",
    _I,
)
_EXACT_FIGURE = re.compile(r"\s*\(\s*\d+(?:\.\d+)?\s?(?:%|per\s?cent)", _I)
_PERIOD_AFTER_FRACTION = re.compile(
    rf"\s+(?:of\s+)?(?:the\s+)?(?:{_YEARISH}|year|term|{_MONTHS})", _I
)
_PROPORTION = re.compile(
    r"\s+(?:of|the|their|these|those|all|were|are|was|had|have|being|did|do)\b|\s*\(", _I
)
_MONEY_SCALE = re.compile(r"\s?(million|m|billion|bn|k|thousand)\b", _I)

_RANGE_JOIN = re.compile(rf"\s*(and|to|or|[{_DASH}])\s*", _I)
_RANGE_JOIN_MONEY = re.compile(rf"\s*(and|to|or|[{_DASH}])\s*£", _I)
_RANGE_LEAD = re.compile(r"\b(between|from(?:\s+between)?|ranging\s+from|range\s+of)\s+£?$", _I)
_LIST_JOIN = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)")
_LIST_CLOSE = re.compile(r"\b(?:and|or)\s+$")

_CASELOAD_BEFORE = re.compile(
    r"\bcase\s?loads?\b(?:\s+\w+){0,3}\s+(?:of|are|were|is|was|averag\w*|around|about)?\s*"
    r"(?:\w+\s+)?$",
    _I,
)
_COUNTED_BEFORE = re.compile(rf"\bof\s+(?:whom|which|these|those|them)\s+$|{_NUM}\s+out\s+of\s+$", _I)
_SHARE_AFTER = re.compile(r"\s*\((?:or\s+)?\d+(?:\.\d+)?\s?(?:%|per\s?cent)\)", _I)
# "12 of the", "three out of four", and the size of an inspection team: "seven of Her Majesty's
# Inspectors (HMI)".
_COUNTED_AFTER = re.compile(
    rf"\s+(?:out\s+)?of\s+(?:the|these|those|their|them|whom|{_NUM}|her\s+majesty['’]s\s+inspectors?\b"
    r"|hmis?\b)",
    _I,
)
_COMPARED = re.compile(
    r"\b(?:compared\s+(?:to|with)|against|from|to|up\s+from|down\s+from|by|with)\s+$", _I
)
_BRACKET = re.compile(r"\s*\(")
_PERCENT_SIGN = re.compile(r"\s?(?:%|per\s?cent)")
_CLAUSE_CUT = re.compile(r"[;:]\s+|\s[–—-]\s|,\s+")
_SUBORDINATOR = re.compile(rf"\b{_SUBORDINATORS}\s+", _I)
_TAIL_CLAUSE = re.compile(r"\s(?:where|which|whereas|while|although|because|but|whose)\b", _I)
_SPACES = re.compile(rf"[{_BULLETS}\s]+")
_LEADING_PREPOSITION = re.compile(r"^(?:in|on|for|at|to|by)\s+", _I)
_RESPECTIVELY = re.compile(r"(?:^|\s+)respectively$", _I)
_CLOSING_BRACKET = re.compile(r"^\s*\)")
_SUBJECT_CUT = re.compile(rf"\s(?:{_SUBORDINATORS}|when)\b|[(),;:]", _I)
_RATE_OF = re.compile(r"\brate\s+of\s+([\w'’ -]{3,60}?)\s*(?:\(|is|was|at|has|had|$)", _I)
_PER_POPULATION = re.compile(
    r"\s+per\s+[\d,]+\s+(?:of\s+(?:the\s+)?)?([A-Za-z][\w ]{0,40}?)(?=[).,;]|$)"
)
_SHARE_OF = re.compile(r"\s+of\s+(?:all\s+)?(.+)", _I | re.S)
_BEFORE_BRACKET = re.compile(r"([A-Za-z][\w'’ -]{1,80}?[A-Za-z])\s*\(\s*(?:or\s+)?$")
_PROPORTION_OF = re.compile(r"\b(?:majority|proportion|number|percentage)\s+of\b", _I)
_OF = re.compile(r"\bof\s+", _I)
_COUNT_REST = re.compile(r"\s*(?:\([^)]*\))?\s*(?:(?:out\s+)?of\s+)?(.*)", _I | re.S)
_THE_X_OF = re.compile(r"\b(?:the|a|an|its|their)\s+([\w'’ -]{3,60}?)\s+of\s+$", _I)
_LEAD_CUT = re.compile(rf"[(),;:]\s|[()]|\d[\d.,]*\s?%?|[{_BULLETS}]")
_LEAD_CUT_NO_NUMBER = re.compile(rf"[(),;:]\s|[()]|[{_BULLETS}]")
_PRONOUN = re.compile(r"(?:this|it|that|there|which|they)\b", _I)

# ---------------------------------------------------------------------------------------------
# Anchored scanning at run time
# ---------------------------------------------------------------------------------------------
def _anchor_regex(scans: Iterable[_Scan]) -> re.Pattern[str]:
    """The runs where any of `scans` can start: digits, postcodes, short words, 3-letter prefixes.

    Group 1 holds a run's first three characters (fewer in a shorter run), which decide its `_key`.
    """
    keys = {k for scan in scans for k in scan.keys} - {_DIGIT_RUN, _POSTCODE_RUN, _NOT_ASCII}
    short = "|".join(sorted(k for k in keys if len(k) < 3))
    prefixes = trie_pattern(k for k in keys if len(k) == 3)
    return re.compile(rf"\b(?=(\w{{1,3}}))(?:\d|[a-z]{{1,2}}\d|(?:{short})\b|{prefixes})\w*", _I)


_ANCHOR_RUN = _anchor_regex((*_BLOCKS, *_PERIODS, _NUMBER_TOKEN, _FRACTION, _ONE_IN_N))
_ANCHOR_RUN_LOWER = re.compile(_ANCHOR_RUN.pattern)  # for lower-cased text
# What IGNORECASE matches with an ASCII letter but lower() does not make one ("İ" lengthens).
_FOLDS_TO_ASCII = ("ı", "ſ")
_RUN_BEFORE = re.compile(r"\W*(\w+)")  # on reversed text: the run before a position


class _KeyCache(dict[str, str]):
    """`_key` of a run by its first three characters, which are all `_key` reads: a text has
    ~2,000 runs but a corpus few distinct heads, so a run's key is mostly a dict look-up."""

    _LIMIT = 1 << 16  # heads of unforeseen scripts could grow it without end

    def __missing__(self, head: str) -> str:
        if len(self) >= self._LIMIT:
            self.clear()
        key = self[head] = _key(head)
        return key


_RUN_KEYS = _KeyCache()


def _anchor_runs(text: str) -> tuple[str | None, Iterator[re.Match[str]]]:
    """`_ANCHOR_RUN` in `text`; case-sensitively on a lower-cased copy (2x faster) when that
    finds the same: lower() kept the length (it keeps every character's class) and the text has
    no letter IGNORECASE but not lower() makes ASCII. That copy comes first (None if not used):
    where it starts with an ASCII word, IGNORECASE matches that word in `text`, and only there."""
    low = text.lower()
    if len(low) == len(text) and not any(c in low for c in _FOLDS_TO_ASCII):
        return low, _ANCHOR_RUN_LOWER.finditer(low)
    return None, _ANCHOR_RUN.finditer(text)


def _anchor_keys(text: str) -> set[str]:
    keys = _RUN_KEYS
    return {keys[m[1]] for m in _anchor_runs(text)[1]}


class _Anchors:
    """The runs of one text where the patterns of this module can start (see `_Scan`)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.at: dict[str, list[int]] = {}
        at, keys = self.at, _RUN_KEYS
        self._low, runs = _anchor_runs(text)
        for m in runs:
            key = keys[m[1]]
            if key in at:
                at[key].append(m.start())
            else:
                at[key] = [m.start()]
        self._reversed = text[::-1]
        self._before: dict[int, tuple[int, str] | None] = {}
        # Starts by (words, back, plus): many scans share them (every "#" pattern, every
        # number-word pattern), and they depend on nothing else.
        self._starts_of: dict[tuple[object, ...], list[int]] = {}

    def finditer(self, scan: _Scan) -> list[re.Match[str]]:
        """What `scan.pattern.finditer(self.text)` finds, trying only where a match can start.

        The matches may be of the lower-cased copy: read their spans, and their groups case aside.
        """
        if scan.lower is not None and self._low is not None:
            text, pattern = self._low, scan.lower
        else:
            text, pattern = self.text, scan.pattern
        runs = scan.runs if scan.anywhere_if and scan.anywhere_if in text else None
        if runs is None:
            starts = self._starts(scan)
        else:
            starts = sorted({*self._starts(scan), *(m.start() for m in runs.finditer(text))})
        found: list[re.Match[str]] = []
        end = 0
        for pos in starts:
            if pos >= end and (m := pattern.match(text, pos)):
                found.append(m)
                end = m.end()
                # A match may end inside a run ("a@b.c+d@e.f"): the next may start right there.
                # (Anywhere else in a run, a match would mean one from the run's start.)
                while runs is not None and 0 < end < len(text) and runs.fullmatch(text, end - 1, end + 1):
                    if (m := pattern.match(text, end)) is None or m.end() == end:
                        break
                    found.append(m)
                    end = m.end()
        return found

    def _starts(self, scan: _Scan) -> list[int]:
        """Where a match of `scan` can start, in order."""
        sig = (scan.words, scan.back, scan.plus)
        starts = self._starts_of.get(sig)
        if starts is None:
            starts = self._starts_of[sig] = self._find_starts(scan)
        return starts

    def _find_starts(self, scan: _Scan) -> list[int]:
        at, low = self.at, self._low
        # A position starts one run, which has one key: the lists are disjoint.
        runs = list(at.get(_NOT_ASCII, ()))
        for key, words in scan.words:
            if key not in at:
                continue
            if words and low is not None:  # "forty" is no "for"; a pattern only reads its words
                runs += [pos for pos in at[key] if low.startswith(words, pos)]
            else:
                runs += at[key]
        if not (scan.back or scan.plus):
            return sorted(runs)
        starts = set(runs)
        if scan.back:  # and at the optional words before an anchor word ("in the" before "last")
            run_before, back = self._run_before, scan.back
            for pos in runs:
                while (before := run_before(pos)) and before[1] in back:
                    pos = before[0]
                    starts.add(pos)
        if scan.plus:
            digits = at.get(_DIGIT_RUN, ())
            starts.update(pos - 1 for pos in digits if self.text[pos - 1 : pos] == "+")
        return sorted(starts)

    def _run_before(self, pos: int) -> tuple[int, str] | None:
        """Start and word ("#" for a digit, "*" if not ASCII) of the run before `pos`."""
        if pos not in self._before:
            size = len(self.text)
            m = _RUN_BEFORE.match(self._reversed, size - pos)
            if m is None:
                self._before[pos] = None
            else:
                start, word = size - m.end(1), self.text[size - m.end(1) : size - m.start(1)]
                key = _DIGIT_RUN if word[0].isdecimal() else word.lower() if word.isascii() else _NOT_ASCII
                self._before[pos] = (start, key)
        return self._before[pos]


# pdfium writes U+FFFE for some hyphens ("16- and 17-year\ufffeolds", "tri\ufffeborough").
_MATCHING_CHARS = {0xFFFE: "-", 0x2011: "-", 0x2010: "-"}

Span = tuple[int, int]


@dataclass
class _Token:
    """A number in the text: digits or words."""

    start: int
    end: int
    value: float
    is_word: bool


@dataclass
class _Reading:
    """One quantity found in the text, before evidence, subject and period are attached."""

    value: float
    unit: str
    qualifier: str | None
    start: int  # the quantity's span, qualifier words included
    end: int
    noun_end: int | None = None  # end of the counted noun phrase, when one was read
    num_end: int | None = None  # end of the number (and of a post-qualifier before the unit)
    num_start: int | None = None  # start of the number itself (after any qualifier words)
    kind: str | None = None  # set by the reading when it knows ("from 14 to 27": 14 previous)


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


def _row_subject(text: str, clause: Span, r: _Reading, sent: Span, next_start: int) -> str | None:
    """`_subject` made safe to read alone (metric_subjects): "all but five young people" says
    the five are the exceptions."""
    subject = tidy_subject(_subject(text, clause, r, sent, next_start))
    if r.qualifier == "all_but":
        lead = _clean_phrase(text[max(clause[0], r.start - 80) : r.start].split(".")[-1])
        return all_but_subject(subject, lead)
    return subject


def _borrow_subjects(rows: list[Row], sents: list[Span]) -> None:
    """A total, previous, target or comparison row whose subject is missing or names only the
    benchmark ("local authority target") takes that of the nearest value row of its sentence,
    with the benchmark after it: "(65% within 72 hours)": the 72 hours are for what the 65%
    measures; "95% ... the local authority target of 98%" -> "<what 95% measures>, local
    authority target"."""
    for i, row in enumerate(rows):
        own = row["subject"]
        if row["kind"] == "value" or not names_only_a_benchmark(own):
            continue
        near = [j for j in range(max(0, i - 4), min(len(rows), i + 5)) if sents[j] == sents[i]]
        values = [j for j in near if rows[j]["kind"] == "value" and rows[j]["subject"]]
        if values:
            measured = rows[min(values, key=lambda j: abs(j - i))]["subject"]
            row["subject"] = with_benchmark(measured, own)


def _set_kind(text: str, sent: Span, r: _Reading, last: _Reading | None) -> None:
    """`r.kind` from the words around its number (see metric_kinds), unless its reading set it;
    a figure bracketed right after an earlier value is earlier too ("from 372 (73 per 10,000")."""
    if r.kind is not None:
        return
    num_start = r.num_start if r.num_start is not None else r.start
    if last is not None and last.kind == "previous" and bracketed_after(text, last.end, num_start):
        r.kind = "previous"
        return
    r.kind = reading_kind(text, _near(sent, r.start, r.end), num_start, r.num_end or r.end, r.end, r.unit)


# ---------------------------------------------------------------------------------------------
# Pass 1: blocked regions, periods, sentences
# ---------------------------------------------------------------------------------------------
def _block_mask(anchors: _Anchors) -> bytearray:
    """A byte per character, 1 where no number may be read as a metric."""
    mask = bytearray(len(anchors.text))
    for scan in _BLOCKS:
        for m in anchors.finditer(scan):
            mask[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
    return mask


def _period_spans(anchors: _Anchors) -> list[tuple[int, int, str]]:
    """Non-overlapping period phrases (the longest at a position wins), with a short label."""
    text = anchors.text
    found: list[Span] = []
    for scan in _PERIODS:
        found.extend((m.start(), m.end()) for m in anchors.finditer(scan))
    found.sort(key=lambda se: (se[0], -se[1]))
    spans: list[tuple[int, int, str]] = []
    last_end = -1
    for s, e in found:
        if s < last_end:
            continue
        label = _PERIOD_LEAD.sub("", text[s:e])
        spans.append((s, e, " ".join(label.split())))
        last_end = e
    return spans


def _sentences(doc: CleanDocument) -> list[Span]:
    """Sentence spans inside paragraphs (or lines when a text has no paragraphs), by the one
    splitter (extract/sentences.py)."""
    text = doc.text
    blocks = [(p.start, p.end) for p in doc.paragraphs] or [
        (m.start(), m.end()) for m in _LINE.finditer(text)
    ]
    out: list[Span] = []
    for b_start, b_end in sorted(blocks):
        out += sentence_spans(text, b_start, b_end)
    return sorted(out)


def _strip(text: str, s: int, e: int) -> Span:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _containing(spans: list[Span], pos: int) -> Span | None:
    """The span holding `pos` in a sorted list of non-overlapping spans."""
    i = bisect.bisect_right(spans, pos, key=lambda span: span[0]) - 1
    if i >= 0 and spans[i][0] <= pos < spans[i][1]:
        return spans[i]
    return None


def _near(span: Span, start: int, end: int) -> Span:
    """`span` cut to METRIC_CONTEXT_CHARS either side of [start, end): the whole of any real
    sentence or clause, and a bounded part of a hostile one, so that the work per quantity does
    not grow with the length of its sentence."""
    return max(span[0], start - METRIC_CONTEXT_CHARS), min(span[1], end + METRIC_CONTEXT_CHARS)


# ---------------------------------------------------------------------------------------------
# Pass 2: readings
# ---------------------------------------------------------------------------------------------
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


def _read_all(anchors: _Anchors, blocked: bytearray, sentences: list[Span]) -> list[_Reading]:
    """Read every number token in context; a token belongs to the first reading that uses it."""
    text = anchors.text
    tokens = _tokens(anchors, blocked)
    by_start = {t.start: t for t in tokens}
    used: set[int] = set()
    starts = [t.start for t in tokens]  # in order
    readings = _fractions(anchors, blocked, starts, used)
    readings += _one_in_n(anchors, blocked, starts, used)
    caseloads: dict[Span, bool] = {}
    for tok in tokens:
        sent = _containing(sentences, tok.start)
        if tok.start in used or sent is None:
            continue
        if sent not in caseloads:
            caseloads[sent] = bool(_CASELOAD.search(text, sent[0], sent[1]))
        caseload = caseloads[sent]
        sent = _near(sent, tok.start, tok.end)
        got = (
            _range(text, tok, by_start, used, caseload, sent)
            or _money(text, tok)
            or _single(text, tok, caseload, sent, by_start)
        )
        if got:
            used.add(tok.start)
            readings.extend(got)
    # Readings by (start, position in `readings`), for the one nearest a bare number.
    order = sorted((r.start, i) for i, r in enumerate(readings))
    for tok in tokens:
        sent = _containing(sentences, tok.start)
        if tok.start in used or sent is None:
            continue
        if bare := _bare(text, tok, _near(sent, tok.start, tok.end), readings, order):
            used.add(tok.start)
            bisect.insort(order, (bare.start, len(readings)))
            readings.append(bare)
    readings.sort(key=lambda r: r.start)  # stable: range_low stays before range_high
    return readings


def _consume(starts: list[int], used: set[int], start: int, end: int) -> None:
    """Mark the tokens starting in [start, end) used (`starts`: every token's start, in order)."""
    used.update(starts[bisect.bisect_left(starts, start) : bisect.bisect_left(starts, end)])


def _fractions(anchors: _Anchors, blocked: bytearray, starts: list[int], used: set[int]) -> list[_Reading]:
    """'just under half', 'two thirds of', 'a quarter were' -> percent; ordinals are skipped."""
    text = anchors.text
    out: list[_Reading] = []
    for m in anchors.finditer(_FRACTION):
        if any(blocked[m.start() : m.end()]):
            continue
        frac = m.group("frac").lower()
        num = (m.group("num") or "").strip(" -").lower()
        if frac != "half" and not num:
            continue  # "third visit", "the last quarter": ordinals and periods
        if num in WORD_VALUES:
            _consume(starts, used, m.start(), m.end())  # "three quarters" never counts quarters
        before = text[max(0, m.start() - 30) : m.start()]
        ordinal_before = _ORDINAL_BEFORE_HALF if frac == "half" else _ORDINAL_BEFORE
        if ordinal_before.search(before):
            continue
        after = text[m.end() : m.end() + 40]
        if _EXACT_FIGURE.match(after):
            continue  # "almost three quarters (73%)": the exact figure is the metric
        if _PERIOD_AFTER_FRACTION.match(after):
            continue  # "the first half of 2018" is a period
        qual, q_start = _qualifier_before(text, m.start(), 0)
        proportion = _PROPORTION.match(after)
        if num in ("", "a", "one") and qual is None and not proportion:
            continue  # "a third hub" is an ordinal; "half" alone must read as a proportion
        multiple = WORD_VALUES.get(num, 1)
        value = 66.7 if frac.startswith("third") and multiple == 2 else _FRACTIONS[frac] * multiple
        _consume(starts, used, m.start(), m.end())
        out.append(_Reading(round(value, 1), "percent", qual, q_start, m.end(), None, m.end(), m.start()))
    return out


def _one_in_n(anchors: _Anchors, blocked: bytearray, starts: list[int], used: set[int]) -> list[_Reading]:
    """'one in five children', 'one in every 186' -> percent."""
    text = anchors.text
    out: list[_Reading] = []
    for m in anchors.finditer(_ONE_IN_N):
        if any(blocked[m.start() : m.end()]):
            continue
        a, b = _number_value(m.group("a")), _number_value(m.group("b"))
        every = m.group("every") is not None
        if not a or not b or b <= a or (b > 100 and not every):
            continue
        if not every and not _noun_phrase(text, m.end(), False, False):
            continue
        qual, q_start = _qualifier_before(text, m.start(), 0)
        _consume(starts, used, m.start(), m.end())
        value = round(100 * a / b, 1)
        out.append(_Reading(value, "percent", qual, q_start, m.end(), None, m.end(), m.start()))
    return out


def _money_scale(text: str, pos: int) -> tuple[float, int]:
    """Multiplier and end of "million", "m", "bn", "k" after an amount."""
    m = _MONEY_SCALE.match(text[pos : pos + 10])
    if not m:
        return 1.0, pos
    word = m.group(1).lower()
    return {"million": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9}.get(word, 1e3), pos + m.end()


def _money(text: str, tok: _Token) -> list[_Reading] | None:
    """'£1.5 million', '£3m', 'up to £2,000'."""
    if tok.is_word or text[max(0, tok.start - 1) : tok.start] != "£":
        return None
    scale, end = _money_scale(text, tok.end)
    qual, q_start = _qualifier_before(text, tok.start - 1, 0)
    return [_Reading(tok.value * scale, "currency_gbp", qual, q_start, end, None, end, tok.start)]


def _range(
    text: str,
    tok: _Token,
    by_start: dict[int, _Token],
    used: set[int],
    caseload: bool,
    sent: Span,
) -> list[_Reading] | None:
    """'between eight and 12 cases', 'from 10 to 15 days', '10–15 cases', 'two or three visits'.

    "and" needs "between"; "from X to Y" after a change word is a change, not a range.
    """
    money = text[max(0, tok.start - 1) : tok.start] == "£"
    pct = _percent_after(text, tok.end)
    mid = pct[1] if pct else _money_scale(text, tok.end)[1] if money else tok.end
    m = (_RANGE_JOIN_MONEY if money else _RANGE_JOIN).match(text[mid : mid + 9])
    second = by_start.get(mid + m.end()) if m else None
    if m is None or second is None or second.start in used:
        return None
    joiner = m.group(1).lower()
    window = max(sent[0], tok.start - 40)
    lead = _RANGE_LEAD.search(text[window : tok.start])
    lead_word = lead.group(1).lower() if lead else ""
    if joiner == "and" and "between" not in lead_word:
        return None
    if joiner in _DASH and tok.is_word != second.is_word:
        return None
    if joiner == "or" and second.value <= tok.value:
        return None
    first_value, second_value = tok.value, second.value
    unit = _unit_after(text, second.end, False, caseload, second.is_word)
    if money:
        scale, money_end = _money_scale(text, second.end)
        first_scale = _money_scale(text, tok.end)[0]
        first_value = tok.value * (first_scale if first_scale > 1 else scale)
        second_value = second.value * scale
        unit = ("currency_gbp", money_end)
    has_noun = unit is not None and unit[0] in ("count", "cases_per_worker")
    if unit is None:
        if not lead and not caseload:
            return None
        unit = ("cases_per_worker" if caseload else "count", second.end)
    used.add(second.start)
    kind, end = unit
    noun_end = end if has_noun else None
    is_change = lead_word == "from" and bool(_CHANGE.search(text, sent[0], tok.start))
    if is_change:
        return [
            _Reading(
                first_value, kind, None, tok.start, tok.end, noun_end, second.end, tok.start, "previous"
            ),
            _Reading(second_value, kind, None, second.start, end, noun_end, second.end, second.start),
        ]
    start = window + lead.start() if lead else tok.start
    return [
        _Reading(first_value, kind, "range_low", start, end, noun_end, second.end, tok.start, "value"),
        _Reading(second_value, kind, "range_high", start, end, noun_end, second.end, second.start, "value"),
    ]


def _list_unit(
    text: str, tok: _Token, by_start: dict[int, _Token], caseload: bool
) -> tuple[str, int] | None:
    """The unit of the last member of a list this number opens ("at six, 12 and 18 months").

    The list must close with "and"/"or" before its last member ("Of this 540, 9.8% live ..."
    is not a list), and counts are not shared ("two, three children" is rare and ambiguous).
    """
    cur = tok
    for _ in range(6):
        m = _LIST_JOIN.match(text[cur.end : cur.end + 8])
        nxt = by_start.get(cur.end + m.end()) if m else None
        if m is None or nxt is None:
            return None
        closes = bool(_LIST_CLOSE.search(m.group()))
        unit = _unit_after(text, nxt.end, False, caseload, nxt.is_word)
        if unit and closes and unit[0] not in ("count", "cases_per_worker"):
            return unit[0], tok.end
        if unit or closes:
            return None
        cur = nxt
    return None


def _single(
    text: str, tok: _Token, caseload: bool, sent: Span, by_start: dict[int, _Token]
) -> list[_Reading] | None:
    """Percent, rate, duration or count of a noun, with qualifiers either side.

    A post-qualifier may sit between number and unit ("three or more placement moves") or after
    the unit ("12 months or more").
    """
    post, num_end = _qualifier_after(text, tok.end)
    unit = _unit_after(text, num_end, tok.value == 1, caseload, tok.is_word)
    unit = unit or _list_unit(text, tok, by_start, caseload)
    if unit is None:
        return None
    kind, end = unit
    if kind == "count" and tok.value == 0:
        return None
    qual, q_start = _qualifier_before(text, tok.start, sent[0])
    if kind == "percent" and (
        _CHANGE_BY.search(text, sent[0], q_start) or _CHANGE_NOUN.match(text, end)
    ):
        kind = "percent_change"
    if post is None:
        post, post_end = _qualifier_after(text, end)
        end = max(end, post_end) if post and qual is None else end
    if post and qual is None:
        qual = post
    noun_end = end if kind in ("count", "cases_per_worker") else None
    return [_Reading(tok.value, kind, qual, q_start, end, noun_end, num_end, tok.start)]


def _nearest(readings: list[_Reading], order: list[tuple[int, int]], sent: Span, pos: int) -> _Reading | None:
    """The reading in `sent` whose start is nearest `pos`, the first of `readings` on a tie.
    `order`: (start, index) of every reading, sorted. A look-up either side of `pos`, not a
    pass over every reading (which made the extractor quadratic in a list of numbers)."""
    lo, hi = bisect.bisect_left(order, (sent[0], -1)), bisect.bisect_left(order, (sent[1], -1))
    at = bisect.bisect_left(order, (pos, -1), lo, hi)
    best: tuple[int, int] | None = None
    if at < hi:  # the first reading starting at or after pos (lowest index of that start)
        best = (order[at][0] - pos, order[at][1])
    if at > lo:  # the lowest index of the nearest start before pos
        first = bisect.bisect_left(order, (order[at - 1][0], -1), lo, at)
        left = (pos - order[first][0], order[first][1])
        best = left if best is None or left < best else best
    return None if best is None else readings[best[1]]


def _bare(
    text: str, tok: _Token, sent: Span, readings: list[_Reading], order: list[tuple[int, int]]
) -> _Reading | None:
    """A number without a unit of its own, in a context that says what it counts.

    Contexts: "all but five", caseloads ("caseloads of 18"), "of whom 12", "247 (73%)",
    "three out of four", "12 of the", "45 live with parents", and changes or comparisons
    ("an increase from 132", "compared with 96") which take the unit of the nearest quantity
    in the sentence (a percentage only with its own % sign).
    """
    before = text[max(sent[0], tok.start - 30) : tok.start]
    after = text[tok.end : min(sent[1], tok.end + 30)]
    qual, q_start = _qualifier_before(text, tok.start, sent[0])
    if qual == "all_but":
        return _Reading(tok.value, "count", qual, q_start, tok.end, num_start=tok.start)
    if tok.is_word and tok.value < 2:
        return None
    caseload_ctx = _CASELOAD_BEFORE.search(before)
    if caseload_ctx:
        return _Reading(tok.value, "cases_per_worker", qual, q_start, tok.end, num_start=tok.start)
    counted = (
        _COUNTED_BEFORE.search(before)
        or _SHARE_AFTER.match(after)
        or _COUNTED_AFTER.match(after)
        or _COUNT_VERB.match(after)
    )
    comparison = _COMPARED.search(before) and _CHANGE.search(text, sent[0], tok.start)
    if not (counted or comparison):
        return None
    unit = "count"
    if comparison and not counted and not _BRACKET.match(after):
        if near := _nearest(readings, order, sent, tok.start):
            unit = near.unit
        if unit.startswith("percent") and not _PERCENT_SIGN.match(after):
            unit = "count"
    return _Reading(tok.value, unit, qual, q_start, tok.end, num_start=tok.start)


# ---------------------------------------------------------------------------------------------
# Pass 3: evidence, subject, period
# ---------------------------------------------------------------------------------------------
def _clauses(text: str, sent: Span) -> list[Span]:
    """A sentence split at ; : spaced dashes and comma-space, clauses under five words merged."""
    s0, e0 = sent
    cuts = [s0, *(s0 + m.end() for m in _CLAUSE_CUT.finditer(text[s0:e0]))]
    cuts.append(e0 + 1)
    raw = [_strip(text, cuts[i], cuts[i + 1] - 1) for i in range(len(cuts) - 1)]
    merged: list[Span] = []
    for s, e in raw:
        if e <= s:
            continue
        if merged and len(text[merged[-1][0] : merged[-1][1]].split()) < 5:
            merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    if len(merged) > 1 and len(text[merged[-1][0] : merged[-1][1]].split()) < 5:
        last = merged.pop()
        merged[-1] = (merged[-1][0], last[1])
    return merged


def _evidence(text: str, sent: Span, clause: Span, r: _Reading) -> Span:
    """The clause stating the quantity, cut at a subordinate clause on either side."""
    c_s, c_e = min(clause[0], r.start), max(clause[1], min(r.end, sent[1]))
    cut = None
    for m in _SUBORDINATOR.finditer(text[c_s : r.start]):
        cut = m.end()
    if cut is not None:
        c_s += cut
    tail_from = max(r.end, r.noun_end or r.end)
    m = _TAIL_CLAUSE.search(text[tail_from:c_e])
    if m and len(text[c_s : tail_from + m.start()].split()) >= 4:
        c_e = tail_from + m.start()
    s, e = _strip(text, c_s, c_e)
    while e > max(s, r.end) and text[e - 1] in ".,;:":
        e -= 1
    return s, e


def _without_trailing_verb(words: str) -> str:
    """`_TRAILING_VERB.sub("", words)` for words that hold no whitespace but single spaces.

    A match is whitespace and an alternative ending the text, which has at most one space
    inside ("stood at"): it starts at one of the last two spaces, so the search starts there
    rather than trying every space.
    """
    m = _TRAILING_VERB.search(words, max(0, words.rfind(" ", 0, words.rfind(" "))))
    return words[: m.start()] if m else words


def _clean_phrase(words: str, limit: int = 12, lead: bool = False) -> str | None:
    """Whitespace collapsed, leading determiners and trailing verbs dropped, length capped.

    Words before a quantity also lose a leading preposition ("in primary schools is 20%");
    words after it keep theirs ("just over half currently in education").
    """
    words = _SPACES.sub(" ", words).strip(" ,;:.()")
    words = _LEADING_NOISE.sub("", words)
    if lead:
        words = _LEADING_NOISE.sub("", _LEADING_PREPOSITION.sub("", words))
    for _ in range(3):
        words = _without_trailing_verb(words).strip(" ,;:.()")
    words = _RESPECTIVELY.sub("", words)
    parts = words.split()[:limit]
    if all(w.lower() in _STOP for w in parts):
        return None  # "whom", "most", "are": nothing measured is named
    return " ".join(parts)


@functools.lru_cache(maxsize=256)  # `_subject` often cuts the same words twice
def _without_periods(s: str) -> str:
    """`s` with period phrases cut, in `_PERIODS` order; a pattern none of whose anchor words
    `s` holds cannot match it, and is not run."""
    keys = _anchor_keys(s)
    for scan in _PERIODS:
        if _NOT_ASCII in keys or not keys.isdisjoint(scan.keys):
            cut = scan.pattern.sub("", s)
            if cut != s:
                s, keys = cut, _anchor_keys(cut)
    return s


def _subject(text: str, clause: Span, r: _Reading, sent: Span, next_start: int) -> str | None:
    """What is measured, by heuristic (approximate by design; the first rule that applies wins).

    1. caseloads: the "... caseloads (in the X team)" phrase of the sentence;
    2. a counted noun: the noun phrase and the rest of its clause ("young people currently at
       university"), period phrases removed, cut at the next quantity, a bracket, a comma or a
       subordinate clause;
    3. rates: "the rate of X" before, or the population after "per 10,000";
    4. percentages: "N% of X ..." -> X and the rest of its clause; "X (N%)" -> X;
    5. a bare count: what follows it ("(73%) live outside the area", "of these cases");
    6. "the X of N" -> X ("the statutory timescale of 26 weeks");
    7. the words before the quantity back to the clause start, a bracket, a comma or a number,
       trailing verb dropped ("most decisions are made", "national average"), unless empty, one
       word or a pronoun, or the quantity is a proportion followed by its predicate ("just under
       half being completed in the required time"): then the words after it;
    8. otherwise the sentence without the quantity, so that no row is left unexplained.
    """
    c_s, c_e = clause
    num_end = max(r.num_end or r.end, r.start)
    stop = min(c_e, max(next_start, num_end))
    raw_tail = _CLOSING_BRACKET.sub(" ", _without_periods(text[max(r.end, num_end) : stop]))
    tail = _SUBJECT_CUT.split(raw_tail, maxsplit=1)
    tail_text = tail[0]
    before = text[c_s : r.start]
    if r.unit == "cases_per_worker" and (m := _CASELOAD_NP.search(text, sent[0], sent[1])):
        return _clean_phrase(m.group())
    noun_phrase = _clean_phrase(text[num_end : r.noun_end] + tail_text) if r.noun_end else None
    if r.unit in ("count", "cases_per_worker") and noun_phrase:
        return noun_phrase
    if r.unit in _RATE_UNITS:
        m = _RATE_OF.search(before) or _PER_POPULATION.match(text[num_end:c_e])
        if m:
            return _clean_phrase(m.group(1))
    if r.unit.startswith("percent"):
        if m := _SHARE_OF.match(tail_text):
            return _clean_phrase(m.group(1))
        # It ends with "(" or "( or": a cheap test spares a search at every letter of `before`.
        if before.rstrip().endswith(("(", "or")) and (m := _BEFORE_BRACKET.search(before)):
            np = m.group(1)
            if _PROPORTION_OF.search(np):
                np = _OF.split(np, maxsplit=1)[-1]
            if phrase := _clean_phrase(np):
                return phrase
    if r.unit == "count":
        after = _without_periods(text[num_end:c_e])  # past a bracketed figure: "11 (9.4%) left"
        m = _COUNT_REST.match(after)
        rest = _SUBJECT_CUT.split(m.group(1) if m else after, maxsplit=1)[0]
        if phrase := _clean_phrase(rest):
            return phrase
    if m := _THE_X_OF.search(before):
        return _clean_phrase(m.group(1))
    lead_words = _LEAD_CUT.split(before)[-1]
    lead = _clean_phrase(_without_periods(lead_words), lead=True)
    if lead is None:  # "at ages 19 and 20 is 40%": the words before the last number
        lead_words = _LEAD_CUT_NO_NUMBER.split(before)[-1]
        lead = _clean_phrase(_without_periods(lead_words), lead=True)
    tail_phrase = _clean_phrase(tail_text)
    empty_lead = (
        lead is None
        or bool(_PRONOUN.match(lead))
        or all(w.lower() in _STOP for w in lead.split())
    )
    weak_lead = empty_lead or len((lead or "").split()) < 2
    predicate_follows = r.unit.startswith("percent") and not _TRAILING_VERB.search(
        lead_words.rstrip()
    )
    long_tail = bool(tail_phrase) and len((tail_phrase or "").split()) >= 2
    if tail_phrase and (empty_lead or ((weak_lead or predicate_follows) and long_tail)):
        return tail_phrase
    if lead or tail_phrase:
        return lead or tail_phrase
    return _clean_phrase(_without_periods(text[sent[0] : r.start] + " " + text[r.end : sent[1]]))


def _nearest_period(
    periods: list[tuple[int, int, str]], sent: Span, evidence: Span, r: _Reading
) -> str | None:
    """The period phrase nearest the quantity: in its evidence first, else in its sentence."""
    lo = bisect.bisect_left(periods, (sent[0], -1, ""))
    for scope in (evidence, sent):
        best: tuple[int, str] | None = None
        for s, e, label in periods[lo:]:
            if s > scope[1]:
                break
            if s >= scope[0] and e <= scope[1] + 1 and not s <= r.start < e:
                dist = min(abs(s - r.end), abs(r.start - e))
                if best is None or dist < best[0]:
                    best = (dist, label)
        if best:
            return best[1]
    return None
