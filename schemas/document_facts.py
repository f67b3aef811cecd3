import pandera.pandas as pa
from pandera.typing import Series

from ofsted_findings.schemas import fields
from ofsted_findings.schemas.evidence import EvidenceSpan
from ofsted_findings.schemas.types import Int, String


class DocumentFacts(EvidenceSpan):
    """Where each document-level value (title, dates, inspectors...) was read."""

    document_id: Series[String] = fields.document_id()
    field: Series[String] = pa.Field(description="The documents column or fact this evidence supports.")
    value: Series[String] = pa.Field(description="The value read, as text.")
    evidence: Series[String] = fields.evidence()
    start: Series[Int] = fields.start()
    end: Series[Int] = fields.end()

    class Config:
        strict = True
        description = "Evidence spans for the document-level values in documents."
        metadata = {"primary_key": ["document_id", "field", "start"], "foreign_keys": {"document_id": "documents.document_id"}}
