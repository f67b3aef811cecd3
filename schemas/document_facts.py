import pandera.pandas as pa
from pandera.typing import Series

from ofsted_findings.schemas.evidence import END, START, EvidenceSpan
from ofsted_findings.schemas.types import ID16, Int, String


class DocumentFacts(EvidenceSpan):
    """Where each document-level value (title, dates, inspectors...) was read."""

    document_id: Series[String] = pa.Field(str_matches=ID16, description="The document (documents.document_id).")
    field: Series[String] = pa.Field(description="The documents column or fact this evidence supports.")
    value: Series[String] = pa.Field(description="The value read, as text.")
    evidence: Series[String] = pa.Field(description="cleaned_text[start:end].")
    start: Series[Int] = pa.Field(ge=0, description=START)
    end: Series[Int] = pa.Field(ge=0, description=END)

    class Config:
        strict = True
        description = "Evidence spans for the document-level values in documents."
        metadata = {"primary_key": ["document_id", "field", "start"], "foreign_keys": {"document_id": "documents.document_id"}}
