"""What a stated number is to its sentence: the `kind` column of the metrics table.

A comparison, a change, a share and a target are different things, and a row that does not say
which misleads: "from 28% in 2012 to 12%" reports 12, not 28; "33 out of 92 cases" reports 33 of
92; "(65% within 72 hours)" reports 65% against a 72-hour timescale. Kinds, as the gold's guide
(tests/fixtures/gold/dev/GUIDE.md) defines them:

- value: the quantity the sentence reports (the default);
- total: the whole a share is out of ("33 out of 92 cases": 92; "135 of the 142");
- previous: the earlier value of a change ("an increase from 372", "from 28% in 2012 to 12%":
  28), and a figure bracketed right after one ("from 372 (73 per 10,000 children)");
- target: a target, standard or timescale the value is measured against ("within 72 hours",
  "the 26 week target", "the statutory timescale of 26 weeks", "a local target of 95%");
- comparison: a benchmark (national average, statistical neighbours, England, similar
  authorities, a three-year average: "compared with a three-year average of 580").

Rules read only the words right before and after the number, so a sentence costs no more than
its numbers.
"""

from __future__ import annotations

import re

from ofsted_findings.extract.metrics.readings import _Reading
from ofsted_findings.extract.metrics.spans import Span, _near
from ofsted_findings.extract.number_words import WORD_NUMBER

KINDS: tuple[str, ...] = ("value", "total", "previous", "target", "comparison")

_I = re.IGNORECASE
_WORDNUM = WORD_NUMBER
_DURATIONS = frozenset({"minutes", "hours", "days", "working_days", "weeks", "months"})

# total: "10 of 22", "135 of the 142", "Three of the four", "54 out of 58", "206 (97%) of its 212",
# "39 (of the 78)".
_TOTAL_BEFORE = re.compile(
    rf"(?:\b\d[\d,.]*|\b{_WORDNUM})\s*(?:\([^()]{{0,20}}\)\s*)?\(?\s*(?:out\s+)?of\s+"
    r"(?:the\s+|its\s+|their\s+|our\s+|these\s+|those\s+|a\s+total\s+of\s+)?$",
    _I,
)
# previous: "an increase from", "reduced from", "no change from", "from a low of".
_FROM = re.compile(r"\bfrom\s+(?:an?\s+(?:low|high|peak|total|rate)\s+of\s+)?[£]?$", _I)
_CHANGE = re.compile(
    r"\b(?:increas|decreas|ris(?:e|en|ing)|rose|fell|fall|fallen|reduc|drop|declin|grow|grew"
    r"|improv|deteriorat|went|moved|chang|(?<!-)up|(?<!-)down|halved|doubled|shift|lower|higher)\w*\b",
    _I,
)
_OPEN_BRACKET = re.compile(r"\s*\(\s*(?:a\s+rate\s+of\s+|or\s+)?$", _I)
# target: "target of", "timescale of", "threshold of", "within (the required)".
_TARGET_BEFORE = re.compile(
    r"\b(?:targets?|timescales?|time\s*scales?|deadlines?|thresholds?|standards?|goals?)"
    r"\s+(?:(?:is|was|of|at|set\s+at)\s+)+(?:around\s+|about\s+)?$",
    _I,
)
_WITHIN_BEFORE = re.compile(
    r"\bwithin\s+(?:the\s+)?(?:(?:required|statutory|expected|agreed|national|local|usual"
    r"|recommended|maximum)\s+)?$",
    _I,
)
_TARGET_AFTER = re.compile(
    r"[\s-]*(?:(?:working|calendar)[\s-]+)?(?:minute|hour|day|week|month)?s?[\s-]*"
    r"(?:statutory\s+|national\s+|local\s+)?(?:target|timescale|time\s*scale|deadline|threshold"
    r"|standard)s?\b",
    _I,
)
# comparison: a benchmark named right before the number ("the national average is 18%",
# "statistical neighbours (69 per 10,000)", "a three-year average of 580") or after it
# ("22% in the country as a whole", "15% nationally", "17% average for similar authorities").
_BENCHMARK = (
    r"(?:national(?:ly)?|england|statistical\s+neighbou?rs?|similar\s+(?:local\s+)?authorities"
    r"|comparator\s+(?:local\s+)?authorities|comparators|regional(?:ly)?|the\s+region"
    r"|(?:the\s+)?country(?:\s+as\s+a\s+whole)?|(?:\w+[\s-])?year\s+(?:rolling\s+)?average)"
)
_BENCHMARK_BEFORE = re.compile(
    rf"\b{_BENCHMARK}(?:\s+(?:average|rate|level|proportion|figure|percentage|performance|mean))?"
    r"(?:\s+(?:is|was|are|were|of|at|stood\s+at|stands\s+at|being))?\s*(?:\(\s*)?"
    r"(?:around\s+|about\s+|just\s+(?:under|over)\s+|approximately\s+)?$",
    _I,
)
_BENCHMARK_AFTER = re.compile(
    r"\s*(?:%|per\s?cent|per\s+[\d,]+(?:\s+children)?)?\)?\s*(?:average\s+)?"
    r"(?:nationally|in\s+england|across\s+england|in\s+the\s+country|(?:for|of|among|in|across)"
    r"\s+(?:similar|statistical|comparator)|(?:for|of)\s+(?:england|the\s+region))\b",
    _I,
)
_COMPARED_BEFORE = re.compile(
    r"\b(?:compared\s+(?:with|to)|as\s+against|against)\s+(?:an?\s+|the\s+)?$", _I
)
# An earlier time after "compared with N": a change, not a benchmark.
_EARLIER_AFTER = re.compile(
    r"[^.;]{0,30}?\b(?:last\s+year|the\s+previous\s+year|previously|a\s+year\s+(?:ago|earlier)"
    r"|at\s+the\s+(?:time\s+of\s+the\s+)?(?:last|previous)\s+inspection|in\s+(?:19|20)\d\d"
    r"|at\s+\d{1,2}\s+\w+\s+(?:19|20)\d\d)\b",
    _I,
)


# Words each pattern needs (lower case): a cheap test before the pattern is tried.
_TARGET_WORDS = ("target", "timescale", "time scale", "deadline", "threshold", "standard", "goal")
_BENCHMARK_WORDS = (
    "nation", "england", "neighbo", "similar", "comparator", "region", "country", "average",
)
_BENCHMARK_AFTER_WORDS = (
    "nationally", "england", "country", "similar", "statistical", "comparator", "region",
)


def reading_kind(
    text: str, sent: tuple[int, int], num_start: int, num_end: int, end: int, unit: str
) -> str:
    """The kind of the number at [num_start, num_end) (its unit phrase ends at `end`) in `sent`."""
    before = text[max(sent[0], num_start - 60) : num_start]
    after = text[num_end : min(sent[1], max(end, num_end) + 40)]
    unit_after = text[max(end, num_end) : min(sent[1], max(end, num_end) + 40)]
    low = before.lower()  # each pattern runs only where its words occur: most numbers have none
    if "of" in low[-40:] and _TOTAL_BEFORE.search(before):
        return "total"
    changed = "from" in low[-30:] and _FROM.search(before)
    if changed and _CHANGE.search(text, max(sent[0], num_start - 80), num_start):
        return "previous"
    if any(w in low for w in _TARGET_WORDS) and _TARGET_BEFORE.search(before):
        return "target"
    if any(w in after[:40].lower() for w in _TARGET_WORDS) and (
        _TARGET_AFTER.match(unit_after) or _TARGET_AFTER.match(after)
    ):
        return "target"
    if unit in _DURATIONS and "within" in low[-40:] and _WITHIN_BEFORE.search(before):
        return "target"
    if any(w in low for w in _BENCHMARK_WORDS) and _BENCHMARK_BEFORE.search(before):
        return "comparison"
    if any(w in after.lower() for w in _BENCHMARK_AFTER_WORDS) and _BENCHMARK_AFTER.match(after):
        return "comparison"
    if ("compared" in low or "against" in low) and _COMPARED_BEFORE.search(before):
        return "previous" if _EARLIER_AFTER.match(unit_after) else "comparison"
    return "value"


def bracketed_after(text: str, previous_end: int, num_start: int) -> bool:
    """The number opens a bracket right after the end of another reading ("372 (73 per 10,000")."""
    return 0 <= num_start - previous_end <= 20 and bool(
        _OPEN_BRACKET.fullmatch(text, previous_end, num_start)
    )


def _set_kind(text: str, sent: Span, r: _Reading, last: _Reading | None) -> None:
    """`r.kind` from the words around its number (`reading_kind`), unless its reading set it;
    a figure bracketed right after an earlier value is earlier too ("from 372 (73 per 10,000")."""
    if r.kind is not None:
        return
    num_start = r.num_start if r.num_start is not None else r.start
    if last is not None and last.kind == "previous" and bracketed_after(text, last.end, num_start):
        r.kind = "previous"
        return
    r.kind = reading_kind(text, _near(sent, r.start, r.end), num_start, r.num_end or r.end, r.end, r.unit)
