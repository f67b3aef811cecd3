"""Reference data kept as files: authorities, judgement areas, grades, frameworks, document and
inspection types, publishers, themes.

Each vocabulary is one CSV here with a `code` column, read in the file's order: the schemas'
allowed values, the report's order and the extractors' patterns are all derived from it.
"""

from __future__ import annotations

import csv
import datetime as dt
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
        (r["code"], re.compile(rf"^\s*(?:{r['label_pattern']})\s*$", re.I)) for r in read_csv("grades.csv")
    )


@cache
def codes(vocabulary: str) -> tuple[str, ...]:
    """The codes of a vocabulary (reference/<vocabulary>.csv), in the file's order."""
    return tuple(r["code"] for r in read_csv(f"{vocabulary}.csv"))


def framework_codes() -> list[str]:
    """Codes of the National Framework's outcomes and enablers (reference/national_framework.csv)."""
    return list(codes("national_framework"))


def one_of(values: tuple[str, ...] | list[str]) -> str:
    """`a, b or c`: a code list in a sentence."""
    return f"{', '.join(values[:-1])} or {values[-1]}" if len(values) > 1 else "".join(values)


# Any grade's words, as the grade table and prose state it (the label patterns of grades.csv).
GRADE_WORDS = "|".join(r["label_pattern"] for r in read_csv("grades.csv"))


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


def framework_of(family: str, start: dt.date | None) -> str | None:
    """The framework of a family (SIF, ILACS, LAC) an inspection starting on `start` was made
    under (reference/frameworks.csv); the family's first framework when the date is unknown."""
    rows = [r for r in read_csv("frameworks.csv") if r["family"] == family]
    if not rows:
        return None
    if start is None:
        return rows[0]["code"]
    for r in rows:
        first = dt.date.fromisoformat(r["first_day"])
        last = dt.date.fromisoformat(r["last_day"]) if r["last_day"] else dt.date.max
        if first <= start <= last:
            return r["code"]
    return rows[0]["code"] if start < dt.date.fromisoformat(rows[0]["first_day"]) else rows[-1]["code"]


def areas_of(framework: str | None) -> frozenset[str] | None:
    """The judgement areas a framework grades (None: any framework, every area)."""
    if framework is None:
        return None
    return frozenset(
        r["code"] for r in read_csv("judgement_areas.csv") if framework in r["framework"].split(";")
    )


_STATEMENT_LABEL = r"(?:the\s+)?(?:experiences?\s+and\s+progress\s+of\s+)?"


@cache
def judgement_statements() -> tuple[tuple[str, re.Pattern[str], str | None, str], ...]:
    """(form, pattern, fixed area, source) of the whole-paragraph statements of a judgement
    (reference/judgement_statements.csv); `label` and `grade` are the pattern's groups."""
    labels = "|".join(f"(?:{r['label_pattern']})" for r in read_csv("judgement_areas.csv"))
    area = rf"(?P<label>{_STATEMENT_LABEL}(?:{labels}))"
    grade = rf"(?P<grade>{GRADE_WORDS})"
    return tuple(
        (
            r["form"],
            re.compile(r["pattern"].replace("{area}", area).replace("{grade}", grade), re.I),
            r["area"] or None,
            r["source"],
        )
        for r in read_csv("judgement_statements.csv")
    )


@cache
def publishers() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple(
        (r["publisher"], re.compile(r["signature_pattern"], re.M)) for r in read_csv("publishers.csv")
    )
