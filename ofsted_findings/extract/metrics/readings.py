"""Pass 2: every number token read in context, most specific reading first: fraction, "one in
five", range, money, a single number with its unit, then bare numbers whose context says what
they count."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from ofsted_findings.extract.metrics.anchors import _Anchors
from ofsted_findings.extract.metrics.numbers import _FRACTION, _ONE_IN_N, _number_value, _Token, _tokens
from ofsted_findings.extract.metrics.spans import Span, _containing, _near
from ofsted_findings.extract.metrics.units import (
    _money_scale,
    _noun_phrase,
    _percent_after,
    _qualifier_after,
    _qualifier_before,
    _unit_after,
)
from ofsted_findings.extract.metrics.vocabulary import _DASH, _FRACTIONS, _I, _MONTHS, _NUM, _YEAR, _YEARISH
from ofsted_findings.extract.number_words import WORD_VALUES

_CASELOAD = re.compile(r"\bcase\s?loads?\b|\bworkloads?\b", _I)


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

# "one" is a count only where a list of counts has it as the subject of its clause ("Of these,
# one lives with parents", "one of whom lives out of the area", "One was judged to be good")
# or as the earlier figure of a change ("an increase from one at 31 March 2015"); elsewhere it
# is a pronoun or an article ("one of the", "one to one", "no one").
_ONE_CLAUSE_START = re.compile(r"(?:[,;:(]|\band|\bof\s+whom)\s*$", _I)
_ONE_COUNT_VERB = re.compile(
    r"(?:\s+of\s+(?:whom|them|these|which))?(?:\s*\(\s*\d+(?:\.\d+)?\s?%\s*\))?"
    r"\s+(?:lives|lived|is|was|has|had|remains|remained|attends|attended|became|moved|returned"
    r"|left|entered|stays|stayed)\b",
    _I,
)
_ONE_CHANGED_FROM = re.compile(r"\b(?:increase|decrease|rise|reduction|fall|drop)\s+from\s+$", _I)


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
# "of whom 12", "33 out of 92", and the whole of a share with no noun of its own: "(135 of the
# 142)", "39 (of the 78)".
_COUNTED_BEFORE = re.compile(
    rf"\bof\s+(?:whom|which|these|those|them)\s+$"
    rf"|(?<![\d,.])(?!{_YEAR}\b){_NUM}\s*\(?\s*(?:out\s+)?of\s+(?:the\s+|its\s+|their\s+|these\s+|those\s+)?$",
    _I,
)
_SHARE_AFTER = re.compile(r"\s*\((?:or\s+)?\d+(?:\.\d+)?\s?(?:%|per\s?cent)\)", _I)
# "12 of the", "three out of four", and the size of an inspection team: "seven of Her Majesty's
# Inspectors (HMI)".
_COUNTED_AFTER = re.compile(
    rf"(?:\s+|\s*\(\s*)(?:out\s+)?of\s+(?:the|these|those|their|them|whom|{_NUM}|her\s+majesty['’]s\s+inspectors?\b"
    r"|hmis?\b)",
    _I,
)
_COMPARED = re.compile(
    r"\b(?:compared\s+(?:to|with)|against|from|to|up\s+from|down\s+from|by|with)\s+$", _I
)
_BRACKET = re.compile(r"\s*\(")
_PERCENT_SIGN = re.compile(r"\s?(?:%|per\s?cent)")


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
        clause = text[max(sent[0], tok.start - 30) : tok.start]
        starts = not clause.strip() or _ONE_CLAUSE_START.search(clause)
        one_counted = starts and _ONE_COUNT_VERB.match(after)
        if not (one_counted or _ONE_CHANGED_FROM.search(before)):
            return None
        return _Reading(tok.value, "count", qual, q_start, tok.end, num_start=tok.start)
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
