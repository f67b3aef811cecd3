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
