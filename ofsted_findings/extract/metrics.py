"""Metrics: every stated quantity in a cleaned report, with value, unit, subject, qualifier, period.

Rule based and pure: `extract_metrics(doc)` reads only `doc`. The approach is three passes.

1. Block what only *looks* numeric: dates and years, ages that define a group, references to
   Acts, paragraphs, frameworks and school years, phone numbers, postcodes, e-mail and web
   addresses, footnote markers, running-header page numbers. Period phrases ("in the last six
   months") are recorded and also blocked, so their numbers are never metrics themselves.
2. Read each remaining number (digits or words) with its context, most specific reading first:
   money, rate, percent, range, fraction, "one in five", duration, count of a noun, then a few
   bare-number contexts ("of whom 12", "247 (73%)", "from 132 to 140").
3. Give each reading its evidence (the clause stating it), subject (a heuristic noun phrase),
   qualifier and nearest period phrase.

Conventions (see the gold notes in tests/fixtures/gold/seeds/metrics.jsonl):
- Fractions become percent: "just under half" -> 50 percent, qualifier under; "two thirds" -> 66.7.
- "almost"/"nearly"/"just under" -> under; "within"/"up to" -> at_most; "all but five" -> 5 all_but.
- A range gives two rows, range_low and range_high; a change ("rose from 14 to 27") gives two
  plain rows, because both ends were true at different times.
- Ordinals are not quantities ("third visit", "first monitoring visit"); nor are vague amounts
  ("most", "the majority", "a small number"), zero words ("no", "none") or "one of".
- Numbers in a caseload context ("caseloads ... between eight and 12 cases") are cases_per_worker.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ofsted_findings.models import CleanDocument

# ---------------------------------------------------------------------------------------------
# Controlled vocabularies (data, not code: adding a unit is a row here plus a reading below).
# ---------------------------------------------------------------------------------------------
UNITS: dict[str, str] = {
    "percent": "a percentage; fractions and 'one in five' are converted to it",
    "percentage_points": "a difference between two percentages",
    "count": "how many of a counted noun (children, cases, placements, staff ...)",
    "cases_per_worker": "a caseload: cases or children held by one worker",
    "rate_per_1000": "N per 1,000 of a population",
    "rate_per_10000": "N per 10,000 of a population (the usual rate of children in care)",
    "rate_per_100000": "N per 100,000 of a population",
    "currency_gbp": "money in pounds sterling, millions and billions expanded",
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

# Words that qualify the number right after them. Longest first within each list matters only
# for readability: the regex alternation is anchored at the number.
_QUALIFIER_WORDS: dict[str, tuple[str, ...]] = {
    "all_but": ("all but",),
    "at_most": (
        "within",
        "up to",
        "no more than",
        "not more than",
        "at most",
        "a maximum of",
        "maximum of",
        "no longer than",
        "not exceeding",
    ),
    "at_least": (
        "at least",
        "no fewer than",
        "no less than",
        "not less than",
        "a minimum of",
        "minimum of",
    ),
    "under": (
        "just under",
        "just below",
        "slightly under",
        "slightly below",
        "slightly less than",
        "less than",
        "fewer than",
        "under",
        "below",
        "almost",
        "nearly",
        "just short of",
    ),
    "over": (
        "just over",
        "slightly over",
        "slightly more than",
        "more than",
        "over",
        "above",
        "in excess of",
        "exceeding",
        "greater than",
        "upwards of",
    ),
    "approx": (
        "approximately",
        "approx.",
        "around",
        "about",
        "roughly",
        "circa",
        "some",
        "an estimated",
        "estimated",
        "an average of",
    ),
}
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
    "working day": "working_days",
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

_SMALL = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
WORD_VALUES: dict[str, int] = {w: i for i, w in enumerate(_SMALL)} | {
    w: 20 + 10 * i for i, w in enumerate(_TENS)
}

# Nouns whose plural does not end in -s, and -s words that are not plural nouns.
_IRREGULAR_PLURALS = frozenset(
    "children people staff personnel women men adults' children's police".split()
)
_NOT_PLURAL = frozenset(
    """is was has does this thus always as us its his hers ours yours theirs perhaps across less
    unless various previous serious numerous process progress access success address business
    awareness plus whereas besides afterwards sometimes nevertheless regardless news series
    means remains requires includes shows makes takes goes gets seems appears reflects status
    focus basis analysis crisis campus bus towards upwards downwards
    """.split()
)
# Words that end a noun phrase before its head could be found.
_STOP = frozenset(
    """a an the and or but nor of in on at to for from by with within without into onto over under
    between among per than as is are was were be been being am has have had having do does did
    will would can could may might must shall should not no who whom whose which that this these
    those there here where when while if so such it its they them their he she his her we our you
    your i me my aged age who's out up down off about around after before since until during
    each every all any some both either neither more most less fewer many much other another
    same only also just very too then now still yet again already further
    """.split()
)
# Singular nouns counted after "one"/"1" ("one child", "1 social worker"): a closed list because
# "one" is far more often a pronoun ("one in which ...", "from one team to another").
_SINGULAR_COUNTED = frozenset(
    """child person case family carer leaver worker manager placement adoption referral
    assessment visit meeting school home team agency vacancy post plan inspector officer
    practitioner adviser advisor parent mother father sibling pupil household complaint
    allegation disruption conference audit member review interview apprenticeship incident
    application order episode place bed unit provider""".split()
)

_MONTHS = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?"
)
_YEAR = r"(?:19|20)\d{2}"
_YEARISH = rf"(?:{_YEAR}(?:\s*(?:[-–/]|to)\s*(?:{_YEAR}|\d{{2}}))?)"
_WORDNUM = (
    r"(?:(?:" + "|".join(_TENS) + r")(?:[-\s](?:one|two|three|four|five|six|seven|eight|nine))?"
    r"|" + "|".join(sorted(_SMALL[1:], key=len, reverse=True)) + r")"
)
_WORDNUM_FULL = rf"(?:{_WORDNUM}(?:\s+(?:hundred|thousand)(?:\s+(?:and\s+)?{_WORDNUM})?)?)"
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_NUM = rf"(?:{_DIGITS}|{_WORDNUM_FULL})"
_SMALLNUM = rf"(?:\d{{1,2}}|{_WORDNUM})"
_DURATION_WORD = r"(?:minutes?|hours?|days?|weeks?|months?|years?|quarters?|terms?)"

_I = re.IGNORECASE

# Number tokens: digits (with thousands commas and decimals) or number words.
_NUMBER_TOKEN = re.compile(
    rf"(?<![\w£$])(?P<d>{_DIGITS})(?![\w]|[.,]\d)|\b(?P<w>{_WORDNUM_FULL})\b(?!-(?:to|off|stop|way)\b)",
    _I,
)

# Regions that are never metrics (pattern, flags).
_BLOCKS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, _I)
    for p in (
        # Dates: "12 and 13 October 2016", "1 to 12 July 2024", "31 March", "October 12, 2016".
        rf"\b\d{{1,2}}(?:st|nd|rd|th)?(?:\s*(?:,|and|to|–|-|&)\s*\d{{1,2}}(?:st|nd|rd|th)?)*"
        rf"\s+{_MONTHS}(?:,?\s+{_YEAR})?",
        rf"\b{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s*{_YEAR})?",
        r"\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b",
        rf"\b{_YEARISH}\b",
        # Clock times and always-on services.
        r"\b\d{1,2}(?:[.:]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)(?!\w)",
        r"\b\d{1,2}:\d{2}\b",
        r"\b24\s*/\s*7\b|\b24\s+hours\s+a\s+day,?\s+(?:7|seven)\s+days\s+a\s+week\b",
        # Phone numbers, postcodes, e-mail and web addresses.
        r"(?:\+44\s?|\b0)\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}\b",
        r"\b[A-Z]{1,2}\d[A-Z\d]?\s+\d[A-Z]{2}\b",
        r"\S+@\S+|\bwww\.\S+|\bhttps?://\S+",
        # References: Acts, paragraphs, frameworks, school years, key stages ...
        r"\b(?:sections?|s\.|schedules?|regulations?|reg\.|articles?|parts?|paragraphs?|paras?"
        r"|pages?|chapters?|clauses?|outcomes?|enablers?|key\s+stages?|stages?|levels?|tiers?"
        r"|steps?|phases?|year|standards?|principles?|recommendations?|priorit(?:y|ies)|options?"
        r"|grades?|number|no\.|nos\.|version|annex|appendix|table|figure|chart|bands?|line|room"
        r"|floor|route|act|rules?|quarter|domains?|criteri(?:on|a)|footnote|note|categor(?:y|ies)"
        r"|question|wave|round|week|day|ward|box|form|urn|ref(?:erence)?|ofsted\s+ref|lac|ks)"
        r"\s+\(?\d+[a-z]?\)?(?:\s*(?:,|and|or|to|–|-|&)\s*\(?\d+[a-z]?\)?)*(?!\s*(?:%|per\s?cent))",
        r"\bpage\s+\d+\s+of\s+\d+\b",
        r"\bcovid[- ]?19\b",
        # Ages that define a group.
        rf"\bage[sd]?\s+(?:of\s+)?(?:between\s+)?(?:under\s+|over\s+|below\s+|above\s+)?"
        rf"{_SMALLNUM}(?:\s*(?:,|and|or|to|–|-)\s*{_SMALLNUM})*(?:\s*(?:\+|and\s+over|plus))?"
        r"(?:\s*(?:years?|yrs)(?:\s+old)?)?",
        rf"\bbetween\s+the\s+ages\s+of\s+{_SMALLNUM}\s+and\s+{_SMALLNUM}",
        rf"\b{_SMALLNUM}\s*[-–]?\s*(?:and|or|to|–|-)\s*{_SMALLNUM}[- ]years?[- ]olds?\b",
        rf"\b{_SMALLNUM}[- ]years?[- ]olds?\b",
        rf"\b{_SMALLNUM}\s+years?\s+(?:old|of\s+age)\b",
        rf"\b(?:turn(?:ed|s|ing)?|reach(?:ed|es|ing)?|until\s+(?:they|he|she)\s+(?:are|is|were|was)"
        rf"|when\s+(?:they|he|she)\s+(?:are|were|turn(?:ed)?))\s+{_SMALLNUM}\b",
        rf"\b(?:under|over)[- ]{_SMALLNUM}['’]?s\b",
        rf"\b{_SMALLNUM}\s*\+|\b{_SMALLNUM}[- ]plus\b",
        rf"\b(?:children|young\s+people|people|those|pupils|babies|infants|adults|care\s+leavers"
        rf"|girls|boys)\s+(?:aged\s+)?(?:under|over|below|above|up\s+to)\s+(?:the\s+age\s+of\s+)?"
        rf"{_SMALLNUM}\b(?!\s*(?:%|per\s?cent))",
        r"\b0\s*[-–]\s*\d{1,2}\b",
        # Not counts: "one of", "one-to-one", "no one", "one another", "from one X to another".
        r"\bone[- ]to[- ]one\b|\bone[- ](?:off|stop|way|page)\b|\bno[- ]one\b|\bone\s+another\b",
        r"\bone\s+of\b|\bone\s+or\s+(?:more|other|both)\b|\bon\s+the\s+one\s+hand\b",
        r"\bone\b(?=[^.;]{0,40}\bto\s+another\b)",
        r"\b(?:half|third|quarter)[- ](?:term|day|way|yearly|hour)\b|\bhalfway\b|\bthird[- ]part(?:y|ies)\b",
        r"\bhalf\s+(?:an?\s+)?(?:hour|day|term)\b",
    )
)

# Period phrases: recorded for the `period` column and blocked as metrics.
_PERIODS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, _I)
    for p in (
        rf"\b(?:(?:in|over|during|for|throughout|across|within)\s+)?(?:the\s+)?"
        rf"(?:last|past|previous|preceding|final|next|coming|recent|latest)\s+"
        rf"(?:(?:{_NUM}|few|several|couple\s+of)\s+)?(?:calendar\s+|financial\s+|academic\s+)?"
        rf"{_DURATION_WORD}\b(?:\s+(?:of|in)\s+(?:{_YEARISH}|the\s+year))?",
        rf"\b(?:(?:in|over|during|for)\s+)?(?:the\s+)?first\s+(?:{_NUM}\s+)?{_DURATION_WORD}"
        rf"\s+(?:of|in)\s+(?:{_YEARISH}|the\s+year|this\s+year)",
        rf"\b(?:in|over|during)\s+the\s+first\s+(?:{_NUM}\s+)?{_DURATION_WORD}\b",
        rf"\b(?:(?:in|during|over|for)\s+)?(?:the\s+)?(?:{_NUM}\s+)?(?:financial\s+)?"
        rf"(?:years?|months?|weeks?|quarters?)\s+(?:to|ending|up\s+to|until|prior\s+to|before|"
        rf"since|preceding)\s+(?:the\s+)?(?:(?:end\s+of\s+)?(?:\d{{1,2}}\s+)?{_MONTHS}"
        rf"(?:\s+{_YEAR})?|{_YEARISH}|(?:this\s+|the\s+)?inspection|date)",
        rf"\b(?:in|during|by|for)\s+(?:the\s+)?(?:(?:spring|summer|autumn|winter|first\s+half|"
        rf"second\s+half|(?:first|second|third|fourth|last)\s+quarter|end|start|beginning)\s+of\s+)"
        rf"(?:the\s+)?(?:financial\s+|academic\s+)?(?:year\s+)?{_YEARISH}",
        rf"\b(?:in|during)\s+(?:the\s+)?(?:financial\s+|academic\s+|calendar\s+)?(?:year\s+)?"
        rf"{_YEARISH}",
        rf"\b(?:at|as\s+at|as\s+of|on|by|since|from|until|in|during)\s+(?:the\s+end\s+of\s+)?"
        rf"(?:\d{{1,2}}\s+)?{_MONTHS}\s+{_YEAR}(?:\s+(?:to|and|until)\s+(?:\d{{1,2}}\s+)?"
        rf"{_MONTHS}\s+{_YEAR})?",
        rf"\bbetween\s+{_YEARISH}\s+and\s+{_YEARISH}",
        r"\b(?:this|last|that|the\s+current|the\s+previous)\s+(?:calendar\s+|financial\s+|"
        r"academic\s+)?(?:year|month|quarter)\b",
        r"\b(?:in\s+)?(?:the\s+)?year\s+to\s+date\b|\bin[- ]year\b",
        r"\bsince\s+the\s+(?:last|previous)\s+(?:inspection|visit|monitoring\s+visit)\b",
        r"\bat\s+the\s+time\s+of\s+(?:the\s+|this\s+)?(?:inspection|visit)\b",
    )
)

_CASELOAD = re.compile(r"\bcase\s?loads?\b|\bworkloads?\b", _I)
_CASELOAD_NP = re.compile(
    r"(?:\b[A-Za-z][\w-]*\s+){0,2}case\s?loads?"
    r"(?:\s+(?:in|for|of|within|across)\s+(?:the\s+)?(?:[A-Za-z][\w-]*\s+){0,2}[A-Za-z][\w-]*)?",
    _I,
)
_CASE_NOUNS = frozenset("cases children families young people case".split())
_CHANGE = re.compile(
    r"\b(?:increas|decreas|ris(?:e|en|ing)|rose|fell|fall|fallen|reduc|drop|declin|grow|grew|"
    r"improv|deteriorat|went|moved|chang|up|down|halved|doubled)\w*\b",
    _I,
)
_SUBORDINATORS = r"(?:that|which|where|whereas|while|although|because|but|who|whom|whose)"
_ABBREVIATIONS = frozenset("e.g i.e etc approx no nos mr mrs ms dr st vs cf para paras".split())


@dataclass
class _Reading:
    """One quantity found in the text before evidence, subject and period are attached."""

    value: float
    unit: str
    qualifier: str | None
    start: int  # quantity span incl. qualifier words
    end: int
    noun_end: int | None = None  # end of the counted noun phrase, when one was read
    num_end: int | None = None  # end of the (last) number itself


# ---------------------------------------------------------------------------------------------
# Public entry point
# ---------------------------------------------------------------------------------------------
def extract_metrics(doc: CleanDocument) -> list[dict]:
    """Every stated quantity in `doc`, one row each, ordered by position."""
    text = doc.text
    blocked = _block_mask(text)
    periods = _period_spans(text)
    for s, e, _ in periods:
        blocked[s:e] = b"\x01" * (e - s)
    sentences = _sentences(doc)
    readings = _read_all(text, blocked, sentences)
    rows: list[dict] = []
    for r in readings:
        sent = _containing(sentences, r.start)
        if sent is None:
            continue
        ev_s, ev_e = _evidence(text, sent, r)
        rows.append(
            {
                "document_id": doc.document_id,
                "value": float(r.value),
                "unit": r.unit,
                "subject": _subject(text, sent, r),
                "qualifier": r.qualifier,
                "period": _nearest_period(periods, sent, (ev_s, ev_e), r),
                "evidence": text[ev_s:ev_e],
                "start": ev_s,
                "end": ev_e,
                "page": doc.page_at(ev_s),
            }
        )
    return rows


# ---------------------------------------------------------------------------------------------
# Pass 1: blocked regions, periods, sentences
# ---------------------------------------------------------------------------------------------
def _block_mask(text: str) -> bytearray:
    """A byte per character, 1 where no number may be read as a metric."""
    mask = bytearray(len(text))
    for pattern in _BLOCKS:
        for m in pattern.finditer(text):
            mask[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
    return mask


def _period_spans(text: str) -> list[tuple[int, int, str]]:
    """Non-overlapping period phrases (longest wins), with a normalised label."""
    found: list[tuple[int, int]] = []
    for pattern in _PERIODS:
        found.extend((m.start(), m.end()) for m in pattern.finditer(text))
    found.sort(key=lambda se: (se[0], -se[1]))
    spans: list[tuple[int, int, str]] = []
    last_end = -1
    for s, e in found:
        if s < last_end:
            continue
        label = re.sub(
            r"^(?:(?:in|over|during|for|throughout|across|within)\s+)?(?:the\s+)?",
            "",
            text[s:e],
            flags=_I,
        )
        spans.append((s, e, " ".join(label.split())))
        last_end = e
    return spans


def _sentences(doc: CleanDocument) -> list[tuple[int, int]]:
    """Sentence spans inside paragraphs (or lines when a text has no paragraphs)."""
    text = doc.text
    blocks = [(p.start, p.end) for p in doc.paragraphs] or [
        (m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)
    ]
    out: list[tuple[int, int]] = []
    for b_start, b_end in blocks:
        for line in re.finditer(r"[^\n]+", text[b_start:b_end]):
            start = b_start + line.start()
            for m in re.finditer(r"[.!?][\"”’')]*\s+(?=[\"“‘'(]?[A-Z0-9])", line.group()):
                cut = b_start + line.start() + m.start() + 1
                word = re.search(r"([\w.]+)$", text[start : cut - 1])
                if word and word.group(1).lower().rstrip(".") in _ABBREVIATIONS:
                    continue
                out.append(_strip(text, start, cut))
                start = b_start + line.start() + m.end()
            out.append(_strip(text, start, b_start + line.end()))
    return [se for se in out if se[1] > se[0]]


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _containing(spans: list[tuple[int, int]], pos: int) -> tuple[int, int] | None:
    for s, e in spans:
        if s <= pos < e:
            return s, e
    return None


# ---------------------------------------------------------------------------------------------
# Pass 2: readings
# ---------------------------------------------------------------------------------------------
def _number_value(token: str) -> float | None:
    """Value of a digit or word number token ("3,149", "47.6", "twenty-one", "two hundred")."""
    t = token.lower().replace(",", "")
    if re.fullmatch(r"\d+(?:\.\d+)?", t):
        return float(t)
    total, current = 0, 0
    for w in re.split(r"[\s-]+", t):
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


@dataclass
class _Token:
    start: int
    end: int
    value: float
    is_word: bool


def _tokens(text: str, blocked: bytearray) -> list[_Token]:
    """Number tokens not in a blocked region, not footnote markers, not page furniture."""
    out: list[_Token] = []
    for m in _NUMBER_TOKEN.finditer(text):
        s, e = m.start(), m.end()
        if any(blocked[s:e]):
            continue
        is_word = m.group("w") is not None
        if not is_word:
            before = text[max(0, s - 2) : s]
            # Footnote markers glued to a word or to a sentence end: "area2", "practice.13".
            if re.search(r"[A-Za-z)\]’'”\"]$|[A-Za-z][.,;:]$|[A-Za-z]-$", before):
                continue
            # Paragraph numbers: "36." at the start of a line.
            line_start = text.rfind("\n", 0, s) + 1
            if text[line_start:s].strip() == "" and re.match(r"[.)]", text[e : e + 1]):
                continue
            # Year-like bare numbers, ids and a page number straight after a running header date.
            digits = m.group("d").replace(",", "")
            if "," not in m.group("d") and "." not in digits and len(digits) >= 5:
                continue
            if re.search(rf"{_YEAR}\s+$", text[max(0, s - 8) : s]):
                continue
        value = _number_value(m.group())
        if value is None:
            continue
        out.append(_Token(s, e, value, is_word))
    return out


def _qualifier_before(text: str, pos: int, floor: int) -> tuple[str | None, int]:
    """Qualifier words ending right before `pos`, and where they start."""
    window = text[max(floor, pos - 40) : pos]
    for qual, phrases in _QUALIFIER_WORDS.items():
        for phrase in phrases:
            m = re.search(rf"(?<![\w-]){re.escape(phrase)}\s+$", window, _I)
            if m:
                return qual, pos - (len(window) - m.start())
    return None, pos


def _qualifier_after(text: str, pos: int) -> tuple[str | None, int]:
    m = re.match(r"\s+(or\s+(?:more|over|above|fewer|less|under))\b", text[pos : pos + 20], _I)
    if m:
        return _POST_QUALIFIERS[" ".join(m.group(1).lower().split())], pos + m.end()
    return None, pos


def _noun_phrase(text: str, pos: int, singular: bool) -> tuple[int, str] | None:
    """(end, head) of a counted noun phrase starting after `pos`, or None.

    Up to four modifier words may precede the head. The head is a plural noun (or an acronym,
    or, after "one", a noun from _SINGULAR_COUNTED); a run of nouns takes the last ("MASH
    referrals"). A stop word, punctuation or a capitalised word ends the search.
    """
    head_end: int | None = None
    head = ""
    cursor = pos
    for i in range(5):
        m = _WORD_AFTER.match(text, cursor)
        if not m:
            break
        word = m.group(1)
        low = word.lower().replace("’", "'")
        is_acronym = bool(re.fullmatch(r"[A-Z]{2,}s?", word))
        if (word[0].isupper() and not is_acronym) or low in _STOP:
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
    if head_end is None:
        return None
    return head_end, head


_WORD_AFTER = re.compile(r"[ \t]+([A-Za-z][\w'’]*(?:-[A-Za-z][\w'’]*)*)")


def _is_plural(word: str) -> bool:
    last = word.split("-")[-1]
    if last in _IRREGULAR_PLURALS or word in _IRREGULAR_PLURALS:
        return True
    if last in _NOT_PLURAL or len(last) < 4:
        return False
    if last.endswith(("ss", "us", "is", "ous", "ness", "'s", "s'")) and not last.endswith("'s'"):
        return last.endswith("s'")
    return last.endswith("s")


def _duration_after(text: str, pos: int) -> tuple[str, int] | None:
    """Duration unit right after a number: " 24 hours", "26-week", " 15 working days"."""
    m = re.match(
        r"(?:\s+|-)(?:(working|calendar|school)[\s-])?(minute|hour|day|week|month|year)s?\b"
        r"(?![\s-]+old\b|\s+of\s+age\b)",
        text[pos : pos + 30],
        _I,
    )
    if not m:
        return None
    unit = _DURATION_UNITS[m.group(2).lower()]
    if m.group(1) and m.group(1).lower() == "working" and unit == "days":
        unit = "working_days"
    return unit, pos + m.end()


def _percent_after(text: str, pos: int) -> tuple[str, int] | None:
    m = re.match(r"\s?(%|per\s?cent\b|percent\b)(\s+points?\b)?|\s+percentage\s+points?\b",
                 text[pos : pos + 25], _I)
    if not m:
        return None
    unit = "percentage_points" if "point" in m.group().lower() else "percent"
    return unit, pos + m.end()


def _unit_after(text: str, pos: int, singular: bool, caseload: bool) -> tuple[str, int] | None:
    """The unit a number carries from what follows it, with the end of that unit phrase."""
    pct = _percent_after(text, pos)
    if pct:
        return pct
    m = re.match(r"\s+per\s+(1,000|1000|10,000|10000|100,000|100000)\b", text[pos : pos + 25])
    if m:
        return f"rate_per_{m.group(1).replace(',', '')}", pos + m.end()
    dur = _duration_after(text, pos)
    if dur:
        return dur
    np = _noun_phrase(text, pos, singular)
    if np:
        end, head = np
        per_worker = re.match(
            r"\s+(?:per|for\s+each|each)\s*(?:social\s+)?(?:worker|practitioner|adviser|pa)?\b",
            text[end : end + 30],
            _I,
        )
        if head in _CASE_NOUNS and (caseload or (per_worker and per_worker.group().strip())):
            return "cases_per_worker", end
        return "count", end
    return None


def _read_all(text: str, blocked: bytearray, sentences: list[tuple[int, int]]) -> list[_Reading]:
    """Read every number token in context; earlier readings consume later tokens."""
    tokens = _tokens(text, blocked)
    by_start = {t.start: t for t in tokens}
    used: set[int] = set()
    readings: list[_Reading] = []
    readings.extend(_fractions(text, blocked, by_start, used))
    readings.extend(_one_in_n(text, blocked, by_start, used))
    for tok in tokens:
        if tok.start in used:
            continue
        sent = _containing(sentences, tok.start)
        if sent is None:
            continue
        caseload = bool(_CASELOAD.search(text, sent[0], sent[1]))
        got = (
            _money(text, tok)
            or _range(text, tok, by_start, used, caseload, sent)
            or _single(text, tok, caseload, sent)
        )
        if got:
            used.add(tok.start)
            readings.extend(got)
    # Bare numbers whose meaning comes from the sentence ("of whom 12", "from 132 to 140").
    for tok in tokens:
        if tok.start in used:
            continue
        sent = _containing(sentences, tok.start)
        if sent is None:
            continue
        got = _bare(text, tok, sent, readings)
        if got:
            used.add(tok.start)
            readings.append(got)
    readings.sort(key=lambda r: r.start)  # stable: range_low stays before range_high
    return readings


def _money(text: str, tok: _Token) -> list[_Reading] | None:
    if tok.is_word or not text[max(0, tok.start - 1) : tok.start] == "£":
        return None
    m = re.match(r"\s?(million|m|billion|bn|k|thousand)\b", text[tok.end : tok.end + 10], _I)
    scale, end = 1.0, tok.end
    if m:
        word = m.group(1).lower()
        scale = {"million": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9, "k": 1e3}.get(word, 1e3)
        end = tok.end + m.end()
    qual, q_start = _qualifier_before(text, tok.start - 1, 0)
    return [_Reading(tok.value * scale, "currency_gbp", qual, q_start, end)]


def _range(
    text: str,
    tok: _Token,
    by_start: dict[int, _Token],
    used: set[int],
    caseload: bool,
    sent: tuple[int, int],
) -> list[_Reading] | None:
    """'between eight and 12 cases', 'from 10 to 15 days', '10–15 cases', 'two or three visits'."""
    first_unit = _percent_after(text, tok.end)
    mid_pos = first_unit[1] if first_unit else tok.end
    m = re.match(r"\s*(and|to|–|-|or)\s*", text[mid_pos : mid_pos + 8], _I)
    if not m:
        return None
    second = by_start.get(mid_pos + m.end())
    if second is None or second.start in used:
        return None
    joiner = m.group(1).lower()
    before = text[max(sent[0], tok.start - 40) : tok.start]
    lead = re.search(r"\b(between|from(?:\s+between)?|ranging\s+from|range\s+of)\s+$", before, _I)
    if joiner == "and" and not (lead and "between" in lead.group(1).lower()):
        return None
    if joiner in ("–", "-") and tok.is_word != second.is_word:
        return None
    if joiner == "or" and not second.value > tok.value:
        return None
    unit = _unit_after(text, second.end, False, caseload)
    if unit is None:
        if not lead and not caseload:
            return None
        unit = ("cases_per_worker" if caseload else "count", second.end)
    start = lead.start() + max(sent[0], tok.start - 40) if lead else tok.start
    is_change = (
        lead is not None
        and lead.group(1).lower().startswith("from")
        and not lead.group(1).lower().startswith(("from between",))
        and bool(_CHANGE.search(text, sent[0], tok.start))
        and "ranging" not in lead.group(1).lower()
    )
    used.add(second.start)
    noun_end = unit[1] if unit[0] in ("count", "cases_per_worker") else None
    if is_change:
        return [
            _Reading(tok.value, unit[0], None, tok.start, tok.end, None, tok.end),
            _Reading(second.value, unit[0], None, second.start, unit[1], noun_end, second.end),
        ]
    return [
        _Reading(tok.value, unit[0], "range_low", start, unit[1], noun_end, second.end),
        _Reading(second.value, unit[0], "range_high", start, unit[1], noun_end, second.end),
    ]


def _single(
    text: str, tok: _Token, caseload: bool, sent: tuple[int, int]
) -> list[_Reading] | None:
    """Percent, rate, duration or count of a noun, with qualifiers either side."""
    unit = _unit_after(text, tok.end, tok.value == 1, caseload)
    if unit is None:
        return None
    kind, end = unit
    if kind == "count" and tok.value == 0:
        return None
    qual, q_start = _qualifier_before(text, tok.start, sent[0])
    post, post_end = _qualifier_after(text, end if kind != "count" else tok.end)
    if post and qual is None:
        qual = post
        end = max(end, post_end)
    noun_end = end if kind in ("count", "cases_per_worker") else None
    return [_Reading(tok.value, kind, qual, q_start, end, noun_end, tok.end)]


_FRACTION_RE = re.compile(
    rf"(?P<num>\b(?:a|one|two|three|four|seven|nine)[\s-]+)?"
    rf"\b(?P<frac>half|thirds?|quarters?|fifths?|tenths?)\b",
    _I,
)


def _fractions(
    text: str, blocked: bytearray, by_start: dict[int, _Token], used: set[int]
) -> list[_Reading]:
    """'just under half', 'two thirds of', 'a quarter of' -> percent; ordinals are skipped."""
    out: list[_Reading] = []
    for m in _FRACTION_RE.finditer(text):
        if any(blocked[m.start() : m.end()]):
            continue
        frac = m.group("frac").lower()
        num = (m.group("num") or "").strip(" -").lower()
        if frac != "half" and not num:
            continue  # "third visit", "the last quarter": ordinals and periods, not fractions
        before = text[max(0, m.start() - 30) : m.start()]
        if re.search(
            r"\b(?:first|second|third|fourth|last|previous|next|this|each|every|per|same|final|"
            r"other|latter|former|the)\s+$",
            before,
            _I,
        ) and frac != "half":
            continue
        if frac == "half" and re.search(
            r"\b(?:first|second|last|latter|former|next|previous|this|each|every|per)\s+$",
            before,
            _I,
        ):
            continue
        after = text[m.end() : m.end() + 40]
        if re.match(rf"\s+(?:of\s+)?(?:the\s+)?(?:{_YEARISH}|year|term|century|{_MONTHS})", after, _I):
            continue
        mult = 1.0 if num in ("", "a", "one") else float(WORD_VALUES.get(num, 1))
        value = round(_FRACTIONS[frac] * mult, 1)
        if frac.startswith("third") and mult == 2:
            value = 66.7
        qual, q_start = _qualifier_before(text, m.start(), 0)
        if frac == "half" and not num and qual is None:
            # bare "half" must read as a proportion: "half of", "half the", "half (", "half were".
            if not re.match(r"\s+(?:of|the|their|these|those|all|were|are|was|had|have|being|\()",
                            after, _I):
                continue
        for t in by_start.values():
            if m.start() <= t.start < m.end():
                used.add(t.start)
        out.append(_Reading(value, "percent", qual, q_start, m.end()))
    return out


_ONE_IN_N = re.compile(rf"\b(?P<a>{_SMALLNUM})\s+(?:in|out\s+of)\s+(?:every\s+)?(?P<b>{_SMALLNUM})\b", _I)


def _one_in_n(
    text: str, blocked: bytearray, by_start: dict[int, _Token], used: set[int]
) -> list[_Reading]:
    """'one in five children' -> 20 percent (only with a counted noun or 'every')."""
    out: list[_Reading] = []
    for m in _ONE_IN_N.finditer(text):
        if any(blocked[m.start() : m.end()]) or "out" in m.group().lower():
            continue
        a, b = _number_value(m.group("a")), _number_value(m.group("b"))
        if not a or not b or b <= a or b > 100:
            continue
        if "every" not in m.group().lower() and not _noun_phrase(text, m.end(), False):
            continue
        qual, q_start = _qualifier_before(text, m.start(), 0)
        for t in list(by_start.values()):
            if m.start() <= t.start < m.end():
                used.add(t.start)
        out.append(_Reading(round(100 * a / b, 1), "percent", qual, q_start, m.end()))
    return out


def _bare(
    text: str, tok: _Token, sent: tuple[int, int], readings: Iterable[_Reading]
) -> _Reading | None:
    """A number without its own unit, in a context that says what it counts."""
    before = text[max(sent[0], tok.start - 30) : tok.start]
    after = text[tok.end : min(sent[1], tok.end + 30)]
    if tok.value == 1 and tok.is_word:
        return None
    qual, q_start = _qualifier_before(text, tok.start, sent[0])
    if qual == "all_but":
        return _Reading(tok.value, "count", qual, q_start, tok.end)
    caseload_ctx = re.search(
        r"\bcase\s?loads?\b(?:\s+\w+){0,3}\s+(?:of|are|were|is|was|averag\w*|around|about)?\s*"
        r"(?:\w+\s+)?$",
        before,
        _I,
    )
    if caseload_ctx:
        return _Reading(tok.value, "cases_per_worker", qual, q_start, tok.end)
    if tok.is_word and tok.value < 2:
        return None
    counted = (
        re.search(r"\bof\s+(?:whom|which|these|those|them)\s+$", before, _I)
        or re.match(r"\s*\((?:or\s+)?\d+(?:\.\d+)?\s?(?:%|per\s?cent)\)", after, _I)
        or re.match(r"\s+(?:out\s+)?of\s+(?:the|these|those|their|them|whom|\d)", after, _I)
    )
    comparison = re.search(
        r"\b(?:compared\s+(?:to|with)|against|from|to|up\s+from|down\s+from|by|with)\s+$",
        before,
        _I,
    ) and _CHANGE.search(text, sent[0], tok.start)
    if not (counted or comparison):
        return None
    if tok.value >= 1900 and tok.value < 2100 and "," not in text[tok.start : tok.end]:
        return None
    unit = "count"
    if comparison and not counted:
        near = [r for r in readings if sent[0] <= r.start < sent[1]]
        if not near:
            return None
        unit = min(near, key=lambda r: abs(r.start - tok.start)).unit
        if unit == "percent" and not re.match(r"\s?(?:%|per\s?cent)", after):
            unit = "count"
    return _Reading(tok.value, unit, qual, q_start, tok.end)


# ---------------------------------------------------------------------------------------------
# Pass 3: evidence, subject, period
# ---------------------------------------------------------------------------------------------
def _clauses(text: str, sent: tuple[int, int]) -> list[tuple[int, int]]:
    """Split a sentence at ; : spaced dashes and comma-space; merge clauses under five words."""
    s0, e0 = sent
    cuts = [s0]
    for m in re.finditer(r"[;:]\s+|\s[–—-]\s|,\s+", text[s0:e0]):
        cuts.append(s0 + m.end())
    cuts.append(e0 + 1)
    raw = [_strip(text, cuts[i], cuts[i + 1] - 1) for i in range(len(cuts) - 1)]
    raw = [(s, e) for s, e in raw if e > s]
    merged: list[tuple[int, int]] = []
    for s, e in raw:
        if merged and len(text[merged[-1][0] : merged[-1][1]].split()) < 5:
            merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    if len(merged) > 1 and len(text[merged[-1][0] : merged[-1][1]].split()) < 5:
        last = merged.pop()
        merged[-1] = (merged[-1][0], last[1])
    return merged


def _evidence(text: str, sent: tuple[int, int], r: _Reading) -> tuple[int, int]:
    """The clause stating the quantity, trimmed at subordinate clauses on either side."""
    clause = _containing(_clauses(text, sent), r.start) or sent
    c_s, c_e = clause
    c_e = max(c_e, min(r.end, sent[1]))
    c_s = min(c_s, r.start)
    head = text[c_s : r.start]
    cut = None
    for m in re.finditer(rf"\b{_SUBORDINATORS}\s+", head, _I):
        cut = m.end()
    if cut is not None and len(text[c_s + cut : r.start].split()) >= 1:
        c_s = c_s + cut
    tail_from = max(r.end, r.noun_end or r.end)
    m = re.search(rf"\s(?:where|which|whereas|while|although|because|but|whose)\b", text[tail_from:c_e], _I)
    if m and len(text[c_s : tail_from + m.start()].split()) >= 4:
        c_e = tail_from + m.start()
    s, e = _strip(text, c_s, c_e)
    while e > s and text[e - 1] in ".,;:" and e > r.end:
        e -= 1
    return s, e


def _clean_phrase(words: str, limit: int = 12) -> str | None:
    words = re.sub(r"\s+", " ", words).strip(" ,;:.()")
    words = re.sub(
        r"^(?:(?:and|but|with|of|the|a|an|these|those|their|its|whom|which|that|who|"
        r"the\s+vast\s+majority\s+of|the\s+majority\s+of|most|all|further|a\s+further|only|"
        r"just|some|another|other|additional)\s+)+",
        "",
        words,
        flags=_I,
    )
    parts = words.split()
    return " ".join(parts[:limit]) or None


def _without_periods(s: str) -> str:
    for p in _PERIODS:
        s = p.sub("", s)
    return s


def _subject(text: str, sent: tuple[int, int], r: _Reading) -> str | None:
    """What is measured, by heuristic.

    - counted noun: the noun phrase and the rest of its clause ("young people currently at
      university"), period phrases removed;
    - "N% of X ...": X and the rest of its clause; "X (N%)": the noun phrase before the bracket;
    - otherwise the clause before the quantity with qualifier words removed ("most decisions are
      made"), or, after "of", the noun phrase before "of" ("statutory timescale").
    """
    clause = _containing(_clauses(text, sent), r.start) or sent
    c_s, c_e = clause
    tail = text[r.end : c_e]
    tail = re.split(rf"\s(?:{_SUBORDINATORS}|when|and\s+\d)\b|\(", tail, maxsplit=1)[0]
    if r.unit == "cases_per_worker":
        m = _CASELOAD_NP.search(text, sent[0], sent[1])
        if m:
            return _clean_phrase(m.group())
    if r.unit in ("count", "cases_per_worker") and r.noun_end and r.num_end:
        return _clean_phrase(_without_periods(text[r.num_end : r.noun_end] + tail))
    if r.unit in ("percent", "percentage_points", "rate_per_10000", "rate_per_1000",
                  "rate_per_100000"):
        m = re.match(r"\s+(?:of\s+(?:all\s+)?)(.+)", tail, _I | re.S)
        if m:
            return _clean_phrase(_without_periods(m.group(1)))
        before = text[c_s : r.start]
        m = re.search(r"([A-Za-z][\w'’ -]{2,80}?)\s*\(\s*(?:or\s+)?$", before)
        if m:
            np = re.sub(r"^.*\b(?:of|in|for|with)\s+(?=\w)", "", m.group(1), flags=_I) or m.group(1)
            if re.search(r"\bmajority\s+of\b|\bproportion\s+of\b", m.group(1), _I):
                np = re.split(r"\bof\s+", m.group(1), maxsplit=1, flags=_I)[-1]
            return _clean_phrase(np)
    before = text[c_s : r.start]
    m = re.search(r"(?:^|\b(?:the|a|an|its|their)\s+)([\w'’ -]{3,60}?)\s+of\s+$", before, _I)
    if m:
        return _clean_phrase(m.group(1))
    if r.unit == "percent" and tail.strip():
        return _clean_phrase(_without_periods(tail))
    return _clean_phrase(_without_periods(before))


def _nearest_period(
    periods: list[tuple[int, int, str]],
    sent: tuple[int, int],
    evidence: tuple[int, int],
    r: _Reading,
) -> str | None:
    """The period phrase nearest the quantity: in its clause first, else in its sentence."""
    best: tuple[int, str] | None = None
    for scope in (evidence, sent):
        for s, e, label in periods:
            if s >= scope[0] and e <= scope[1] + 1 and not (s <= r.start < e):
                dist = min(abs(s - r.end), abs(r.start - e))
                if best is None or dist < best[0]:
                    best = (dist, label)
        if best:
            return best[1]
    return None
