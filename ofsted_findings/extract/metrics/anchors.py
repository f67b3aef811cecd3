"""Anchored scanning at run time: one scan of a text finds the runs where any pattern of the
extractor can start (see scan.py), and `_Anchors.finditer` tries a pattern only there."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from ofsted_findings.extract.metrics.numbers import _FRACTION, _NUMBER_TOKEN, _ONE_IN_N
from ofsted_findings.extract.metrics.regions import _BLOCKS, _PERIODS
from ofsted_findings.extract.metrics.scan import _DIGIT_RUN, _NOT_ASCII, _POSTCODE_RUN, _key, _Scan
from ofsted_findings.extract.metrics.vocabulary import _I
from ofsted_findings.extract.phrases import trie_pattern


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
