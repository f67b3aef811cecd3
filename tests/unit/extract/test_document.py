import datetime as dt

from ofsted_findings.clean import clean_text
from ofsted_findings.extract.document import extract_document

LETTER = """Ofsted is proud to use recycled paper

Wednesday 26 October 2016

Dear Mr Oakman

Monitoring visit of Dudley Metropolitan Borough Council Children’s Services

This letter summarises the findings of the monitoring visit of Dudley children’s services on \
12 and 13 October 2016. The visit was carried out by Alison Smale and Jenny Turnross, \
Her Majesty’s Inspectors.

Yours sincerely

Jenny Turnross

Her Majesty’s Inspector
"""


def test_monitoring_letter_facts():
    doc = clean_text("d", "l.txt", "pdf_text", LETTER)
    f = extract_document(doc, LETTER)
    assert f.document_type == "monitoring_visit_letter"
    assert f.publisher == "Ofsted"
    assert f.authority.name == "Dudley" and f.authority.urn == 80464
    assert (f.start_date, f.end_date) == (dt.date(2016, 10, 12), dt.date(2016, 10, 13))
    assert f.published_date == dt.date(2016, 10, 26)
    assert f.inspectors == ["Jenny Turnross", "Alison Smale"]  # the signatory leads
    for fact in f.facts:
        assert doc.text[fact["start"] : fact["end"]] == fact["evidence"]


def test_unresolved_authority_is_reported_not_guessed():
    text = LETTER.replace("Dudley Metropolitan Borough Council", "Atlantis Borough Council").replace(
        "Dudley", "Atlantis"
    )
    doc = clean_text("d", "l.txt", "pdf_text", text)
    f = extract_document(doc, text)
    assert f.authority is None
    assert "authority not resolved: 'Atlantis Borough Council'" in f.warnings


def _report(text: str):
    # Markdown keeps the title line (the PDF-text cleaner drops it as a running header)
    doc = clean_text("d", "r.md", "markdown", text)
    return extract_document(doc, text + "\nHis Majesty’s Inspector")


def test_joint_lead_inspectors_and_two_blocks_on_site():
    f = _report(
        "Inspection of Anytown local authority children’s services\n\n"
        "Inspection dates: 13 to 17 January and 27 to 31 January 2025\n\n"
        "Lead inspectors: Máire Example and Jenny-ellen Sample, His Majesty’s Inspectors\n"
    )
    assert (f.document_type, f.inspection_type) == ("inspection_report", "full_inspection")
    assert f.framework == "ILACS"
    assert (f.start_date, f.end_date) == (dt.date(2025, 1, 13), dt.date(2025, 1, 31))
    assert f.inspectors == ["Máire Example", "Jenny-ellen Sample"]


def test_a_one_week_ilacs_inspection_is_short_and_2026_reports_have_their_own_framework():
    short = _report(
        "Inspection of Anytown local authority children’s services\n\n"
        "Inspection dates: 9 to 13 March 2026\n\nLead inspector: Ann Example, His Majesty’s Inspector\n"
    )
    assert (short.inspection_type, short.framework) == ("short_inspection", "ILACS")
    assert short.inspectors == ["Ann Example"]
    renewed = _report(
        "Inspection of Anytown local authority children’s services\n\n"
        "Inspection dates: 8 to 19 June 2026\n\nLead inspector: Ann Example\n"
    )
    assert (renewed.inspection_type, renewed.framework) == ("full_inspection", "ILACS_2026")


def test_sif_and_other_report_titles():
    sif = _report(
        "Torbay Council\n\nRe-inspection of services for children in need of help and protection, "
        "children looked after and care leavers\n\nInspection date: 11 June 2018 to 5 July 2018\n\n"
        "The inspection team\n\nLead inspector: Karen Wareing HMI\n\nDeputy lead inspector: Emmy Tomsett\n\n"
        "Team inspectors: Paul d’Inverno, Andy Whippey\n"
    )
    assert (sif.document_type, sif.inspection_type) == ("inspection_report", "full_inspection")
    assert sif.framework == "SIF"
    assert sif.authority.name == "Torbay"
    assert sif.inspectors == ["Karen Wareing", "Emmy Tomsett", "Paul d’Inverno", "Andy Whippey"]
    lac = _report(
        "Inspection of looked after children services\n\nNorfolk County Council\n\n"
        "Inspection dates: 8 – 12 July 2013\n\nReporting inspector Gary Lamb HMI\n\n"
        "Published: 16 August 2013\n"
    )
    assert (lac.document_type, lac.inspection_type, lac.framework) == (
        "other", "looked_after_children_inspection", "LAC_2013",
    )
    assert lac.authority.name == "Norfolk" and lac.inspectors == ["Gary Lamb"]
    assert lac.published_date == dt.date(2013, 8, 16)
    assert (lac.start_date, lac.end_date) == (dt.date(2013, 7, 8), dt.date(2013, 7, 12))
    review = _report(
        "Review of the effectiveness of the Local Safeguarding Children Board in Anytown\n\n"
        "Inspection dates: 1 to 5 May 2016\n"
    )
    assert (review.document_type, review.inspection_type) == ("other", "board_review")
    assert review.framework == "SIF"


def test_a_body_named_after_its_authority():
    f = _report(
        "# Inspection of Slough Children First\n\n"
        "Inspection dates: 3 to 14 March 2025\n\nLead inspector: Ann Example, His Majesty’s Inspector\n"
    )
    assert (f.document_type, f.framework) == ("inspection_report", "ILACS")
    assert f.authority.name == "Slough" and not f.warnings


def test_visit_team_phrasings_are_found_as_their_alternation_would():
    import re

    from ofsted_findings.extract.document import _VISIT_TEAM, _leftmost

    # the alternation the two regexes replace (its groups renamed apart)
    first, second = (pattern.pattern for _, pattern in _VISIT_TEAM)
    either = re.compile(f"(?:{first})|(?:{second.replace('?P<names>', '?P<names2>')})")
    texts = [
        "This visit was carried out by Jane Smith and Ali Khan, Her Majesty’s Inspectors.",
        "Ofsted Inspectors for this visit were Jane Smith and Ali Khan.\n"
        "It was conducted by Sam Lee, HMI.",
        "The inspection was undertaken by Sam Lee, Ofsted Inspector. HMIs for this inspection were Ann Bo.",
        "Nothing about a team here.",
    ]
    for text in texts:
        found, expected = _leftmost(_VISIT_TEAM, text), either.search(text)
        assert (found and found.span()) == (expected and expected.span())


def test_joint_leads_set_a_paragraph_each_with_their_role():
    head = (
        "Inspection of Anytown local authority children’s services\n\n"
        "Inspection dates: 13 to 24 January 2025\n\n"
    )
    joint = _report(head + "Lead inspectors: Ann Example HMI\n\nBen A. Sample HMI\n\nJudgement Grade\n")
    assert joint.lead_inspectors == ["Ann Example", "Ben A. Sample"]
    # a paragraph below without a role may be anything ("Judgement Grade"); under a singular
    # label the next person is not a lead
    for body in (
        "Lead inspectors: Ann Example\n\nJudgement Grade\n",
        "Lead inspector: Ann Example HMI\n\nBen Sample HMI\n",
    ):
        assert _report(head + body).lead_inspectors == ["Ann Example"]


def test_a_title_with_the_authoritys_name_after_it_in_one_line():
    f = _report(
        "Inspection of children’s social care services wigan metropolitan borough council\n\n"
        "Inspection dates: 13 to 24 January 2025\n\nLead inspector: Ann Example\n"
    )
    assert (f.document_type, f.framework, f.title) == (
        "inspection_report", "ILACS", "Inspection of children’s social care services",
    )
    assert f.authority.name == "Wigan" and f.authority_as_written == "wigan metropolitan borough council"
