import pandera.pandas as pa
from pandera.typing import Series

from ofsted_findings.schemas.checks import evidence_length_matches_span, span_is_ordered
from ofsted_findings.schemas.types import ID16, Int, String


class DocumentFacts(pa.DataFrameModel):
    """Where each document-level value (title, dates, inspectors...) was read."""

    document_id: Series[String] = pa.Field(str_matches=ID16, description="The document (documents.document_id).")
    field: Series[String] = pa.Field(description="The documents column or fact this evidence supports.")
    value: Series[String] = pa.Field(description="The value read, as text.")
    evidence: Series[String] = pa.Field(description="cleaned_text[start:end].")
    start: Series[Int] = pa.Field(ge=0, description="Start offset of the evidence in the cleaned text.")
    end: Series[Int] = pa.Field(ge=0, description="End offset (exclusive) of the evidence in the cleaned text.")

    @pa.dataframe_check
    def span_in_order(cls, df):
        return span_is_ordered(df)

    @pa.dataframe_check
    def evidence_matches_span(cls, df):
        return evidence_length_matches_span(df)

    class Config:
        strict = True
        description = "Evidence spans for the document-level values in documents."
        metadata = {"primary_key": ["document_id", "field", "start"], "foreign_keys": {"document_id": "documents.document_id"}}
