"""Spans of text (sentences, clauses, evidence) and the look-ups every pass shares."""

from __future__ import annotations

import bisect

from ofsted_findings.settings import METRIC_CONTEXT_CHARS

Span = tuple[int, int]


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
