"""Reading PDFs with pypdfium2: text by page, the layout of every line, and files that are not PDFs."""

from __future__ import annotations

import pytest

from ofsted_findings.errors import UnsupportedInput
from ofsted_findings.ingest.pdf import PAGE_BREAK, pdf_layout, pdf_text, sniff_pdf
from ofsted_findings.run.worker import process_path
from tests.conftest import FIXTURES

PDFS = FIXTURES / "pdf"


def _read(name: str) -> bytes:
    return (PDFS / name).read_bytes()


def test_text_has_one_form_feed_between_pages():
    text, pages = pdf_text(_read("knowsley_2021-12-03.pdf"))
    assert pages == text.count(PAGE_BREAK) + 1
    assert " ".join(text[:200].split()).startswith("Inspection of Knowsley Council local authority")


def test_layout_and_text_agree():
    data = _read("trafford_2019-05-08.pdf")
    layout = pdf_layout(data)
    text, pages = pdf_text(data)
    assert layout.page_count == pages == len(layout.page_sizes)
    squash = lambda t: "".join(t.split())  # noqa: E731  (pdfium's \r\n and blank lines aside)
    assert squash(layout.text) == squash(text)
    for page in layout.pages:
        for line in page:
            assert line.top < line.bottom and line.x0 < line.x1 and line.size > 0


def test_lines_know_their_type():
    layout = pdf_layout(_read("knowsley_2021-12-03.pdf"))
    first = layout.pages[0]
    title = next(li for li in first if li.text.startswith("Inspection dates"))
    assert title.bold
    body = max((li for li in first if len(li.text) > 60), key=lambda li: len(li.text))
    assert not body.bold
    # running footer: small type at the foot of page 2
    footer = next(li for li in layout.pages[1] if li.text.startswith("Inspection of Knowsley"))
    assert footer.size < body.size and footer.top > layout.page_sizes[1][1] * 0.9


def test_footnote_markers_are_superscripts():
    # this PDF sets its type at 1 point and scales it: sizes come from the glyph boxes
    layout = pdf_layout(_read("cheshire-east_2015-09-15.pdf"))
    line = next(li for li in layout.pages[0] if li.text.startswith("board1"))
    marks = [line.text[i] for i in line.superscripts]
    assert marks == ["1"]


def test_html_saved_as_pdf_is_refused_as_unsupported():
    with pytest.raises(UnsupportedInput, match="HTML page"):
        sniff_pdf(_read("bromley_2012-08-17.pdf"))
    result = process_path(PDFS, PDFS / "bromley_2012-08-17.pdf")
    assert (result.status, result.stage) == ("unsupported", "read")
    assert result.facts is None


def test_empty_and_garbage_files():
    with pytest.raises(UnsupportedInput, match="empty"):
        pdf_text(b"")
    with pytest.raises(UnsupportedInput, match="no %PDF header"):
        pdf_layout(b"\x00\x01binary noise")
