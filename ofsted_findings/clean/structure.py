"""Sections and paragraphs of a cleaned document, from its blocks and the heading list.

Known headings are data (reference/sections.csv): a new report era's headings are a row there.
"""

from __future__ import annotations

import re
from functools import cache

from ofsted_findings.clean.blocks import Block
from ofsted_findings.clean.patterns import GRADE_TABLE_HEADER
from ofsted_findings.models import Paragraph, Section
from ofsted_findings.reference import GRADE_WORDS, read_csv

INTRODUCTION = "introduction"
# A judgement heading may carry its grade: "... care leavers is: Good", "... are: good",
# "... protection Inadequate".
_GRADE_SUFFIX = rf"(?:\s*(?:is|are)?\s*[:\-–]?\s*(?:{GRADE_WORDS}))?"


@cache
def section_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple(
        (r["code"], re.compile(rf"^\s*(?:{r['heading_pattern']}){_GRADE_SUFFIX}\s*$", re.I))
        for r in read_csv("sections.csv")
    )


@cache
def _any_section() -> tuple[re.Pattern[str], tuple[str, ...]]:
    """The section patterns as one regex, each in a group of its own, and their codes in order.

    Every pattern is anchored at both ends, so the alternation matches with the first pattern
    that matches at all, just as trying them in turn does, but in one call. The group that
    encloses the branch closes last, so it is the match's `lastgroup`, whatever groups the
    pattern has inside.
    """
    patterns = section_patterns()
    branches = "|".join(f"(?P<_section{i}>{pattern.pattern})" for i, (_, pattern) in enumerate(patterns))
    return re.compile(branches, re.I), tuple(code for code, _ in patterns)


@cache
def section_roles() -> dict[str, str]:
    """Section code -> its role (reference/sections.csv): recommendations, judgement or other."""
    return {r["code"]: r["role"] for r in read_csv("sections.csv")}


def recommendation_sections() -> frozenset[str]:
    """The sections whose paragraphs are the report's recommendations."""
    return frozenset(code for code, role in section_roles().items() if role == "recommendations")


def section_code(heading: str) -> str | None:
    """The section a heading opens, or None when it is not a known heading."""
    heading = heading.strip().rstrip(".:").rstrip()
    regex, codes = _any_section()
    m = regex.match(heading)
    if m is None:
        return None
    return codes[int(m.lastgroup.removeprefix("_section"))]


def build_structure(
    text_len: int, spans: list[tuple[int, int, Block]]
) -> tuple[list[Section], list[Paragraph]]:
    """Assign every block to a section and number the paragraphs within each section."""
    sections: list[Section] = []
    paragraphs: list[Paragraph] = []
    current_code, current_heading, current_start, body_start = INTRODUCTION, "", 0, 0
    ordinal = 0
    listed = 0  # the last number of a numbered recommendation list in the current section
    enclosing = INTRODUCTION  # the last section that is not a recommendation list
    roles = section_roles()
    for i, (start, end, block) in enumerate(spans):
        code = None
        if (block.kind in ("heading", "text") and block.number is None) or _one_row_grade_table(spans, i):
            code = section_code(block.text)
        if (
            code is not None
            and roles.get(code) == "judgement"
            and roles.get(current_code) == "recommendations"
            and _next_number(spans, i) == listed + 1
            and (listed or ordinal == 0)
        ):
            # A topic heading inside a numbered recommendation list ("Leadership, management
            # and governance" over items 6-11 of a SIF report) heads the items that continue
            # the list: a sub-heading of the list, not the judgement's section.
            paragraphs.append(Paragraph(start, end, current_code, 0, "heading"))
            continue
        if code is not None and roles.get(code) == "resume":
            if roles.get(current_code) != "recommendations":
                # Not a section of its own: a sub-heading of the section it is in.
                paragraphs.append(Paragraph(start, end, current_code, 0, "heading"))
                continue
            code = enclosing  # the recommendation list is over: back to its section
        if code is not None:
            if roles.get(code) != "recommendations" or roles.get(current_code) != "recommendations":
                listed = 0
            if roles.get(code) != "recommendations":
                enclosing = code
            if start > current_start or sections:
                sections.append(Section(current_code, current_heading, current_start, start, body_start))
            current_code, current_heading, current_start, body_start = code, block.text, start, end
            ordinal = 0
            paragraphs.append(Paragraph(start, end, code, 0, "heading"))
            continue
        if block.kind in ("text", "item"):
            ordinal += 1
            number = block.number if block.number is not None else ordinal
            if block.number is not None and roles.get(current_code) == "recommendations":
                listed = block.number
        else:
            number = 0
        paragraphs.append(Paragraph(start, end, current_code, number, block.kind))
    sections.append(Section(current_code, current_heading, current_start, text_len, body_start))
    return sections, paragraphs


def _one_row_grade_table(spans: list[tuple[int, int, Block]], i: int) -> bool:
    """Whether spans[i] is the one row of a grade table under its own header ("Key judgement |
    Judgement grade" over "The experiences and progress of children who need help and protection |
    Inadequate"): SIF reports of 2014-15 open each judgement's section with one, and its label is
    the section's heading. The grade table at the top of a report has a row for each judgement."""
    row = spans[i][2]
    if row.kind != "table_row" or i == 0 or "\n" in row.text:
        return False
    before = spans[i - 1][2]
    after = spans[i + 1][2] if i + 1 < len(spans) else None
    return (
        before.kind == "heading"
        and GRADE_TABLE_HEADER.match(before.text) is not None
        and (after is None or after.kind != "table_row")
    )


def _next_number(spans: list[tuple[int, int, Block]], i: int) -> int | None:
    """The paragraph number of the first text or item block after spans[i], if it has one."""
    for _, _, block in spans[i + 1 :]:
        if block.kind in ("text", "item"):
            return block.number
    return None
