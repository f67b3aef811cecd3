from ofsted_findings.clean import clean_text
from ofsted_findings.extract.judgements import extract_judgements


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
        ("impact_of_leaders", "good"), ("children_in_care_and_care_leavers", "good"),
    }
    assert all(r["judgement_of"] == "this_inspection" for r in rows)


def test_an_earlier_judgement_is_recorded_as_such():
    doc = _doc("Title\n\nThis was the first visit since the local authority was judged inadequate in January 2016.\n")
    (row,) = extract_judgements(doc)
    assert (row["area"], row["grade"], row["judgement_of"]) == (
        "overall_effectiveness", "inadequate", "earlier_inspection",
    )
    assert row["evidence"] == "the local authority was judged inadequate in January 2016"


def test_words_like_inadequate_without_a_judgement_verb_are_not_grades():
    doc = _doc("Title\n\nAreas of service identified as inadequate in the last inspection have improved.\n")
    assert extract_judgements(doc) == []
