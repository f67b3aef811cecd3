import pytest

from ofsted_findings.clean import clean_text
from ofsted_findings.extract.judgements import extract_judgements
from ofsted_findings.models import own_grades


def _doc(text: str, fmt: str = "web_page"):
    return clean_text("d", "x.txt", fmt, text)


def test_grade_table_rows():
    doc = _doc(
        "Judgement\tGrade\n\nThe impact of leaders on social work practice with children and families"
        "\tGood\n\nOverall effectiveness\tRequires improvement to be good\n",
        "pdf_text",
    )
    rows = extract_judgements(doc)
    assert [(r["area"], r["grade"], r["source"]) for r in rows] == [
        ("impact_of_leaders", "good", "grade_table"),
        ("overall_effectiveness", "requires_improvement", "grade_table"),
    ]


def test_two_areas_sharing_one_restated_grade():
    doc = _doc(
        "Title\n\nThe impact of leaders on social work practice with children and families and the "
        "experiences and progress of children in care and care leavers were both rated as good.\n"
    )
    rows = extract_judgements(doc)
    assert {(r["area"], r["grade"]) for r in rows} == {
        ("impact_of_leaders", "good"),
        ("children_in_care_and_care_leavers", "good"),
    }
    assert all(r["judgement_of"] == "this_inspection" for r in rows)


def test_an_earlier_judgement_is_recorded_as_such():
    doc = _doc(
        "Title\n\nThis was the first visit since the local authority was judged inadequate in January 2016.\n"
    )
    (row,) = extract_judgements(doc)
    assert (row["area"], row["grade"], row["judgement_of"]) == (
        "overall_effectiveness",
        "inadequate",
        "earlier_inspection",
    )
    assert row["evidence"] == "the local authority was judged inadequate in January 2016"


def test_a_documents_own_grades_leave_out_the_earlier_inspections_it_quotes():
    # a monitoring letter quoting the last inspection's verdict has no grades of its own: its
    # sentences are not read against "inadequate" (findings: judgement_grade)
    letter = _doc(
        "Title\n\nThis was the first visit since the local authority was judged inadequate in January 2016.\n"
    )
    assert own_grades(extract_judgements(letter)) == {}
    report = _doc(
        "Title\n\nThe impact of leaders on social work practice with children and families and the "
        "experiences and progress of children in care and care leavers were both rated as good.\n\n"
        "This was the first inspection since the local authority was judged inadequate in January 2016.\n"
    )
    rows = extract_judgements(report)
    assert {r["judgement_of"] for r in rows} == {"this_inspection", "earlier_inspection"}
    assert own_grades(rows) == {
        "impact_of_leaders": "good",
        "children_in_care_and_care_leavers": "good",
    }


def test_words_like_inadequate_without_a_judgement_verb_are_not_grades():
    doc = _doc("Title\n\nAreas of service identified as inadequate in the last inspection have improved.\n")
    assert extract_judgements(doc) == []


def _pdf_text_doc(text: str):
    return clean_text("d", "x.txt", "pdf_text", text)


def test_sif_statements_of_judgement():
    doc = _pdf_text_doc(
        "Children’s services in Anytown are inadequate\n\n"
        "1. Children who need help and protection Requires improvement\n\n"
        "2.1 Adoption performance Good\n\n"
        "The graded judgement about the experience and progress of care leavers is that it requires "
        "improvement\n\n"
        "The effectiveness of the Local Safeguarding Children Board (LSCB) is\n\n"
        "requires improvement\n\n"
        "Leadership, management and governance are outstanding\n"
    )
    got = {(r["area"], r["grade"]) for r in extract_judgements(doc, "SIF")}
    assert got == {
        ("overall_effectiveness", "inadequate"),
        ("help_and_protection", "requires_improvement"),
        ("adoption_performance", "good"),
        ("care_leavers", "requires_improvement"),
        ("safeguarding_board", "requires_improvement"),
        ("leadership_management_governance", "outstanding"),
    }


def test_a_framework_reads_only_its_own_areas():
    # a 2013 looked-after children inspection grades its own "overall effectiveness", not the council's
    doc = _pdf_text_doc("Record of main findings\n\nOverall effectiveness\tInadequate\n")
    assert extract_judgements(doc, "LAC_2013") == []
    assert [r["area"] for r in extract_judgements(doc, "SIF")] == ["overall_effectiveness"]


def test_separate_care_leaver_judgement_and_no_overall_effectiveness():
    doc = _pdf_text_doc(
        "Judgement\tGrade\n\nThe experiences and progress of children in care\tGood\n\n"
        "The experiences and progress of children care leavers\tRequires improvement to be good\n\n"
        "The experiences and progress of care leavers: requires improvement to be good\n"
    )
    rows = extract_judgements(doc, "ILACS_2026")
    assert {(r["area"], r["grade"]) for r in rows} == {
        ("children_in_care", "good"),
        ("care_leavers", "requires_improvement"),
    }


def test_a_grade_set_below_its_label():
    doc = _pdf_text_doc(
        "1. Children who need help and protection\n\nGood\n\n"
        "Leadership, management and governance\n\nRequires improvement\n\n"
        "Inspectors saw good practice.\n\nGood\n"
    )
    got = {(r["area"], r["grade"]) for r in extract_judgements(doc, "SIF")}
    assert got == {
        ("help_and_protection", "good"),
        ("leadership_management_governance", "requires_improvement"),
    }


def test_the_restating_verb_prefilter_never_hides_a_match():
    from ofsted_findings.extract.judgements import RESTATED, _may_restate

    for sentence in [
        "Services were rated as good in 2019.",
        "It WAS JUDGED 'inadequate' at the last inspection.",
        "Leaders were Found To Be outstanding.",
        "The service was aſſeſſed as requires improvement.",  # long s: IGNORECASE matches it to s
    ]:
        assert RESTATED.search(sentence) and _may_restate(sentence)
    assert not _may_restate("Children are seen quickly and their needs are understood.")


@pytest.mark.parametrize(
    ("text", "area", "grade"),
    [
        # as the development corpus's SIF reports (2013-2018) state them
        ("The overall judgement is requires improvement", "overall_effectiveness", "requires_improvement"),
        (
            "The overall judgement is that children’s services are inadequate",
            "overall_effectiveness",
            "inadequate",
        ),
        (
            "The overall judgement is that children’s services require improvement",
            "overall_effectiveness",
            "requires_improvement",
        ),
        (
            "Children’s services in Durham require improvement to be good",
            "overall_effectiveness",
            "requires_improvement",
        ),
        ("Children’s services in the London Borough of Merton are good.", "overall_effectiveness", "good"),
        (
            "Children’s services in Norfolk requires improvement to be good",
            "overall_effectiveness",
            "requires_improvement",
        ),
        ("2.1 Adoption performance\tRequires improvement", "adoption_performance", "requires_improvement"),
        ("2.1 Adoption performance Outstanding", "adoption_performance", "outstanding"),
        (
            "The graded judgement for adoption performance is that it is requires improvement",
            "adoption_performance",
            "requires_improvement",
        ),
        (
            "The graded judgment for adoption performance is outstanding",
            "adoption_performance",
            "outstanding",
        ),
        (
            "The graded judgement about the experience and progress of care leavers is that they require "
            "improvement",
            "care_leavers",
            "requires_improvement",
        ),
        (
            "The effectiveness of the Local Safeguarding Children Board (LSCB) is\n\nrequires improvement",
            "safeguarding_board",
            "requires_improvement",
        ),
        ("The Local Safeguarding Children Board is inadequate", "safeguarding_board", "inadequate"),
        (
            "The Local Safeguarding Children Board requires improvement",
            "safeguarding_board",
            "requires_improvement",
        ),
        ("The effectiveness of the LSCB is good", "safeguarding_board", "good"),  # Bradford, Knowsley 2014
        # and as other reports may
        (
            "The effectiveness of the LSCB is: requires improvement",
            "safeguarding_board",
            "requires_improvement",
        ),
        ("The effectiveness of the LSCB requires improvement", "safeguarding_board", "requires_improvement"),
        (
            "The effectiveness of the Wigan Safeguarding Children Board (WSCB) is\n\ninadequate",
            "safeguarding_board",
            "inadequate",
        ),
        (
            "The effectiveness of the Bath and North East Somerset Local Safeguarding Children Board is good",
            "safeguarding_board",
            "good",
        ),
        ("Review of the effectiveness of the LSCB: good", "safeguarding_board", "good"),
        ("The LSCB is judged to be outstanding", "safeguarding_board", "outstanding"),
        (
            "The effectiveness of the Local Safeguarding Children’s Board is inadequate",
            "safeguarding_board",
            "inadequate",
        ),
        ("The effectiveness of the NELSCB is good", "safeguarding_board", "good"),
        ("The graded judgement for adoption performance is: good", "adoption_performance", "good"),
        (
            "The graded judgement for adoption performance is that it is: requires improvement",
            "adoption_performance",
            "requires_improvement",
        ),
        ("Adoption performance is judged to be good", "adoption_performance", "good"),
        ("2.1 Adoption performance –  Inadequate", "adoption_performance", "inadequate"),
        ("The overall judgement is: inadequate", "overall_effectiveness", "inadequate"),
        (
            "The overall judgement is that children’s services in Wigan are good",
            "overall_effectiveness",
            "good",
        ),
        (
            "Children’s services in St. Helens require improvement to be good",
            "overall_effectiveness",
            "requires_improvement",
        ),
        ("Childrens services in Wigan are inadequate", "overall_effectiveness", "inadequate"),
        ("Children's services in Wigan are judged to be good", "overall_effectiveness", "good"),
        (
            "The overall effectiveness of children’s services in Wigan is good",
            "overall_effectiveness",
            "good",
        ),
    ],
)
def test_every_sif_phrasing_of_a_judgement(text, area, grade):
    got = {(r["area"], r["grade"]) for r in extract_judgements(_pdf_text_doc(text + "\n"), "SIF")}
    assert got == {(area, grade)}


def test_statements_that_are_not_judgements():
    doc = _pdf_text_doc(
        "The LSCB is shared with the City of London.\n\n"
        "The effectiveness of the LSCB is reviewed every year.\n\n"
        "Children’s services in Wigan work closely with schools. Good practice is shared.\n\n"
        "The Children in Care Council is good at making its voice heard\n"
    )
    assert extract_judgements(doc, "SIF") == []
