"""Pass 1: the regions of a text that are never metrics (dates, references, ages, addresses
...), and the period phrases ("in the last six months"), recorded for the `period` column and
blocked too."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ofsted_findings.extract.metrics.scan import _POSTCODE_RUN, _Scan, _scan
from ofsted_findings.extract.metrics.spans import Span
from ofsted_findings.extract.metrics.vocabulary import (
    _DASH,
    _DURATION_WORD,
    _I,
    _JOIN,
    _LIST_MAX,
    _MONTH_WORDS,
    _MONTHS,
    _NUM,
    _NUMBERS,
    _NUMERALS,
    _SMALLNUM,
    _WORDNUM,
    _YEAR,
    _YEARISH,
)

if TYPE_CHECKING:
    from ofsted_findings.extract.metrics.anchors import _Anchors

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
    # Not counts: "one of" (but "one of whom lives ...": readings.py), "one-to-one", "no one",
    # "one another", "from one X to another".
    _scan(
        r"\bone[- ]to[- ]one\b|\bone[- ](?:off|stop|way|page)\b|\bno[- ]one\b|\bone\s+another\b",
        "one no",
    ),
    _scan(
        r"\bone\s+of\b(?!\s+whom\b)|\bone\s+or\s+(?:more|other|both)\b|\bon\s+the\s+one\s+hand\b",
        "one on",
    ),
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


_PERIOD_LEAD = re.compile(  # cut from a period phrase's label
    r"^(?:(?:in|over|during|for|throughout|across|within)\s+)?(?:the\s+)?", _I
)


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
