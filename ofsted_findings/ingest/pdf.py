"""PDF text with pypdfium2 (BSD/Apache; ~20x faster than pypdf on the corpus; PyMuPDF is AGPL).

Two readings of a PDF:

- `pdf_text`: the text of every page, pages joined by form feeds (what any extractor gives);
- `pdf_layout`: the same text as lines, each with its page, box, font size and weight, and the
  positions of superscript digits (footnote markers). The PDF cleaner uses the layout to tell
  paragraphs (vertical gaps), headings (bold), table cells (a cell beside the previous line),
  footnotes (small type at the page foot) and page furniture (margins) apart. Reading the layout
  costs a few calls per line, not per character.
"""

from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass, field
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ofsted_findings.errors import PipelineError, UnsupportedInput
from ofsted_findings.settings import MAX_DOCUMENT_CHARS

PAGE_BREAK = "\f"
_BOLD_WEIGHT = 600
# A digit run glued to the end of a word or sentence: a candidate footnote marker ("Board1").
_GLUED_DIGITS = re.compile(r"(?<=[^\s\d])\d{1,2}(?=[\s.,;:)’'\"]|$)")
_DIGIT = re.compile(r"\d")
_FIRST_WORD_CHAR = re.compile(r"[^\W\d_]")  # a letter: not a bullet glyph, not a list number
# A superscript is set in type this much smaller than the line it sits on.
_SUPERSCRIPT_RATIO = 0.8


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


def _open(data: bytes) -> pdfium.PdfDocument:
    sniff_pdf(data)
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        reason = str(exc).split("\n")[0]
        if "password" in reason.lower():
            raise UnsupportedInput("encrypted PDF (needs a password)", stage="read") from exc
        raise PipelineError(f"unreadable PDF: {reason}", stage="read") from exc


def check_text_size(chars: int, page: int | None = None) -> None:
    """Refuse a document with more than MAX_DOCUMENT_CHARS characters of text (a hostile PDF
    whose few kilobytes inflate to millions of characters), before its text is read."""
    if chars > MAX_DOCUMENT_CHARS:
        where = f" by page {page}" if page else ""
        raise UnsupportedInput(
            f"too much text: over {MAX_DOCUMENT_CHARS:,} characters{where} (a report has < 500,000)",
            stage="read",
        )


def pdf_text(data: bytes) -> tuple[str, int]:
    """All pages' text joined by form feeds, and the page count."""
    document = _open(data)
    try:
        pages = []
        chars = 0
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            try:
                chars += textpage.count_chars()
                check_text_size(chars, index + 1)
                pages.append(textpage.get_text_range())
            finally:
                textpage.close()
                page.close()
        return PAGE_BREAK.join(pages), len(pages)
    finally:
        document.close()


@dataclass(slots=True)
class PdfLine:
    """One line of a page as pdfium orders it. Coordinates in points, y measured down from the
    top of the page (top < bottom)."""

    text: str
    page: int  # 1-based
    x0: float
    x1: float
    top: float
    bottom: float
    size: float  # height of the first letter's font box (font size x ~1.2)
    bold: bool  # the line's first letter is bold
    superscripts: tuple[int, ...] = ()  # offsets in `text` of superscript digits
    last_top: float = 0.0  # top of the last visual line (pdfium joins a hyphenated pair of lines)

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass
class PdfLayout:
    """Lines of every page; `page_sizes` is (width, height) per page."""

    pages: list[list[PdfLine]] = field(default_factory=list)
    page_sizes: list[tuple[float, float]] = field(default_factory=list)

    @property
    def page_count(self) -> int:
        return len(self.pages)

    @property
    def text(self) -> str:
        """Plain text: lines joined by newlines, pages by form feeds."""
        return PAGE_BREAK.join("\n".join(line.text for line in page) for page in self.pages)


def pdf_layout(data: bytes) -> PdfLayout:
    """Every page's lines with their geometry and type (see PdfLine)."""
    document = _open(data)
    layout = PdfLayout()
    chars = 0
    try:
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            try:
                chars += textpage.count_chars()
                check_text_size(chars, index + 1)
                width, height = page.get_size()
                layout.page_sizes.append((width, height))
                layout.pages.append(_page_lines(textpage, index + 1, height))
            finally:
                textpage.close()
                page.close()
    finally:
        document.close()
    return layout


def _unchecked(func: Any, restype: type = ctypes.c_int) -> Any:
    """pdfium's `func` called without ctypes' per-argument conversion (the declared argument
    types cost more than the call itself: 1.9 -> 0.7 µs, and a page makes ~240 such calls). Only
    for functions whose arguments are a handle (passed as c_void_p), ints and pointers (byref):
    undeclared, those reach C as they would declared."""
    unchecked = ctypes.CFUNCTYPE(restype)(ctypes.cast(func, ctypes.c_void_p).value)
    unchecked.argtypes = None
    return unchecked


_COUNT_RECTS = _unchecked(pdfium_c.FPDFText_CountRects)
_GET_RECT = _unchecked(pdfium_c.FPDFText_GetRect)
_LOOSE_CHAR_BOX = _unchecked(pdfium_c.FPDFText_GetLooseCharBox)
_FONT_WEIGHT = _unchecked(pdfium_c.FPDFText_GetFontWeight)
_CHAR_INDEX = _unchecked(pdfium_c.FPDFText_GetCharIndexFromTextIndex)


class _Reader:
    """pdfium's raw calls for one text page, with their out-parameters allocated once (the
    pypdfium2 helpers allocate them on every call, which is most of the cost per line)."""

    def __init__(self, textpage: pdfium.PdfTextPage) -> None:
        self.raw = ctypes.c_void_p(ctypes.cast(textpage.raw, ctypes.c_void_p).value)
        self.box = pdfium_c.FS_RECTF()
        self.box_ref = ctypes.byref(self.box)
        self.left, self.top, self.right, self.bottom = (ctypes.c_double() for _ in range(4))
        self.rect_refs = tuple(ctypes.byref(v) for v in (self.left, self.top, self.right, self.bottom))

    def type_size(self, index: int) -> float:
        """The size type is set in, as the height of the character's font box: unlike the font
        size pdfium reports, it includes the text matrix (some PDFs set 1-point type scaled up)."""
        if not _LOOSE_CHAR_BOX(self.raw, index, self.box_ref):
            return 0.0
        return self.box.top - self.box.bottom

    def weight(self, index: int) -> int:
        return _FONT_WEIGHT(self.raw, index)

    def extent(self, index: int, count: int) -> tuple[float, float, float, float, float] | None:
        """(x0, x1, y0, y1, last_top) of characters [index, index + count) in PDF coordinates
        (y up): the union of pdfium's rects for them, and the top of their last visual line (a
        rect below the ones before starts one). None when pdfium has no rect for them."""
        raw, get_rect = self.raw, _GET_RECT
        left, top, right, bottom = self.left, self.top, self.right, self.bottom
        ref_left, ref_top, ref_right, ref_bottom = self.rect_refs
        n = _COUNT_RECTS(raw, index, count)
        if n <= 0:
            return None
        get_rect(raw, 0, ref_left, ref_top, ref_right, ref_bottom)
        x0, x1, y0, y1 = left.value, right.value, bottom.value, top.value
        last_top, last_bottom = y1, y0
        for r in range(1, n):
            get_rect(raw, r, ref_left, ref_top, ref_right, ref_bottom)
            lo, hi = bottom.value, top.value
            if lo < y0:
                y0 = lo
            if hi > y1:
                y1 = hi
            if left.value < x0:
                x0 = left.value
            if right.value > x1:
                x1 = right.value
            if lo < last_bottom - 1:  # a rect below the others: a new visual line
                last_top, last_bottom = hi, lo
            else:
                if hi > last_top:
                    last_top = hi
                if lo < last_bottom:
                    last_bottom = lo
        return x0, x1, y0, y1, last_top


def _page_lines(textpage: pdfium.PdfTextPage, page_no: int, height: float) -> list[PdfLine]:
    text = textpage.get_text_range()
    n_chars = textpage.count_chars()
    same_index = len(text) == n_chars
    reader = _Reader(textpage)
    raw_page = reader.raw
    extent, type_size, weight = reader.extent, reader.type_size, reader.weight
    first_word, glued_digits, has_digit = _FIRST_WORD_CHAR.search, _GLUED_DIGITS.finditer, _DIGIT.search
    to_char_index = _CHAR_INDEX

    lines: list[PdfLine] = []
    pos = 0
    for piece in text.split("\r\n"):
        start, length = pos, len(piece)
        pos += length + 2
        if not length or piece.isspace():
            continue
        word = first_word(piece)  # not a bullet glyph, set in a symbol font
        first = start + (word.start() if word else length - len(piece.lstrip()))
        if not same_index:
            first = to_char_index(raw_page, first)
        box = extent(start if same_index else to_char_index(raw_page, start), length)
        if box is None:
            continue
        x0, x1, y0, y1, last_top = box
        size = type_size(first)
        bold = weight(first) >= _BOLD_WEIGHT
        superscripts: tuple[int, ...] = ()
        if has_digit(piece):  # most lines have none: one quick scan instead of the marker regex
            marks: list[int] = []
            for m in glued_digits(piece):
                at = start + m.start()
                mark_size = type_size(at if same_index else to_char_index(raw_page, at))
                if 0 < mark_size < _SUPERSCRIPT_RATIO * size:
                    marks.extend(range(m.start(), m.end()))
            superscripts = tuple(marks)
        lines.append(PdfLine(piece, page_no, x0, x1, height - y1, height - y0, size, bold,
                             superscripts, height - last_top))
    return lines
