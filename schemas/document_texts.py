import pandera.pandas as pa
from pandera.typing import Series

from ofsted_findings.schemas import fields
from ofsted_findings.schemas.types import String


class DocumentTexts(pa.DataFrameModel):
    """The cleaned text every evidence span points into."""

    document_id: Series[String] = fields.document_id(unique=True)
    cleaned_text: Series[String] = pa.Field(description="The document's cleaned text: evidence is cleaned_text[start:end] (0-based, end exclusive; DuckDB: substr(cleaned_text, start + 1, end - start)).")

    class Config:
        strict = True
        description = "Cleaned text of each processed document, so every span can be checked from the warehouse alone."
        metadata = {"primary_key": ["document_id"], "sort_by": ["document_id"], "foreign_keys": {"document_id": "documents.document_id"}}
