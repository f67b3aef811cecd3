"""The theme taxonomy (reference/themes.csv) and how a sentence, a paragraph or a
recommendation is given themes: one module read by findings, recommendations and the findings
models alike."""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from ofsted_findings.extract.phrases import PhraseMatcher, capturing_groups
from ofsted_findings.settings import MAX_THEMES, OWN_THEMES

# A sentence opening with one of these is about the subject of the sentence before it.
ANAPHORA = re.compile(r"^(?:This|These|That|Those|They|It|Its|Their|Such|He|She|His|Her|Both|All of these)\b")
# Where a finding names no theme and its paragraph none either, the section may imply one.
SECTION_THEMES: dict[str, str] = {
    "impact_of_leaders": "leadership_governance",
    "care_leavers": "care_leavers",
}

# --------------------------------------------------------------------------------------------
# Themes taxonomy
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Theme:
    """One row of reference/themes.csv."""

    code: str
    label: str
    description: str
    what_counts: str
    keywords: tuple[str, ...]
    broader: str | None = None  # a finding on this theme is also about the broader one


@cache
def load_themes() -> tuple[Theme, ...]:
    """The theme taxonomy, read once from package data (so it ships with the wheel)."""
    path = resources.files("ofsted_findings.reference") / "themes.csv"
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    themes = []
    for row in rows:
        keywords = tuple(k.strip() for k in row["keywords"].split(";") if k.strip())
        for k in keywords:
            if capturing_groups(k):
                raise ValueError(f"theme {row['code']}: keyword {k!r} has a capturing group")
        themes.append(
            Theme(row["code"], row["label"], row["description"], row["what_counts"], keywords,
                  row.get("broader") or None)
        )
    return tuple(themes)


def _theme_fragments() -> list[tuple[str, str]]:
    return [(k, t.code) for t in load_themes() for k in t.keywords]


@cache
def _theme_matcher() -> PhraseMatcher:
    return PhraseMatcher(_theme_fragments())


@cache
def _broader_themes() -> tuple[tuple[str, str], ...]:
    return tuple((t.code, t.broader) for t in load_themes() if t.broader)


@lru_cache(maxsize=1024)
def theme_scores(sentence: str) -> dict[str, tuple[float, int]]:
    """Theme code -> (number of keyword hits, offset of the first hit) for one sentence.

    Cached for the few sentences of a paragraph: the findings models read them again after the
    paragraph's themes are assigned. The dict returned is shared: do not change it."""
    scores: dict[str, tuple[float, int]] = {}
    for start, _, code in _theme_matcher().find(sentence.lower()):
        if code in scores:
            count, first = scores[code]
            scores[code] = (count + 1, first)
        else:
            scores[code] = (1.0, start)
    if not scores:
        return scores
    for code, broader in _broader_themes():
        if code in scores and broader not in scores:
            scores[broader] = scores[code]
    return scores


def _rank_key(item: tuple[str, tuple[float, int]]) -> tuple[float, int]:
    return -item[1][0], item[1][1]


def _ranked(scores: dict[str, tuple[float, int]]) -> list[str]:
    if len(scores) < 2:
        return list(scores)
    return [c for c, _ in sorted(scores.items(), key=_rank_key)]


def themes_of(text: str) -> list[str]:
    """Up to MAX_THEMES themes of a short text on its own (a recommendation), strongest first."""
    return _ranked(theme_scores(text))[:MAX_THEMES]


def assign_themes(sentences: Sequence[str], section: str) -> list[list[str]]:
    """Themes for each sentence of one paragraph.

    A sentence takes the (at most two) themes it names most; one opening with "This"/"They"...
    first takes its predecessor's, since it is about the same thing. Ofsted paragraphs keep to
    one topic, so every sentence also takes the paragraph's main theme (or, when the paragraph
    names none, the theme its section implies).
    """
    own = [theme_scores(s) for s in sentences]
    total: dict[str, tuple[float, int]] = {}
    for i, scores in enumerate(own):
        for code, (count, first) in scores.items():
            first += i * 10_000
            if code in total:
                c, f = total[code]
                total[code] = (c + count, min(f, first))
            else:
                total[code] = (count, first)
    # The first of _ranked(total).
    topic = min(total.items(), key=_rank_key)[0] if total else SECTION_THEMES.get(section)
    out: list[list[str]] = []
    for i, sentence in enumerate(sentences):
        themes = _ranked(own[i])[:OWN_THEMES]
        if i > 0 and ANAPHORA.match(sentence.strip()):
            themes = out[i - 1] + [t for t in themes if t not in out[i - 1]]
        if topic is not None and topic not in themes:
            themes.append(topic)
        out.append(themes[:MAX_THEMES])
    return out
