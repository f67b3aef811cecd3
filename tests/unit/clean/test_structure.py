"""Section codes of headings: the one regex of all section patterns picks the code that trying
the patterns in turn picks."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ofsted_findings.clean.structure import section_code, section_patterns


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
