"""Find many cue phrases (small regexes) in lowercase text, as one alternation of them all would.

The theme and polarity extractors each look for a few hundred phrases in every sentence of a
report. One regex of them all is slow in Python's `re`, which enters every branch at every
position. `PhraseMatcher` gives the same matches while trying, at each position where a phrase
may start, only the phrases whose literal beginning agrees with the next few characters there:
a phrase's possible beginnings are read from its parsed regex, so the data stays plain regex.
Most positions hold no phrase, so one regex finds the next position that does without leaving C,
and Python only asks which phrase it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

try:  # the stdlib's regex parser (named sre_parse before Python 3.11)
    from re import _parser as _sre  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python < 3.11
    import sre_parse as _sre  # type: ignore[no-redef]

# Characters of text looked at to choose the phrases to try at a position.
KEY_LENGTH = 4
# A character class with more members than this is not worth spelling out as beginnings.
_MAX_CLASS = 4


def min_length(fragment: str) -> int:
    """Roughly the fewest characters `fragment` can match, so longer phrases are tried first."""
    s = re.sub(r"\(\?<?[!=][^()]*\)", "", fragment)  # lookarounds
    s = re.sub(r"\(\?:[^()]*\)\?", "", s)  # optional groups
    s = re.sub(r"\(\?:([^()|]*)(?:\|[^()]*)?\)", r"\1", s)  # a group counts as its first branch
    s = re.sub(r"\\w[*?]|[^\\()]\?|.\*", "", s)  # optional atoms
    s = re.sub(r"\\[wsdb.]|\[[^\]]*\]", "x", s)  # one-character classes
    return len(re.sub(r"[\\()?:|+*^$]", "", s))


def priority(fragment: str) -> tuple[int, int]:
    """Sort key of the phrase order: longer phrases first, so a phrase wins over its parts."""
    return (-min_length(fragment), -len(fragment))


# --------------------------------------------------------------------------------------------
# Literal beginnings of a regex
# --------------------------------------------------------------------------------------------

_State = tuple[str, bool]  # (beginning so far, whether it can still be extended)


@cache
def _parsed(fragment: str) -> Any:
    """`fragment` parsed, once for every caller: parsing is most of the cost of compiling."""
    return _sre.parse(fragment)


def capturing_groups(fragment: str) -> int:
    """How many capturing groups the regex `fragment` has (re.error when it is no regex)."""
    return int(_parsed(fragment).state.groups) - 1


def literal_prefixes(fragment: str, length: int = KEY_LENGTH) -> frozenset[str]:
    """Strings, at most `length` long, one of which begins every match of `fragment`.

    "" among them means a match can begin with anything (the phrase must be tried everywhere).
    A beginning shorter than `length` stops where the regex stops being literal ("assess" for
    "assess\\w*" at length 8). Erring towards shorter beginnings only costs speed, never a match.
    """
    try:
        parsed = _parsed(fragment)
    except (re.error, RecursionError):  # pragma: no cover - compiled by the caller already
        return frozenset({""})
    states = _extend({("", True)}, list(parsed), length)
    return frozenset(text for text, _ in states)


def _extend(states: set[_State], items: Sequence[Any], length: int) -> set[_State]:
    for op, av in items:
        open_states = {s for s in states if s[1] and len(s[0]) < length}
        if not open_states:
            break
        done = states - open_states
        states = done | _step(open_states, op, av, length)
    return {(text[:length], open_ and len(text) < length) for text, open_ in states}


def _step(states: set[_State], op: Any, av: Any, length: int) -> set[_State]:
    """The states after one parsed item (an opcode and its argument)."""
    name = str(op)
    if name == "LITERAL":
        return {(text + chr(av), True) for text, _ in states}
    if name == "IN":
        chars = _class_chars(av)
        if chars is None:
            return _closed(states)
        return {(text + ch, True) for text, _ in states for ch in chars}
    if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        low, _high, sub = av
        once = _closed(_extend(states, list(sub), length))  # what follows one repeat is unknown
        return (states | once) if low == 0 else once
    if name == "SUBPATTERN":
        _group, add_flags, _del_flags, sub = av
        if add_flags & re.IGNORECASE:
            return _closed(states)
        return _extend(states, list(sub), length)
    if name == "BRANCH":
        _, alternatives = av
        out: set[_State] = set()
        for alternative in alternatives:
            out |= _extend(states, list(alternative), length)
        return out
    if name in ("AT", "ASSERT", "ASSERT_NOT"):  # zero width: constrains nothing we rely on
        return states
    return _closed(states)  # \w, ., a category, a back reference: the literal part ends here


def _closed(states: set[_State]) -> set[_State]:
    return {(text, False) for text, _ in states}


def _class_chars(items: Sequence[Any]) -> list[str] | None:
    """The characters of a small class of plain characters ("[- ]"), else None."""
    chars: list[str] = []
    for op, av in items:
        if str(op) != "LITERAL":
            return None
        chars.append(chr(av))
    return chars if len(chars) <= _MAX_CLASS else None


# --------------------------------------------------------------------------------------------
# The matcher
# --------------------------------------------------------------------------------------------


def trie_pattern(words: Iterable[str]) -> str:
    """A regex matching any of `words`, as a trie ("ca(?:re|se)"): `re` then checks one
    character per branch instead of entering every word at every position."""
    tree: dict[str, Any] = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def pattern(node: dict[str, Any]) -> str:
        ends = "" in node
        branches = [re.escape(ch) + pattern(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return f"(?:{body})?" if len(branches) > 1 or len(branches[0]) > 1 else f"{body}?"
        return body

    return pattern(tree)


class PhraseMatcher:
    """The phrases of many fragments in lowercase text, as the regex

        (?<![\\w'’])(?:(f1)|(f2)|...)(?![\\w])

    of every fragment in `priority` order would find them: leftmost first; at one position, the
    first fragment that matches and is not followed by a word character.
    """

    def __init__(self, fragments: Iterable[tuple[str, Any]]) -> None:
        self._items = sorted(fragments, key=lambda f: priority(f[0]))
        self._by_prefix: dict[str, list[int]] = {}
        for index, (frag, _) in enumerate(self._items):
            if capturing_groups(frag):
                raise ValueError(f"fragment {frag!r} has a capturing group")
            for prefix in literal_prefixes(frag):
                self._by_prefix.setdefault(prefix, []).append(index)
        trie: dict[str, Any] = {}
        for prefix in self._by_prefix:
            node = trie
            for ch in prefix:
                node = node.setdefault(ch, {})
        # The next phrase after a character that is not part of a word ([^\w'’]); the phrase's
        # start is one past the match. Leading with a character class lets `re` skip to the
        # candidates in C (a leading lookbehind would make it run the whole pattern at every
        # position); one without \w's Unicode lookup is checked faster, and the lookbehind
        # then applies the exact rule to the few characters it lets through.
        self._scan = re.compile(rf"[^a-z0-9_'’](?<![\w'’]){self._dispatch(trie, '')}")
        self._by_key: dict[str, tuple[re.Pattern[str] | None, list[Any]]] = {}
        self._by_members: dict[tuple[int, ...], tuple[re.Pattern[str] | None, list[Any]]] = {}

    def _members(self, key: str) -> list[int]:
        """The fragments that can match text beginning with `key`, in order."""
        members: set[int] = set()
        for n in range(len(key) + 1):
            members.update(self._by_prefix.get(key[:n], ()))
        return sorted(members)

    def _dispatch(self, node: dict[str, Any], path: str) -> str:
        """A regex that consumes the text's beginning along the trie of beginnings (so `re`
        picks the branch by its next character) and succeeds where a fragment matches from the
        phrase start, `path` back.

        The fragments that begin with `path` are tried after the longer beginnings below it
        fail, so each fragment that may match is tried once. They are tried from the phrase
        start by a lookahead inside a lookbehind over `path`; in any order, since this only asks
        whether one matches.
        """
        branches = [re.escape(ch) + self._dispatch(child, path + ch) for ch, child in sorted(node.items())]
        if path in self._by_prefix:
            here = "|".join(self._items[i][0] for i in self._by_prefix[path])
            here = rf"(?=(?:{here})(?![\w]))"
            branches.append(f"(?<={here}{re.escape(path)})" if path else here)
        if not branches:
            return "(?!)"
        return branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"

    def _regex(self, key: str) -> tuple[re.Pattern[str] | None, list[Any]]:
        """One regex of the fragments that can match text beginning with `key`, in order."""
        ordered = tuple(self._members(key))
        if ordered not in self._by_members:
            regex = "|".join(f"({self._items[i][0]})" for i in ordered)
            self._by_members[ordered] = (
                re.compile(rf"(?:{regex})(?![\w])") if ordered else None,
                [self._items[i][1] for i in ordered],
            )
        self._by_key[key] = self._by_members[ordered]
        return self._by_key[key]

    def find(self, low: str) -> list[tuple[int, int, Any]]:
        """(start, end, tag) of every phrase in `low`, in order, not overlapping."""
        found: list[tuple[int, int, Any]] = []
        by_key = self._by_key
        search = self._scan.search
        start = 0  # the scan needs a character before a phrase: the very start is tried as is
        while True:
            key = low[start : start + KEY_LENGTH]
            regex, tags = by_key.get(key) or self._regex(key)
            resume = start
            if regex is not None and (m := regex.match(low, start)):
                end = m.end()
                found.append((start, end, tags[m.lastindex - 1]))  # type: ignore[operator]
                if end > start:
                    resume = end - 1  # a phrase's last character may precede the next phrase
            hit = search(low, resume)
            if hit is None:
                return found
            start = hit.start() + 1
