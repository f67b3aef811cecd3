"""Which cleaner a document needs: decided from its extension and, for .txt, its content."""

from __future__ import annotations

import re

_MARKDOWN_SIGNS = re.compile(r"^\s{0,3}#{1,6}\s|\*\*[^*\n]+\*\*|\]\((?:https?|mailto):", re.M)
_PDF_TEXT_SIGNS = re.compile(
    r"Ofsted is proud to use recycled paper|© Crown copyright|^\s*-\s*$|^ \n|[\uf0b7\uf0a7]"
    r"|Her Majesty[’']s Inspector|His Majesty[’']s Inspector",
    re.M,
)
_WEB_SIGNS = re.compile(
    r"Contact Us|Subscribe|Read Full Story|comments powered by|Share this|Make an Enquiry"
    r"|^By [A-Z][a-z]+ [A-Z][a-z]+\s*$|\| \d{1,2} \w+ \d{4}",
    re.M,
)


def detect_format(source_path: str, text: str) -> str:
    """One of: pdf, markdown, pdf_text, web_page, plain_text."""
    name = source_path.lower()
    if name.endswith(".pdf"):
        return "pdf"
    if name.endswith((".md", ".markdown")):
        return "markdown"
    if name.endswith((".html", ".htm")):
        return "web_page"
    if len(_MARKDOWN_SIGNS.findall(text)) >= 3:
        return "markdown"
    web = len(_WEB_SIGNS.findall(text))
    pdf = len(_PDF_TEXT_SIGNS.findall(text))
    if web > pdf and web >= 1:
        return "web_page"
    if pdf >= 1:
        return "pdf_text"
    return "plain_text"
