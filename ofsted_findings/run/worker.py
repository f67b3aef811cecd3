"""Per-document work: read -> decode -> clean -> classify -> extract. Pure; never raises for a
bad document: the result carries a status, the failing stage and a one-line reason."""

from __future__ import annotations

import traceback
from pathlib import Path

from ofsted_findings import settings
from ofsted_findings.clean import clean_pdf, clean_text, detect_format
from ofsted_findings.errors import PipelineError, UnsupportedInput
from ofsted_findings.extract.document import extract_document
from ofsted_findings.extract.finding_model import FindingModels, shipped_models
from ofsted_findings.extract.findings import extract_findings
from ofsted_findings.extract.judgements import extract_judgements
from ofsted_findings.extract.metrics import extract_metrics
from ofsted_findings.extract.recommendations import extract_recommendations
from ofsted_findings.ids import stable_id
from ofsted_findings.ingest.decode import decode_text
from ofsted_findings.ingest.discover import UNREADABLE_SHA, read_raw, relative_source_path
from ofsted_findings.ingest.pdf import PdfLayout, pdf_layout
from ofsted_findings.models import CleanDocument, DocumentFacts, DocumentResult, RawFile, Row, own_grades


def process_path(raw_dir: Path, path: Path) -> DocumentResult:
    """Process one file of the raw folder; an unreadable file becomes a failed result."""
    try:
        raw = read_raw(raw_dir, path)
    except (OSError, PipelineError) as exc:
        source = relative_source_path(raw_dir, path)
        if isinstance(exc, PipelineError):
            status, reason = exc.status, str(exc)
        else:
            status, reason = "failed", f"cannot read file: {exc.strerror or exc}"
        return DocumentResult(
            document_id=stable_id("unreadable", source),
            source_path=source,
            sha256=UNREADABLE_SHA,
            status=status,
            stage="read",
            error=reason,
        )
    return process_raw(raw)


def process_item(item: tuple[Path, Path]) -> DocumentResult:
    """process_path for one (raw_dir, path) pair: the unit of work sent to worker processes."""
    return process_path(*item)


def failed_item(item: tuple[Path, Path], reason: str) -> DocumentResult:
    """The result for a file whose worker hung or died: identified by its bytes if readable."""
    raw_dir, path = item
    source = relative_source_path(raw_dir, path)
    try:
        raw = read_raw(raw_dir, path)
        document_id, sha256 = raw.document_id, raw.sha256
    except (OSError, PipelineError):
        document_id, sha256 = stable_id("unreadable", source), UNREADABLE_SHA
    return DocumentResult(document_id, source, sha256, status="failed", stage="extract", error=reason)


def process_raw(raw: RawFile) -> DocumentResult:
    result = DocumentResult(raw.document_id, raw.source_path, raw.sha256)
    stage = "read" if _is_pdf(raw) else "decode"
    try:
        text, layout = read_text(raw)
        if layout is not None:
            result.page_count = layout.page_count
        stage = "clean"
        doc = clean(raw, text, layout)
        result.text_format, result.char_count = doc.text_format, len(doc.text)
        result.cleaned_text, result.sections = doc.text, doc.sections
        if not doc.text.strip():
            raise PipelineError("no text left after cleaning", stage="clean")
        stage = "extract"
        result.facts = extract_document(doc, text)
        if not_about_an_inspection(result.facts):
            raise UnsupportedInput(
                "not about an Ofsted inspection: no Ofsted or press markers, no local authority named",
                stage="classify",
            )
        result.rows = extract_rows(doc, result.facts)
        if result.facts.warnings:
            result.stage, result.error = "extract", "; ".join(result.facts.warnings)
    except PipelineError as exc:
        result.status = exc.status
        result.stage = exc.stage or stage
        result.error = str(exc)
    except MemoryError:
        raise  # the worker reports it and is replaced (run/pool.py): "over the memory limit"
    except Exception as exc:  # a bug or a hostile file: record it, let the run go on
        result.status = "failed"
        result.stage = stage
        last = traceback.extract_tb(exc.__traceback__)[-1]
        result.error = f"{type(exc).__name__}: {exc} ({Path(last.filename).name}:{last.lineno})"
    return result


def clean(raw: RawFile, text: str, layout: PdfLayout | None = None) -> CleanDocument:
    """The cleaned document: PDFs by their layout, text files by their detected format."""
    if layout is not None:
        return clean_pdf(raw.document_id, raw.source_path, layout)
    return clean_text(raw.document_id, raw.source_path, detect_format(raw.source_path, text), text)


def read_text(raw: RawFile) -> tuple[str, PdfLayout | None]:
    """The file's text, and for a PDF its layout (raises PipelineError for unreadable input)."""
    if _is_pdf(raw):
        layout = pdf_layout(raw.data)
        return layout.text, layout
    text, _ = decode_text(raw.data)
    return text, None


def read_and_clean(raw: RawFile) -> tuple[str, CleanDocument]:
    """Raw text and cleaned document of one file: process_raw's first two stages, for the tests
    and benches that look at cleaned documents."""
    text, layout = read_text(raw)
    return text, clean(raw, text, layout)


def _is_pdf(raw: RawFile) -> bool:
    return raw.source_path.lower().endswith(".pdf")


def not_about_an_inspection(facts: DocumentFacts) -> bool:
    return facts.document_type == "other" and facts.publisher is None and facts.authority is None


def finding_models() -> FindingModels | None:
    """The shipped findings models, unless the rules alone are asked for (settings)."""
    return shipped_models() if settings.FINDINGS_READER == "model" else None


def extract_rows(doc: CleanDocument, facts: DocumentFacts | None = None) -> dict[str, list[Row]]:
    """Every extractor's rows of one document; the findings read each section against the grade
    this inspection gave its judgement (the polarity model weighs it). Without `facts` (its
    framework) a 2013 looked-after children inspection's own "overall effectiveness" counts as a
    grade; the pipeline always passes them."""
    judgements = extract_judgements(doc, facts.framework if facts else None)
    return {
        "judgements": judgements,
        "recommendations": extract_recommendations(doc),
        "findings": extract_findings(doc, models=finding_models(), grades=own_grades(judgements)),
        "metrics": extract_metrics(doc),
    }
