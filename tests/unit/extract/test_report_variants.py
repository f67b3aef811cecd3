"""Real reports of the development corpus (tests/fixtures/pdf), read with their layout and then
rewritten line by line into the other ways reports of other authorities state the same facts:
the authority's name in lower case or joined to the title, dates in figures or with another
dash, a lead inspector's middle initial, joint leads, and the SIF phrasings of the LSCB's
judgement. Each variant must give the facts the original gives."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from functools import cache

import pytest

from ofsted_findings.assemble.link import link
from ofsted_findings.assemble.rows import inspection_row
from ofsted_findings.clean import clean_pdf
from ofsted_findings.extract.document import DocumentFacts, extract_document
from ofsted_findings.extract.judgements import extract_judgements
from ofsted_findings.ingest.pdf import PdfLayout, PdfLine, pdf_layout
from ofsted_findings.models import CleanDocument, DocumentRecord
from tests.conftest import FIXTURES

# An ILACS short inspection, 2019: "Trafford Metropolitan Borough Council" | "Inspection of
# children's social care services" | "Inspection dates: 4 March 2019 to 8 March 2019" | "Lead
# inspector: Paula Thomson-Jones" | "Her Majesty's Inspector".
ILACS_2019 = "trafford_2019-05-08.pdf"
# A SIF report, 2014: "The effectiveness of the Local Safeguarding Children Board (LSCB) is" |
# "good" on its front page, "The effectiveness of the Local Safeguarding Children Board is good"
# opening its section 2.
SIF_2014 = "hampshire_2014-04-22.pdf"


@cache
def _layout(name: str) -> PdfLayout:
    return pdf_layout((FIXTURES / "pdf" / name).read_bytes())


def _line(layout: PdfLayout, starts: str) -> tuple[list[PdfLine], int]:
    """(page, index) of the first line starting with `starts`."""
    for page in layout.pages:
        for i, line in enumerate(page):
            if line.text.startswith(starts):
                return page, i
    raise AssertionError(f"no line starts with {starts!r}")


def _rewritten(name: str, edit: Callable[[PdfLayout], None]) -> tuple[CleanDocument, DocumentFacts]:
    layout = copy.deepcopy(_layout(name))
    edit(layout)
    doc = clean_pdf("d", name, layout)
    return doc, extract_document(doc, layout.text)


def _set(starts: str, *texts: str) -> Callable[[PdfLayout], None]:
    """Replace the line starting with `starts` by `texts[0]` and the lines after it by the rest."""

    def edit(layout: PdfLayout) -> None:
        page, i = _line(layout, starts)
        for k, text in enumerate(texts):
            page[i + k].text = text

    return edit


def _join_name_to_title(layout: PdfLayout) -> None:
    """Set the authority's name (the line above the title) in the title's type, just above it: one
    block once cleaned."""
    page, i = _line(layout, "Inspection dates")
    name, title = page[i - 2], page[i - 1]
    name.size, name.bold = title.size, title.bold
    name.top = name.last_top = title.top - 1.1 * title.size
    name.bottom = name.top + title.size


def test_the_original_front_page():
    _, f = _rewritten(ILACS_2019, lambda layout: None)
    assert (f.document_type, f.inspection_type, f.framework) == (
        "inspection_report",
        "short_inspection",
        "ILACS",
    )
    assert f.authority.name == "Trafford"
    assert (f.start_date, f.end_date) == (dt.date(2019, 3, 4), dt.date(2019, 3, 8))
    assert f.lead_inspectors == ["Paula Thomson-Jones"]


@pytest.mark.parametrize(
    "name",
    [
        "trafford metropolitan borough council",
        "trafford metropolitan borough",
        "Trafford metropolitan borough council",
        "TRAFFORD METROPOLITAN BOROUGH COUNCIL",
        "Trafford Metropolitan Borough Council",
    ],
)
@pytest.mark.parametrize("joined", [False, True], ids=["own_line", "joined_to_title"])
def test_the_authoritys_name_in_any_case_above_the_title(name, joined):
    def edit(layout: PdfLayout) -> None:
        _set("Trafford Metropolitan Borough Council", name)(layout)
        if joined:
            _join_name_to_title(layout)

    doc, f = _rewritten(ILACS_2019, edit)
    if joined:  # the cleaner makes one block of the two lines
        assert doc.text.startswith(f"{name} Inspection of children’s social care services\n")
    assert (f.document_type, f.inspection_type, f.framework) == (
        "inspection_report",
        "short_inspection",
        "ILACS",
    )
    assert f.title == "Inspection of children’s social care services"
    assert f.authority_as_written == name
    assert f.authority.name == "Trafford"
    assert f.warnings == []


def test_a_title_that_is_not_one_stays_other():
    # the authority's name before a line that is not a title does not make it one
    _, f = _rewritten(
        ILACS_2019,
        lambda layout: (
            _set("Inspection of children", "Information about children’s social care services")(layout),
            _join_name_to_title(layout),
        ),
    )
    assert f.document_type == "other"


@pytest.mark.parametrize(
    "line",
    [
        "Inspection dates: 04/03/2019 to 08/03/2019",
        "Inspection dates: 4/03/2019 – 8/03/2019",
        "Inspection dates: 4/3/2019-8/3/2019",
        "Inspection dates: 04.03.2019 to 08.03.2019",
        "Inspection dates: 04-03-2019 to 08-03-2019",
        "Inspection dates: 04/03/19 to 08/03/19",
        "Inspection dates: 4 to 8/03/2019",
        "Inspection dates: 4 March 2019 \u2500 8 March 2019",  # box-drawing light horizontal
        "Inspection dates: 4 March 2019 \u2501 8 March 2019",  # box-drawing heavy horizontal
        "Inspection dates: 4 March 2019 \u2212 8 March 2019",  # minus sign
        "Inspection dates: 4 March 2019 \u2015 8 March 2019",  # horizontal bar
        "Inspection dates: 4 March 2019 \u2012 8 March 2019",  # figure dash
        "Inspection dates: 4 March 2019 \u2010 8 March 2019",  # hyphen
        "Inspection dates: 4 March 2019 \uff0d 8 March 2019",  # full-width hyphen-minus
        "Inspection dates: 4 March\u20138 March 2019",  # en dash
        "Inspection dates: 4 March 2019 \u2014 8 March 2019",  # em dash
        "Inspection dates: 4th to 8th March 2019",
        "Inspection dates: 4th\u20138th March 2019",
        "Inspection dates: 4 th to 8 th March 2019",  # a superscript suffix set apart
        "Inspection dates: 4th of March 2019 until 8th of March 2019",
        "Inspection dates: 4 March 2019 through 8 March 2019",
        "Inspection dates 4 to 8 March 2019",
    ],
)
def test_inspection_dates_however_written(line):
    _, f = _rewritten(ILACS_2019, _set("Inspection dates:", line))
    assert (f.start_date, f.end_date) == (dt.date(2019, 3, 4), dt.date(2019, 3, 8))
    assert f.inspection_type == "short_inspection"  # one week on site, as stated


def test_a_range_across_months_with_a_box_drawing_dash_is_not_cut_to_one_day():
    _, f = _rewritten(
        ILACS_2019, _set("Inspection dates:", "Inspection dates: 20 June 2017 \u2500 13 July 2017")
    )
    assert (f.start_date, f.end_date) == (dt.date(2017, 6, 20), dt.date(2017, 7, 13))


@pytest.mark.parametrize(
    ("lines", "leads"),
    [
        (("Lead inspector: Paula A. Thomson-Jones", "Her Majesty’s Inspector"), ["Paula A. Thomson-Jones"]),
        (("Lead inspector: Paula A Thomson-Jones", "Her Majesty’s Inspector"), ["Paula A Thomson-Jones"]),
        (
            ("Lead inspector: Paula J. A. Thomson-Jones", "Her Majesty’s Inspector"),
            ["Paula J. A. Thomson-Jones"],
        ),
        (("Lead inspector: P. Thomson-Jones", "Her Majesty’s Inspector"), ["P. Thomson-Jones"]),
        (
            ("Lead inspector: Paula A. Thomson-Jones HMI", "Her Majesty’s Inspector"),
            ["Paula A. Thomson-Jones"],
        ),
        (
            ("Lead inspectors: Paula Thomson-Jones and Jan A. Edwards", "Her Majesty’s Inspectors"),
            ["Paula Thomson-Jones", "Jan A. Edwards"],
        ),
        (
            ("Lead inspectors: Paula Thomson-Jones HMI and Jan Edwards HMI", "Her Majesty’s Inspectors"),
            ["Paula Thomson-Jones", "Jan Edwards"],
        ),
        (
            (
                "Lead inspectors: Paula Thomson-Jones, Her Majesty’s Inspector,",
                "and Jan Edwards, Her Majesty’s Inspector",
            ),
            ["Paula Thomson-Jones", "Jan Edwards"],
        ),
        (
            (
                "Lead inspectors: Paula Thomson-Jones Her Majesty’s Inspector",
                "Jan Edwards Her Majesty’s Inspector",
            ),
            ["Paula Thomson-Jones", "Jan Edwards"],
        ),
        (("Lead inspectors: Paula Thomson-Jones", "Jan Edwards"), ["Paula Thomson-Jones", "Jan Edwards"]),
        (
            ("Joint lead inspectors: Paula Thomson-Jones & Jan Edwards", "HMI"),
            ["Paula Thomson-Jones", "Jan Edwards"],
        ),
        (
            ("Lead Inspectors: Paula Thomson-Jones, Jan Edwards", "HMI"),
            ["Paula Thomson-Jones", "Jan Edwards"],
        ),
    ],
)
def test_lead_inspectors_with_initials_and_joint_leads(lines, leads):
    _, f = _rewritten(ILACS_2019, _set("Lead inspector: Paula Thomson-Jones", *lines))
    assert f.lead_inspectors == leads
    assert f.inspectors[: len(leads)] == leads
    lead_facts = [x for x in f.facts if x["field"] == "lead_inspector"]
    assert [x["value"] for x in lead_facts] == [", ".join(leads)]


def test_joint_leads_are_stored_on_the_inspection():
    _, f = _rewritten(
        ILACS_2019,
        _set("Lead inspector: Paula Thomson-Jones", "Lead inspectors: Paula Thomson-Jones", "Jan Edwards"),
    )
    record = DocumentRecord("a" * 16, ILACS_2019, "0" * 64, facts=f)
    (inspection,) = link([record]).values()
    row = inspection_row(inspection)
    assert row["lead_inspector"] == "Paula Thomson-Jones"
    assert row["lead_inspectors"] == ["Paula Thomson-Jones", "Jan Edwards"]
    assert row["inspectors"][:2] == ["Paula Thomson-Jones", "Jan Edwards"]


def _lscb(doc: CleanDocument) -> str | None:
    grades = {
        r["area"]: r["grade"]
        for r in extract_judgements(doc, "SIF")
        if r["judgement_of"] == "this_inspection"
    }
    return grades.get("safeguarding_board")


def test_the_original_lscb_judgement():
    doc, _ = _rewritten(SIF_2014, lambda layout: None)
    assert _lscb(doc) == "good"


@pytest.mark.parametrize(
    ("label", "grade", "want"),
    [
        ("The effectiveness of the LSCB is:", "requires improvement", "requires_improvement"),
        ("The effectiveness of the LSCB is", "inadequate", "inadequate"),
        (
            "The effectiveness of the Hampshire Safeguarding Children Board (HSCB) is",
            "inadequate",
            "inadequate",
        ),
        ("The effectiveness of Hampshire Local Safeguarding Children Board is", "outstanding", "outstanding"),
        (
            "The effectiveness of the Local Safeguarding Children’s Board (LSCB) is",
            "Requires improvement",
            "requires_improvement",
        ),
        ("The effectiveness of the LSCB is judged to be", "requires improvement.", "requires_improvement"),
        ("The effectiveness of the Local Safeguarding Children Board (LSCB) is", "inadequate.", "inadequate"),
    ],
)
def test_the_lscb_judgement_on_the_front_page_however_phrased(label, grade, want):
    doc, _ = _rewritten(
        SIF_2014, _set("The effectiveness of the Local Safeguarding Children Board (LSCB) is", label, grade)
    )
    assert _lscb(doc) == want


def _without_front_page_lscb(section_statement: str) -> Callable[[PdfLayout], None]:
    def edit(layout: PdfLayout) -> None:
        page, i = _line(layout, "The effectiveness of the Local Safeguarding Children Board (LSCB) is")
        del page[i : i + 2]
        _set("The effectiveness of the Local Safeguarding Children Board is good", section_statement)(layout)

    return edit


@pytest.mark.parametrize(
    ("statement", "want"),
    [
        # section 2 of the 2014 reports of Bradford and Knowsley
        ("The effectiveness of the LSCB is good", "good"),
        ("The effectiveness of the LSCB is inadequate", "inadequate"),
        # section 2 of the 2015-2017 reports (Dudley, Durham, Calderdale...)
        ("The Local Safeguarding Children Board is good", "good"),
        ("The Local Safeguarding Children Board requires improvement", "requires_improvement"),
        ("The Hampshire Safeguarding Children Board is outstanding", "outstanding"),
        ("The LSCB is judged to be inadequate", "inadequate"),
    ],
)
def test_the_lscb_judgement_in_section_2_when_the_front_page_has_none(statement, want):
    doc, _ = _rewritten(SIF_2014, _without_front_page_lscb(statement))
    assert _lscb(doc) == want
