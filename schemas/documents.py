import pandera.pandas as pa
from pandera.typing import Series

from ofsted_findings.reference import one_of
from ofsted_findings.schemas import fields
from ofsted_findings.schemas.checks import start_not_after_end
from ofsted_findings.schemas.types import (
    DOCUMENT_STATUSES,
    DOCUMENT_TYPES,
    ID16,
    SHA256,
    Date,
    Int,
    String,
    StringList,
)


class Documents(pa.DataFrameModel):
    """One row per raw file, whatever happened to it."""

    document_id: Series[String] = pa.Field(unique=True, str_matches=ID16, description="First 16 hex digits of the SHA-256 of the raw bytes: the same file always gets the same ID.")
    source_path: Series[String] = pa.Field(description="Path of the raw file relative to the raw folder (POSIX separators).")
    sha256: Series[String] = pa.Field(str_matches=SHA256, description="SHA-256 of the raw file's bytes.")
    text_format: Series[String] = pa.Field(nullable=True, isin=["pdf", "pdf_text", "markdown", "web_page", "plain_text"], description="How the text was cleaned: pdf, pdf_text (text extracted from a PDF), markdown, web_page or plain_text.")
    document_type: Series[String] = pa.Field(isin=DOCUMENT_TYPES, description=f"{one_of(DOCUMENT_TYPES)}.")
    publisher: Series[String] = pa.Field(nullable=True, description="Who published the document: Ofsted or the news outlet.")
    title: Series[String] = pa.Field(nullable=True, description="The document's title as written.")
    local_authority: Series[String] = pa.Field(nullable=True, description="The authority the document is about (ONS name); null when no name resolved (see error).")
    la_urn: Series[Int] = fields.la_urn()
    la_ons_code: Series[String] = fields.la_ons_code()
    published_date: Series[Date] = pa.Field(nullable=True, description="Date of publication stated in the document (letter date, article date, a report's 'Report published'); null when not stated.")
    inspection_id: Series[String] = pa.Field(nullable=True, str_matches=ID16, description="The inspection this document is about or reports (see inspections).")
    inspection_type: Series[String] = fields.inspection_type()
    framework: Series[String] = fields.framework()
    inspection_start_date: Series[Date] = pa.Field(nullable=True, description="First day on site, as stated in the document.")
    inspection_end_date: Series[Date] = pa.Field(nullable=True, description="Last day on site, as stated in the document.")
    inspectors: Series[StringList] = pa.Field(nullable=True, description="Inspectors named in the document, lead first.")
    lead_inspectors: Series[StringList] = pa.Field(nullable=True, description="The lead inspector(s) the document names, in the order written: one name, or every joint lead ('Lead inspectors: A and B', a lead line each); a letter's signatory when it names no lead; null when none is named.")
    author: Series[String] = pa.Field(nullable=True, description="Byline of a news article.")
    char_count: Series[Int] = pa.Field(nullable=True, ge=0, description="Length of the cleaned text in characters.")
    page_count: Series[Int] = pa.Field(nullable=True, ge=0, description="Pages in the source PDF; null for text sources.")
    status: Series[String] = pa.Field(isin=DOCUMENT_STATUSES, description="ok, quarantined (some rows failed checks), failed, skipped_duplicate (the same bytes as another file), same_publication (the same publication as another document in another format, e.g. a report's PDF and its text: only the canonical document's rows are published), unsupported, or superseded (an older download of a publication, see the fetch manifest).")
    stage: Series[String] = pa.Field(nullable=True, description="The pipeline stage that failed or warned (read, decode, clean, extract, link, validate).")
    duplicate_of: Series[String] = pa.Field(nullable=True, str_matches=ID16, description="For a skipped_duplicate: the document_id of the file with the same bytes that was processed; for a same_publication: the document_id of the canonical document (a PDF if there is one, else the first by source_path).")
    extractor_version: Series[String] = pa.Field(nullable=True, description="Combined version stamp of the code that made this document's rows (ofsted_findings/extract/versions.py); a change re-processes the document.")
    error: Series[String] = pa.Field(nullable=True, description="One-line reason for the status, or a warning (e.g. an authority name that did not resolve).")

    @pa.dataframe_check
    def inspection_dates_in_order(cls, df):
        return start_not_after_end(df, "inspection_start_date", "inspection_end_date")

    class Config:
        strict = True
        description = "Every raw file and what the pipeline found in it."
        metadata = {"primary_key": ["document_id"], "sort_by": ["source_path"]}
