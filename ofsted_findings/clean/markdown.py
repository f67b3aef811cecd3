"""Markdown: headings become heading blocks (section boundaries), inline markup becomes text."""

from __future__ import annotations

from ofsted_findings.clean import patterns as P
from ofsted_findings.clean.blocks import Block, merge_continuations, normalise_line


def strip_inline(text: str) -> str:
    text = P.MD_LINK.sub(lambda m: m.group(1), text)
    prev = None
    while prev != text:
        prev = text
        text = P.MD_EMPHASIS.sub(lambda m: m.group(2) or m.group(3) or "", text)
    return text.replace("\\", "") if "\\" in text else text


def markdown_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = normalise_line(raw)
        if not line or set(line) <= set("-*_= "):
            continue
        heading = P.MD_HEADING.match(line)
        if heading:
            blocks.append(Block(strip_inline(heading.group(2)).strip(), "heading"))
            continue
        number = P.NUMBERED_PARAGRAPH.match(line)
        if P.DASH_ITEM.match(line) or line.startswith(("* ", "+ ")):
            blocks.append(Block(strip_inline(line[2:].strip()), "item"))
        elif number:
            blocks.append(Block(strip_inline(line), "text", number=int(number.group(1))))
        else:
            blocks.append(Block(strip_inline(line), "text"))
    return merge_continuations(blocks)
