"""PDF text with pypdfium2 (BSD/Apache; ~20x faster than pypdf on the corpus; PyMuPDF is AGPL)."""

from __future__ import annotations

import pypdfium2 as pdfium

from ofsted_findings.errors import PipelineError, UnsupportedInput

PAGE_BREAK = "\f"


def sniff_pdf(data: bytes) -> None:
    """Refuse a file named .pdf that is something else, saying what it looks like."""
    head = data[:1024].lstrip()
    if head.startswith(b"%PDF"):
        return
    if not data.strip():
        raise UnsupportedInput("empty file", stage="read")
    lowered = head[:512].lower()
    if lowered.startswith((b"<!doctype html", b"<html")) or b"<html" in lowered:
        raise UnsupportedInput("not a PDF: the file is an HTML page", stage="read")
    raise UnsupportedInput("not a PDF: no %PDF header", stage="read")


def pdf_text(data: bytes) -> tuple[str, int]:
    """All pages' text joined by form feeds, and the page count."""
    sniff_pdf(data)
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        reason = str(exc).split("\n")[0]
        if "password" in reason.lower():
            raise UnsupportedInput("encrypted PDF (needs a password)", stage="read") from exc
        raise PipelineError(f"unreadable PDF: {reason}", stage="read") from exc
    try:
        pages = []
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            pages.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return PAGE_BREAK.join(pages), len(pages)
    finally:
        document.close()
