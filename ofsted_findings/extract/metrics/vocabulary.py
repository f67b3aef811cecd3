"""The metrics extractor's vocabulary: units, qualifiers, the words that end or head a counted
noun phrase, and the regex building blocks (numbers, dates, joins) its patterns are made of.

Data, not code: a new unit is an entry here plus a reading (readings.py, units.py)."""

from __future__ import annotations

import re

from ofsted_findings.extract.number_words import SMALL as _SMALL
from ofsted_findings.extract.number_words import TENS as _TENS
from ofsted_findings.extract.sentences import BULLET_GLYPHS
from ofsted_findings.settings import METRIC_LIST_MEMBERS


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


_MONTH_WORDS = (
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
)
_NUMBERS = " ".join(["#", *_SMALL, *_TENS])  # digits and number words
_NUMERALS = _NUMBERS + " hundred thousand and"  # every word of a written number


_SUBORDINATORS = r"(?:that|which|where|whereas|while|although|because|but|who|whom|whose)"
