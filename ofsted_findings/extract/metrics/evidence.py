"""Pass 3: a reading's evidence (the clause stating it, cut at subordinate clauses) and its
nearest period phrase."""

from __future__ import annotations

import bisect
import re

from ofsted_findings.extract.metrics.readings import _Reading
from ofsted_findings.extract.metrics.spans import Span, _strip
from ofsted_findings.extract.metrics.vocabulary import _I, _SUBORDINATORS

_CLAUSE_CUT = re.compile(r"[;:]\s+|\s[–—-]\s|,\s+")
_SUBORDINATOR = re.compile(rf"\b{_SUBORDINATORS}\s+", _I)
_TAIL_CLAUSE = re.compile(r"\s(?:where|which|whereas|while|although|because|but|whose)\b", _I)


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
