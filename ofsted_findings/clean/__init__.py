"""Cleaning: raw text in any supported format -> one cleaned text with its structure."""

from __future__ import annotations

from ofsted_findings.clean.blocks import Block, assemble
from ofsted_findings.clean.detect import detect_format
from ofsted_findings.clean.markdown import markdown_blocks
from ofsted_findings.clean.pdf_layout import pdf_layout_blocks
from ofsted_findings.clean.pdf_text import pdf_text_blocks
from ofsted_findings.clean.structure import build_structure
from ofsted_findings.clean.web import web_blocks
from ofsted_findings.ingest.pdf import PdfLayout
from ofsted_findings.models import CleanDocument

__all__ = ["clean_pdf", "clean_text", "detect_format"]


def blocks_for(text_format: str, text: str) -> list[Block]:
    if text_format == "markdown":
        return markdown_blocks(text)
    if text_format == "web_page":
        return web_blocks(text)
    if text_format == "pdf":
        return pdf_text_blocks(text, first_page=1)
    return pdf_text_blocks(text)  # pdf_text and plain_text share the paragraph rules


def clean_text(document_id: str, source_path: str, text_format: str, text: str) -> CleanDocument:
    """Clean `text` (already decoded) and find its sections and paragraphs."""
    return _document(document_id, source_path, text_format, blocks_for(text_format, text))


def clean_pdf(document_id: str, source_path: str, layout: PdfLayout) -> CleanDocument:
    """Clean a PDF read with its layout (ingest.pdf.pdf_layout)."""
    return _document(document_id, source_path, "pdf", pdf_layout_blocks(layout))


def _document(document_id: str, source_path: str, text_format: str, blocks: list[Block]) -> CleanDocument:
    cleaned, spans, page_starts = assemble(blocks)
    sections, paragraphs = build_structure(len(cleaned), spans)
    return CleanDocument(
        document_id=document_id,
        source_path=source_path,
        text_format=text_format,
        text=cleaned,
        paragraphs=paragraphs,
        sections=sections,
        page_starts=page_starts,
    )
