"""Section codes of headings: the one regex of all section patterns picks the code that trying
the patterns in turn picks."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ofsted_findings.clean.blocks import Block
from ofsted_findings.clean.structure import build_structure, section_code, section_patterns


def _in_turn(heading: str) -> str | None:
    heading = heading.strip().rstrip(".")
    return next((code for code, pattern in section_patterns() if pattern.match(heading)), None)


HEADINGS = [
    "What needs to improve?",
    "What does the local authority need to improve?",
    "Recommendations",
    "Overall effectiveness: Good",
    "Overall effectiveness of services for looked after children and young people",
    "The experiences and progress of care leavers are: requires improvement to be good",
    "The experiences and progress of children in care and care leavers Inadequate",
    "Section 2: The effectiveness of the Local Safeguarding Children Board",
    "Inspection judgement about the LSCB",
    "The local authority’s strengths",
    "The local authority",
    "Leadership and management.",
    "  Executive summary  ",
    "The inspection team",
    "Children are safe.",
    "",
]


def test_headings_and_their_sections():
    assert section_code("What needs to improve?") == "what_needs_to_improve"
    assert section_code("Overall effectiveness: Good") == "overall_effectiveness"
    assert section_code("Children are safe.") is None
    for heading in HEADINGS:
        assert section_code(heading) == _in_turn(heading), heading


_WORDS = (  # heading words, grades and the punctuation between them
    "What needs to improve ? : the local authority LSCB Section 2: The effectiveness of Local"
    " Safeguarding Children Board is are requires improvement good Good inadequate - – care leavers"
    " in and experiences progress children who need help protection Overall summary . team"
)


@given(st.lists(st.sampled_from(_WORDS.split()), max_size=10).map(" ".join))
def test_one_regex_picks_what_trying_in_turn_picks(heading):
    assert section_code(heading) == _in_turn(heading)


def _sections_of(blocks: list[Block]) -> list[str]:
    spans, start = [], 0
    for block in blocks:
        spans.append((start, start + len(block.text), block))
        start += len(block.text) + 2
    _, paragraphs = build_structure(start, spans)
    return [p.section for p in paragraphs]


# West Berkshire's SIF report of 2015: each judgement's section opens with a one-row grade table.
_SIF_2015 = [
    Block("Inspection judgements about the local authority", "heading"),
    Block("Key judgement Judgement grade", "heading"),
    Block("The experiences and progress of children who need help and protection\tInadequate", "table_row"),
    Block("Summary", "heading"),
    Block("Partner agencies understand and appropriately apply thresholds."),
    Block("Key judgement Judgement grade", "heading"),
    Block("Leadership, management and governance\tRequires improvement", "table_row"),
    Block("Summary", "heading"),
    Block("The Principal Social Worker has a highly valued and increasingly effective role."),
]


def test_a_one_row_grade_table_opens_its_judgements_section():
    sections = _sections_of([Block("Information about this local authority area", "heading"), *_SIF_2015])
    assert sections[0] == sections[1] == sections[2] == "local_authority_area"
    assert sections[3:6] == ["help_and_protection"] * 3
    assert sections[7:] == ["leadership_management_governance"] * 3


def test_the_grade_table_atop_a_report_opens_no_section():
    # Solihull 2020: its rows are one block, or (other layouts) a run of one-row blocks.
    rows = [
        "The impact of leaders on social work practice with children and families\tRequires improvement",
        "The experiences and progress of children who need help and protection\tRequires improvement",
        "Overall effectiveness\tRequires improvement",
    ]
    text = Block("The local authority has made some progress in improving the quality of services.")
    for table in ([Block("\n".join(rows), "table_row")], [Block(r, "table_row") for r in rows]):
        sections = _sections_of([Block("Judgement Grade", "heading"), *table, text])
        assert set(sections) == {"introduction"}, table
