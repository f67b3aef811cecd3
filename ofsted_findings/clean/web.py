"""Scraped web pages: keep the article, drop navigation, widgets, teasers and social icons."""

from __future__ import annotations

from ofsted_findings.clean import patterns as P
from ofsted_findings.clean.blocks import Block, merge_continuations, normalise_line
from ofsted_findings.clean.pdf_text import looks_like_heading


def web_blocks(text: str) -> list[Block]:
    """One block per non-empty line (scraped pages put each paragraph on a line)."""
    lines = [normalise_line(x) for x in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = _drop_teasers(lines)
    blocks: list[Block] = []
    for line in lines:
        if not line:
            continue
        if P.WEB_SIDEBAR_START.match(line):
            break
        if P.WEB_BOILERPLATE_LINE.match(line):
            continue
        if P.DASH_ITEM.match(line) or P.BULLET_LINE.match(line):
            body = P.BULLET_LINE.sub("", P.DASH_ITEM.sub("", line, count=1))
            blocks.append(Block(body, "item"))
        else:
            blocks.append(Block(line, "heading" if looks_like_heading(line) else "text"))
    return merge_continuations(blocks)


def _drop_teasers(lines: list[str]) -> list[str]:
    """Remove 'headline / summary [...] / Read Full Story' teasers for other stories."""
    keep = list(lines)
    for i, line in enumerate(lines):
        if not P.WEB_BOILERPLATE_LINE.match(line) or "read" not in line.lower():
            continue
        # walk back over the summary and the headline above it
        j, seen = i - 1, 0
        while j >= 0 and seen < 2:
            if keep[j]:
                seen += 1
            keep[j] = ""
            j -= 1
    return keep
