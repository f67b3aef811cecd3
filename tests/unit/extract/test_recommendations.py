import pytest

from ofsted_findings.clean import clean_text
from ofsted_findings.extract.recommendations import extract_recommendations


def test_section_items_with_national_framework_tags():
    doc = clean_text(
        "d",
        "x.md",
        "markdown",
        "## What needs to improve?\n\n- The quality of analysis. (outcome 1, national framework)\n"
        "- The sufficiency of frontline workers.\n\n## Main findings\n\nLeaders should do more.\n",
    )
    rows = extract_recommendations(doc)
    assert [(r["seq"], r["text"], r["framework_ref"]) for r in rows] == [
        (1, "The quality of analysis.", "outcome 1, national framework"),
        (2, "The sufficiency of frontline workers.", None),
    ]
    assert rows[0]["evidence"] == "The quality of analysis. (outcome 1, national framework)"


def test_prose_cues_and_reported_knowledge():
    doc = clean_text(
        "d",
        "x.txt",
        "web_page",
        "Title\n\nFurther work is also needed to improve support for family carers. "
        "The local authority knows that further improvement must be made. "
        "Some young people have remained in care for longer than they should. "
        "The minister will decide whether its services should be removed.\n",
    )
    assert [r["text"] for r in extract_recommendations(doc)] == [
        "Further work is also needed to improve support for family carers."
    ]


def test_two_recommendations_joined_by_and_are_split():
    doc = clean_text(
        "d",
        "x.txt",
        "web_page",
        "Title\n\nThe timeliness of health reviews needs work to support young people and personal "
        "education plans should better reflect their voice.\n",
    )
    assert [r["text"] for r in extract_recommendations(doc)] == [
        "The timeliness of health reviews needs work to support young people",
        "personal education plans should better reflect their voice.",
    ]


def test_2026_framework_tags_and_sub_headed_lists():
    doc = clean_text(
        "d",
        "x.md",
        "markdown",
        "## What needs to improve?\n\n- Written records. (enabler: the workforce is equipped and effective,"
        " national framework)\n- Support to young carers. (outcomes 1 and 2, national framework)\n\n"
        "## Areas for improvement\n\n15. In order to improve services the local authority should:\n\n"
        "### Immediately:\n\n- ensure every child has a plan\n\n### Within three months:\n\n"
        "- review care plans\n",
    )
    rows = extract_recommendations(doc)
    assert [(r["text"], r["framework_ref"]) for r in rows] == [
        ("Written records.", "enabler: the workforce is equipped and effective, national framework"),
        ("Support to young carers.", "outcomes 1 and 2, national framework"),
        ("ensure every child has a plan", None),  # the numbered introduction is not one
        ("review care plans", None),
    ]


# A SIF report's list (Plymouth, 2015): topic sub-headings between numbered items, an items list
# under a stem, and the LSCB's own list ended by "Inspection findings". Excerpts, shortened.
SIF_LISTS = (
    "Children who require child protection medical examinations wait too long for them.\n\n"
    "What does the local authority need to improve?\n\n"
    "Priority and immediate action\n\n"
    "Leadership, management and governance\n\n"
    "1. Ensure that practitioners have reasonable workloads.\n\n"
    "2. Improve management oversight on casework and the quality of staff supervision.\n\n"
    "Areas for improvement\n\n"
    "Care leavers\n\n"
    "3. Strengthen senior managers' oversight and monitoring of:\n\n"
    "- complex cases where there are historic drift and delay (paragraph 36)\n"
    "- care leavers who are homeless (paragraph 112).\n\n"
    "4. Take action to increase the number of care leavers in education, employment and training.\n\n"
    "The local authority's strengths\n\n"
    "5. Family Group Conferences are well established and routinely used to support families.\n\n"
    "The Local Safeguarding Children Board is good\n\n"
    "Recommendations:\n\n"
    "- Review the extensive dataset to ensure that it is aligned to the Board's priorities.\n"
    "- Devise a system to escalate concerns about infrequent partnership attendance.\n\n"
    "Inspection findings\n\n"
    "126. LSCB arrangements are effectively shared across the three boroughs.\n\n"
    "127. Governance arrangements between the LSCB and other bodies are clear.\n"
)


def test_a_numbered_list_runs_on_under_topic_sub_headings_and_owns_its_bullets():
    doc = clean_text("d", "x.txt", "plain_text", SIF_LISTS)
    rows = extract_recommendations(doc)
    texts = [r["text"] for r in rows]
    # the document's own numbers, apart from the text; the LSCB's bullets have none
    assert [r["stated_number"] for r in rows] == [1, 2, 3, 4, None, None]
    assert texts[:2] == [
        "Ensure that practitioners have reasonable workloads.",
        "Improve management oversight on casework and the quality of staff supervision.",
    ]
    assert texts[2].startswith("Strengthen senior managers' oversight and monitoring of:")
    assert texts[2].endswith("care leavers who are homeless (paragraph 112).")
    assert texts[3].startswith("Take action to increase")
    # the strengths, the LSCB's findings after "Inspection findings": not recommendations
    assert texts[4:] == [
        "Review the extensive dataset to ensure that it is aligned to the Board's priorities.",
        "Devise a system to escalate concerns about infrequent partnership attendance.",
    ]


def test_one_numbered_paragraph_over_bullets_introduces_them():
    # 2013 looked-after children inspections (Norfolk, Sandwell)
    doc = clean_text(
        "d",
        "x.txt",
        "plain_text",
        "Areas for improvement\n\n"
        "15. In order to improve the quality of provision and services for looked after children "
        "and care leavers the local authority and its partners should:\n\n"
        "- ensure that all children have an up-to-date care plan\n"
        "- improve the timeliness of health assessments.\n\n"
        "Outcomes for looked after children and young people\n\n16. Outcomes are adequate.\n",
    )
    assert [r["text"] for r in extract_recommendations(doc)] == [
        "ensure that all children have an up-to-date care plan",
        "improve the timeliness of health assessments.",
    ]


@pytest.mark.parametrize(
    ("item", "ref", "code"),
    [
        ("Improve x. (outcome 1, national framework)", "outcome 1, national framework", "outcome_1"),
        ("Improve x. (National Framework, Outcome 1)", "National Framework, Outcome 1", "outcome_1"),
        ("Improve x. (Outcome Three, National Framework)", "Outcome Three, National Framework", "outcome_3"),
        ("Improve x. (National Framework enabler two)", "National Framework enabler two", "enabler_2"),
        ("Improve x. (Enabler 3)", "Enabler 3", "enabler_3"),
        (
            "Improve x. (Enabler 2: Leaders drive conditions for effective practice)",
            "Enabler 2: Leaders drive conditions for effective practice",
            "enabler_2",
        ),
        (
            "Improve x. (enabler: the workforce is equipped and effective, national framework)",
            "enabler: the workforce is equipped and effective, national framework",
            "enabler_3",
        ),
        (
            "Improve x. (outcomes 2 and 3, national framework)",
            "outcomes 2 and 3, national framework",
            "outcome_2",
        ),
        ("Improve x (paragraph 36).", None, None),
    ],
)
def test_national_framework_tags_are_cut_and_coded(item, ref, code):
    doc = clean_text("d", "x.md", "markdown", f"## What needs to improve?\n\n- {item}\n")
    (row,) = extract_recommendations(doc)
    assert (row["framework_ref"], row["framework_code"]) == (ref, code)
    assert row["text"] == (item if ref is None else "Improve x.")
