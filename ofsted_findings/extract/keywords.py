"""Meaning-bearing words of a short text, for fuzzy matching of recommendations across
inspections and between press and report (stop words are data: reference/stopwords.txt)."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

_WORD = re.compile(r"[a-z][a-z'’-]*[a-z]|[a-z]")


@cache
def stopwords() -> frozenset[str]:
    path = resources.files("ofsted_findings.reference") / "stopwords.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


def _fold(word: str) -> str:
    word = word.replace("’", "'").removesuffix("'s")
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def keywords(text: str) -> list[str]:
    """Distinct folded content words, in order of first use."""
    words = (_fold(w) for w in _WORD.findall(text.lower()))
    return list(dict.fromkeys(w for w in words if len(w) > 2 and w not in stopwords()))
