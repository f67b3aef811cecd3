"""Blocks — headings, paragraphs, list items, table rows — and how they become cleaned text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ofsted_findings.clean import patterns as P


@dataclass
class Block:
    text: str
    kind: str = "text"  # text | item | heading | table_row
    page: int | None = None  # 1-based page where the block starts (PDF sources)
    number: int | None = None  # the document's own paragraph number, if it has one


_SPACES = re.compile(r"[ \u00a0\u2000-\u200a\u202f\u205f\u3000]+")


# Any character normalise_line changes (a control, a break mark, a space other than " "); a run
# of spaces is the other change. Most lines have neither, and then only their ends need trimming.
# (A lone character class, not an alternation with "  ": the regex engine scans for a class fast.)
_NEEDS_WORK = re.compile(
    r"[\x00-\x08\x0b\x0e-\x1f\x7f\u00a0\u00ad\u2000-\u200d\u202f\u205f\u2060\u3000\ufeff\ufffe]"
)


def normalise_line(line: str) -> str:
    """One line of text with controls removed and runs of spaces folded (tabs are kept)."""
    # Every character _NEEDS_WORK lists is a control, a format character or a space other than
    # " ", none of which str.isprintable() passes: a C loop settles most lines before the regex.
    if "  " not in line and (line.isprintable() or not _NEEDS_WORK.search(line)):
        return line.strip(" ")
    line = P.CONTROL_CHARS.sub("", line).replace(P.PDFIUM_HYPHEN, "-")
    line = _SPACES.sub(" ", line).strip(" ")
    body, last = line[:-1], line[-1:]
    for mark in P.EXTRACTOR_HYPHEN:  # a break mark is kept only at the end, for join_lines
        body = body.replace(mark, "")
    return body + last


def join_lines(left: str, right: str) -> str:
    """Join a hard-wrapped line to the next, mending hyphenation."""
    left = left.rstrip()
    right = right.lstrip()
    if not left:
        return right
    if not right:
        return left
    if left[-1] in P.EXTRACTOR_HYPHEN:
        return left[:-1] + right
    if left.endswith("-") and len(left) > 1 and left[-2].isalpha():
        return left + right  # "pre-" + "final" -> "pre-final"
    if left.endswith("/") and len(left) > 1 and left[-2].isalpha():
        return left + right  # "and/" + "or" -> "and/or"
    return left + " " + right


# A line ending in one of these may be glued to the next without a space (see join_lines).
_GLUING_ENDS = P.EXTRACTOR_HYPHEN + "-/"


def join_all(lines: list[str]) -> str:
    """The same text as join_lines folded over `lines` (join_lines(join_lines(a, b), c) ...).

    Folding copies the growing paragraph once per line. Nearly always each line but the last ends
    in a character that neither rstrip nor the hyphen rules touch and each but the first starts
    with one lstrip leaves alone: then every fold step adds exactly " " + the next line, and one
    join does it all.
    """
    if len(lines) < 2:
        return lines[0] if lines else ""
    for line in lines[:-1]:
        if not line or line[-1] in _GLUING_ENDS or line[-1].isspace():
            break
    else:
        for line in lines[1:]:
            if not line or line[0].isspace():
                break
        else:
            return " ".join(lines)
    text = lines[0]
    for line in lines[1:]:
        text = join_lines(text, line)
    return text


def continues(previous: str, following: str) -> bool:
    """True when `following` is the rest of `previous`'s sentence (wrapped across a break)."""
    previous = previous.rstrip()
    following = following.lstrip()
    if not previous or not following:
        return False
    if previous[-1] in P.EXTRACTOR_HYPHEN:
        return True
    return previous[-1] not in P.TERMINAL_PUNCTUATION and following[0].islower()


def merge_continuations(blocks: list[Block]) -> list[Block]:
    """Merge text blocks split mid-sentence (page breaks, stray blank lines)."""
    out: list[Block] = []
    for block in blocks:
        if (
            out
            and block.kind == "text"
            and block.number is None
            and out[-1].kind in ("text", "item")
            and continues(out[-1].text, block.text)
        ):
            out[-1].text = join_lines(out[-1].text, block.text)
        else:
            out.append(block)
    return out


def assemble(blocks: list[Block]) -> tuple[str, list[tuple[int, int, Block]], list[int]]:
    """Cleaned text from blocks: blank line between blocks, one newline within a list or table.

    Returns the text, each block's [start, end) span, and the offset where each page begins.
    """
    parts: list[str] = []
    spans: list[tuple[int, int, Block]] = []
    page_starts: list[int] = []
    pos = 0
    previous: Block | None = None
    for block in blocks:
        text = block.text.strip()
        if not text:
            continue
        if previous is not None:
            tight = block.kind == previous.kind and block.kind in ("item", "table_row")
            sep = "\n" if tight else "\n\n"
            parts.append(sep)
            pos += len(sep)
        if block.page is not None:
            while len(page_starts) < block.page:
                page_starts.append(pos)
        parts.append(text)
        spans.append((pos, pos + len(text), block))
        pos += len(text)
        previous = block
    return "".join(parts), spans, page_starts
