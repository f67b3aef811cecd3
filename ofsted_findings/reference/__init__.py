"""Reference data kept as files: authorities, judgement areas, grades, publishers, themes."""

from __future__ import annotations

import csv
import re
from functools import cache
from importlib import resources


@cache
def read_csv(name: str) -> tuple[dict[str, str], ...]:
    path = resources.files(__name__) / name
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return tuple(csv.DictReader(fh))


@cache
def judgement_areas() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple(
        (r["code"], re.compile(rf"\b(?:{r['label_pattern']})\b", re.I))
        for r in read_csv("judgement_areas.csv")
    )


@cache
def grades() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple(
        (r["code"], re.compile(rf"^\s*(?:{r['label_pattern']})\s*$", re.I))
        for r in read_csv("grades.csv")
    )


GRADE_WORDS = r"outstanding|good|requires improvement(?: to be good)?|inadequate"


def grade_code(label: str) -> str | None:
    """'Requires improvement to be good' -> 'requires_improvement'; None if not a grade."""
    label = label.strip().strip("'\"‘’“”").strip()
    for code, pattern in grades():
        if pattern.match(label):
            return code
    return None


def area_code(label: str) -> str | None:
    """The judgement area a label names (the longest match wins)."""
    best: tuple[int, str] | None = None
    for code, pattern in judgement_areas():
        m = pattern.search(label)
        if m and (best is None or len(m.group(0)) > best[0]):
            best = (len(m.group(0)), code)
    return best[1] if best else None


@cache
def publishers() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple(
        (r["publisher"], re.compile(r["signature_pattern"], re.M)) for r in read_csv("publishers.csv")
    )
