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
