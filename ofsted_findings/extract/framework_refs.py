"""National Framework tags on recommendations: "(outcome 1, national framework)",
"(National Framework, Outcome 1)", "(Enabler 2: Leaders drive conditions for effective
practice)", "(enabler: the workforce is equipped and effective, national framework)", "(Enabler 3)".

The tag is cut from the recommendation's text and given the code of reference/national_framework.csv
(outcome_1..outcome_4, enabler_1..enabler_3): by its number, or, when it names an outcome or
enabler by its words only, by the label those words match best.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ofsted_findings.extract.number_words import WORD_VALUES
from ofsted_findings.reference import framework_codes, read_csv
from ofsted_findings.settings import MIN_LABEL_OVERLAP

# A trailing bracketed tag that says "national framework" or names an outcome/enabler/principle
# by number or by words after a colon.
TAG = re.compile(
    r"\s*[(\[]\s*(?P<ref>[^()\[\]]*?"
    r"(?:national framework|\b(?:outcome|enabler|principle)s?\s*(?:\d|:|(?:one|two|three|four)\b))"
    r"[^()\[\]]*?)\s*[)\]]\s*\.?\s*$",
    re.I,
)
_NUMBERED = re.compile(r"\b(outcome|enabler)s?\s*(\d|one|two|three|four)\b", re.I)
_NAMED = re.compile(r"\b(outcome|enabler)s?\s*:\s*(?P<words>[^,;]+)", re.I)
_WORD = re.compile(r"[a-z]+")


@dataclass(frozen=True)
class FrameworkItem:
    code: str
    kind: str  # outcome | enabler
    number: int
    label: str


@cache
def framework_items() -> tuple[FrameworkItem, ...]:
    return tuple(
        FrameworkItem(r["code"], r["kind"], int(r["number"]), r["label"])
        for r in read_csv("national_framework.csv")
    )


def split_tag(text: str) -> tuple[str, str | None]:
    """(text without its trailing tag, the tag's words as written), or (text, None)."""
    m = TAG.search(text)
    if m is None:
        return text, None
    return text[: m.start()].rstrip(), " ".join(m.group("ref").split())


def code_of(ref: str) -> str | None:
    """The code of the first outcome or enabler a tag names, by number or by its label's words."""
    numbered = _NUMBERED.search(ref)
    if numbered:
        number = numbered.group(2).lower()
        code = f"{numbered.group(1).lower()}_{WORD_VALUES.get(number, number)}"
        return code if code in framework_codes() else None
    named = _NAMED.search(ref)
    if named is None:
        return None
    kind, words = named.group(1).lower(), set(_WORD.findall(named.group("words").lower()))
    best, score = None, 0.0
    for item in framework_items():
        label = set(_WORD.findall(item.label.lower()))
        overlap = len(words & label) / len(label)
        if item.kind == kind and overlap > score:
            best, score = item.code, overlap
    return best if score >= MIN_LABEL_OVERLAP else None
