"""Text extracted from PDFs: drop page furniture, rejoin hard-wrapped lines, find paragraphs.

Two layouts occur. Most extractors put one blank line between paragraphs; some double-space every
line, so a blank line is only a wrap and a line holding just spaces is the paragraph break.
"""

from __future__ import annotations

import re

from ofsted_findings.clean import patterns as P
from ofsted_findings.clean.blocks import Block, join_lines, merge_continuations, normalise_line

_TEXT, _EMPTY, _SPACES, _PAGE = "text", "empty", "spaces", "page"
_MAX_HEADING_WORDS = 12


def _classify(line: str) -> str:
    if line == "":
        return _EMPTY
    if P.PAGE_SEPARATOR.match(line):
        return _PAGE
    if line.strip() == "":
        return _SPACES
    return _TEXT


def _is_double_spaced(kinds: list[str]) -> bool:
    """Every wrapped line followed by an empty line, paragraphs split by lines of spaces."""
    text_lines = sum(1 for k in kinds if k == _TEXT)
    followed_by_empty = sum(1 for a, b in zip(kinds, kinds[1:], strict=False) if a == _TEXT and b == _EMPTY)
    return text_lines > 10 and kinds.count(_SPACES) >= 3 and followed_by_empty > 0.5 * text_lines


def looks_like_heading(line: str) -> bool:
    """A short capitalised line with no closing punctuation and no table cells."""
    s = line.strip()
    if not s or "\t" in s or s[-1] in ".,;" or not (s[0].isupper() or s[0].isdigit()):
        return False
    words = s.split()
    return len(words) <= _MAX_HEADING_WORDS and not P.NUMBERED_PARAGRAPH.match(s)


def _starts_block(line: str) -> tuple[str, int | None, str] | None:
    """(kind, paragraph number, text without marker) when the line opens a new block."""
    if P.BULLET_LINE.match(line):
        return "item", None, P.BULLET_LINE.sub("", line)
    if P.DASH_ITEM.match(line):
        return "item", None, P.DASH_ITEM.sub("", line, count=1)
    m = P.NUMBERED_PARAGRAPH.match(line)
    if m:
        return "text", int(m.group(1)), line.strip()
    if "\t" in line:
        return "table_row", None, line.strip()
    return None


def pdf_text_blocks(text: str, first_page: int | None = None) -> list[Block]:
    """Blocks of PDF-extracted text. Form feeds (\\f) mark page breaks when pages are known."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\f\n")
    cut = re.search(P.BACK_PAGE_START.pattern, text, re.M)
    if cut:
        text = text[: cut.start()]
    raw_lines = text.split("\n")
    kinds = [_classify(line) for line in raw_lines]
    double = _is_double_spaced(kinds)
    page = first_page
    blocks: list[Block] = []
    current: Block | None = None
    pending_break = False
    for raw, kind in zip(raw_lines, kinds, strict=True):
        if "\f" in raw and page is not None:
            page += raw.count("\f")
        if kind == _PAGE:
            pending_break = True
            continue
        if kind == _SPACES or (kind == _EMPTY and not double):
            pending_break = True
            continue
        if kind == _EMPTY:
            continue
        line = normalise_line(raw.replace("\f", ""))
        if not line or P.PAGE_NUMBER.match(line) or P.RUNNING_HEADER.match(line):
            continue
        opener = _starts_block(line)
        previous = current.text if current else ""
        joinable = (
            current is not None
            and current.kind in ("text", "item")
            and opener is None
            and not (pending_break and not _continues_after_break(previous, line, double))
            and not _heading_boundary(previous, line, raw)
        )
        if joinable:
            current.text = join_lines(current.text, line)
        else:
            if opener:
                kind_, number, body = opener
            else:
                kind_, number, body = "text", None, line
            current = Block(body, kind_, page, number)
            blocks.append(current)
        pending_break = False
    return [_mark_heading(b) for b in merge_continuations(blocks)]


def _continues_after_break(previous: str, line: str, double: bool) -> bool:
    prev = previous.rstrip()
    if not prev:
        return False
    if prev[-1] in P.EXTRACTOR_HYPHEN:
        return True
    return prev[-1] not in P.TERMINAL_PUNCTUATION and line[:1].islower()


def _heading_boundary(previous: str, line: str, raw: str) -> bool:
    """A heading line never joins the paragraph before it, nor takes the next line."""
    prev = previous.rstrip()
    if prev and looks_like_heading(prev) and not line[:1].islower():
        return True
    return bool(prev) and prev[-1] in ".!?" and looks_like_heading(line) and raw.endswith(" ")


def _mark_heading(block: Block) -> Block:
    if block.kind == "text" and block.number is None and looks_like_heading(block.text):
        block.kind = "heading"
    return block
