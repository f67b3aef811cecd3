"""PDFs read with their layout (ingest.pdf.PdfLayout): page furniture, footnotes, contents and
appendix dropped; lines grouped into paragraphs, list items, headings and table rows.

What tells the parts apart is the page, not the wording:

- page furniture sits in the top or bottom margin and repeats from page to page (running header
  or footer, with its dates and page number) or is a bare page number;
- a footnote is small type at the foot of a page opening with its number; its marker in the text
  is a superscript digit glued to a word ("Board1"), which is dropped;
- a paragraph or list item ends where the gap to the next line is larger than the line spacing,
  the type changes (bold, size) or the next line opens with a bullet or a paragraph number;
- a line set beside the one before it (further right and not below it) is the next cell of a
  table row ("Overall effectiveness" | "Good");
- a bold block that does not end like a sentence is a heading.

Patterns for wording (running headers, back-page boilerplate, appendix headings) are in
clean/patterns.py.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ofsted_findings.clean import patterns as P
from ofsted_findings.clean.blocks import Block, join_all, join_lines, normalise_line
from ofsted_findings.ingest.pdf import PdfLayout, PdfLine
from ofsted_findings.reference import GRADE_WORDS

# Page furniture lives in this share of the page height at its top and bottom.
_MARGIN_SHARE = 0.1
# A margin line is furniture when (digits aside) it recurs on this share of pages (and >= 2).
_REPEAT_SHARE = 0.3
# Type this much smaller than the body text is a footnote (at a page foot) or a superscript.
_SMALL_TYPE = 0.92
_LARGER_TYPE = 1.1
# Lines further apart than this multiple of the usual line pitch belong to different blocks.
_PARAGRAPH_SPACING = 1.25
_MAX_HEADING_WORDS = 25
_DIGITS = re.compile(r"\d+")
_FOOTNOTE_START = re.compile(r"^\s*\d{1,2}(?:\s|$)")
_BARE_NUMBER = re.compile(r"^\s*\d{1,3}\s*$")
_CELL_SEPARATOR = "\t"
# A grade table row whose grade pdfium set on the same line as the label.
_ROW_WITH_GRADE = re.compile(rf"^(?P<label>.{{3,200}}?)\s+(?P<grade>{GRADE_WORDS})\s*$", re.I)
_MAX_ROW_WORDS = 25


@dataclass(slots=True)
class _Para:
    """A block in the making. Once its lines are grouped, later steps only look at its first and
    last line (page, type size), so those are all it keeps of the layout."""

    first: PdfLine
    last: PdfLine
    pieces: list[str]  # its lines' text, joined into `text` when the page's blocks are complete
    kind: str = "text"  # text | item | heading | table_row
    number: int | None = None
    text: str = ""


def pdf_layout_blocks(layout: PdfLayout) -> list[Block]:
    """Blocks of a PDF read with its layout; every block knows its page."""
    body_size = _body_size(layout)
    margins = [
        _margin_lines(page_lines, height)
        for page_lines, (_, height) in zip(layout.pages, layout.page_sizes, strict=True)
    ]
    furniture = _repeated_margin_lines(margins)
    pitch = _line_pitch(layout)
    paras: list[_Para] = []
    for page_lines, margin in zip(layout.pages, margins, strict=True):
        texts, lines = _page_body(page_lines, margin, furniture, body_size)
        paras.extend(_paragraphs(texts, lines, body_size, pitch))
    paras = _grade_table_rows(paras)
    paras = _cut_back_page(paras)
    paras = _drop_parts(paras)
    paras = _join_across_pages(paras)
    return [Block(p.text, p.kind, p.first.page, p.number) for p in paras if p.text.strip()]


# --- page furniture and footnotes ------------------------------------------------------------


def _margin_key(line: PdfLine) -> str:
    return _DIGITS.sub("#", " ".join(line.text.split()).lower())


def _margin_lines(lines: list[PdfLine], height: float) -> list[tuple[int, str]]:
    """(index, _margin_key) of each line set in the page's top or bottom margin: the only lines
    that can be page furniture, found once for both the repeat count and the page's body."""
    top_edge, bottom_edge = height * _MARGIN_SHARE, height * (1 - _MARGIN_SHARE)
    return [
        (i, _margin_key(li)) for i, li in enumerate(lines) if li.bottom < top_edge or li.top > bottom_edge
    ]


def _repeated_margin_lines(margins: list[list[tuple[int, str]]]) -> set[str]:
    """Margin keys that recur on enough of the pages (`margins`: _margin_lines of each page)."""
    pages = len(margins)
    if pages < 2:
        return set()
    counts: Counter[str] = Counter()
    for margin in margins:
        counts.update({key for _, key in margin})
    needed = max(2, round(_REPEAT_SHARE * pages))
    return {key for key, n in counts.items() if n >= needed and key.strip("# ")}


def _body_size(layout: PdfLayout) -> float:
    """The type size (to 0.1) that most of the document's characters are set in."""
    chars: dict[float, int] = {}
    for page in layout.pages:
        for li in page:
            chars[li.size] = chars.get(li.size, 0) + len(li.text)
    # A document uses a handful of sizes: rounding each once gives the totals that rounding every
    # line's would, and in the same order (a rounded size first counted where its first line is),
    # so a tie goes to the same size.
    sizes: Counter[float] = Counter()
    for size, n in chars.items():
        sizes[round(size, 1)] += n
    return sizes.most_common(1)[0][0] if sizes else 12.0


def _is_furniture(line: PdfLine, key: str, furniture: set[str]) -> bool:
    """A margin line (`key` its _margin_key) that is a page number, running header or repeat."""
    text = line.text.strip()
    return bool(P.PAGE_NUMBER.match(text) or P.RUNNING_HEADER.match(text)) or key in furniture


def _page_body(
    lines: list[PdfLine], margin: list[tuple[int, str]], furniture: set[str], body: float
) -> tuple[list[str], list[PdfLine]]:
    """The page's lines without furniture, footnotes and footnote markers: their normalised text
    (never empty) and the lines themselves, in step."""
    kept = _without_footnotes(_without_furniture(lines, margin, furniture), body)
    small = _SMALL_TYPE * body
    texts: list[str] = []
    body_lines: list[PdfLine] = []
    for li in kept:
        text = _without_superscripts(li) if li.superscripts else li.text
        if li.size < small and _BARE_NUMBER.match(text):  # the size is the cheaper test
            continue  # a footnote marker pdfium set on a line of its own
        text = normalise_line(text)
        if text:
            texts.append(text)
            body_lines.append(li)
    return texts, body_lines


def _without_furniture(
    lines: list[PdfLine], margin: list[tuple[int, str]], furniture: set[str]
) -> list[PdfLine]:
    """The page's lines but those of its margin lines (see _margin_lines) that are furniture."""
    dropped = [i for i, key in margin if _is_furniture(lines[i], key, furniture)]
    if not dropped:
        return lines
    kept = lines.copy()
    for i in reversed(dropped):  # margin lines come in page order: delete from the last
        del kept[i]
    return kept


def _without_superscripts(line: PdfLine) -> str:
    """The line's text without its superscript digits (footnote markers)."""
    marks = set(line.superscripts)
    return "".join(ch for i, ch in enumerate(line.text) if i not in marks)


def _without_footnotes(lines: list[PdfLine], body: float) -> list[PdfLine]:
    """Drop the run of small-type lines at the foot of the page that opens with a number."""
    end = len(lines)
    start = end
    while start > 0 and lines[start - 1].size < _SMALL_TYPE * body:
        start -= 1
    if start == end:
        return lines
    foot = lines[start:]
    opener = next((i for i, li in enumerate(foot) if _FOOTNOTE_START.match(li.text)), None)
    if opener is None:
        return lines
    return lines[: start + opener]


# --- paragraphs ------------------------------------------------------------------------------


def _opener(text: str) -> tuple[str, int | None, str] | None:
    """(kind, paragraph number, text) when a line opens a new block by its marker."""
    if P.BULLET_LINE.match(text):
        return "item", None, P.BULLET_LINE.sub("", text, count=1)
    m = P.NUMBERED_PARAGRAPH.match(text)
    if m:
        return "text", int(m.group(1)), P.NUMBER_WITHOUT_SPACE.sub(r"\1 ", text, count=1)
    return None


def _line_pitch(layout: PdfLayout) -> float:
    """Top-to-top distance of two lines of one paragraph, as a multiple of the type size: the
    lower quartile over the document (most lines follow a line of their own paragraph)."""
    ratios = []
    for page in layout.pages:
        for a, b in zip(page, page[1:], strict=False):
            size = a.size
            pitch = b.top - a.last_top
            if abs(size - b.size) < 0.5 and size > 0 and 0.8 * size < pitch < 2.5 * size:
                ratios.append(pitch / size)
    ratios.sort()
    return ratios[len(ratios) // 4] if ratios else 1.25


def _is_cell(prev: PdfLine, line: PdfLine) -> bool:
    """`line` sits to the right of `prev` and not below it: the next cell of a table row."""
    return line.x0 > prev.x1 + 4 and line.top < prev.bottom - 2


def _paragraphs(texts: list[str], lines: list[PdfLine], body: float, usual: float) -> list[_Para]:
    """A page's blocks from its lines (`texts`: their normalised text, see _page_body)."""
    paras: list[_Para] = []
    current: _Para | None = None
    prev = None  # the last line of `current`
    prev_cell = False  # `prev` is a table cell after its row's first
    for text, line in zip(texts, lines, strict=True):
        # Bullets and paragraph numbers follow nothing but white space, and no letter is either:
        # most lines start with a letter, and need no regex to tell they open nothing.
        opener = None if text[0].isalpha() else _opener(text)
        if current is not None:
            if _is_cell(prev, line):
                current.pieces = [join_all(current.pieces) + _CELL_SEPARATOR + text]
                current.kind = "table_row"
                current.last = prev = line
                prev_cell = True
                continue
            if prev_cell and abs(line.x0 - prev.x0) < 4 and not opener and not _breaks(prev, line, usual):
                current.pieces.append(text)  # a cell's text wrapped onto a second line
                current.last = prev = line
                continue
        new = (
            current is None
            or opener is not None
            or current.kind == "table_row"
            or _breaks(prev, line, usual)
            or (prev.bold and P.FIELD_LABEL_LINE.match(text))
        )
        if new:
            kind, number, start = opener if opener else ("text", None, text)
            current = _Para(line, line, [start], kind, number)
            paras.append(current)
        else:
            current.pieces.append(text)
            current.last = line
        prev = line
        prev_cell = False
    for p in paras:
        p.text = join_all(p.pieces)
        _settle_kind(p, body)
    return paras


def _breaks(prev: PdfLine, line: PdfLine, usual: float) -> bool:
    """A new block: more space above the line than between two lines of a paragraph, or type
    of another size or weight. `usual` is the usual pitch as a multiple of the type size."""
    pitch = line.top - prev.last_top
    size = line.size if line.size > prev.size else prev.size  # max(), without the call
    if pitch > usual * size * _PARAGRAPH_SPACING or pitch < -size:  # a gap; or another column
        return True
    if abs(prev.size - line.size) > 1.0:
        return True
    return prev.bold != line.bold


def _settle_kind(p: _Para, body: float) -> None:
    """Bold (or larger) heading-shaped blocks are headings; so is a bold heading with its grade set
    beside it ("Leadership, management and governance" | "Inadequate")."""
    if p.kind not in ("text", "table_row") or p.number is not None:
        return
    if p.kind == "table_row" and p.text.count(_CELL_SEPARATOR) != 1:
        return
    # A block's lines outside table cells all have its first line's weight: _breaks starts a
    # new block where the weight changes, and a table row takes no line but its cells.
    if not (p.first.bold or p.first.size > body * _LARGER_TYPE):
        return
    text = p.text.replace(_CELL_SEPARATOR, " ").strip()
    if _heading_shaped(text):
        p.kind, p.text = "heading", text


def _heading_shaped(text: str) -> bool:
    if not text or text[-1] in ".,;" or "\t" in text:
        return False
    return len(text.split()) <= _MAX_HEADING_WORDS and (text[0].isupper() or text[0].isdigit())


def _grade_table_rows(paras: list[_Para]) -> list[_Para]:
    """Under a grade table's header ("Judgement Grade"), each short block ending with a grade is a
    row: its grade becomes the second cell, so the row is not taken for a section heading."""
    in_table = False
    for p in paras:
        if P.GRADE_TABLE_HEADER.match(p.text):
            in_table = True
            continue
        if not in_table:
            continue
        if p.kind == "table_row":
            continue
        m = _ROW_WITH_GRADE.match(p.text)
        if m is None or len(p.text.split()) > _MAX_ROW_WORDS:
            in_table = False
            continue
        p.kind, p.text, p.number = "table_row", f"{m.group('label')}{_CELL_SEPARATOR}{m.group('grade')}", None
    return paras


# --- parts of the document that are not its content ------------------------------------------


def _cut_back_page(paras: list[_Para]) -> list[_Para]:
    for i, p in enumerate(paras):
        if P.BACK_PAGE_START.match(p.text):
            return paras[:i]
    return [p for p in paras if not P.BOILERPLATE_PARAGRAPH.match(p.text)]


def _drop_parts(paras: list[_Para]) -> list[_Para]:
    """Drop the contents page and the appendix parts (see patterns.DROPPED_PART_HEADING)."""
    out: list[_Para] = []
    dropping: _Para | None = None
    for p in paras:
        in_contents = dropping is not None and P.CONTENTS_HEADING.match(dropping.text)
        if in_contents and p.first.page == dropping.first.page:
            continue  # the rest of the contents page, whatever its entries say
        if p.kind == "heading" and P.CONTENTS_HEADING.match(p.text):
            dropping = p
            continue
        if p.kind == "heading" and P.DROPPED_PART_HEADING.match(p.text):
            dropping = p
            continue
        if dropping is not None and P.INSPECTION_TEAM_LINE.match(p.text):
            out.append(p)  # who inspected stays, wherever the appendix puts it
            continue
        if dropping is not None:
            if not in_contents and not _ends_part(dropping, p):
                continue
            dropping = None
        out.append(p)
    return [p for p in out if not P.BOILERPLATE_PARAGRAPH.match(p.text)]


def _ends_part(part: _Para, p: _Para) -> bool:
    if p.kind != "heading":
        return False
    return bool(P.KEPT_AFTER_DROPPED.match(p.text)) or p.first.size >= part.first.size - 0.5


def _join_across_pages(paras: list[_Para]) -> list[_Para]:
    """A paragraph cut by a page break (or a footnote) continues on the next page."""
    out: list[_Para] = []
    for p in paras:
        prev = out[-1] if out else None
        if (
            prev is not None
            and p.first.page > prev.last.page
            and prev.kind in ("text", "item")
            and p.kind == "text"
            and p.number is None
            and prev.text.rstrip()[-1:] not in P.TERMINAL_PUNCTUATION
            and abs(prev.last.size - p.first.size) <= 1.0
        ):
            prev.text = join_lines(prev.text, p.text)
            prev.last = p.last
        else:
            out.append(p)
    return out
